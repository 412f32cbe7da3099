//! What the store remembers between runs, as the planner and the executor read it: the cursors
//! (names below), the practice's size, the calls made today and an interrupted run's progress.
//!
//! Cursors hold RFC 3339 times in UTC taken from XPM's `Date` header, never our clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use xpm_store::{EntityKind, Store};

use crate::SyncError;
use crate::plan::{Cursors, PracticeSize, RunKind};

/// The server's time when the run whose client pull last completed started.
pub const CLIENTS_WATERMARK: &str = "clients.watermark";
/// The server's time when the last complete client list (a reconciliation) started.
pub const CLIENTS_RECONCILED: &str = "clients.reconciled_at";
/// The server's time of the last staff read.
pub const STAFF_REFRESHED: &str = "staff.refreshed_at";
/// The server's time of the last groups read.
pub const GROUPS_REFRESHED: &str = "groups.refreshed_at";
/// The server's time of the last `job.api/current` read.
pub const JOBS_CURRENT_READ: &str = "jobs.current_at";
/// Jobs are stored for every creation day from this one (`YYYY-MM-DD`) on: moved back as each
/// history window completes, with the window's last batch, so a run resumes the backfill where
/// the last one stopped.
pub const JOBS_COMPLETE_FROM: &str = "jobs.complete_from";
/// Time entries are stored for every day from this one on (as [`JOBS_COMPLETE_FROM`]).
pub const TIME_COMPLETE_FROM: &str = "time.complete_from";
/// The last trailing window of jobs swept (`from..to`), deletions found inside it.
pub const JOBS_TRAILING: &str = "jobs.trailing";
/// The last trailing window of time entries swept (`from..to`).
pub const TIME_TRAILING: &str = "time.trailing";
/// Clients and jobs whose custom field values are still to be read (JSON list of
/// `client:<uuid>` and `job:<number>`): changed by a run whose budget ran out first.
pub const CUSTOM_FIELDS_PENDING: &str = "custom_fields.pending";
/// The steps an unfinished run completed (JSON: its run id, kind and the completed steps' keys);
/// cleared when a run finishes.
pub const RESUME: &str = "sync.resume";

/// The steps a run has completed, committed with each step's last batch, so that a run after a
/// crash or a failure does not redo them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Resume {
    /// The run that completed them.
    pub(crate) run: i64,
    /// Its kind (`full`, `reconcile`, `incremental`).
    pub(crate) kind: String,
    /// The completed steps' keys.
    pub(crate) done: Vec<String>,
}

impl Resume {
    /// Whether a run of `kind` may take `step` as done: a step of an interrupted run of the same
    /// kind, or any completed step when this run only reads what changed.
    pub(crate) fn covers(&self, kind: RunKind, step: &str) -> bool {
        (self.kind == kind_name(kind) || kind == RunKind::Incremental) && self.done.iter().any(|done| done == step)
    }
}

/// The name a run kind is recorded under.
pub fn kind_name(kind: RunKind) -> &'static str {
    match kind {
        RunKind::Full => "full",
        RunKind::Reconcile => "reconcile",
        _ => "incremental",
    }
}

/// What the store knows of a practice before a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredState {
    pub(crate) cursors: Cursors,
    pub(crate) practice: PracticeSize,
    pub(crate) resume: Option<Resume>,
    pub(crate) groups_refreshed: Option<DateTime<Utc>>,
    /// Calls recorded by runs that started in the last 24 hours.
    pub(crate) calls_last_day: u64,
    /// How far back jobs and time are stored.
    pub(crate) work: WorkCursors,
}

/// How far back jobs and time entries are stored: each entity's backfill progress, and the last
/// day its last trailing window reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct WorkCursors {
    pub(crate) jobs_complete_from: Option<NaiveDate>,
    pub(crate) time_complete_from: Option<NaiveDate>,
    pub(crate) jobs_swept_to: Option<NaiveDate>,
    pub(crate) time_swept_to: Option<NaiveDate>,
}

impl WorkCursors {
    /// The cursors for a run whose trailing window starts at `trailing_from`: when the last
    /// trailing window ended before the day before it (no run for longer than the window), the
    /// days between were never read, so the stored range is no longer whole and the history is
    /// read again (a few calls, one per window).
    pub(crate) fn without_gaps(self, trailing_from: NaiveDate) -> Self {
        let whole = |complete: Option<NaiveDate>, swept_to: Option<NaiveDate>| {
            complete.filter(|_| swept_to.is_none_or(|to| to.succ_opt().is_some_and(|next| next >= trailing_from)))
        };
        Self {
            jobs_complete_from: whole(self.jobs_complete_from, self.jobs_swept_to),
            time_complete_from: whole(self.time_complete_from, self.time_swept_to),
            ..self
        }
    }

    /// Both are stored from this day on (the later of the two; `None` until both are known).
    pub(crate) fn complete_from(&self) -> Option<NaiveDate> {
        Some(self.jobs_complete_from?.max(self.time_complete_from?))
    }
}

impl StoredState {
    pub(crate) async fn read(store: &Store, tenant: Uuid) -> Result<Self, SyncError> {
        let clients_watermark = time_cursor(store, tenant, CLIENTS_WATERMARK).await?;
        let last_reconciliation = time_cursor(store, tenant, CLIENTS_RECONCILED).await?;
        let groups_refreshed = time_cursor(store, tenant, GROUPS_REFRESHED).await?;
        let resume = match store.cursor(tenant, RESUME).await? {
            None => None,
            Some(cursor) => Some(serde_json::from_str(&cursor.value).map_err(|_| SyncError::Cursor {
                name: RESUME,
                value: cursor.value.clone(),
                expected: "the JSON of an interrupted run's completed steps",
            })?),
        };
        let stored = |count: u64| if clients_watermark.is_some() || count > 0 { Some(count) } else { None };
        let practice = PracticeSize {
            clients: stored(store.count(tenant, EntityKind::Client).await?),
            contacts: stored(store.count(tenant, EntityKind::Contact).await?),
            jobs: stored(store.count(tenant, EntityKind::Job).await?),
        };
        let work = WorkCursors {
            jobs_complete_from: date_cursor(store, tenant, JOBS_COMPLETE_FROM).await?,
            time_complete_from: date_cursor(store, tenant, TIME_COMPLETE_FROM).await?,
            jobs_swept_to: window_end(store, tenant, JOBS_TRAILING).await?,
            time_swept_to: window_end(store, tenant, TIME_TRAILING).await?,
        };
        // Runs are stamped by the store with the system clock, so the day is measured on it too.
        let day_ago = (Utc::now() - Duration::days(1)).format("%Y-%m-%dT%H:%M:%S").to_string();
        let calls_last_day = store
            .runs(tenant, 1_000)
            .await?
            .iter()
            .filter(|run| run.started_at.as_str() >= day_ago.as_str())
            .map(|run| run.calls_used)
            .sum();
        Ok(Self {
            cursors: Cursors { clients_watermark, last_reconciliation, work_complete_from: work.complete_from() },
            practice,
            resume,
            groups_refreshed,
            calls_last_day,
            work,
        })
    }
}

/// The last day of a window cursor (`from..to`).
async fn window_end(store: &Store, tenant: Uuid, name: &'static str) -> Result<Option<NaiveDate>, SyncError> {
    let Some(cursor) = store.cursor(tenant, name).await? else { return Ok(None) };
    let end = cursor.value.split_once("..").and_then(|(_, to)| NaiveDate::parse_from_str(to, "%Y-%m-%d").ok());
    end.map(Some).ok_or_else(|| SyncError::Cursor {
        name,
        value: cursor.value.clone(),
        expected: "a window of days (YYYY-MM-DD..YYYY-MM-DD)",
    })
}

async fn date_cursor(store: &Store, tenant: Uuid, name: &'static str) -> Result<Option<NaiveDate>, SyncError> {
    let Some(cursor) = store.cursor(tenant, name).await? else { return Ok(None) };
    NaiveDate::parse_from_str(&cursor.value, "%Y-%m-%d").map(Some).map_err(|_| SyncError::Cursor {
        name,
        value: cursor.value.clone(),
        expected: "a day (YYYY-MM-DD)",
    })
}

async fn time_cursor(store: &Store, tenant: Uuid, name: &'static str) -> Result<Option<DateTime<Utc>>, SyncError> {
    let Some(cursor) = store.cursor(tenant, name).await? else { return Ok(None) };
    DateTime::parse_from_rfc3339(&cursor.value)
        .map(|time| Some(time.with_timezone(&Utc)))
        .map_err(|_| SyncError::Cursor { name, value: cursor.value.clone(), expected: "an RFC 3339 time" })
}

/// A time as cursors hold it: RFC 3339, UTC, whole seconds (XPM's resolution).
pub(crate) fn cursor_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resumed_step_counts_for_the_same_kind_or_an_incremental_run() {
        let resume = Resume { run: 7, kind: "full".into(), done: vec!["clients".into()] };
        assert!(resume.covers(RunKind::Full, "clients"));
        assert!(resume.covers(RunKind::Incremental, "clients"));
        assert!(!resume.covers(RunKind::Reconcile, "clients"), "a reconciliation must see every client itself");
        assert!(!resume.covers(RunKind::Full, "staff"));
    }

    #[test]
    fn jobs_and_time_are_complete_from_the_later_of_their_days() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date");
        let both = WorkCursors {
            jobs_complete_from: Some(day("2025-01-01")),
            time_complete_from: Some(day("2025-06-01")),
            ..WorkCursors::default()
        };
        assert_eq!(both.complete_from(), Some(day("2025-06-01")), "time is stored from June only");
        let jobs_only = WorkCursors { jobs_complete_from: Some(day("2025-01-01")), ..WorkCursors::default() };
        assert_eq!(jobs_only.complete_from(), None, "time not stored at all yet");
    }

    #[test]
    fn a_trailing_window_that_left_days_unread_makes_the_history_be_read_again() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date");
        let stored = WorkCursors {
            jobs_complete_from: Some(day("2024-01-01")),
            time_complete_from: Some(day("2024-01-01")),
            jobs_swept_to: Some(day("2026-03-01")),
            time_swept_to: Some(day("2026-03-10")),
        };
        // The next trailing window starts the day after the last one ended: nothing missed.
        assert_eq!(stored.without_gaps(day("2026-03-02")).complete_from(), Some(day("2024-01-01")));
        // A run three months later: jobs created 2026-03-02 to 2026-03-09 were never listed.
        let later = stored.without_gaps(day("2026-03-10"));
        assert_eq!(later.jobs_complete_from, None);
        assert_eq!(later.time_complete_from, Some(day("2024-01-01")));
        assert_eq!(later.complete_from(), None, "the planner reads the history again");
    }

    #[test]
    fn cursor_times_are_whole_seconds_in_utc() {
        let time = DateTime::parse_from_rfc3339("2026-05-04T19:12:07.9+10:00").expect("valid").with_timezone(&Utc);
        assert_eq!(cursor_time(time), "2026-05-04T09:12:07Z");
    }
}
