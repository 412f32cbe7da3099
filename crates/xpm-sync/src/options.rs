//! How a run behaves: what the caller may choose.

use std::time::Duration;

use crate::plan::PlanOptions;

/// Job and time history read by default: three years, about three windows of each.
pub const DEFAULT_HISTORY_DAYS: u64 = 3 * 365;

/// Settings of a sync run ([`Syncer::options`](crate::Syncer::options)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncOptions {
    /// Read every client again and reconcile (`xpmkit sync --full`).
    pub full: bool,
    /// Items decoded and written at a time while a list streams in: memory holds a few batches
    /// of items. Jobs and time entries commit each batch on its own.
    pub batch_size: usize,
    /// Clients written per transaction while the client list streams in (whole batches: a
    /// transaction ends at the first batch that reaches it). Each commit writes every page the
    /// transaction touched, and the keys are random UUIDs, so each commit rewrites most of the
    /// tables' key indexes: fewer commits write less. A crash loses the uncommitted part, which
    /// costs nothing the next run would not redo anyway: the client step's cursor moves only
    /// with its last transaction, so the next run reads the list again from the same point.
    pub commit_size: usize,
    /// Calls of the day's budget left for other work (interactive use, other integrations).
    pub reserve_calls: u32,
    /// On an incremental run where no client changed, groups are re-read only when their last
    /// read is older than this (a changed client may name a new group, so any client change
    /// re-reads them; reconciliation re-reads them always).
    pub groups_max_age: Duration,
    /// The practice's name, recorded in the store's `practices` table when given.
    pub practice_name: Option<String>,
    /// Fail the run on a value XPM sends in a form the models do not expect (`xpmkit sync
    /// --strict`). By default the client, job and time lists are decoded tolerantly: such a
    /// value leaves its field unset, is kept in the stored item's JSON (`_unparsed`) and is
    /// reported as a warning, so one odd value in one record does not lose the list.
    pub strict: bool,
    /// Sync jobs (with their tasks) and time entries too: `job.api/current`, the trailing window
    /// ([`PlanOptions::trailing_days`]) and the history backfill ([`history_days`](Self::history_days)).
    pub work: bool,
    /// How many days of job and time history the backfill reaches back (creation dates of jobs,
    /// dates of time entries), when [`PlanOptions::history_from`] names no day; `None` reads no
    /// history beyond the trailing window.
    pub history_days: Option<u64>,
    /// Read the custom field values of the clients and jobs this run added or changed (one call
    /// each, within the day's budget; the rest wait for the next run). Off by default: a first
    /// run reads every client and job once, which for a large practice spends days of budget.
    pub custom_fields: bool,
    /// The planner's settings (overlap, reconciliation period, trailing window, …).
    pub plan: PlanOptions,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            full: false,
            batch_size: 500,
            commit_size: 5_000,
            reserve_calls: 0,
            groups_max_age: Duration::from_secs(3600),
            practice_name: None,
            strict: false,
            work: true,
            history_days: Some(DEFAULT_HISTORY_DAYS),
            custom_fields: false,
            plan: PlanOptions::default(),
        }
    }
}

impl SyncOptions {
    /// Reads everything again when `full`.
    pub fn full(mut self, full: bool) -> Self {
        self.full = full;
        self
    }

    /// Items per batch (at least 1).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Clients per transaction while the client list streams in (see
    /// [`commit_size`](Self::commit_size); 1 commits every batch on its own).
    pub fn commit_size(mut self, commit_size: usize) -> Self {
        self.commit_size = commit_size.max(1);
        self
    }

    /// Fails on values the models do not expect instead of keeping them (see
    /// [`strict`](Self::strict)).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Records the practice under `name`.
    pub fn practice_name(mut self, name: impl Into<String>) -> Self {
        self.practice_name = Some(name.into());
        self
    }

    /// Syncs jobs and time too when `work` (the default).
    pub fn work(mut self, work: bool) -> Self {
        self.work = work;
        self
    }

    /// Days of jobs and time re-read each run (at least 1; 90 by default).
    pub fn trailing_days(mut self, days: u64) -> Self {
        self.plan.trailing_days = days.max(1);
        self
    }

    /// Days of history the backfill reaches (`None`: no backfill).
    pub fn history_days(mut self, days: Option<u64>) -> Self {
        self.history_days = days;
        self
    }

    /// Reads custom field values of changed clients and jobs when `custom_fields`.
    pub fn custom_fields(mut self, custom_fields: bool) -> Self {
        self.custom_fields = custom_fields;
        self
    }
}
