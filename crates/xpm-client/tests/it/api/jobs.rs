//! `job.api` through `client.jobs(tenant)`, with the date-window stream.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};
use futures_util::TryStreamExt;
use xpm_api::ids::ClientId;
use xpm_api::model::Job;
use xpm_api::request::{JobAddRequest, JobUpdateRequest};
use xpm_api::value::XpmDate;
use xpm_client::Error;
use xpm_client::clock::Clock;

use crate::support::{Harness, Setup};

fn today(harness: &Harness) -> NaiveDate {
    harness.clock.now().date_naive()
}

async fn add_job(harness: &Harness, name: &str) -> Job {
    let page = harness.client.clients(harness.tenant).paged().page_size(1).send().await.expect("a client");
    let request = JobAddRequest::new(page.items[0].id().expect("a client uuid"))
        .name(name)
        .start_date(XpmDate::compact(today(harness)))
        .due_date(XpmDate::compact(today(harness) + chrono::Days::new(30)));
    harness.client.jobs(harness.tenant).add(&request).await.expect("add")
}

#[tokio::test]
async fn a_job_is_added_read_changed_listed_moved_on_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let jobs = harness.client.jobs(harness.tenant);
    let added = add_job(&harness, "Year-end accounts").await;
    let number = added.number().expect("the new job's number");
    let client = added.client.as_ref().and_then(|client| client.uuid).map(ClientId::from).expect("the job's client");

    let fetched = jobs.get(&number).await.expect("get");
    assert_eq!(fetched.name.as_deref(), Some("Year-end accounts"));
    assert_eq!(fetched.uuid, added.uuid);

    let change = JobUpdateRequest::new(&number).name("Year-end accounts FY25");
    let updated = jobs.update(&change).await.expect("update");
    assert_eq!(updated.name.as_deref(), Some("Year-end accounts FY25"));

    let current = jobs.current().send().await.expect("current");
    let ours = current.iter().find(|job| job.number().as_ref() == Some(&number)).expect("a new job is current");
    assert_eq!(ours.name.as_deref(), Some("Year-end accounts FY25"));
    assert_eq!(ours.tasks, None, "the short shape has no tasks");
    let of_client = jobs.for_client(client).send().await.expect("client jobs");
    assert!(of_client.iter().any(|job| job.number().as_ref() == Some(&number)));

    let completed = jobs.set_state(&number, "COMPLETED").await.expect("state");
    assert_eq!(completed.state.as_deref(), Some("Completed"));
    assert!(completed.completed_date.is_some());
    let current = jobs.current().send().await.expect("current");
    assert!(current.iter().all(|job| job.number().as_ref() != Some(&number)), "a completed job is not current");
    let refused = jobs.set_state(&number, "In Progress").await.expect_err("a display name is not a code");
    assert!(refused.xpm_description().is_some_and(|text| text.contains("interface code")), "{refused}");

    jobs.delete(&number).await.expect("delete");
    assert!(jobs.get(&number).await.expect_err("gone").xpm_description().is_some());
}

#[tokio::test]
async fn the_window_stream_cuts_three_years_into_three_calls_and_yields_each_job_once() {
    let harness = Harness::launch(Setup { clients: 60, ..Setup::default() }).await;
    let added = add_job(&harness, "Created today").await;
    let jobs = harness.client.jobs(harness.tenant);
    let to = today(&harness);
    let from = to.checked_sub_months(Months::new(36)).and_then(|date| date.succ_opt()).expect("a date");
    let windows = [
        (from, from + Months::new(12) - chrono::Days::new(1)),
        (from + Months::new(12), from + Months::new(24) - chrono::Days::new(1)),
        (from + Months::new(24), to),
    ];
    let mut by_window = Vec::new();
    for (start, end) in windows {
        by_window.push(jobs.list(start, end).send().await.expect("one window"));
    }
    assert!(by_window.iter().filter(|found| !found.is_empty()).count() >= 2, "the seed spans 540 days");
    let expected: Vec<Job> = by_window.concat();

    let journal = harness.emulator().journal();
    journal.clear();
    let streamed: Vec<Job> = jobs.list(from, to).stream().try_collect().await.expect("stream");
    assert_eq!(journal.count("JobV31_List"), 3);
    assert_eq!(streamed, expected);
    let unique: HashSet<_> = streamed.iter().map(|job| job.uuid).collect();
    assert_eq!(unique.len(), streamed.len());
    assert!(streamed.iter().any(|job| job.id == added.id), "today's job is in the last window");

    let single = jobs.list(from, to).send().await.expect_err("one call over three years");
    assert!(single.xpm_description().is_some_and(|text| text.contains("less than one year")), "{single}");
}

#[tokio::test]
async fn a_bad_range_fails_the_stream_before_any_call() {
    let harness = Harness::launch(Setup::default()).await;
    let to = today(&harness);
    let from = to + chrono::Days::new(1);
    let journal = harness.emulator().journal();
    journal.clear();
    let mut stream = harness.client.jobs(harness.tenant).list(from, to).stream();
    let error = stream.try_next().await.expect_err("a backwards range");
    assert!(matches!(error, Error::InvalidDateRange { from: f, to: t } if f == from && t == to), "{error:?}");
    assert_eq!(stream.try_next().await.expect("the stream ended"), None);
    assert_eq!(journal.count("JobV31_List"), 0);
}
