use chrono::{TimeZone as _, Utc};

use super::*;

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, second).single().expect("valid time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn now() -> DateTime<Utc> {
    at(2026, 5, 4, 9, 12, 0)
}

/// A practice of 15,000 clients synced an hour ago and reconciled two days ago.
fn synced() -> PlanInput {
    PlanInput {
        now: now(),
        practice: PracticeSize { clients: Some(15_000), contacts: Some(30_000), jobs: Some(20_000) },
        cursors: Cursors {
            clients_watermark: Some(at(2026, 5, 4, 8, 12, 30)),
            last_reconciliation: Some(at(2026, 5, 2, 9, 0, 0)),
            work_complete_from: None,
        },
        budget: DayBudget { remaining_calls: 5_000, reserve_calls: 0 },
        options: PlanOptions::default(),
    }
}

#[track_caller]
fn check(input: &PlanInput, kind: RunKind, operations: &[Operation], deferred: usize) {
    let plan = plan(input);
    assert_eq!(plan.kind, kind);
    assert_eq!(plan.steps.iter().map(|step| step.operation).collect::<Vec<_>>(), operations);
    assert_eq!(plan.deferred.len(), deferred, "deferred: {:?}", plan.deferred);
    assert!(plan.calls() <= input.budget.remaining_calls.saturating_sub(input.budget.reserve_calls));
}

#[test]
fn a_first_run_reads_the_detailed_list_in_one_call() {
    let input = PlanInput::first_run(now(), 5_000);
    check(&input, RunKind::Full, &[Operation::ClientsDetailedList, Operation::Staff, Operation::Groups], 0);
    let plan = plan(&input);
    assert_eq!(plan.calls(), 3);
    assert_eq!(plan.steps[0].estimated_bytes, 1_000 * 3_150, "an unknown practice is assumed to have 1,000 clients");
}

#[test]
fn later_runs_ask_for_changes_since_the_watermark_less_the_overlap_in_whole_seconds() {
    let input = synced();
    let since = at(2026, 5, 4, 8, 7, 30);
    check(
        &input,
        RunKind::Incremental,
        &[Operation::ClientsModifiedSince { since }, Operation::Staff, Operation::Groups],
        0,
    );
    assert_eq!(plan(&input).calls(), 3);

    let mut fractional = synced();
    fractional.cursors.clients_watermark = Some(at(2026, 5, 4, 8, 12, 30) + chrono::Duration::milliseconds(750));
    check(
        &fractional,
        RunKind::Incremental,
        &[Operation::ClientsModifiedSince { since }, Operation::Staff, Operation::Groups],
        0,
    );
}

#[test]
fn a_reconciliation_comes_when_due_or_asked_for() {
    let mut due = synced();
    due.cursors.last_reconciliation = Some(at(2026, 4, 27, 9, 12, 0));
    check(&due, RunKind::Reconcile, &[Operation::ClientsDetailedList, Operation::Staff, Operation::Groups], 0);

    let mut never = synced();
    never.cursors.last_reconciliation = None;
    assert_eq!(plan(&never).kind, RunKind::Reconcile);

    let mut full = synced();
    full.options.full = true;
    check(&full, RunKind::Full, &[Operation::ClientsDetailedList, Operation::Staff, Operation::Groups], 0);
    assert_eq!(plan(&full).steps[0].estimated_bytes, 15_000 * 3_150);
}

#[test]
fn paged_lists_only_when_links_are_not_needed_and_bytes_outweigh_calls() {
    let mut basic = PlanInput::first_run(now(), 5_000);
    basic.practice = PracticeSize { clients: Some(15_000), contacts: Some(30_000), jobs: None };
    basic.options.fidelity = Fidelity::Basic;
    // At a megabyte a call, 90 calls weigh more than the 30 MB they save.
    check(&basic, RunKind::Full, &[Operation::ClientsDetailedList, Operation::Staff, Operation::Groups], 0);

    basic.options.costs.bytes_per_call = 10_000;
    let paged = [
        Operation::ClientsPagedList { pages: 30 },
        Operation::ContactsPagedList { pages: 60 },
        Operation::Staff,
        Operation::Groups,
    ];
    check(&basic, RunKind::Full, &paged, 0);
    assert_eq!(plan(&basic).calls(), 92);

    let mut complete = basic;
    complete.options.fidelity = Fidelity::Complete;
    check(&complete, RunKind::Full, &[Operation::ClientsDetailedList, Operation::Staff, Operation::Groups], 0);
}

#[test]
fn a_spent_budget_defers_everything_after_the_first_step_that_does_not_fit() {
    let mut input = synced();
    input.budget = DayBudget { remaining_calls: 12, reserve_calls: 10 };
    let since = at(2026, 5, 4, 8, 7, 30);
    check(&input, RunKind::Incremental, &[Operation::ClientsModifiedSince { since }, Operation::Staff], 1);

    input.budget = DayBudget { remaining_calls: 3, reserve_calls: 10 };
    check(&input, RunKind::Incremental, &[], 3);
}

#[test]
fn work_rereads_current_jobs_and_the_trailing_window_then_backfills_newest_first() {
    let mut input = synced();
    input.options.include_work = true;
    input.options.history_from = Some(day("2024-01-01"));
    let since = at(2026, 5, 4, 8, 7, 30);
    let trailing = (day("2026-02-04"), day("2026-05-04"));
    let expected = [
        Operation::ClientsModifiedSince { since },
        Operation::Staff,
        Operation::Groups,
        Operation::CurrentJobs,
        Operation::JobWindow { from: trailing.0, to: trailing.1 },
        Operation::TimeWindow { from: trailing.0, to: trailing.1 },
        Operation::JobWindow { from: day("2025-02-04"), to: day("2026-02-03") },
        Operation::TimeWindow { from: day("2025-02-04"), to: day("2026-02-03") },
        Operation::JobWindow { from: day("2024-02-05"), to: day("2025-02-03") },
        Operation::TimeWindow { from: day("2024-02-05"), to: day("2025-02-03") },
        Operation::JobWindow { from: day("2024-01-01"), to: day("2024-02-04") },
        Operation::TimeWindow { from: day("2024-01-01"), to: day("2024-02-04") },
    ];
    check(&input, RunKind::Incremental, &expected, 0);

    // History already stored back to 2025-02-04: only the older windows remain.
    input.cursors.work_complete_from = Some(day("2025-02-04"));
    let plan = plan(&input);
    let windows: Vec<_> = plan
        .steps
        .iter()
        .filter(|step| matches!(step.operation, Operation::JobWindow { .. }))
        .map(|step| step.operation)
        .collect();
    assert_eq!(
        windows,
        [
            Operation::JobWindow { from: trailing.0, to: trailing.1 },
            Operation::JobWindow { from: day("2024-02-05"), to: day("2025-02-03") },
            Operation::JobWindow { from: day("2024-01-01"), to: day("2024-02-04") },
        ]
    );

    // Five calls left: the rest waits, in order, none skipped.
    input.budget.remaining_calls = 5;
    let plan = super::plan(&input);
    assert_eq!(plan.calls(), 5);
    assert_eq!(
        plan.deferred.first().map(|step| step.operation),
        Some(Operation::TimeWindow { from: trailing.0, to: trailing.1 })
    );
    assert_eq!(plan.deferred.len(), 5);
}
