//! The plan of one run: which operations, in priority order, each with its cost; the ones the
//! day's budget cannot pay for are deferred to a later run.

use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, SubsecRound as _, Utc};

use crate::cost::{CostModel, Fidelity};
use crate::windows::windows_newest_first;

/// Page size for token-paged lists (`client.api/paged-list`, `client.api/contacts`): the most
/// XPM allows.
const PAGE_SIZE: u64 = 500;

/// Bytes of a list that does not grow with the practice (staff, groups).
const SMALL_LIST_BYTES: u64 = 40_000;

/// What the store knows about the practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PracticeSize {
    /// Clients stored, `None` before the first sync.
    pub clients: Option<u64>,
    /// Contacts stored.
    pub contacts: Option<u64>,
    /// Jobs stored.
    pub jobs: Option<u64>,
}

/// Where the last runs stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursors {
    /// The server's time when the last completed client pull started; `None` before the first.
    pub clients_watermark: Option<DateTime<Utc>>,
    /// When the last full reconciliation (a complete client list) finished.
    pub last_reconciliation: Option<DateTime<Utc>>,
    /// Jobs and time are stored for every day from this one on; `None` before any backfill.
    pub work_complete_from: Option<NaiveDate>,
}

/// What is left of the practice's daily call limit, shared with every other process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayBudget {
    /// Calls left today (the governor's `Remaining`, corrected by `X-DayLimit-Remaining`).
    pub remaining_calls: u32,
    /// Calls to leave for others (interactive use, other integrations).
    pub reserve_calls: u32,
}

impl DayBudget {
    fn usable(&self) -> u32 {
        self.remaining_calls.saturating_sub(self.reserve_calls)
    }
}

/// Settings of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    /// Read everything again (`xpmkit sync --full`).
    pub full: bool,
    /// How far before the watermark `modifiedsince` starts, for edits that landed while the last
    /// pull was running and clock differences.
    pub overlap: Duration,
    /// How often a complete client list reconciles what `modifiedsince` cannot see (contacts
    /// edited without their client, clients that vanished).
    pub reconcile_every: Duration,
    /// How complete the client data must be.
    pub fidelity: Fidelity,
    /// Sync jobs and time too.
    pub include_work: bool,
    /// Days of jobs and time re-read each run, since XPM's lists filter by creation date and
    /// edits to older records are invisible otherwise.
    pub trailing_days: u64,
    /// The oldest day of history to backfill; `None` backfills nothing beyond the trailing window.
    pub history_from: Option<NaiveDate>,
    /// The sizes and trade-off behind the estimates.
    pub costs: CostModel,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            full: false,
            overlap: Duration::from_secs(300),
            reconcile_every: Duration::from_secs(7 * 24 * 3600),
            fidelity: Fidelity::Complete,
            include_work: false,
            trailing_days: 90,
            history_from: None,
            costs: CostModel::default(),
        }
    }
}

/// Everything the planner looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanInput {
    /// Now, by the server's clock when known (its `Date` header), else ours.
    pub now: DateTime<Utc>,
    /// The practice as stored.
    pub practice: PracticeSize,
    /// Where the last runs stopped.
    pub cursors: Cursors,
    /// The day's calls left.
    pub budget: DayBudget,
    /// Settings.
    pub options: PlanOptions,
}

impl PlanInput {
    /// A practice never synced, with `remaining_calls` left today and default settings.
    pub fn first_run(now: DateTime<Utc>, remaining_calls: u32) -> Self {
        Self {
            now,
            practice: PracticeSize::default(),
            cursors: Cursors::default(),
            budget: DayBudget { remaining_calls, reserve_calls: 0 },
            options: PlanOptions::default(),
        }
    }
}

/// Why the run reads what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RunKind {
    /// Nothing stored yet, or `--full`: everything.
    Full,
    /// A complete client list is due (see [`PlanOptions::reconcile_every`]).
    Reconcile,
    /// Only what changed since the watermark.
    Incremental,
}

/// One XPM operation of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `client.api/list?detailed=true`: every client with every field and link, in one call.
    ClientsDetailedList,
    /// `client.api/paged-list`, `pages` pages of 500 (the reduced client shape).
    ClientsPagedList {
        /// Pages to read.
        pages: u32,
    },
    /// `client.api/contacts`, `pages` pages of 500.
    ContactsPagedList {
        /// Pages to read.
        pages: u32,
    },
    /// `client.api/list?detailed=true&modifiedsince=…` (UTC, whole seconds).
    ClientsModifiedSince {
        /// The watermark minus the overlap.
        since: DateTime<Utc>,
    },
    /// `staff.api/list`.
    Staff,
    /// `clientgroup.api/list`.
    Groups,
    /// `job.api/current?detailed=true`: every job in progress, whenever it was created.
    CurrentJobs,
    /// `job.api/list?from&to` for one window of at most a year.
    JobWindow {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// `time.api/list?from&to` for one window of at most a year.
    TimeWindow {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

/// An operation with its cost and the reason it is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// What to call.
    pub operation: Operation,
    /// Calls it makes.
    pub calls: u32,
    /// Bytes it is expected to download.
    pub estimated_bytes: u64,
    /// Why it is planned.
    pub why: &'static str,
}

/// What a run will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Why.
    pub kind: RunKind,
    /// The operations to run, in order.
    pub steps: Vec<Step>,
    /// Operations the budget could not pay for today, in the order they would have run.
    pub deferred: Vec<Step>,
}

impl Plan {
    /// Calls the planned steps make.
    pub fn calls(&self) -> u32 {
        self.steps.iter().map(|step| step.calls).sum()
    }

    /// Bytes the planned steps are expected to download.
    pub fn estimated_bytes(&self) -> u64 {
        self.steps.iter().map(|step| step.estimated_bytes).sum()
    }
}

/// Plans a run. Steps come in priority order (clients, then staff and groups, then work) and
/// are taken while the budget lasts; from the first step that does not fit, the rest wait for
/// another day, so that history is always read newest first without gaps.
pub fn plan(input: &PlanInput) -> Plan {
    let options = &input.options;
    let kind = run_kind(input);
    let mut wanted = client_steps(input, kind);
    wanted.push(Step {
        operation: Operation::Staff,
        calls: 1,
        estimated_bytes: SMALL_LIST_BYTES,
        why: "staff are refreshed each run",
    });
    wanted.push(Step {
        operation: Operation::Groups,
        calls: 1,
        estimated_bytes: SMALL_LIST_BYTES,
        why: "groups are read when a client changed, on reconciliation and at least hourly",
    });
    if options.include_work {
        wanted.extend(work_steps(input, kind));
    }

    let mut budget = input.budget.usable();
    let mut steps = Vec::new();
    let mut deferred = Vec::new();
    for step in wanted {
        if deferred.is_empty() && step.calls <= budget {
            budget -= step.calls;
            steps.push(step);
        } else {
            deferred.push(step);
        }
    }
    Plan { kind, steps, deferred }
}

fn run_kind(input: &PlanInput) -> RunKind {
    let options = &input.options;
    if options.full || input.cursors.clients_watermark.is_none() {
        return RunKind::Full;
    }
    let reconcile_due = match input.cursors.last_reconciliation {
        None => true,
        Some(last) => {
            input.now.signed_duration_since(last).to_std().is_ok_and(|since| since >= options.reconcile_every)
        }
    };
    if reconcile_due { RunKind::Reconcile } else { RunKind::Incremental }
}

fn client_steps(input: &PlanInput, kind: RunKind) -> Vec<Step> {
    let costs = &input.options.costs;
    let clients = input.practice.clients.unwrap_or(costs.unknown_practice_clients);
    if let (RunKind::Incremental, Some(watermark)) = (kind, input.cursors.clients_watermark) {
        let overlap = chrono::Duration::from_std(input.options.overlap).unwrap_or_else(|_| chrono::Duration::zero());
        // XPM takes whole seconds; rounding down only widens the overlap.
        let since = (watermark - overlap).trunc_subsecs(0);
        let changed = (clients * costs.changed_per_thousand / 1_000).max(1);
        return vec![Step {
            operation: Operation::ClientsModifiedSince { since },
            calls: 1,
            estimated_bytes: changed * costs.detailed_client_bytes,
            why: "clients changed since the last pull, with an overlap",
        }];
    }
    let why = if kind == RunKind::Full {
        "first or full pull of every client"
    } else {
        "periodic reconciliation: clients vanished or edited unseen"
    };
    let detailed = Step {
        operation: Operation::ClientsDetailedList,
        calls: 1,
        estimated_bytes: clients * costs.detailed_client_bytes,
        why,
    };
    if input.options.fidelity == Fidelity::Complete {
        return vec![detailed];
    }
    let contacts = input.practice.contacts.unwrap_or(clients * 2);
    let client_pages = pages(clients);
    let contact_pages = pages(contacts);
    let paged = [
        Step {
            operation: Operation::ClientsPagedList { pages: client_pages },
            calls: client_pages,
            estimated_bytes: clients * costs.paged_client_bytes,
            why,
        },
        Step {
            operation: Operation::ContactsPagedList { pages: contact_pages },
            calls: contact_pages,
            estimated_bytes: contacts * costs.contact_bytes,
            why,
        },
    ];
    let paged_cost = costs.weigh(client_pages + contact_pages, paged.iter().map(|step| step.estimated_bytes).sum());
    if paged_cost < costs.weigh(detailed.calls, detailed.estimated_bytes) { paged.to_vec() } else { vec![detailed] }
}

fn pages(items: u64) -> u32 {
    u32::try_from(items.div_ceil(PAGE_SIZE).max(1)).unwrap_or(u32::MAX)
}

fn work_steps(input: &PlanInput, kind: RunKind) -> Vec<Step> {
    let costs = &input.options.costs;
    let jobs = input.practice.jobs.unwrap_or(input.practice.clients.unwrap_or(costs.unknown_practice_clients) * 2);
    let today = input.now.date_naive();
    let trailing_from = trailing_from(input.now, input.options.trailing_days);
    // Jobs created per day, roughly: the stored jobs spread over a year.
    let jobs_per_day = (jobs / 365).max(1);
    let mut steps = vec![Step {
        operation: Operation::CurrentJobs,
        calls: 1,
        estimated_bytes: jobs / 4 * costs.job_bytes,
        why: "jobs in progress, whenever created",
    }];
    let mut window = |from: NaiveDate, to: NaiveDate, why: &'static str| {
        let days = u64::try_from((to - from).num_days() + 1).unwrap_or(1);
        steps.push(Step {
            operation: Operation::JobWindow { from, to },
            calls: 1,
            estimated_bytes: days * jobs_per_day * costs.job_bytes,
            why,
        });
        steps.push(Step {
            operation: Operation::TimeWindow { from, to },
            calls: 1,
            estimated_bytes: days * jobs_per_day * 10 * costs.time_bytes,
            why,
        });
    };
    for (from, to) in windows_newest_first(trailing_from, today) {
        window(from, to, "the trailing window, re-read for edits and deletions");
    }
    if let Some(history_from) = input.options.history_from {
        // Backfill what lies before the trailing window and is not stored yet (all of it on a
        // full run).
        let complete_from = if kind == RunKind::Full {
            trailing_from
        } else {
            input.cursors.work_complete_from.unwrap_or(trailing_from).min(trailing_from)
        };
        if let Some(backfill_to) = complete_from.pred_opt() {
            for (from, to) in windows_newest_first(history_from, backfill_to) {
                window(from, to, "history backfill, newest first");
            }
        }
    }
    steps
}

/// The first day of the trailing window of `days` days that ends today (`now`'s day).
pub(crate) fn trailing_from(now: DateTime<Utc>, days: u64) -> NaiveDate {
    let today = now.date_naive();
    today.checked_sub_days(Days::new(days.max(1) - 1)).unwrap_or(today)
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
