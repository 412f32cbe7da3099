//! `xpmkit export`: the mirrored practice's clients, contacts, groups, jobs or time written out
//! as CSV, JSON lines or JSON, read from the store a page at a time and written as it is read.
//!
//! The columns come from `--fields`, a mapping file (`mapping.rs`) or every field
//! (`columns.rs`); rows go where `destination.rs` allows; `sink.rs` writes them.

mod columns;
mod destination;
mod mapping;
mod sink;

use std::io::IsTerminal as _;

use anyhow::Context as _;
use xpm_store::{ExportEntity, ExportOptions, Practice, Store};

use self::columns::Plan;
use self::destination::Target;
use self::sink::Sink;
use super::connections_file::data_dir;
use super::database;
use crate::cli::{ExportArgs, ExportFormat};
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: ExportArgs) -> CliResult<()> {
    let entity = args.entity.entity();
    if args.fields.len() == 1 && args.fields[0] == "help" {
        return list_fields(entity);
    }
    let plan = match (&args.mapping, args.fields.is_empty()) {
        (Some(path), _) => {
            let mapping = mapping::load(path)?;
            if let Some(wanted) = mapping.entity.as_deref().filter(|wanted| *wanted != entity.as_str()) {
                return Err(CliError::Usage {
                    message: format!("{} is a mapping for {wanted}, not {entity}", path.display()),
                });
            }
            Plan::mapped(entity, &mapping, &path.display().to_string())?
        }
        (None, true) => Plan::every_field(entity, args.include_removed),
        (None, false) => Plan::chosen(entity, &args.fields)?,
    };
    let format =
        args.format.or_else(|| args.out.as_deref().and_then(ExportFormat::from_extension)).unwrap_or(ExportFormat::Csv);
    if args.raw_csv && format != ExportFormat::Csv {
        return Err(CliError::Usage { message: "--raw-csv applies to --format csv only".to_owned() });
    }
    let target = Target::choose(args.out.as_deref(), std::io::stdout().is_terminal(), entity.as_str())?;
    // The data directory only matters for the default database: a URL works without one.
    let data_dir = match &args.database.database_url {
        Some(_) => std::path::PathBuf::new(),
        None => data_dir(args.data_dir.as_deref())?,
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = database::open(&args.database, &data_dir).await?;
        let practice = choose_practice(&store, args.tenant.as_deref()).await?;
        let written = export(&store, &practice, entity, &plan, &args, format, &target).await;
        store.close().await;
        let rows = written?;
        // One line on standard error, whatever the output: where the personal data went.
        eprintln!(
            "exported {rows} {entity} of {} ({}) to {}",
            crate::terminal::escape_controls(&practice.name),
            format.as_str(),
            target.shown()
        );
        Ok(())
    })
}

/// Streams the rows from the store to the target; returns how many were written.
async fn export(
    store: &Store,
    practice: &Practice,
    entity: ExportEntity,
    plan: &Plan,
    args: &ExportArgs,
    format: ExportFormat,
    target: &Target,
) -> CliResult<u64> {
    let options = ExportOptions::default().fields(plan.fields.iter().copied()).include_removed(args.include_removed);
    let mut rows = store.export(practice.tenant, entity, options).await.map_err(CliError::Store)?;
    let mut sink = Sink::start(format, target.open()?, plan.headers(), args.raw_csv)?;
    let mut written = 0u64;
    while let Some(page) = rows.next_page().await.map_err(CliError::Store)? {
        for row in page {
            let values = plan.apply(&row).map_err(|problem| CliError::Usage {
                message: format!("cannot export {entity} row {}: {problem}", written + 1),
            })?;
            sink.row(&values)?;
            written += 1;
        }
    }
    sink.finish()?.commit()?;
    Ok(written)
}

/// The practice to export: `--tenant` (an id, or a name ignoring case), else the only one.
async fn choose_practice(store: &Store, wanted: Option<&str>) -> CliResult<Practice> {
    let practices = store.practices().await.map_err(CliError::Store)?;
    let listed = || {
        practices
            .iter()
            .map(|practice| format!("  {}  {}", practice.tenant, practice.name))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if practices.is_empty() {
        return Err(anyhow::anyhow!(
            "the database at {} holds no practice yet; run `xpmkit sync` first",
            store.location().shown()
        )
        .into());
    }
    let matching: Vec<&Practice> = match wanted {
        None => practices.iter().collect(),
        Some(wanted) => practices
            .iter()
            .filter(|practice| {
                practice.tenant.to_string() == wanted.trim().to_ascii_lowercase()
                    || practice.name.eq_ignore_ascii_case(wanted.trim())
            })
            .collect(),
    };
    match (matching.as_slice(), wanted) {
        ([one], _) => Ok((*one).clone()),
        ([], Some(wanted)) => Err(CliError::Usage {
            message: format!(
                "the database holds no practice with the id or name `{wanted}`; choose one of:\n{}",
                listed()
            ),
        }),
        (_, None) => Err(CliError::Usage {
            message: format!(
                "the database holds several practices; choose one with --tenant ID or NAME:\n{}",
                listed()
            ),
        }),
        (_, Some(wanted)) => Err(CliError::Usage {
            message: format!("several practices are called `{wanted}`; choose one by id with --tenant:\n{}", listed()),
        }),
    }
}

/// `--fields help`: the fields of `entity`, with their types, one per line.
fn list_fields(entity: ExportEntity) -> CliResult<()> {
    for field in entity.fields() {
        let kind = match field.kind {
            xpm_store::FieldKind::Integer => "integer",
            xpm_store::FieldKind::Boolean => "flag",
            _ => "text",
        };
        say!("{:<30} {kind}", field.name)?;
    }
    Ok(())
}
