//! What the job and time window steps share: which cursors a window moves when it completes,
//! and whether an earlier run already stored it.
//!
//! XPM's `job.api/list` and `time.api/list` take `from`/`to` at most a year apart and filter
//! by creation date (jobs) or entry date (time), so an edit to an older record never shows in a
//! window read for new records. Each run therefore re-reads a trailing window; history is read
//! once, window by window, newest first, each window's completion moving the entity's
//! `complete_from` cursor back in the same transaction as its last data.

use chrono::NaiveDate;
use xpm_store::WriteTx;

use super::RunContext;
use crate::SyncError;
use crate::plan::RunKind;
use crate::state::{JOBS_COMPLETE_FROM, JOBS_TRAILING, TIME_COMPLETE_FROM, TIME_TRAILING};

/// The two entities read in date windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dated {
    Jobs,
    Time,
}

impl Dated {
    /// The step's key for the window `from..=to` in the resume marker.
    pub(crate) fn key(self, (from, to): (NaiveDate, NaiveDate)) -> String {
        format!("{}.window.{from}..{to}", self.name())
    }

    /// The name of the step in errors and keys.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Jobs => "jobs",
            Self::Time => "time",
        }
    }

    fn cursors(self) -> (&'static str, &'static str) {
        match self {
            Self::Jobs => (JOBS_COMPLETE_FROM, JOBS_TRAILING),
            Self::Time => (TIME_COMPLETE_FROM, TIME_TRAILING),
        }
    }

    fn complete_from(self, context: &RunContext<'_>) -> Option<NaiveDate> {
        match self {
            Self::Jobs => context.work.jobs_complete_from,
            Self::Time => context.work.time_complete_from,
        }
    }
}

/// Whether the history window `from..=to` of `dated` is stored already: an earlier run's
/// backfill reached past it (a run that stopped after its job window, before its time window,
/// reads only the time window again). A full run reads everything again.
pub(crate) fn stored_earlier(context: &RunContext<'_>, dated: Dated, (from, to): (NaiveDate, NaiveDate)) -> bool {
    context.kind != RunKind::Full
        && to < context.trailing_from
        && dated.complete_from(context).is_some_and(|complete| complete <= from)
}

/// Moves the cursors that say how far back `dated` is stored, in the transaction of the
/// window's last batch: a history window extends the stored range back to its first day; the
/// trailing window is recorded (and starts the range on the first run).
pub(crate) async fn record_window(
    context: &mut RunContext<'_>,
    write: &mut WriteTx,
    dated: Dated,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(), SyncError> {
    let (complete_cursor, trailing_cursor) = dated.cursors();
    let complete = dated.complete_from(context);
    let extended = if to < context.trailing_from {
        Some(complete.map_or(from, |complete| complete.min(from)))
    } else {
        write.set_cursor(context.tenant, trailing_cursor, &format!("{from}..{to}")).await?;
        // The oldest trailing window (read last of them) covers every day up to today.
        (from == context.trailing_from && complete.is_none_or(|complete| complete > from)).then_some(from)
    };
    if let Some(day) = extended {
        write.set_cursor(context.tenant, complete_cursor, &day.to_string()).await?;
        match dated {
            Dated::Jobs => context.work.jobs_complete_from = Some(day),
            Dated::Time => context.work.time_complete_from = Some(day),
        }
    }
    Ok(())
}
