//! The work book on its own: the seed's invariants, and a job's life through the `Work` methods.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use uuid::Uuid;
use xpm_api::request::{
    JobAddRequest, JobAssignRequest, JobStateRequest, JobTaskAddRequest, StaffAssignment, TimeAddRequest,
    TimeUpdateRequest,
};
use xpm_api::value::XpmDate;

use super::book::Work;
use super::error::WorkError;
use super::roster::{FixedRoster, Roster};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 15).unwrap_or_default()
}

fn seeded(clients: usize) -> (FixedRoster, Work) {
    let roster = FixedRoster::sized(clients, 12);
    let work = Work::generate_with(&roster, 42, today());
    (roster, work)
}

#[test]
fn the_same_seed_gives_the_same_book() {
    let (_, first) = seeded(300);
    let (_, second) = seeded(300);
    let numbers = |work: &Work| work.jobs.iter().map(|record| record.job.uuid).collect::<Vec<_>>();
    assert_eq!(numbers(&first), numbers(&second));
    let times = |work: &Work| work.times.iter().map(|time| time.uuid).collect::<Vec<_>>();
    assert_eq!(times(&first), times(&second));
    assert_eq!(first.jobs.len(), 100, "one job per three clients");
}

#[test]
fn seeded_time_spans_more_than_a_year_and_adds_up_per_task() {
    let (roster, work) = seeded(600);
    let dates: Vec<NaiveDate> = work.times.iter().filter_map(|time| time.date.map(|date| date.naive_date())).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        panic!("the seed records time");
    };
    assert!((*last - *first).num_days() > 400, "time from {first} to {last}");
    assert!(*last <= today());
    assert!(work.times.iter().any(|time| time.minutes.unwrap_or_default() < 0), "some negative entries");
    assert!(work.times.iter().any(|time| time.start.is_some() && time.end.is_some()), "some start/end entries");
    assert!(work.times.iter().any(|time| time.invoice_task_uuid.is_some()), "some invoiced time");

    let mut recorded: HashMap<Uuid, i32> = HashMap::new();
    for time in work.times.iter() {
        let task = time.task.as_ref().and_then(|task| task.uuid).unwrap_or_default();
        *recorded.entry(task).or_default() += time.minutes.unwrap_or_default();
        let staff = time.staff.as_ref().and_then(|staff| staff.uuid).unwrap_or_default();
        assert!(roster.staff_ref(staff).is_some(), "time by known staff");
    }
    for record in work.jobs.iter() {
        let client = record.job.client.as_ref().and_then(|client| client.uuid).unwrap_or_default();
        assert!(roster.client_ref(client).is_some(), "job {} for a known client", record.number());
        for task in record.tasks() {
            let expected = task.uuid.and_then(|uuid| recorded.get(&uuid)).copied().unwrap_or_default();
            assert_eq!(task.actual_minutes, Some(expected), "actual minutes of a task on {}", record.number());
        }
    }
}

#[test]
fn seeded_billing_and_price_list_cover_every_read() {
    let (_, work) = seeded(600);
    assert_eq!(work.price_list.len(), 1_200);
    let statuses: Vec<&str> = work.billing.invoices.iter().map(|record| record.status()).collect();
    for status in ["Approved", "Paid", "Draft"] {
        assert!(statuses.contains(&status), "an invoice is {status}: {statuses:?}");
    }
    assert!(work.billing.invoices.iter().any(|record| !record.payments.is_empty()));
    let states: Vec<&str> = work.billing.quotes.iter().map(|record| record.state()).collect();
    for state in ["Issued", "Draft", "Accepted"] {
        assert!(states.contains(&state), "a quote is {state}: {states:?}");
    }
    assert!(work.jobs.iter().any(|record| !record.costs.is_empty()));
    assert!(work.jobs.iter().any(|record| !record.is_current()));
    assert!(work.jobs.iter().any(|record| record.is_current()));
}

#[test]
fn a_job_from_add_to_time() {
    let (roster, mut work) = seeded(30);
    let now = today().and_hms_opt(10, 0, 0).unwrap_or_default();
    let client = roster.clients[0].client.uuid;
    let staff = roster.staff[0].uuid.unwrap_or_default();

    let mut add = JobAddRequest::default();
    add.name = Some("Year end".into());
    add.client_uuid = client;
    add.start_date = Some(XpmDate::compact(today()));
    add.due_date = Some(XpmDate::compact(today() + Days::new(30)));
    let job = work.add_job(&roster, &add, now).unwrap_or_else(|error| panic!("{error}"));
    let number = job.id.clone().unwrap_or_default();
    assert_eq!(number, "J000011", "the sequence continues after the seeded jobs");
    assert_eq!(job.state.as_deref(), Some("Planned"));

    add.id = Some(number.to_lowercase());
    assert!(matches!(work.add_job(&roster, &add, now), Err(WorkError::Conflict(_))));

    let mut task = JobTaskAddRequest::default();
    task.job = Some(number.clone());
    task.task_uuid = work.reference.task_types[0].uuid;
    task.estimated_minutes = Some(120);
    let task_uuid = work.add_task(&task).unwrap_or_else(|error| panic!("{error}"));

    let mut assign = JobAssignRequest::new(number.clone());
    assign.add = Some(vec![StaffAssignment::job(staff), StaffAssignment::task(staff, task_uuid)]);
    let job = work.assign(&roster, &assign).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(job.assigned.as_ref().map(Vec::len), Some(1));

    let mut state = JobStateRequest::default();
    state.id = Some(number.clone());
    state.state = Some("In Progress".into());
    assert!(matches!(work.set_state(&state, today()), Err(WorkError::Invalid(_))), "names are not codes");
    state.state = Some("COMPLETED".into());
    let job = work.set_state(&state, today()).unwrap_or_else(|error| panic!("{error}"));
    assert!(job.completed_date.is_some());

    let mut time = TimeAddRequest::default();
    time.job = Some(number.clone());
    time.task_uuid = task.task_uuid;
    time.staff_uuid = Some(staff);
    time.date = Some(XpmDate::compact(today()));
    time.minutes = Some(45);
    assert!(matches!(work.add_time(&roster, &time), Err(WorkError::Invalid(_))), "a task type is not a job task");
    time.task_uuid = Some(task_uuid);
    let entry = work.add_time(&roster, &time).unwrap_or_else(|error| panic!("{error}"));
    let actual = |work: &Work| work.jobs.get(&number).and_then(|record| record.task(task_uuid)?.actual_minutes);
    assert_eq!(actual(&work), Some(45));

    let mut update = TimeUpdateRequest::default();
    update.uuid = entry.uuid;
    update.minutes = Some(-30);
    work.update_time(&roster, &update).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(actual(&work), Some(-30));

    work.delete_time(entry.uuid.unwrap_or_default()).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(actual(&work), Some(0));
    assert_eq!(work.delete_job(&number), Ok(()));
    assert!(work.jobs.by_task(task_uuid).is_none());
}
