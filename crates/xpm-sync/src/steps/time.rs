//! Time entries: `time.api/list?from&to` for one window of entry dates, streamed into the store
//! batch by batch. An entry with a local change waiting in the outbox is left as stored. After a
//! complete window, the stored entries dated inside it that it no longer lists are marked
//! removed (XPM's list says nothing of deletions).

use std::collections::HashSet;

use chrono::NaiveDate;
use futures_util::TryStreamExt as _;
use xpm_api::model::Time;
use xpm_store::{EntityKind, WriteTx};

use super::RunContext;
use super::windows::{Dated, record_window, stored_earlier};
use crate::SyncError;
use crate::progress::Progress;
use crate::report::StepOutcome;

/// Reads the time entries dated from `from` to `to` and finds the deleted ones among them.
pub(crate) async fn window(
    context: &mut RunContext<'_>,
    window: (NaiveDate, NaiveDate),
) -> Result<StepOutcome, SyncError> {
    if stored_earlier(context, Dated::Time, window) {
        return Ok(StepOutcome::Skipped { reason: "an earlier run stored this window" });
    }
    let fail = |source| SyncError::Client { step: Dated::Time.name(), source };
    let pending: HashSet<String> = context.store.pending_keys(context.tenant, EntityKind::Time).await?;
    let tolerant = !context.options.strict;
    let mut items = context.client.time(context.tenant).list(window.0, window.1).tolerant(tolerant).stream();
    let batch_size = context.options.batch_size;
    let mut batch = Vec::with_capacity(batch_size);
    let mut listed = Vec::new();
    let mut stored = 0_u64;
    while let Some(entry) = items.try_next().await.map_err(fail)? {
        if let Some(uuid) = entry.uuid.map(|uuid| uuid.to_string()) {
            let waiting = pending.contains(&uuid);
            listed.push(uuid);
            if waiting {
                context.report.add_pending("time", 1);
                continue;
            }
        }
        batch.push(entry);
        if batch.len() >= batch_size {
            let mut write = context.begin().await?;
            stored += store_batch(context, &mut write, &mut batch).await?;
            context.commit(write, None).await?;
            context.tell(Progress::Stored { entity: "time", so_far: stored });
        }
    }
    let mut write = context.begin().await?;
    stored += store_batch(context, &mut write, &mut batch).await?;
    let removed = write.sweep_time_window(context.tenant, window, &listed).await?;
    context.report.add_removed("time", removed);
    record_window(context, &mut write, Dated::Time, window).await?;
    context.commit(write, Some(&Dated::Time.key(window))).await?;
    context.tell(Progress::Stored { entity: "time", so_far: stored });
    Ok(StepOutcome::Done)
}

async fn store_batch(
    context: &mut RunContext<'_>,
    write: &mut WriteTx,
    batch: &mut Vec<Time>,
) -> Result<u64, SyncError> {
    if batch.is_empty() {
        return Ok(0);
    }
    let counts = write.upsert_time(context.tenant, batch).await?;
    // Counted once stored, so a window read again after a failure does not count them twice.
    for entry in batch.iter() {
        context.report.note_unparsed("time", entry.uuid.map(|uuid| uuid.to_string()), entry);
    }
    context.report.add("time", counts);
    let read = batch.len() as u64;
    batch.clear();
    Ok(read)
}
