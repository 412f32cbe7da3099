//! Command-line arguments.

use std::path::PathBuf;

/// Where `xpmkit mock` listens, and where `connect --profile mock` and `mock approve` look,
/// unless `--url` or [`MOCK_URL_ENV`] say otherwise.
pub(crate) const DEFAULT_EMULATOR_URL: &str = "http://127.0.0.1:8700";

/// The environment variable every command reads the emulator's URL from (README, "Connecting").
pub(crate) const MOCK_URL_ENV: &str = "XPMKIT_MOCK_URL";

use clap::{Parser, Subcommand, ValueEnum};

mod approval;
mod export;
mod verify;
mod worker;

pub(crate) use approval::{
    AccessRequestArgs, ApprovalStoreArgs, EvidenceArgs, PurgeArgs, ReadinessArgs, ReadinessCommand, SecurityCommand,
};
pub(crate) use export::{ExportArgs, ExportFormat};
pub(crate) use verify::{ConnectionArgs, VerifyArgs};
pub(crate) use worker::WorkerArgs;

/// Build, test and run Xero Practice Manager integrations.
#[derive(Debug, Parser)]
#[command(name = "xpmkit", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Show what the client does on standard error: `-v` each attempt (status, attempt, the
    /// remaining rate limits), waits and refreshes; `-vv` everything at debug level. RUST_LOG,
    /// when set, decides instead (e.g. RUST_LOG=xpm_client=trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

impl Command {
    /// Whether the command may wait on the network for long (rate limits, retries, refreshes),
    /// so that a person at a terminal should be told why.
    pub(crate) fn may_wait(&self) -> bool {
        matches!(self, Self::Call(_) | Self::Connect(_) | Self::Disconnect(_) | Self::Verify(_))
    }

    /// Whether the command runs until stopped, logging what it does (`xpmkit worker`).
    pub(crate) fn is_service(&self) -> bool {
        matches!(self, Self::Worker(_))
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Decode an XPM response body (XML or JSON) for an operation and print it as JSON or XML.
    ///
    /// Lists are streamed: a 50 MB client list is never held in memory.
    Decode(DecodeArgs),
    /// List every XPM 3.1 operation: verb, path, accepted scopes, paging and retry safety.
    Catalog(CatalogArgs),
    /// See everything work end to end in seconds: start the emulator in-process, connect the demo
    /// app with OAuth 2.0 + PKCE, read the practice in XML and JSON, and meet the approval gate.
    Demo(DemoArgs),
    /// Run the emulator of Xero identity and the XPM 3.1 API on localhost.
    ///
    /// Build against it from day one, before Xero approves your app's XPM scopes: it has the
    /// approval gate, rate limits and faults of the real service.
    Mock(MockArgs),
    /// Connect an app to Xero (or the emulator): sign in in the browser with OAuth 2.0 + PKCE,
    /// receive the code on a loopback port, and store the connection and its XPM practices.
    Connect(ConnectArgs),
    /// List the stored connections and their XPM practices (tenants).
    Tenants(TenantsArgs),
    /// Call any XPM operation for a connected practice and print the answer as JSON: curl for
    /// XPM, with the token, tenant, rate limits and retries handled.
    ///
    /// Example: `xpmkit call ClientV31_GetByIdentifier --param identifier=<uuid>`.
    Call(CallArgs),
    /// Send the outbox to XPM: queued creates and updates of clients, contacts, groups, jobs and
    /// time entries, never twice (a create whose answer was lost is looked for in XPM before any
    /// resend) and never over an edit made in XPM since (a conflict is reported instead).
    ///
    /// Example: `xpmkit push --queue changes.json`, then `xpmkit push` again after a failure.
    Push(PushArgs),
    /// Revoke a stored connection at Xero (which removes its practices) and forget its tokens.
    Disconnect(DisconnectArgs),
    /// Mirror a connected practice into the database: clients with every field, their contacts
    /// and links, groups and staff. The first run reads everything; later runs read what changed
    /// since the last (`modifiedsince`), with a full reconciliation on a schedule or `--full`.
    Sync(SyncArgs),
    /// Keep many practices synced, each on its schedule, with other workers over one database:
    /// practices are claimed with leases (a worker that dies loses them to the others once its
    /// lease ends), and SIGTERM or Ctrl-C stops the worker cleanly.
    ///
    /// Example: `xpmkit worker --database-url postgres://… --interval 15m --concurrency 4`.
    Worker(WorkerArgs),
    /// Show what the database holds for each practice: the last runs, cursors, the outbox and
    /// when the next reconciliation is due.
    Status(StatusArgs),
    /// Write the mirrored practice's clients, contacts, groups, jobs or time out as CSV, JSON
    /// lines or JSON, optionally renamed for a target system by a mapping file.
    ///
    /// Exports hold personal data (tax numbers, bank details, birth dates): rows go to a file
    /// (--out) or to a pipe, never to a terminal unless `--out -` asks for it.
    Export(ExportArgs),
    /// Manage the master key that seals stored tokens: rotate it, or show where it comes from.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Plan least-privilege scopes, or explain what a scope unlocks.
    Scopes {
        #[command(subcommand)]
        command: ScopesCommand,
    },
    /// The approval checklist: what is done (checked automatically where xpmkit can see it,
    /// marked by hand otherwise), what is missing, and the next step for each.
    Readiness(ReadinessArgs),
    /// Write the pack for Xero's XPM API access request (Markdown and printable HTML): features,
    /// least-privilege scopes, data kept, data flow and call volume.
    AccessRequest(AccessRequestArgs),
    /// Write the security evidence for Xero's self-assessment, read from the live configuration:
    /// what xpmkit does per domain, what is the operator's job, and every gap.
    Evidence(EvidenceArgs),
    /// Apply the retention policy (the retention_days setting, or --older-than DAYS): delete what XPM removed
    /// before then with its links, the change log, finished sync runs (each practice's latest
    /// stays) and ended outbox entries; the purge is logged in the audit log, which is kept.
    Purge(PurgeArgs),
    /// The approval-day contract suite: read-only checks of everything the emulator assumes
    /// about Xero (connections, scopes, every read the scopes allow decoding strictly, XML and
    /// JSON, paging, modifiedsince, date windows, error shapes, rate-limit headers), reporting
    /// each difference with the emulator setting that matches it. Prints its call count first.
    ///
    /// Example: `xpmkit verify --profile xero --out verify.md --emulator-profile practice.json`.
    Verify(VerifyArgs),
    /// The security settings and admin users the admin app honours (MFA, sessions, retention,
    /// TLS, roles); every change is kept in the hash-chained audit log.
    Security {
        #[command(subcommand)]
        command: SecurityCommand,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct DecodeArgs {
    /// The operation whose response this is, e.g. ClientV31_List or StaffV31_GetByIdentifier.
    pub(crate) operation: String,
    /// The body to read; `-` or nothing reads standard input.
    pub(crate) input: Option<PathBuf>,
    /// The input format; by default it is detected from the first character.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub(crate) from: InputFormat,
    /// The output format: JSON in the spec's shape, one JSON item per line, or XPM XML.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub(crate) to: OutputFormat,
    /// Only validate the body and print the number of items.
    #[arg(long)]
    pub(crate) check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// Detect from the first character (`<` or `{`).
    Auto,
    /// XPM XML.
    Xml,
    /// XPM JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// A JSON object in the spec's DTO shape.
    Json,
    /// One JSON object per line, one per list item.
    Jsonl,
    /// XPM XML.
    Xml,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CatalogArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Only operations whose id, path or tag contains this text (case-insensitive).
    pub(crate) filter: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Generate a new master key and seal every stored token record with it.
    ///
    /// A key file is replaced by the new key. A key from XPMKIT_MASTER_KEY is printed once to
    /// standard output for you to store; it is saved nowhere.
    Rotate(DataDirArgs),
    /// Show where the master key comes from, its id, and how many token records it seals.
    Status(DataDirArgs),
}

/// Where the store is, for the commands that keep or read the mirrored practice.
#[derive(Debug, clap::Args)]
pub(crate) struct DatabaseArgs {
    /// The database: a PostgreSQL URL (postgres://user:password@host/db), a sqlite: URL or a file
    /// path (default: xpmkit.db in the data directory).
    #[arg(long, env = crate::commands::database::DATABASE_URL_ENV, value_name = "URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DataDirArgs {
    /// The data directory (default: $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ScopesCommand {
    /// The least-privilege scopes for operations or features, e.g. `"read clients" StaffV31_List`.
    Plan {
        /// Operation ids or features ("read clients", "write contacts", ...).
        #[arg(required = true)]
        targets: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What a scope unlocks and which broader scopes imply it.
    Explain {
        /// The scope, e.g. practicemanager.client.read.
        scope: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct MockArgs {
    #[command(subcommand)]
    pub(crate) command: Option<MockCommand>,
    #[command(flatten)]
    pub(crate) serve: MockServeArgs,
}

/// The emulator's base URL, shared by every command that starts or reaches one.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct MockUrl {
    /// The emulator's base URL.
    #[arg(long = "url", env = MOCK_URL_ENV, default_value = DEFAULT_EMULATOR_URL, value_name = "URL")]
    pub(crate) url: String,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MockServeArgs {
    /// Where to listen: the host and port of this URL, unless --host or --port say otherwise.
    #[command(flatten)]
    pub(crate) url: MockUrl,
    /// Address to listen on (default: the URL's). Keep it on loopback: the emulator's
    /// credentials are public.
    #[arg(long)]
    pub(crate) host: Option<std::net::IpAddr>,
    /// Port to listen on (default: the URL's; 0 picks a free one).
    #[arg(long)]
    pub(crate) port: Option<u16>,
    /// Clients in each generated practice.
    #[arg(long, default_value_t = 250)]
    pub(crate) clients: usize,
    /// How many practices (tenants) to generate, each with its own data and rate limits; one
    /// sign-in can connect them all (or the ones the consent page leaves ticked).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub(crate) practices: u16,
    /// Seed of the generated practices (the same seed gives the same data).
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// Rate limits: `xero` (5 in flight, 60/min, 5,000/day per tenant) or `off`.
    #[arg(long, value_enum, default_value_t = LimitsMode::Xero)]
    pub(crate) limits: LimitsMode,
    /// Skip the consent page: authorize redirects straight back, connecting every practice.
    #[arg(long)]
    pub(crate) auto_consent: bool,
    /// A fault scenario: a JSON file holding one fault rule or an array of them (the same shape
    /// as `POST /__admin/faults`).
    #[arg(long, value_name = "FILE")]
    pub(crate) faults: Option<std::path::PathBuf>,
    /// Seed for faults that fire with a probability.
    #[arg(long, default_value_t = 0x5eed)]
    pub(crate) fault_seed: u64,
    /// Keep the emulator's state (practices, apps, approvals, tokens, connections, limits) in
    /// FILE across restarts: created if missing, else loaded, and then it wins over --practices,
    /// --clients, --seed and --limits. Saved within a second of each change and on exit.
    /// It holds app secrets and the signing key, so it is written with mode 0600.
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<std::path::PathBuf>,
    /// Behave as a real practice was observed to: the emulator profile `xpmkit verify
    /// --emulator-profile FILE` wrote (content negotiation, XML errors as HTTP 200, job.api/staff
    /// scopes, the day's call limit, access-token lifetime). Its day limit wins over the one of
    /// --limits or of a --state file.
    #[arg(long, value_name = "FILE")]
    pub(crate) profile: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LimitsMode {
    /// Xero's limits.
    Xero,
    /// No limits, and no `X-*-Remaining` headers.
    Off,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MockCommand {
    /// Approve XPM scopes for an app on a running emulator, as Xero does after review.
    Approve {
        /// The app's client id.
        client_id: String,
        /// Scopes to approve, e.g. practicemanager.client.read.
        #[arg(required = true)]
        scopes: Vec<String>,
        /// The running emulator.
        #[command(flatten)]
        url: MockUrl,
    },
    /// Withdraw approval of XPM scopes; tokens holding them stop working.
    Revoke {
        /// The app's client id.
        client_id: String,
        /// Scopes to withdraw.
        #[arg(required = true)]
        scopes: Vec<String>,
        /// The running emulator.
        #[command(flatten)]
        url: MockUrl,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Clients in the generated practice.
    #[arg(long, default_value_t = 2_000)]
    pub(crate) clients: usize,
    /// Seed of the generated practice.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// Sync into this database (a PostgreSQL URL, a sqlite: URL or a file path) and keep it;
    /// default: a fresh SQLite file in a temporary directory, removed when the demo ends.
    #[arg(long, value_name = "URL")]
    pub(crate) database_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ConnectArgs {
    /// Where to sign in: Xero itself, or a running emulator (`xpmkit mock`).
    #[arg(long, value_enum, default_value_t = Profile::Xero)]
    pub(crate) profile: Profile,
    /// The emulator's base URL (mock profile only).
    #[command(flatten)]
    pub(crate) mock: MockUrl,
    /// The app's client id. The mock profile defaults to the emulator's demo app.
    #[arg(long, env = "XPMKIT_CLIENT_ID")]
    pub(crate) client_id: Option<String>,
    /// The NAME of an environment variable holding the client secret (never the secret itself,
    /// so it stays out of shell history). Without it the app is treated as PKCE-only, except that
    /// the mock profile's demo app uses its published demo secret.
    #[arg(long, value_name = "VAR")]
    pub(crate) client_secret_env: Option<String>,
    /// Scopes to request, space- or comma-separated
    /// (default: openid profile email offline_access practicemanager).
    #[arg(long, num_args = 1.., value_delimiter = ',')]
    pub(crate) scopes: Vec<String>,
    /// Print the authorize URL instead of opening a browser.
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// The loopback port of the redirect URI `http://localhost:PORT/callback` (it must be
    /// registered with the app).
    #[arg(long, default_value_t = 8765)]
    pub(crate) port: u16,
    /// Seconds to wait for the browser to come back.
    #[arg(long, default_value_t = 300)]
    pub(crate) timeout: u64,
    /// Where connections are kept (default: $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Profile {
    /// Xero's identity service and API.
    Xero,
    /// A running emulator (`xpmkit mock`).
    Mock,
}

#[derive(Debug, clap::Args)]
pub(crate) struct TenantsArgs {
    /// Where connections are kept (default: $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CallArgs {
    /// The operation id, as `xpmkit catalog` lists it, e.g. ClientV31_List.
    pub(crate) operation: String,
    /// A path or query parameter, e.g. `identifier=<uuid>` or `modifiedSince=2026-01-01T00:00:00`;
    /// repeat for more. Names are the spec's (`xpmkit catalog --json` lists them), plus `fields`.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// The request body, in XML or JSON, from a file or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) body: Option<PathBuf>,
    /// The format of the request and of XPM's answer (default: the body's format, else XML).
    /// The answer is printed as JSON either way, unless --raw.
    #[arg(long, value_enum)]
    pub(crate) format: Option<WireFormat>,
    /// Print the answer's body exactly as XPM sent it instead of decoding it to JSON.
    #[arg(long, conflicts_with = "all")]
    pub(crate) raw: bool,
    /// Fetch every page (following continuation tokens, page numbers, or date windows cut under
    /// XPM's one-year limit) and print all the items as one JSON array.
    #[arg(long)]
    pub(crate) all: bool,
    /// With --all, print one JSON item per line as the pages arrive.
    #[arg(long, requires = "all")]
    pub(crate) jsonl: bool,
    #[command(flatten)]
    pub(crate) target: ConnectionArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PushArgs {
    /// Say what would be sent, without calling XPM or changing the outbox.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Queue the changes in this JSON file first (one change or an array of them:
    /// `{"entity": "client", "action": "update", "key": "<uuid>", "body": {"email": "…"}}`; see
    /// README, "Write-back").
    #[arg(long, value_name = "FILE")]
    pub(crate) queue: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    #[command(flatten)]
    pub(crate) target: ConnectionArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    /// Read every client again and mark the ones XPM no longer has as removed.
    #[arg(long)]
    pub(crate) full: bool,
    /// Print the plan (operations, calls, estimated bytes) and stop, without reading XPM's data.
    #[arg(long)]
    pub(crate) plan: bool,
    #[command(flatten)]
    pub(crate) what: SyncOptionArgs,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    #[command(flatten)]
    pub(crate) target: ConnectionArgs,
}

/// What a sync reads and how strictly, shared by `sync` and `worker`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SyncOptionArgs {
    /// Fail on a value XPM sends in a form xpmkit does not expect, instead of keeping it as sent
    /// (in the stored item's JSON) and warning.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Sync clients, contacts, staff and groups only: no jobs, tasks or time entries.
    #[arg(long)]
    pub(crate) no_work: bool,
    /// Days of jobs (by creation) and time (by date) read again each run, for edits and
    /// deletions XPM's date-filtered lists cannot otherwise show.
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) trailing_days: u64,
    /// Days of job and time history to backfill, window by window over as many runs as the
    /// budget needs (0: none beyond the trailing window).
    #[arg(long, value_name = "DAYS", default_value_t = xpm_sync::DEFAULT_HISTORY_DAYS)]
    pub(crate) history_days: u64,
    /// Also read the custom field values of the clients and jobs the run added or changed (one
    /// call each, within the day's budget; what is left waits for the next run).
    #[arg(long)]
    pub(crate) custom_fields: bool,
}

impl SyncOptionArgs {
    /// The sync options these flags ask for.
    pub(crate) fn options(&self) -> xpm_sync::SyncOptions {
        xpm_sync::SyncOptions::default()
            .strict(self.strict)
            .work(!self.no_work)
            .trailing_days(self.trailing_days)
            .history_days(Some(self.history_days).filter(|days| *days > 0))
            .custom_fields(self.custom_fields)
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// Only this practice, by tenant id or name.
    #[arg(long, value_name = "TENANT")]
    pub(crate) tenant: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Where the default database is kept.
    #[arg(long, env = "XPMKIT_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WireFormat {
    /// XPM XML.
    Xml,
    /// JSON (sent with the `Xero-Features: practice-strict-content-type` header XPM needs).
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DisconnectArgs {
    /// The connection to remove, by id or a unique prefix of one (as `xpmkit tenants` lists
    /// them); optional when only one is stored.
    pub(crate) connection: Option<String>,
    /// Only forget the connection here, without revoking it at Xero (or the emulator): for a
    /// server that is gone, or an emulator that was restarted and no longer knows the token.
    #[arg(long)]
    pub(crate) local: bool,
    /// The NAME of an environment variable holding the app's client secret, if it has one.
    #[arg(long, value_name = "VAR")]
    pub(crate) client_secret_env: Option<String>,
    /// Where connections are kept (default: $XDG_DATA_HOME/xpmkit or ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}
