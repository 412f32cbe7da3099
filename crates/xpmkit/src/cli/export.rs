//! The arguments of `xpmkit export`.

use std::path::PathBuf;

use clap::ValueEnum;

use super::DatabaseArgs;

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub(crate) entity: ExportEntityArg,
    /// The output format (default: from the --out file's extension, else csv).
    #[arg(long, value_enum)]
    pub(crate) format: Option<ExportFormat>,
    /// The fields to write, in order, comma-separated (default: every field; `--fields help`
    /// lists them).
    #[arg(long, value_delimiter = ',', num_args = 1.., conflicts_with = "mapping", value_name = "FIELD,…")]
    pub(crate) fields: Vec<String>,
    /// A mapping file (TOML) naming the columns for a target system: headers, fields, constants
    /// and simple transforms (README, "Export").
    #[arg(long, value_name = "FILE")]
    pub(crate) mapping: Option<PathBuf>,
    /// Keep archived, deleted and gone rows, with a `removed` field saying which.
    #[arg(long)]
    pub(crate) include_removed: bool,
    /// CSV only: write text as stored, without the `'` that keeps spreadsheets from running
    /// values starting with = + - @ as formulas.
    #[arg(long)]
    pub(crate) raw_csv: bool,
    /// The practice, by tenant id or name; optional when the store holds one.
    #[arg(long, value_name = "TENANT")]
    pub(crate) tenant: Option<String>,
    /// Where to write: a file, or `-` for standard output. Without it the rows go to standard
    /// output only when that is not a terminal.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The data directory holding the default database (default: $XDG_DATA_HOME/xpmkit or
    /// ~/.local/share/xpmkit).
    #[arg(long, env = "XPMKIT_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

/// The entities `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportEntityArg {
    /// Clients.
    Clients,
    /// Contacts, one row per link to a client.
    Contacts,
    /// Client groups.
    Groups,
    /// Jobs.
    Jobs,
    /// Time entries.
    Time,
}

impl ExportEntityArg {
    pub(crate) fn entity(self) -> xpm_store::ExportEntity {
        use xpm_store::ExportEntity;
        match self {
            Self::Clients => ExportEntity::Clients,
            Self::Contacts => ExportEntity::Contacts,
            Self::Groups => ExportEntity::Groups,
            Self::Jobs => ExportEntity::Jobs,
            Self::Time => ExportEntity::Time,
        }
    }
}

/// How exported rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One JSON array of objects.
    Json,
}

impl ExportFormat {
    /// The format a file name's extension implies, if any.
    pub(crate) fn from_extension(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Json => "json",
        }
    }
}
