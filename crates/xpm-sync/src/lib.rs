//! The sync engine of xpmkit: its planner, a pure function from what the store knows
//! (practice size, cursors, last reconciliation) and the day's remaining call budget to the list
//! of XPM operations a run makes, each with its cost in calls and estimated bytes; and
//! write-back ([`push()`] and [`queue`], module [`push`](mod@push)): local creates and updates
//! sent to XPM through the store's outbox, never twice, never over someone else's edit.
//!
//! ```
//! use chrono::{TimeZone as _, Utc};
//! use xpm_sync::{Operation, PlanInput, plan};
//!
//! let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 12, 0).single().expect("valid time");
//! let first_run = plan(&PlanInput::first_run(now, 5_000));
//! assert_eq!(first_run.steps[0].operation, Operation::ClientsDetailedList);
//! assert_eq!(first_run.calls(), 3); // the detailed client list, staff, groups
//! ```

mod cost;
mod plan;
pub mod push;
mod windows;

pub use cost::{CostModel, Fidelity};
pub use plan::{Cursors, DayBudget, Operation, Plan, PlanInput, PlanOptions, PracticeSize, RunKind, Step, plan};
pub use push::{Change, Outcome, PushError, PushOptions, PushReport, push, queue};
pub use windows::{MAX_WINDOW_DAYS, windows_newest_first};
