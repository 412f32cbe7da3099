//! The call volume an access request states, from the sync planner (`xpm_sync::plan`) for a
//! practice of a given size: a first run, an incremental run, a reconciliation, and a day of
//! them, against Xero's limits per practice (60 calls a minute, 5 in flight, 5,000 a day).

use chrono::{DateTime, Days, Utc};
use xpm_sync::{Cursors, DayBudget, Plan, PlanInput, PlanOptions, PracticeSize, plan};

/// Xero's daily call limit per practice (connection).
pub(crate) const DAY_LIMIT: u64 = 5_000;
/// Xero's per-minute call limit per practice.
pub(crate) const MINUTE_LIMIT: u64 = 60;
/// Xero's limit on calls in flight per practice.
pub(crate) const CONCURRENT_LIMIT: u64 = 5;
/// Calls one change written back costs at most: XPM's record read to compare, the write, and the
/// record read back to store what XPM kept (README, "Write-back").
pub(crate) const CALLS_PER_WRITE: u64 = 3;

/// What the sync of one practice costs.
#[derive(Debug, Clone)]
pub(crate) struct Volume {
    pub(crate) first_run: Plan,
    pub(crate) incremental: Plan,
    pub(crate) reconcile: Plan,
    /// Incremental runs a day at the chosen interval.
    pub(crate) runs_per_day: u64,
    /// Calls on a day of incremental runs only.
    pub(crate) normal_day: u64,
    /// Calls on the day a reconciliation replaces one incremental run (once in 7 days).
    pub(crate) reconcile_day: u64,
    /// Calls for the changes written back on a busy day.
    pub(crate) write_calls: u64,
}

impl Volume {
    /// The busiest ordinary day: a reconciliation day with the writes.
    pub(crate) fn busiest_day(&self) -> u64 {
        self.reconcile_day.max(self.normal_day) + self.write_calls
    }
}

/// Estimates the volume for `clients` clients, syncing every `every_minutes`, with jobs and time
/// when `include_work`, and `writes_per_day` changes written back.
pub(crate) fn estimate(
    now: DateTime<Utc>,
    clients: u64,
    include_work: bool,
    every_minutes: u64,
    writes_per_day: u64,
) -> Volume {
    let today = now.date_naive();
    let options = PlanOptions {
        include_work,
        // What `xpmkit sync` backfills by default.
        history_from: include_work.then(|| today.checked_sub_days(Days::new(xpm_sync::DEFAULT_HISTORY_DAYS))).flatten(),
        ..PlanOptions::default()
    };
    let practice = PracticeSize { clients: Some(clients), contacts: None, jobs: None };
    let budget = DayBudget { remaining_calls: u32::try_from(DAY_LIMIT).unwrap_or(u32::MAX), reserve_calls: 0 };
    let input = |cursors: Cursors| PlanInput { now, practice, cursors, budget, options };
    let minutes = chrono::Duration::minutes(i64::try_from(every_minutes).unwrap_or(i64::MAX));
    let day = chrono::Duration::days(1);
    let synced = Cursors {
        clients_watermark: Some(now - minutes),
        last_reconciliation: Some(now - day),
        work_complete_from: options.history_from,
    };
    let first_run = plan(&input(Cursors::default()));
    let incremental = plan(&input(synced));
    let reconcile = plan(&input(Cursors { last_reconciliation: Some(now - day * 8), ..synced }));
    let runs_per_day = (24 * 60 / every_minutes).max(1);
    let incremental_calls = u64::from(incremental.calls());
    let normal_day = runs_per_day * incremental_calls;
    let reconcile_day = normal_day - incremental_calls + u64::from(reconcile.calls());
    Volume {
        first_run,
        incremental,
        reconcile,
        runs_per_day,
        normal_day,
        reconcile_day,
        write_calls: writes_per_day * CALLS_PER_WRITE,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).single().expect("a time")
    }

    #[test]
    fn clients_only_every_fifteen_minutes_stays_far_below_the_day_limit() {
        let volume = estimate(now(), 2_000, false, 15, 0);
        // The planner's own figures: one detailed list plus staff and groups first; then one
        // modifiedsince call plus staff and groups each run.
        assert_eq!(volume.first_run.calls(), 3);
        assert_eq!(volume.incremental.calls(), 3);
        assert_eq!(volume.runs_per_day, 96);
        assert_eq!(volume.normal_day, 96 * 3);
        assert_eq!(volume.reconcile_day, volume.normal_day);
        assert!(volume.busiest_day() < DAY_LIMIT);
    }

    #[test]
    fn work_adds_windows_and_writes_add_three_calls_each() {
        let clients_only = estimate(now(), 2_000, false, 60, 0);
        let with_work = estimate(now(), 2_000, true, 60, 100);
        assert!(with_work.first_run.calls() > clients_only.first_run.calls());
        assert!(with_work.incremental.calls() > clients_only.incremental.calls());
        assert_eq!(with_work.write_calls, 300);
        assert_eq!(with_work.busiest_day(), with_work.reconcile_day.max(with_work.normal_day) + 300);
    }
}
