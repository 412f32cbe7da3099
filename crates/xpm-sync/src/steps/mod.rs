//! Carrying out a plan's steps: what every step shares ([`RunContext`]: the metered client, the
//! store, the run's report and its resume marker) and the dispatch from a planned
//! [`Operation`] to the module that runs it.
//!
//! A kind of step is a module here with an `async fn(&mut RunContext, …) -> Result<StepOutcome,
//! SyncError>`, an arm in [`run_step`], and a key in [`step_key`]; it writes through
//! [`RunContext::begin`] and [`RunContext::commit`], so it gets batching with the run's progress
//! and resume-on-crash for free. Custom field values are not a planned step: their calls depend
//! on what the run changed, so they run after the plan ([`custom_fields::read_changed`]).

mod clients;
pub(crate) mod custom_fields;
mod directory;
mod jobs;
mod time;
mod windows;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use xpm_client::XpmClient;
use xpm_store::{RunId, RunStatus, RunSummary, Store, WriteTx};

use crate::SyncError;
use crate::options::SyncOptions;
use crate::pending::Pending;
use crate::plan::{Operation, RunKind, Step};
use crate::progress::{Progress, ProgressFn};
use crate::report::{RunReport, StepOutcome};
use crate::state::{RESUME, Resume, WorkCursors};

/// The key a step's completion is recorded under in the resume marker (a window's names its
/// days, so a run on another day reads its own trailing window).
pub(crate) fn step_key(operation: &Operation) -> String {
    match operation {
        Operation::ClientsDetailedList
        | Operation::ClientsModifiedSince { .. }
        | Operation::ClientsPagedList { .. }
        | Operation::ContactsPagedList { .. } => clients::KEY.to_owned(),
        Operation::Staff => directory::STAFF_KEY.to_owned(),
        Operation::Groups => directory::GROUPS_KEY.to_owned(),
        Operation::CurrentJobs => jobs::CURRENT_KEY.to_owned(),
        Operation::JobWindow { from, to } => windows::Dated::Jobs.key((*from, *to)),
        Operation::TimeWindow { from, to } => windows::Dated::Time.key((*from, *to)),
    }
}

/// Runs one planned step.
pub(crate) async fn run_step(context: &mut RunContext<'_>, step: &Step) -> Result<StepOutcome, SyncError> {
    match step.operation {
        Operation::ClientsDetailedList => clients::pull(context, None).await,
        Operation::ClientsModifiedSince { since } => clients::pull(context, Some(since)).await,
        // The planner picks paged lists only for reduced fidelity, which this executor does not
        // offer yet: the detailed list reads the same clients with every field and link.
        Operation::ClientsPagedList { .. } => clients::pull(context, None).await,
        Operation::ContactsPagedList { .. } => {
            Ok(StepOutcome::Skipped { reason: "the detailed client list carried every contact" })
        }
        Operation::Staff => directory::staff(context).await,
        Operation::Groups => directory::groups(context).await,
        Operation::CurrentJobs => without_scope_skipped(jobs::current(context).await),
        Operation::JobWindow { from, to } => without_scope_skipped(jobs::window(context, (from, to)).await),
        Operation::TimeWindow { from, to } => without_scope_skipped(time::window(context, (from, to)).await),
    }
}

/// A step whose operation the connection holds no scope for is skipped, not failed: a
/// connection made for clients only (`practicemanager.client`) still syncs what it may read. The
/// client refuses such a call before sending it, so nothing was written.
fn without_scope_skipped(outcome: Result<StepOutcome, SyncError>) -> Result<StepOutcome, SyncError> {
    match outcome {
        Err(SyncError::Client { source: xpm_client::Error::ScopeNotGranted { operation, .. }, .. }) => {
            tracing::warn!(%operation, "the connection holds no scope for this operation; step skipped");
            Ok(StepOutcome::Skipped { reason: "the connection was not granted a scope that reads it" })
        }
        outcome => outcome,
    }
}

/// What the steps of one run share.
pub(crate) struct RunContext<'a> {
    /// A metered clone of the caller's client: its usage is this run's.
    pub(crate) client: XpmClient,
    pub(crate) store: &'a Store,
    pub(crate) tenant: Uuid,
    pub(crate) run: RunId,
    pub(crate) kind: RunKind,
    pub(crate) options: &'a SyncOptions,
    pub(crate) pending: Pending,
    pub(crate) report: RunReport,
    /// The steps completed so far (this run's, and those it took over from an interrupted one).
    pub(crate) resume: Resume,
    /// Whether the client step changed anything (groups are re-read when it did).
    pub(crate) clients_changed: bool,
    /// When the groups were last read (server time), before this run.
    pub(crate) groups_refreshed: Option<DateTime<Utc>>,
    pub(crate) progress: Option<&'a ProgressFn>,
    /// Our clock when the run started: the watermark if XPM's answers carry no `Date`.
    pub(crate) started: DateTime<Utc>,
    /// How far back jobs and time are stored (moved as history windows complete).
    pub(crate) work: WorkCursors,
    /// The first day of this run's trailing window: windows ending before it are history.
    pub(crate) trailing_from: NaiveDate,
    /// Calls this run may make in all: the day's budget left at its start, less the reserve.
    pub(crate) calls_allowed: u64,
}

impl RunContext<'_> {
    /// The server's time at the start of the run: the `Date` of its first answer.
    pub(crate) fn server_start(&self) -> DateTime<Utc> {
        self.client.usage().first_server_date.unwrap_or(self.started)
    }

    /// The server's time now, as its latest answer told it.
    pub(crate) fn server_now(&self) -> DateTime<Utc> {
        self.client.usage().last_server_date.unwrap_or_else(|| self.client.clock().now())
    }

    /// A write transaction attributed to the run.
    pub(crate) async fn begin(&self) -> Result<WriteTx, SyncError> {
        let mut write = self.store.write().await?;
        write.for_run(self.run);
        Ok(write)
    }

    /// Commits `write` with the run's progress so far and, when `completed` names a step, the
    /// resume marker saying that step is done: data, cursors and marker land together.
    pub(crate) async fn commit(&mut self, mut write: WriteTx, completed: Option<&str>) -> Result<(), SyncError> {
        if let Some(step) = completed {
            if !self.resume.done.iter().any(|done| done == step) {
                self.resume.done.push(step.to_owned());
            }
            let marker = serde_json::to_string(&self.resume).map_err(|_| SyncError::Cursor {
                name: RESUME,
                value: format!("{:?}", self.resume),
                expected: "something JSON can hold",
            })?;
            write.set_cursor(self.tenant, RESUME, &marker).await?;
        }
        write.record_run_progress(self.run, &self.summary(RunStatus::Running, None)).await?;
        write.commit().await?;
        Ok(())
    }

    /// The run as the store records it.
    pub(crate) fn summary(&self, status: RunStatus, error: Option<String>) -> RunSummary {
        let usage = self.client.usage();
        RunSummary {
            status,
            calls_used: usage.calls,
            bytes_downloaded: usage.bytes,
            counts: self.report.counts.clone(),
            error,
        }
    }

    pub(crate) fn tell(&self, event: Progress) {
        if let Some(progress) = self.progress {
            progress(&event);
        }
    }
}
