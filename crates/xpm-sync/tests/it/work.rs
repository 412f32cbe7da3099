//! Jobs, time and custom fields against the emulator: the first run stores every job and time
//! entry of the seeded practice window by window, later runs re-read only `job.api/current` and
//! the trailing window, edits and deletions show up there, and custom field values are read
//! only for the records a run changed.

use chrono::{Days, NaiveDate, Utc};
use futures_util::TryStreamExt as _;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::ids::{ClientId, JobNumber};
use xpm_api::model::{Job, Time};
use xpm_api::request::{ClientUpdateRequest, JobUpdateRequest};
use xpm_client::Limits;
use xpm_client::api::CustomFieldOwner;
use xpm_client::clock::SystemClock;
use xpm_client::testing::EmulatorSession;
use xpm_mock::Emulator;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_store::{ChangeCounts, EntityKind};
use xpm_store::{DatabaseLocation, Store};
use xpm_sync::{Operation, RunKind, StepOutcome, state};

use crate::harness::{Backend, Harness, WORK_HISTORY_DAYS};

pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn days_ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

/// Every job the emulator holds (all created within the seeded history), read by creation.
pub(crate) async fn emulator_jobs(harness: &Harness) -> Vec<Job> {
    let reader = harness.session.client().build().expect("client");
    reader.jobs(harness.tenant()).list(days_ago(WORK_HISTORY_DAYS), today()).stream().try_collect().await.expect("jobs")
}

/// The emulator's time entries dated within the history the tests read.
pub(crate) async fn emulator_time(harness: &Harness) -> Vec<Time> {
    let reader = harness.session.client().build().expect("client");
    reader.time(harness.tenant()).list(days_ago(WORK_HISTORY_DAYS), today()).stream().try_collect().await.expect("time")
}

/// Asserts that the store holds as many jobs and time entries as the emulator has within the
/// history the tests read: nothing lost, nothing left over.
pub(crate) async fn assert_work_mirrored(harness: &Harness) {
    let tenant = harness.tenant();
    assert_eq!(
        harness.store.count(tenant, EntityKind::Job).await.expect("count"),
        emulator_jobs(harness).await.len() as u64
    );
    assert_eq!(
        harness.store.count(tenant, EntityKind::Time).await.expect("count"),
        emulator_time(harness).await.len() as u64
    );
}

fn started_before(job: &Job, day: NaiveDate) -> bool {
    job.start_date.is_some_and(|start| start.naive_date() < day)
}

async fn first_run_stores_jobs_and_time(backend: Backend, test: &str) {
    let Some(harness) = Harness::launch(60, backend, test).await else { return };
    let tenant = harness.tenant();
    let report = harness.sync_with(&Harness::work_options()).await.expect("first run");
    let jobs = emulator_jobs(&harness).await;
    let time = emulator_time(&harness).await;
    assert!(
        jobs.len() > 10 && time.len() > 50,
        "a seeded practice has work: {} jobs, {} entries",
        jobs.len(),
        time.len()
    );
    assert_eq!(report.counts_of("job").added, jobs.len() as u64);
    assert_eq!(report.counts_of("time").added, time.len() as u64);
    assert!(report.counts_of("task").added > 0, "detailed jobs carry their tasks: {:?}", report.counts);
    assert_eq!(harness.store.count(tenant, EntityKind::Job).await.expect("count"), jobs.len() as u64);
    assert_eq!(harness.store.count(tenant, EntityKind::Time).await.expect("count"), time.len() as u64);
    // Clients, staff, groups; current jobs; the trailing window (jobs, time); 510 days of
    // history in two windows of each.
    assert_eq!(report.calls, 3 + 1 + 2 + 4, "{:?}", report.steps);
    let store = &harness.store;
    let cursor = |name| async move { store.cursor(tenant, name).await.expect("cursor").map(|c| c.value) };
    let history_from = days_ago(WORK_HISTORY_DAYS).to_string();
    assert_eq!(cursor(state::JOBS_COMPLETE_FROM).await, Some(history_from.clone()));
    assert_eq!(cursor(state::TIME_COMPLETE_FROM).await, Some(history_from));

    // The next run reads current jobs and the trailing window only, and finds nothing new.
    let second = harness.sync_with(&Harness::work_options()).await.expect("second run");
    assert_eq!(second.kind, RunKind::Incremental);
    assert_eq!(second.calls, 1 + 1 + 1 + 2, "clients since, staff, current jobs, trailing window: {:?}", second.steps);
    assert_eq!(second.changes(), 0, "{:?}", second.counts);
    harness.finish().await;
}

#[tokio::test]
async fn the_first_run_stores_every_job_and_time_entry_on_sqlite() {
    first_run_stores_jobs_and_time(Backend::Sqlite, "work_first_sqlite").await;
}

#[tokio::test]
async fn the_first_run_stores_every_job_and_time_entry_on_postgres() {
    first_run_stores_jobs_and_time(Backend::Postgres, "work_first_pg").await;
}

#[tokio::test]
async fn an_edit_to_an_old_job_in_progress_is_found_through_the_current_jobs() {
    let harness = Harness::sqlite(60).await;
    harness.sync_with(&Harness::work_options()).await.expect("first run");
    let reader = harness.session.client().build().expect("client");
    let current = reader.jobs(harness.tenant()).current().send().await.expect("current jobs");
    // Started 110 days ago or more: created before the 90-day trailing window.
    let old = current.iter().find(|job| started_before(job, days_ago(110))).expect("an old job in progress");
    let number: JobNumber = old.id.as_deref().expect("number").parse().expect("a job number");
    reader
        .jobs(harness.tenant())
        .update(&JobUpdateRequest::new(&number).name("Year-end accounts (revised)"))
        .await
        .expect("edit");

    let report = harness.sync_with(&Harness::work_options()).await.expect("second run");
    assert_eq!(report.counts_of("job"), ChangeCounts { added: 0, updated: 1, removed: 0 });
    let stored: Job = harness
        .store
        .get(harness.tenant(), EntityKind::Job, number.as_str())
        .await
        .expect("read")
        .expect("stored")
        .item;
    assert_eq!(stored.name.as_deref(), Some("Year-end accounts (revised)"));
    harness.finish().await;
}

async fn deletions_are_found_in_swept_windows(backend: Backend, test: &str) {
    let Some(harness) = Harness::launch(60, backend, test).await else { return };
    let tenant = harness.tenant();
    harness.sync_with(&Harness::work_options()).await.expect("first run");
    let jobs = emulator_jobs(&harness).await;
    let reader = harness.session.client().build().expect("client");
    // A job started in the last 60 days was created inside the 90-day trailing window; one
    // started more than 200 days ago lies in the history, swept again only by a full run.
    let recent = jobs.iter().rev().find(|job| !started_before(job, days_ago(60))).expect("a recent job");
    let old = jobs.iter().find(|job| started_before(job, days_ago(200))).expect("an old job");
    let mut removed_entries = 0;
    for job in [recent, old] {
        let number: JobNumber = job.id.as_deref().expect("number").parse().expect("a job number");
        let entries = reader.time(tenant).for_job(&number).send().await.expect("its time");
        if job.id == recent.id {
            removed_entries = entries.iter().filter(|e| e.date.is_some_and(|d| d.naive_date() >= days_ago(89))).count();
        }
        // XPM deletes a job with its time entries.
        reader.jobs(tenant).delete(&number).await.expect("delete");
    }

    let incremental = harness.sync_with(&Harness::work_options()).await.expect("incremental run");
    assert_eq!(incremental.counts_of("job").removed, 1, "the recent job, in the trailing window");
    assert_eq!(incremental.counts_of("time").removed, removed_entries as u64, "its entries in the window");
    let stored = |id: &str| {
        let id = id.to_owned();
        let store = &harness.store;
        async move { store.get::<Job>(tenant, EntityKind::Job, &id).await.expect("read").expect("kept") }
    };
    assert!(stored(recent.id.as_deref().expect("id")).await.removed_at.is_some());
    assert!(stored(old.id.as_deref().expect("id")).await.removed_at.is_none(), "its window was not swept");

    let full = harness.sync_with(&Harness::work_options().full(true)).await.expect("full run");
    assert_eq!(full.counts_of("job").removed, 1, "the old job, in a history window");
    assert!(stored(old.id.as_deref().expect("id")).await.removed_at.is_some());
    assert_work_mirrored(&harness).await;
    harness.finish().await;
}

#[tokio::test]
async fn deleted_jobs_and_time_are_found_removed_in_swept_windows_on_sqlite() {
    deletions_are_found_in_swept_windows(Backend::Sqlite, "work_deleted_sqlite").await;
}

#[tokio::test]
async fn deleted_jobs_and_time_are_found_removed_in_swept_windows_on_postgres() {
    deletions_are_found_in_swept_windows(Backend::Postgres, "work_deleted_pg").await;
}

async fn custom_fields_of_changed_records_only(backend: Backend, test: &str) {
    let Some(harness) = Harness::launch(80, backend, test).await else { return };
    let tenant = harness.tenant();
    // The trailing window only: few jobs, each with its values read once.
    let options = Harness::work_options().history_days(None).custom_fields(true);
    // A client past Xero's 60 calls a minute, so the test does not wait for the minute to turn.
    let fast = harness.session.client().limits(Limits { per_minute: 10_000, ..Limits::XERO }).build().expect("client");
    let sync = || xpm_sync::sync_practice(&fast, &harness.store, tenant, &options);
    let journal = harness.emulator().journal();
    let first = sync().await.expect("first run");
    let (clients, jobs) = (first.counts_of("client").added, first.counts_of("job").added);
    assert_eq!(journal.count("CustomFieldV31_Definition"), 1);
    assert_eq!(journal.count("CustomFieldV31_GetClientByIdentifier") as u64, clients);
    assert_eq!(journal.count("CustomFieldV31_GetJob") as u64, jobs);
    assert_eq!(first.custom_fields_read, clients + jobs);
    assert_eq!(first.custom_fields_deferred, 0);
    // The stored values are the emulator's (the seed gives jobs values; clients hold none).
    let reader = harness.session.client().build().expect("client");
    let mut compared = 0;
    for key in harness.store.keys(tenant, EntityKind::Job).await.expect("stored jobs") {
        let number: JobNumber = key.parse().expect("a job number");
        let served = reader.custom_fields(tenant).values(&CustomFieldOwner::Job(number.clone())).send().await;
        let stored = harness.store.custom_field_values(tenant, CustomFieldOwnerKind::Job, number.as_str()).await;
        let (mut served, stored) = (served.expect("served"), stored.expect("stored"));
        served.sort_by_key(|value| value.uuid);
        compared += served.len();
        assert_eq!(stored, served, "values of job {number}");
    }
    assert!(compared > 0, "the seeded jobs hold custom field values");

    // One client and one job change: their values, and only theirs, are read again.
    let client =
        harness.practice().await.into_iter().find(|c| c.is_deleted.is_none_or(|f| !f.is_yes())).expect("client");
    let id = ClientId::from(client.uuid.expect("uuid"));
    reader.clients(tenant).update(&ClientUpdateRequest::new(id).name("Renamed Pty Ltd")).await.expect("edit client");
    let job = reader.jobs(tenant).current().send().await.expect("current").remove(0);
    let number: JobNumber = job.id.as_deref().expect("number").parse().expect("a job number");
    reader.jobs(tenant).update(&JobUpdateRequest::new(&number).name("Renamed job")).await.expect("edit job");
    journal.clear();
    let second = sync().await.expect("second run");
    assert_eq!(journal.count("CustomFieldV31_GetClientByIdentifier"), 1);
    assert_eq!(journal.count("CustomFieldV31_GetJob"), 1);
    assert_eq!(second.custom_fields_read, 2);

    // Nothing changes: no custom field call at all, not even the definitions.
    journal.clear();
    let third = sync().await.expect("third run");
    assert_eq!(third.custom_fields_read, 0);
    assert_eq!(
        journal.entries().iter().filter(|e| e.operation.is_some_and(|o| o.starts_with("CustomField"))).count(),
        0
    );
    harness.finish().await;
}

#[tokio::test]
async fn custom_field_values_are_read_for_changed_records_only_on_sqlite() {
    custom_fields_of_changed_records_only(Backend::Sqlite, "work_custom_sqlite").await;
}

#[tokio::test]
async fn custom_field_values_are_read_for_changed_records_only_on_postgres() {
    custom_fields_of_changed_records_only(Backend::Postgres, "work_custom_pg").await;
}

#[tokio::test]
async fn custom_field_values_the_budget_cannot_pay_for_wait_for_the_next_run() {
    let harness = Harness::sqlite(40).await;
    let per_day = harness.client.governor().limits().per_day;
    let mut options = Harness::options().custom_fields(true);
    // Clients, staff and groups (3 calls), the definitions, and 5 clients' values.
    options.reserve_calls = per_day - (3 + 1 + 5);
    let first = harness.sync_with(&options).await.expect("first run");
    assert_eq!(first.custom_fields_read, 5);
    assert_eq!(first.custom_fields_deferred, 35);
    let pending = harness.store.cursor(harness.tenant(), state::CUSTOM_FIELDS_PENDING).await.expect("cursor");
    assert!(pending.is_some_and(|cursor| cursor.value.matches("client:").count() == 35));

    options.reserve_calls = 0;
    let second = harness.sync_with(&options).await.expect("second run");
    assert_eq!(second.custom_fields_read, 35, "the clients left over, though none changed");
    assert_eq!(second.custom_fields_deferred, 0);
    assert_eq!(harness.store.cursor(harness.tenant(), state::CUSTOM_FIELDS_PENDING).await.expect("cursor"), None);
    harness.finish().await;
}

#[tokio::test]
async fn a_connection_granted_clients_only_skips_jobs_and_time_and_syncs_the_rest() {
    let seed = PracticeSeed { clients: 20, ..PracticeSeed::default() };
    let config = EmulatorSession::config(seed, LimitSettings::OFF);
    let scopes = ["practicemanager.client", "practicemanager.staff.read"];
    let session = EmulatorSession::sign_in(Emulator::new(config), &scopes, &SystemClock).await.expect("sign in");
    let client = session.client().build().expect("client");
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_location(DatabaseLocation::Sqlite(dir.path().join("xpmkit.db"))).await.expect("store");
    let options = Harness::work_options().custom_fields(true);
    let report = xpm_sync::sync_practice(&client, &store, session.tenant, &options).await.expect("the run completes");
    assert_eq!(report.counts_of("client").added, 20);
    let work: Vec<_> = report
        .steps
        .iter()
        .filter(|step| {
            matches!(
                step.step.operation,
                Operation::CurrentJobs | Operation::JobWindow { .. } | Operation::TimeWindow { .. }
            )
        })
        .collect();
    assert!(!work.is_empty());
    assert!(work.iter().all(|step| matches!(step.outcome, StepOutcome::Skipped { .. })), "{work:?}");
    assert_eq!(report.calls, 3, "clients, staff and groups; nothing refused is sent");
    assert_eq!(store.count(session.tenant, EntityKind::Job).await.expect("count"), 0);
    store.close().await;
}
