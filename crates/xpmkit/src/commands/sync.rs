//! `xpmkit sync`: mirror a connected practice into the database through [`xpm_sync::Syncer`],
//! with a progress bar on a terminal and a closing summary; `--plan` prints the plan only.

use std::io::IsTerminal as _;
use std::sync::Arc;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use xpm_api::catalog::OperationId;
use xpm_client::Format;
use xpm_sync::{Progress, SyncError, Syncer};

use super::call::explain_sent;
use super::call_target::{Target, choose_with};
use super::connections_file::{data_dir, load, xpm_client};
use super::{database, sync_summary};
use crate::cli::SyncArgs;
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: SyncArgs) -> CliResult<()> {
    let data_dir = data_dir(args.target.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    let operation = OperationId::ClientList.operation();
    let target = choose_with(&connections, operation, &args.target, &data_dir)?;
    let client = xpm_client(target.connection, &data_dir, args.target.client_secret_env.as_deref(), Format::Xml)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let store = runtime.block_on(database::open(&args.database, &data_dir))?;
    let options = args.what.options().full(args.full).practice_name(target.tenant.name.clone());
    // The name came from the server: shown with its control characters escaped.
    let shown_name = crate::terminal::escape_controls(&target.tenant.name).into_owned();
    let syncer = Syncer::new(&client, &store, target.tenant.tenant_id).options(options);

    if args.plan {
        let plan = runtime.block_on(syncer.plan()).map_err(|error| sync_error(&runtime, error, &target))?;
        say!("{}", sync_summary::plan_text(&shown_name, &plan))?;
        return Ok(());
    }
    let bar = progress_bar();
    let syncer = match &bar {
        Some(bar) => {
            let bar = bar.clone();
            syncer.on_progress(move |event| show(&bar, event))
        }
        None => syncer,
    };
    let outcome = runtime.block_on(syncer.run());
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = outcome.map_err(|error| sync_error(&runtime, error, &target))?;
    say!("{}", sync_summary::report_text(&shown_name, &store.location().shown(), &report))?;
    runtime.block_on(store.close());
    Ok(())
}

/// A spinner on standard error when it is a terminal; nothing otherwise (logs and pipes stay
/// clean).
fn progress_bar() -> Option<Arc<ProgressBar>> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{spinner} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(Arc::new(bar))
}

fn show(bar: &ProgressBar, event: &Progress) {
    match event {
        Progress::StepStarted { step } => {
            bar.set_message(format!("{}…", sync_summary::operation_name(&step.operation)))
        }
        Progress::Stored { entity, so_far } => bar.set_message(format!("{so_far} {entity} records stored")),
        _ => {}
    }
}

fn sync_error(runtime: &tokio::runtime::Runtime, error: SyncError, target: &Target<'_>) -> CliError {
    match error {
        SyncError::Client { source, .. } => explain_sent(runtime, source, target),
        SyncError::Store(error) => CliError::Store(error),
        other => CliError::Failed(anyhow::Error::new(other).context("the sync stopped")),
    }
}
