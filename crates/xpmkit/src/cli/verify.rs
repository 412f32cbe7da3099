//! Arguments of `xpmkit verify`, and the connection choice it shares with `call`, `push` and
//! `sync`.

use std::path::PathBuf;

use super::{DatabaseArgs, Profile};

/// Which stored connection and practice a command uses.
#[derive(Debug, clap::Args)]
pub(crate) struct ConnectionArgs {
    /// The practice, by tenant id or name; optional when the connections reach one.
    #[arg(long, value_name = "TENANT")]
    pub(crate) tenant: Option<String>,
    /// Only consider connections made with this profile: `xero` (the real service) or `mock`.
    #[arg(long, value_enum)]
    pub(crate) profile: Option<Profile>,
    /// The stored connection to use, by id or a unique prefix of one (as `xpmkit tenants` lists
    /// them); optional when one reaches the practice, or one of those granted what the command
    /// needs.
    #[arg(long, value_name = "ID")]
    pub(crate) connection: Option<String>,
    /// The NAME of an environment variable holding the app's client secret, if it has one (used
    /// when the access token must be refreshed).
    #[arg(long, value_name = "VAR")]
    pub(crate) client_secret_env: Option<String>,
    /// Where connections, sealed tokens and the default database are kept (default:
    /// $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) target: ConnectionArgs,
    /// Write the report (Markdown) to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Save every answer into DIR as a fixture (personal data masked, no token), with an
    /// index.json of the requests.
    #[arg(long, value_name = "DIR")]
    pub(crate) record: Option<PathBuf>,
    /// Write the behaviours observed as an emulator profile, for `xpmkit mock --profile FILE`.
    #[arg(long, value_name = "FILE")]
    pub(crate) emulator_profile: Option<PathBuf>,
    /// Print the run as JSON instead of the Markdown report.
    #[arg(long)]
    pub(crate) json: bool,
    /// Say how many calls the suite would make, and stop.
    #[arg(long)]
    pub(crate) plan: bool,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
}
