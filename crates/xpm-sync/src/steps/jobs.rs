//! Jobs: `job.api/current?detailed=true` (every job in progress, whenever it was created) and
//! `job.api/list?from&to&detailed=true` for one window of creation dates. Detailed jobs carry
//! their tasks, stored with them. A job with a local change waiting in the outbox is left as
//! stored. After a complete window, the stored jobs known to be created inside it that it no
//! longer lists are marked removed (XPM's lists say nothing of deletions).

use std::collections::HashSet;

use chrono::NaiveDate;
use futures_util::{Stream, TryStreamExt as _};
use xpm_api::model::Job;
use xpm_store::{EntityKind, WriteTx};

use super::RunContext;
use super::windows::{Dated, record_window};
use crate::SyncError;
use crate::progress::Progress;
use crate::report::StepOutcome;
use crate::state::{JOBS_CURRENT_READ, cursor_time};

/// The current-jobs step's key in the resume marker.
pub(crate) const CURRENT_KEY: &str = "jobs.current";

/// Reads every job in progress.
pub(crate) async fn current(context: &mut RunContext<'_>) -> Result<StepOutcome, SyncError> {
    let tolerant = !context.options.strict;
    let items = context.client.jobs(context.tenant).current().detailed(true).tolerant(tolerant).stream();
    let (mut write, _) = store_jobs(context, items, CURRENT_KEY).await?;
    write.set_cursor(context.tenant, JOBS_CURRENT_READ, &cursor_time(context.server_now())).await?;
    context.commit(write, Some(CURRENT_KEY)).await?;
    Ok(StepOutcome::Done)
}

/// Reads the jobs created from `from` to `to` and finds the deleted ones among them.
pub(crate) async fn window(
    context: &mut RunContext<'_>,
    window: (NaiveDate, NaiveDate),
) -> Result<StepOutcome, SyncError> {
    if super::windows::stored_earlier(context, Dated::Jobs, window) {
        return Ok(StepOutcome::Skipped { reason: "an earlier run stored this window" });
    }
    let key = Dated::Jobs.key(window);
    let tolerant = !context.options.strict;
    let items = context.client.jobs(context.tenant).list(window.0, window.1).detailed(true).tolerant(tolerant).stream();
    let (mut write, listed) = store_jobs(context, items, Dated::Jobs.name()).await?;
    let removed = write.sweep_job_window(context.tenant, window, &listed).await?;
    context.report.add_removed("job", removed);
    record_window(context, &mut write, Dated::Jobs, window).await?;
    context.commit(write, Some(&key)).await?;
    Ok(StepOutcome::Done)
}

/// Streams `items` into the store batch by batch, committing all but the last batch; returns
/// the open transaction holding the last one (for the caller's cursors) and the numbers of
/// every job listed (those with a pending local change included: they are not gone).
async fn store_jobs(
    context: &mut RunContext<'_>,
    mut items: impl Stream<Item = Result<Job, xpm_client::Error>> + Unpin,
    step: &'static str,
) -> Result<(WriteTx, Vec<String>), SyncError> {
    let fail = |source| SyncError::Client { step, source };
    let pending: HashSet<String> = context.store.pending_keys(context.tenant, EntityKind::Job).await?;
    let batch_size = context.options.batch_size;
    let mut batch = Vec::with_capacity(batch_size);
    let mut listed = Vec::new();
    let mut stored = 0_u64;
    while let Some(job) = items.try_next().await.map_err(fail)? {
        if let Some(id) = &job.id {
            listed.push(id.clone());
            if pending.contains(id) {
                context.report.add_pending("job", 1);
                continue;
            }
        }
        batch.push(job);
        if batch.len() >= batch_size {
            let mut write = context.begin().await?;
            stored += store_batch(context, &mut write, &mut batch).await?;
            context.commit(write, None).await?;
            context.tell(Progress::Stored { entity: "job", so_far: stored });
        }
    }
    let mut write = context.begin().await?;
    stored += store_batch(context, &mut write, &mut batch).await?;
    context.tell(Progress::Stored { entity: "job", so_far: stored });
    Ok((write, listed))
}

async fn store_batch(
    context: &mut RunContext<'_>,
    write: &mut WriteTx,
    batch: &mut Vec<Job>,
) -> Result<u64, SyncError> {
    if batch.is_empty() {
        return Ok(0);
    }
    let counts = write.upsert_jobs(context.tenant, batch).await?;
    // Counted once stored, so a window read again after a failure does not count them twice.
    // A task's odd value is kept on its job, with the path inside it (`Tasks/Task[0]/…`).
    for job in batch.iter() {
        context.report.note_unparsed("job", job.id.clone(), job);
    }
    context.report.add("job", counts.jobs);
    context.report.add("task", counts.tasks);
    let read = batch.len() as u64;
    batch.clear();
    Ok(read)
}
