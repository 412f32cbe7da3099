//! `xpmkit push`: send the outbox of a practice to XPM and print each entry's outcome.
//!
//! The connection and practice are chosen as for `xpmkit call` ([`choose_with`]), the store as for
//! every store command (the [`super::database`] module); the work is `xpm_sync::push`.

use anyhow::Context as _;
use xpm_api::catalog::OperationId;
use xpm_client::Format;
use xpm_sync::{Outcome, PushError, PushOptions, PushReport};

use super::call_target::choose_with;
use super::connections_file::{data_dir, load, xpm_client};
use super::{database, push_queue};
use crate::cli::PushArgs;
use crate::exit::{CliError, CliResult};
use crate::terminal::escape_controls;

pub(crate) fn run(args: PushArgs) -> CliResult<()> {
    let changes = args.queue.as_deref().map(push_queue::read).transpose()?.unwrap_or_default();
    let data_dir = data_dir(args.target.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    // Among connections to the practice, prefer one that may write clients: every push writes.
    let write = OperationId::ClientUpdate.operation();
    let target = choose_with(&connections, write, &args.target, &data_dir)?;
    let tenant = target.tenant.tenant_id;
    let client = xpm_client(target.connection, &data_dir, args.target.client_secret_env.as_deref(), Format::Xml)?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let store = runtime.block_on(database::open(&args.database, &data_dir))?;
    let practice = escape_controls(&target.tenant.name).into_owned();

    if !changes.is_empty() {
        if args.dry_run {
            for change in &changes {
                say!("would queue   {}", escape_controls(&change.describe()))?;
            }
        } else {
            runtime.block_on(async {
                let mut write = store.write().await.map_err(CliError::Store)?;
                for change in changes.iter().cloned() {
                    xpm_sync::queue(&mut write, tenant, change).await.map_err(CliError::Push)?;
                }
                write.commit().await.map_err(CliError::Store)
            })?;
            say!("queued {} change(s) for {practice}", changes.len())?;
        }
    }

    let options = if args.dry_run { PushOptions::dry_run() } else { PushOptions::default() };
    let report = match runtime.block_on(xpm_sync::push(&client, &store, tenant, &options)) {
        Ok(report) => report,
        Err(error) => return Err(CliError::Push(error)),
    };
    print(&report, &practice, args.dry_run)?;
    runtime.block_on(store.close());
    if report.needs_attention() {
        let conflicts = report.count("conflict");
        let failed = report.count("failed");
        return Err(CliError::NeedsAttention {
            message: format!(
                "{conflicts} conflict(s) and {failed} refused write(s) need a person: `xpmkit call` shows the record \
                 in XPM; queue the change again once it is settled"
            ),
        });
    }
    if report.incomplete() {
        let reason = report.stopped.clone().unwrap_or_else(|| "some entries could not be completed".to_owned());
        if report.stopped_kind == Some(xpm_client::ErrorKind::Connection) {
            return Err(CliError::NotConnected {
                message: format!(
                    "the push stopped, nothing more was sent: {reason}; `xpmkit connect` fixes the connection"
                ),
            });
        }
        return Err(CliError::Failed(anyhow::anyhow!(
            "the push stopped with entries left for the next one: {reason}; run `xpmkit push` again (an entry \
             whose answer was lost is looked for in XPM before it is sent again)"
        )));
    }
    Ok(())
}

/// One line per entry, then the summary.
fn print(report: &PushReport, practice: &str, dry_run: bool) -> CliResult<()> {
    if report.entries.is_empty() {
        say!("nothing to push for {practice}: the outbox is empty")?;
        return Ok(());
    }
    for entry in &report.entries {
        let detail = match &entry.outcome {
            Outcome::Sent { key: Some(key) } | Outcome::Adopted { key } => format!(" -> {key}"),
            Outcome::Conflict { reason, differences } => {
                let mut detail = format!(": {reason}");
                for difference in differences {
                    detail.push_str(&format!("\n      {difference}"));
                }
                detail
            }
            Outcome::Failed { reason } | Outcome::Unknown { reason } | Outcome::Deferred { reason } => {
                format!(": {reason}")
            }
            _ => String::new(),
        };
        let line = format!("{:<15} #{} {}{detail}", entry.outcome.label(), entry.id.0, entry.description);
        say!("{}", escape_controls(&line))?;
    }
    if report.not_reached > 0 {
        say!("{} entr(ies) not reached: left for the next push", report.not_reached)?;
    }
    let labels: &[&str] = if dry_run {
        &["would send", "would reconcile"]
    } else {
        &["sent", "adopted", "conflict", "failed", "unknown", "deferred"]
    };
    let counts: Vec<String> = labels.iter().map(|label| format!("{} {label}", report.count(label))).collect();
    say!("{practice}: {}", counts.join(", "))?;
    Ok(())
}

impl From<PushError> for CliError {
    fn from(error: PushError) -> Self {
        Self::Push(error)
    }
}
