//! [`Syncer`]: one run for one practice. It reads what the store remembers (cursors, size, the
//! calls made today, an interrupted run's completed steps), asks the planner what to do, records
//! the run's start, carries each step out, and records how it ended.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Days;
use uuid::Uuid;
use xpm_client::XpmClient;
use xpm_store::{RunId, RunStatus, Store};

use crate::SyncError;
use crate::options::SyncOptions;
use crate::pending::Pending;
use crate::plan::{Cursors, DayBudget, Plan, PlanInput, plan, trailing_from};
use crate::progress::{Progress, ProgressFn};
use crate::report::{RunReport, StepOutcome, StepReport};
use crate::state::{RESUME, Resume, StoredState, kind_name};
use crate::steps::{RunContext, custom_fields, run_step, step_key};

/// Syncs one practice into a store.
///
/// ```no_run
/// # async fn example(client: xpm_client::XpmClient, store: xpm_store::Store, tenant: uuid::Uuid) -> Result<(), xpm_sync::SyncError> {
/// use xpm_sync::{SyncOptions, Syncer};
///
/// let report = Syncer::new(&client, &store, tenant).options(SyncOptions::default()).run().await?;
/// println!("{} changes in {} calls", report.changes(), report.calls);
/// # Ok(()) }
/// ```
#[must_use = "a syncer does nothing until `run` or `plan` is called"]
pub struct Syncer<'a> {
    client: &'a XpmClient,
    store: &'a Store,
    tenant: Uuid,
    options: SyncOptions,
    progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Syncer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Syncer").field("tenant", &self.tenant).field("options", &self.options).finish_non_exhaustive()
    }
}

/// Syncs `tenant` through `client` into `store` with `options`: [`Syncer::run`] in one call.
pub async fn sync_practice(
    client: &XpmClient,
    store: &Store,
    tenant: Uuid,
    options: &SyncOptions,
) -> Result<RunReport, SyncError> {
    Syncer::new(client, store, tenant).options(options.clone()).run().await
}

impl<'a> Syncer<'a> {
    /// A syncer with default options.
    pub fn new(client: &'a XpmClient, store: &'a Store, tenant: Uuid) -> Self {
        Self { client, store, tenant, options: SyncOptions::default(), progress: None }
    }

    /// Settings.
    pub fn options(mut self, options: SyncOptions) -> Self {
        self.options = options;
        self
    }

    /// Tells `progress` what the run does as it goes.
    pub fn on_progress(mut self, progress: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The plan a run would carry out now, without calling XPM.
    pub async fn plan(&self) -> Result<Plan, SyncError> {
        let state = StoredState::read(self.store, self.tenant).await?;
        Ok(self.plan_for(&state))
    }

    fn plan_for(&self, state: &StoredState) -> Plan {
        plan(&self.plan_input(state))
    }

    fn plan_input(&self, state: &StoredState) -> PlanInput {
        let limits = self.client.governor().limits();
        let remaining = u64::from(limits.per_day).saturating_sub(state.calls_last_day);
        let now = self.client.clock().now();
        let mut options = self.options.plan;
        options.full |= self.options.full;
        options.include_work = self.options.work;
        if options.history_from.is_none() {
            options.history_from =
                self.options.history_days.and_then(|days| now.date_naive().checked_sub_days(Days::new(days)));
        }
        let work = state.work.without_gaps(trailing_from(now, options.trailing_days));
        PlanInput {
            now,
            practice: state.practice,
            cursors: Cursors { work_complete_from: work.complete_from(), ..state.cursors },
            budget: DayBudget {
                remaining_calls: u32::try_from(remaining).unwrap_or(u32::MAX),
                reserve_calls: self.options.reserve_calls,
            },
            options,
        }
    }

    /// Carries out a run and records it. On an error the run is recorded as failed; what it had
    /// committed stays, and the next run resumes after the steps it completed.
    pub async fn run(&self) -> Result<RunReport, SyncError> {
        let started = Instant::now();
        let state = StoredState::read(self.store, self.tenant).await?;
        let input = self.plan_input(&state);
        let plan = plan(&input);
        let pending = Pending::read(self.store, self.tenant).await?;

        let mut write = self.store.write().await?;
        let run = write.start_run(self.tenant, kind_name(plan.kind)).await?;
        if let Some(name) = &self.options.practice_name {
            write.upsert_practice(self.tenant, name, Some(self.client.connection().0)).await?;
        }
        write.commit().await?;
        tracing::info!(tenant = %self.tenant, run = run.0, kind = kind_name(plan.kind), calls = plan.calls(), "sync run starts");

        let report = RunReport {
            run,
            kind: plan.kind,
            plan: plan.clone(),
            steps: Vec::new(),
            counts: BTreeMap::new(),
            pending: BTreeMap::new(),
            archived_clients: 0,
            deleted_clients: 0,
            warnings: Vec::new(),
            unparsed_values: 0,
            custom_fields_read: 0,
            custom_fields_deferred: 0,
            calls: 0,
            bytes: 0,
            duration: Duration::ZERO,
        };
        let earlier = state.resume.clone().filter(|resume| resume.run != run.0);
        let mut context = RunContext {
            client: self.client.metered(),
            store: self.store,
            tenant: self.tenant,
            run,
            kind: plan.kind,
            options: &self.options,
            pending,
            report,
            resume: Resume { run: run.0, kind: kind_name(plan.kind).to_owned(), done: Vec::new() },
            clients_changed: false,
            groups_refreshed: state.groups_refreshed,
            progress: self.progress.as_ref(),
            started: self.client.clock().now(),
            work: state.work.without_gaps(trailing_from(input.now, input.options.trailing_days)),
            trailing_from: trailing_from(input.now, input.options.trailing_days),
            calls_allowed: u64::from(input.budget.remaining_calls.saturating_sub(input.budget.reserve_calls)),
        };
        let outcome = carry_out(&mut context, &plan, earlier.as_ref()).await;
        let usage = context.client.usage();
        context.report.calls = usage.calls;
        context.report.bytes = usage.bytes;
        context.report.duration = started.elapsed();
        match outcome {
            Ok(()) => {
                let mut write = self.store.write().await?;
                write.for_run(run);
                write.finish_run(run, &context.summary(RunStatus::Succeeded, None)).await?;
                write.clear_cursor(self.tenant, RESUME).await?;
                write.commit().await?;
                tracing::info!(run = run.0, changes = context.report.changes(), calls = usage.calls, "sync run done");
                Ok(context.report)
            }
            Err(error) => {
                record_failure(&context, run, &error).await;
                Err(error)
            }
        }
    }
}

async fn carry_out(context: &mut RunContext<'_>, plan: &Plan, earlier: Option<&Resume>) -> Result<(), SyncError> {
    for step in &plan.steps {
        let key = step_key(&step.operation);
        if let Some(resume) = earlier
            && resume.covers(plan.kind, &key)
        {
            // Carry the completion over, so that a crash of this run does not redo it either.
            let write = context.begin().await?;
            context.commit(write, Some(&key)).await?;
            let outcome = StepOutcome::DoneEarlier { run: RunId(resume.run) };
            context.report.steps.push(StepReport { step: *step, outcome });
            continue;
        }
        context.tell(Progress::StepStarted { step: *step });
        let outcome = run_step(context, step).await?;
        context.tell(Progress::StepFinished { step: *step });
        context.report.steps.push(StepReport { step: *step, outcome });
    }
    if context.options.custom_fields {
        // The changes of an interrupted run this one resumes wait for their values too.
        custom_fields::read_changed(context, earlier.map(|resume| RunId(resume.run))).await?;
    }
    Ok(())
}

/// Records a failed run; a failure to record it is logged, the run's own error is what counts.
async fn record_failure(context: &RunContext<'_>, run: RunId, error: &SyncError) {
    let summary = context.summary(RunStatus::Failed, Some(error.to_string()));
    let recorded = async {
        let mut write = context.store.write().await?;
        write.finish_run(run, &summary).await?;
        write.commit().await
    };
    if let Err(store_error) = recorded.await {
        tracing::warn!(run = run.0, error = %store_error, "the failed run could not be recorded");
    }
}
