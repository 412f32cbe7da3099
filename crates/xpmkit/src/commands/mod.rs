//! One module per subcommand.

/// `println!` that hands back the write error instead of panicking, so that a reader who goes
/// away (`xpmkit tenants | head`) ends the command quietly (see `exit::report`).
macro_rules! say {
    ($($argument:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($argument)*)
    }};
}

mod access_request;
mod access_request_volume;
mod advice;
mod approval_facts;
mod call;
mod call_all;
mod call_input;
mod call_output;
mod call_stream;
mod call_target;
mod catalog;
mod connect;
pub(crate) mod connections_file;
pub(crate) mod database;
mod decode;
mod demo;
mod demo_sync;
mod evidence;
mod evidence_domains;
mod evidence_operations;
mod export;
mod keys;
mod mock;
mod purge;
mod push;
mod push_queue;
mod readiness;
mod readiness_items;
mod report_html;
mod scopes;
mod security;
mod status;
mod sync;
mod sync_summary;
mod verify;
mod worker;
mod worker_loop;
mod worker_sync;

use crate::cli::{Cli, Command};
use crate::exit::CliResult;

/// The `User-Agent` of the CLI's API calls.
pub(crate) const USER_AGENT: &str = concat!("xpmkit/", env!("CARGO_PKG_VERSION"));

/// The scopes `connect` asks for unless `--scopes` says otherwise: sign-in, a refresh token, and
/// broad XPM access.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access", "practicemanager"];

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> CliResult<()> {
    match cli.command {
        Command::Decode(args) => decode::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Connect(args) => connect::run(args),
        Command::Tenants(args) => connect::tenants(args),
        Command::Call(args) => call::run(args),
        Command::Push(args) => push::run(args),
        Command::Disconnect(args) => connect::disconnect(args),
        Command::Sync(args) => sync::run(args),
        Command::Worker(args) => worker::run(args),
        Command::Status(args) => status::run(args),
        Command::Export(args) => export::run(args),
        Command::Keys { command } => keys::run(command),
        Command::Scopes { command } => scopes::run(command),
        Command::Readiness(args) => readiness::run(args),
        Command::AccessRequest(args) => access_request::run(args),
        Command::Evidence(args) => evidence::run(args),
        Command::Purge(args) => purge::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Security { command } => security::run(command),
    }
}
