//! `time.api` through `client.time(tenant)`, with the date-window stream.

use chrono::{Days, Months, NaiveDate};
use futures_util::TryStreamExt;
use xpm_api::model::Time;
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};
use xpm_api::value::XpmDate;
use xpm_client::clock::Clock;

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_time_entry_is_added_read_changed_listed_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let time = harness.client.time(harness.tenant);
    let today = harness.clock.now().date_naive();
    let jobs = harness.client.jobs(harness.tenant).current().detailed(true).send().await.expect("current jobs");
    let (job, task) = jobs
        .iter()
        .find_map(|job| Some((job.number()?, job.tasks.as_ref()?.first()?.id()?)))
        .expect("a current job with a task");
    let staff = harness.client.staff(harness.tenant).list().send().await.expect("staff")[0].id().expect("a staff uuid");

    let request = TimeAddRequest::new(&job)
        .task_uuid(task)
        .staff_uuid(staff)
        .date(XpmDate::compact(today))
        .minutes(90)
        .note("Reconciled the bank feeds");
    let added = time.add(&request).await.expect("add");
    let id = added.id().expect("the new entry's uuid");
    let uuid = id.uuid();

    let fetched = time.get(id).await.expect("get");
    assert_eq!(fetched.minutes, Some(90));
    assert_eq!(fetched.job.as_ref().and_then(|job| job.id.clone()), Some(job.to_string()));
    assert_eq!(fetched.task.as_ref().and_then(|task| task.uuid), Some(task.uuid()));

    let change = TimeUpdateRequest::new(id).minutes(120);
    assert_eq!(time.update(&change).await.expect("update").minutes, Some(120));

    let listed = time.list(today, today).send().await.expect("today's entries");
    let ours = listed.iter().find(|entry| entry.uuid == Some(uuid)).expect("listed");
    assert_eq!((ours.minutes, ours.note.as_deref()), (Some(120), Some("Reconciled the bank feeds")));
    let by_staff = time.list(today, today).staff(staff).send().await.expect("staff entries");
    assert!(by_staff.iter().any(|entry| entry.uuid == Some(uuid)));
    assert!(by_staff.iter().all(|entry| entry.staff.as_ref().and_then(|member| member.uuid) == Some(staff.uuid())));
    assert!(time.for_job(&job).send().await.expect("job entries").iter().any(|entry| entry.uuid == Some(uuid)));

    time.delete(id).await.expect("delete");
    let listed = time.list(today, today).send().await.expect("today's entries");
    assert!(listed.iter().all(|entry| entry.uuid != Some(uuid)));
    assert!(time.get(id).await.expect_err("gone").xpm_description().is_some());
}

/// An entry moved into a later window while the stream is between windows would be listed
/// twice; the stream yields it once.
#[tokio::test]
async fn an_entry_moved_into_a_later_window_mid_stream_is_yielded_once() {
    let harness = Harness::launch(Setup::default()).await;
    let time = harness.client.time(harness.tenant);
    let today = harness.clock.now().date_naive();
    let recent: Vec<Time> = time.list(today - Days::new(300), today).send().await.expect("recent entries");
    let moved = recent.iter().filter(|entry| entry.date.is_some()).min_by_key(|entry| entry.date.map(|d| d.value()));
    let moved = moved.expect("seeded time in the last 300 days");
    let start: NaiveDate = moved.date.expect("a date").naive_date();
    let end = start + Months::new(2);
    let window_ends = [start + Months::new(1) - Days::new(1), end - Days::new(1), end];
    let mut counts = Vec::new();
    let mut from = start;
    for window_end in window_ends {
        counts.push(time.list(from, window_end).send().await.expect("one window").len());
        from = window_end + Days::new(1);
    }
    let total: usize = counts.iter().sum();

    let mut stream = time.list(start, end).window_months(1).stream();
    let mut streamed = Vec::new();
    for _ in 0..counts[0] {
        streamed.push(stream.try_next().await.expect("an entry").expect("not the end"));
    }
    assert!(streamed.iter().any(|entry| entry.uuid == moved.uuid), "the first window holds the entry");
    let change = TimeUpdateRequest::new(moved.id().expect("a uuid")).date(XpmDate::compact(start + Months::new(1)));
    time.update(&change).await.expect("move it into the second window");
    while let Some(entry) = stream.try_next().await.expect("an entry") {
        streamed.push(entry);
    }
    assert_eq!(streamed.len(), total, "window counts {counts:?}");
    assert_eq!(streamed.iter().filter(|entry| entry.uuid == moved.uuid).count(), 1);
    assert_eq!(harness.emulator().journal().count("TimeV31_List"), 3 + 3 + 1);
}
