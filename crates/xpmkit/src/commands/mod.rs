//! One module per subcommand.

mod call;
mod call_target;
mod catalog;
mod connect;
mod connections_file;
mod decode;
mod demo;
mod keys;
mod mock;
mod scopes;

use crate::cli::{Cli, Command};

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Decode(args) => decode::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Connect(args) => connect::run(args),
        Command::Tenants(args) => connect::tenants(args),
        Command::Call(args) => call::run(args),
        Command::Disconnect(args) => connect::disconnect(args),
        Command::Keys { command } => keys::run(command),
        Command::Scopes { command } => scopes::run(command),
    }
}
