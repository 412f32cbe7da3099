//! Arguments of the approval kit: `readiness`, `access-request`, `evidence` and `security`.

use std::path::PathBuf;

use clap::Subcommand;

use super::DatabaseArgs;

/// Where connections, tokens and the default database are, shared by the approval commands.
#[derive(Debug, clap::Args)]
pub(crate) struct ApprovalStoreArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Where connections, sealed tokens and the default database are kept (default:
    /// $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ReadinessArgs {
    #[command(subcommand)]
    pub(crate) command: Option<ReadinessCommand>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) store: ApprovalStoreArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReadinessCommand {
    /// Mark an item done by hand (with today's date), or take the mark back with --unmark. Only
    /// items xpmkit cannot check itself can be marked. The mark is kept in the store and logged.
    Mark {
        /// The item's id, as `xpmkit readiness` lists them, e.g. access-request-submitted.
        item: String,
        /// What shows it is done: a ticket number, a date agreed, who checked.
        #[arg(long)]
        note: Option<String>,
        /// Remove the mark instead.
        #[arg(long)]
        unmark: bool,
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct AccessRequestArgs {
    /// What the integration does, as a feature ("read clients", "write contacts", "read jobs",
    /// …; `xpmkit scopes plan` takes the same). Repeat for each.
    #[arg(long = "feature", value_name = "FEATURE", required = true)]
    pub(crate) features: Vec<String>,
    /// The app's name, as registered with Xero.
    #[arg(long, value_name = "NAME")]
    pub(crate) app_name: Option<String>,
    /// The use case in your words, placed before the generated summary.
    #[arg(long, value_name = "TEXT")]
    pub(crate) use_case: Option<String>,
    /// Clients in a typical practice, for the call-volume estimate.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    pub(crate) practice_size: u64,
    /// Minutes between incremental syncs, for the call-volume estimate.
    #[arg(long, value_name = "MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub(crate) sync_every: u64,
    /// Changes written back to XPM on a busy day (with write features), for the estimate.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(crate) writes_per_day: u64,
    /// The directory to write access-request.md and access-request.html to.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) store: ApprovalStoreArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct EvidenceArgs {
    /// The directory to write security-evidence.md and security-evidence.html to; without it the
    /// report goes to standard output.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Print the findings as JSON instead.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) store: ApprovalStoreArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SecurityCommand {
    /// Show the security settings and admin users.
    Show {
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
    /// Set a security setting: mfa_required, session_idle_minutes, session_absolute_hours,
    /// retention_days, tls_cert_path, tls_key_path or behind_tls_proxy.
    Set {
        /// The setting's name.
        name: String,
        /// Its value.
        value: String,
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
    /// Remove a security setting (back to not set).
    Unset {
        /// The setting's name.
        name: String,
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
    /// Add an admin user, or change their role or TOTP enrolment.
    AddUser {
        /// Their email.
        email: String,
        /// admin, operator or viewer.
        #[arg(long)]
        role: String,
        /// A TOTP authenticator is enrolled for them.
        #[arg(long)]
        totp_enrolled: bool,
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
    /// Remove an admin user.
    RemoveUser {
        /// Their email.
        email: String,
        #[command(flatten)]
        store: ApprovalStoreArgs,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct PurgeArgs {
    /// Say what would be deleted, and delete nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Delete what is older than DAYS instead of what the retention_days setting says.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) older_than: Option<u32>,
    #[command(flatten)]
    pub(crate) store: ApprovalStoreArgs,
}
