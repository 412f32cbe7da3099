//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Build, test and run Xero Practice Manager integrations.
#[derive(Debug, Parser)]
#[command(name = "xpmkit", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Decode an XPM response body (XML or JSON) for an operation and print it as JSON or XML.
    ///
    /// Lists are streamed: a 50 MB client list is never held in memory.
    Decode(DecodeArgs),
    /// List every XPM 3.1 operation: verb, path, accepted scopes, paging and retry safety.
    Catalog(CatalogArgs),
    /// Plan least-privilege scopes, or explain what a scope unlocks.
    Scopes {
        #[command(subcommand)]
        command: ScopesCommand,
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
