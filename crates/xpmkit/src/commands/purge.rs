//! `xpmkit purge`: apply the retention policy to the store (see `xpm_store::WriteTx::purge` for
//! what goes and what stays), or with `--dry-run` say what would go and change nothing.

use chrono::{Duration, SecondsFormat, Utc};

use super::approval_facts;
use crate::cli::PurgeArgs;
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: PurgeArgs) -> CliResult<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(purge(args))
}

async fn purge(args: PurgeArgs) -> CliResult<()> {
    let (store, _) = approval_facts::open(&args.store).await?;
    let outcome = purge_in(&store, &args).await;
    store.close().await;
    outcome
}

async fn purge_in(store: &xpm_store::Store, args: &PurgeArgs) -> CliResult<()> {
    let policy = store.security_settings().await.map_err(CliError::Store)?.retention_days;
    let days = args.older_than.or(policy).ok_or_else(|| CliError::Usage {
        message: "no retention policy is set: set one with `xpmkit security set retention_days 365`, or say how old \
                  with --older-than DAYS"
            .to_owned(),
    })?;
    let cutoff = (Utc::now() - Duration::days(i64::from(days))).to_rfc3339_opts(SecondsFormat::Micros, true);
    let mut write = store.write().await.map_err(CliError::Store)?;
    let report = write.purge(&cutoff, days, &approval_facts::actor()).await.map_err(CliError::Store)?;
    if args.dry_run {
        write.rollback().await.map_err(CliError::Store)?;
    } else {
        write.commit().await.map_err(CliError::Store)?;
    }
    let verb = if args.dry_run { "would delete" } else { "deleted" };
    say!("purge of what is older than {days} days (before {}): {verb} {} rows", &cutoff[..10], report.total())?;
    say!("  records removed from XPM   {}", report.removed_records)?;
    say!("  their links and values     {}", report.dependent_rows)?;
    say!("  change-log entries         {}", report.change_events)?;
    say!("  finished sync runs         {} (each practice's latest is kept)", report.sync_runs)?;
    say!("  ended outbox entries       {}", report.outbox_entries)?;
    if args.dry_run {
        say!("dry run: nothing was deleted or logged")?;
    } else {
        say!("logged in the audit log; the audit log itself is never purged")?;
    }
    Ok(())
}
