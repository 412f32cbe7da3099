//! The sync engine of xpmkit: a pure planner and the executor that carries its plans out.
//!
//! - **Plan** ([`plan`]): from what the store knows (practice size, cursors, last
//!   reconciliation) and the day's remaining call budget to the list of XPM operations a run
//!   makes, each with its cost in calls and estimated bytes. Pure, tested without I/O.
//! - **Execute** ([`Syncer`], [`sync_practice`]): reads the cursors, plans, and carries each step
//!   out with the typed client, streaming lists into the store in batches. Every batch commits
//!   with the run's progress; a step's cursors and its completion commit with its last batch, so
//!   a crash at any point leaves the store consistent and the next run does not redo completed
//!   steps. Records with a local change waiting in the outbox are left alone ("pending sync").
//! - **Write back** ([`push()`] and [`queue`], module [`push`](mod@push)): local creates and
//!   updates sent to XPM through the store's outbox, never twice, never over someone else's edit.
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
mod error;
mod options;
mod pending;
mod plan;
mod progress;
pub mod push;
mod report;
mod run;
pub mod state;
mod steps;
mod windows;

pub use cost::{CostModel, Fidelity};
pub use error::SyncError;
pub use options::{DEFAULT_HISTORY_DAYS, SyncOptions};
pub use plan::{Cursors, DayBudget, Operation, Plan, PlanInput, PlanOptions, PracticeSize, RunKind, Step, plan};
pub use progress::{Progress, ProgressFn};
pub use push::{Change, Outcome, PushError, PushOptions, PushReport, push, queue};
pub use report::{DecodeWarning, MAX_WARNINGS, RunReport, StepOutcome, StepReport};
pub use run::{Syncer, sync_practice};
pub use windows::{MAX_WINDOW_DAYS, windows_newest_first};
