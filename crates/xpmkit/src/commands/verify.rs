//! `xpmkit verify`: the approval-day contract suite ([`xpm_verify`]) over a stored connection,
//! its call count said first, the report to a file or standard output, the run kept in the store
//! (the readiness checklist reads the last run on Xero), and the emulator profile on request.

use anyhow::Context as _;
use xpm_api::catalog::OperationId;
use xpm_client::Format;
use xpm_store::NewVerifyRun;
use xpm_verify::{ServerKind, Suite, Target, Verification};

use super::call_target::choose_with;
use super::connections_file::{data_dir, load, xpm_client};
use super::database;
use crate::cli::VerifyArgs;
use crate::exit::{CliError, CliResult};
use crate::terminal::escape_controls;

pub(crate) fn run(args: VerifyArgs) -> CliResult<()> {
    let chosen = &args.target;
    let data_dir = data_dir(chosen.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    let operation = OperationId::ClientList.operation();
    let target = choose_with(&connections, operation, chosen, &data_dir)?;
    let client = xpm_client(target.connection, &data_dir, chosen.client_secret_env.as_deref(), Format::Xml)?;
    let kind = if target.connection.is_mock() { ServerKind::Mock } else { ServerKind::Xero };
    let suite_target = Target::new(kind, &target.connection.endpoints(), target.tenant.tenant_id);
    let api_base = suite_target.api_base.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let mut suite = Suite::new(&client, suite_target);
    if let Some(dir) = &args.record {
        suite = suite.record(dir).map_err(anyhow::Error::from)?;
    }
    let planned = runtime.block_on(suite.planned_calls()).map_err(anyhow::Error::from)?;
    let name = escape_controls(&target.tenant.name).into_owned();
    let pace = match kind {
        ServerKind::Xero => {
            let every = kind.pace().as_secs();
            format!(", one every {every} s: about {} s", u64::from(planned) * every)
        }
        ServerKind::Mock => String::new(),
    };
    if args.plan {
        say!("verify would make at most {planned} read-only calls to {api_base} for {name}{pace}")?;
        return Ok(());
    }
    eprintln!(
        "verify: at most {planned} read-only calls to {api_base} for {name}{pace} (and one resend of any call \
         answered 429, after its Retry-After)"
    );

    let run = runtime.block_on(suite.run()).map_err(anyhow::Error::from)?;
    write_outputs(&args, &run)?;
    let store = runtime.block_on(database::open(&args.database, &data_dir))?;
    let report_path = args.out.as_ref().map(|path| path.display().to_string());
    let recorded = runtime.block_on(async {
        let mut write = store.write().await?;
        write
            .record_verify_run(&NewVerifyRun {
                profile: kind.as_str(),
                tenant: Some(run.tenant),
                started_at: &run.started_at,
                finished_at: Some(&run.finished_at),
                passed: count(run.passed()),
                failed: count(run.problems()),
                report_path: report_path.as_deref(),
            })
            .await?;
        write.commit().await
    });
    runtime.block_on(store.close());
    recorded.map_err(CliError::Store)?;

    eprintln!(
        "verify: {} passed, {} differ or failed, {} not checked; {} calls",
        run.passed(),
        run.problems(),
        run.skipped(),
        run.calls
    );
    if run.problems() > 0 {
        let server = match kind {
            ServerKind::Xero => "Xero",
            ServerKind::Mock => "the emulator",
        };
        let see = args.out.as_ref().map_or_else(|| "the report above".to_owned(), |path| path.display().to_string());
        return Err(CliError::NeedsAttention {
            message: format!(
                "{} difference(s) between {server} and what the emulator assumes; {see} lists each with the setting \
                 that matches it",
                run.problems()
            ),
        });
    }
    Ok(())
}

fn count(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// The report (or JSON) to `--out` or standard output, and the emulator profile if asked.
fn write_outputs(args: &VerifyArgs, run: &Verification) -> CliResult<()> {
    let text = if args.json { serde_json::to_string_pretty(run)? + "\n" } else { run.to_markdown() };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("cannot write the report to {}", path.display()))?;
            eprintln!("verify: report written to {}", path.display());
        }
        None => say!("{}", text.trim_end())?,
    }
    if let Some(path) = &args.emulator_profile {
        std::fs::write(path, run.profile.to_json())
            .with_context(|| format!("cannot write the emulator profile to {}", path.display()))?;
        eprintln!("verify: emulator profile written to {} (use it with `xpmkit mock --profile`)", path.display());
    }
    if let Some((dir, saved)) = &run.recorded {
        eprintln!("verify: {saved} answers recorded in {dir} (personal data masked)");
    }
    Ok(())
}
