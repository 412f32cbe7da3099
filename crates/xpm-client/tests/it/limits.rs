//! The rate governor against the emulator enforcing Xero's limits, on a simulated clock: ten
//! minutes of traffic with no 429 of our making, `Retry-After` obeyed to the second, and the
//! `X-*-Remaining` headers accounting for calls another process made.

use std::sync::Arc;
use xpm_api::catalog::OperationId;

use chrono::Duration;
use parking_lot::Mutex;
use xpm_client::clock::Clock;
use xpm_client::{Call, XpmClient};
use xpm_mock::config::LimitSettings;
use xpm_mock::journal::JournalEntry;

use crate::support::{Harness, Setup};

fn at_xeros_limits() -> Setup {
    Setup { limits: LimitSettings::XERO, ..Setup::default() }
}

fn api_calls(harness: &Harness, operation: &str) -> Vec<JournalEntry> {
    harness.emulator().journal().entries().into_iter().filter(|entry| entry.operation == Some(operation)).collect()
}

fn too_many(harness: &Harness) -> usize {
    harness.emulator().journal().entries().iter().filter(|entry| entry.status == 429).count()
}

/// Calls `operation` as fast as the governor allows until the clock reaches `until`.
async fn drive(client: XpmClient, call: Call, until: chrono::DateTime<chrono::Utc>, done: Arc<Mutex<usize>>) {
    while client.clock().now() < until {
        client.send(call.clone()).await.expect("every call succeeds");
        *done.lock() += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_minutes_at_xeros_limits_cause_no_429() {
    let harness = Harness::launch(at_xeros_limits()).await;
    let start = harness.clock.now();
    let end = start + Duration::minutes(10);
    let done = Arc::new(Mutex::new(0));
    let operations =
        [OperationId::ClientList, OperationId::StaffList, OperationId::CategoryList, OperationId::JobStateList];
    let mut workers = Vec::new();
    for worker in 0..12 {
        let call = Call::new(operations[worker % operations.len()], harness.tenant);
        let task = drive(harness.client.clone(), call, end, Arc::clone(&done));
        workers.push(tokio::spawn(harness.clock.participant().run(task)));
    }
    for worker in workers {
        worker.await.expect("worker");
    }
    let calls: Vec<JournalEntry> =
        harness.emulator().journal().entries().into_iter().filter(|entry| entry.tenant.is_some()).collect();
    assert_eq!(
        too_many(&harness),
        0,
        "429s: {:?}",
        calls.iter().filter(|entry| entry.status == 429).collect::<Vec<_>>()
    );
    // Within any 60 s the emulator saw at most 60 calls, and never more than the day allows.
    for (index, call) in calls.iter().enumerate() {
        let window = calls[index..].iter().take_while(|later| later.at < call.at + Duration::minutes(1)).count();
        assert!(window <= 60, "{window} calls in the minute from {}", call.at);
    }
    // And the governor is not merely slow: every minute window is used to the full, 600 calls
    // before 10:00 (workers waiting at the boundary then send one more each, at 10:00 itself).
    let finished = *done.lock();
    assert_eq!(calls.len(), finished);
    let before_the_end = calls.iter().filter(|call| call.at < end).count();
    assert_eq!(before_the_end, 600, "{finished} calls in all");
    assert!(harness.clock.now() >= end);
}

#[tokio::test]
async fn retry_after_is_obeyed_to_the_second() {
    let harness = Harness::launch(at_xeros_limits()).await;
    // Another process has spent the tenant's minute: this client does not know, sends, gets 429.
    let other = harness.another_client();
    let list = Call::new(OperationId::CategoryList, harness.tenant);
    for _ in 0..60 {
        harness.clock.participate(other.send(list.clone())).await.expect("other process");
    }
    let staff = Call::new(OperationId::StaffList, harness.tenant);
    let answer = harness.clock.participate(harness.client.send(staff)).await.expect("the call succeeds after waiting");
    assert_eq!(answer.attempts(), 2);
    let attempts = api_calls(&harness, "StaffV31_List");
    let [refused, accepted] = attempts.as_slice() else { panic!("two attempts expected: {attempts:?}") };
    assert_eq!(refused.status, 429);
    assert_eq!(accepted.status, 200);
    // The emulator's Retry-After is the time to its next window, which the 429 told us.
    let window_start = refused.at;
    let waited = (accepted.at - window_start).num_seconds();
    let minute_offset = minute_window_offset(&harness);
    let expected = 60 - (window_start.timestamp() - minute_offset).rem_euclid(60);
    assert_eq!(waited, expected, "retried {waited} s after the 429, Retry-After said {expected} s");
}

/// The emulator's per-tenant minute offset, found the way a client would: the window in which
/// 60 calls were accepted. Recomputed here from the emulator's rule for the assertion.
fn minute_window_offset(harness: &Harness) -> i64 {
    i64::try_from(harness.tenant.as_u128() % 60).unwrap_or(0)
}

#[tokio::test]
async fn remaining_headers_hold_calls_back_when_another_process_spent_the_minute() {
    let harness = Harness::launch(at_xeros_limits()).await;
    let other = harness.another_client();
    let categories = Call::new(OperationId::CategoryList, harness.tenant);
    for _ in 0..55 {
        harness.clock.participate(other.send(categories.clone())).await.expect("other process");
    }
    // This client has made no call yet; its first answer says 4 remain, and it keeps to that.
    let staff = Call::new(OperationId::StaffList, harness.tenant);
    for _ in 0..6 {
        harness.clock.participate(harness.client.send(staff.clone())).await.expect("no 429");
    }
    assert_eq!(too_many(&harness), 0);
    let ours = api_calls(&harness, "StaffV31_List");
    assert_eq!(ours.len(), 6);
    let (first, sixth) = (&ours[0], &ours[5]);
    assert!(ours[..5].iter().all(|call| call.at == first.at), "the first five fit the reported remainder");
    // The sixth waits until the reported window must have reset: a minute after the last report.
    assert_eq!((sixth.at - first.at).num_seconds(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrency_429_from_another_process_is_backed_off_and_retried() {
    let harness = Harness::launch(at_xeros_limits()).await;
    // Slow answers keep calls in flight, so two processes with five slots each overrun Xero's five.
    harness.emulator().faults().add(xpm_mock::faults::FaultRule {
        matches: "StaffV31_List".into(),
        fault: xpm_mock::faults::Fault::Latency { ms: std::time::Duration::from_millis(150) },
        times: None,
        probability: None,
    });
    let processes = [harness.client.clone(), harness.another_client()];
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let mut tasks = Vec::new();
    for index in 0..10 {
        let (client, call) = (processes[index % 2].clone(), call.clone());
        tasks.push(tokio::spawn(harness.clock.participant().run(async move { client.send(call).await })));
    }
    for task in tasks {
        task.await.expect("task").expect("every call gets through");
    }
    let statuses: Vec<u16> = api_calls(&harness, "StaffV31_List").iter().map(|entry| entry.status).collect();
    assert!(statuses.contains(&429), "the processes did overrun the concurrency limit: {statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 10);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_client_waits_is_an_error_naming_it() {
    // Day windows on UTC days, and the clock moved away from the day's end: within the
    // client's 15-minute wait of the boundary, the refused call would rightly wait and succeed.
    let limits = LimitSettings { per_day: 3, offset_windows: false, ..LimitSettings::XERO };
    let harness = Harness::launch(Setup { limits, ..Setup::default() }).await;
    let into_day = harness.clock.now().timestamp().rem_euclid(86_400);
    if into_day > 86_400 - 20 * 60 {
        harness.clock.advance(chrono::Duration::seconds(86_400 - into_day + 60));
    }
    let other = harness.another_client();
    let call = Call::new(OperationId::StaffList, harness.tenant);
    for _ in 0..3 {
        harness.clock.participate(other.send(call.clone())).await.expect("the other process's calls");
    }
    let error = harness.clock.participate(harness.client.send(call)).await.expect_err("the day is spent");
    let xpm_client::Error::RateLimited { problem, retry_after: Some(wait), .. } = &error else { panic!("{error:?}") };
    assert_eq!(*problem, xpm_client::LimitProblem::Day);
    assert!(wait.as_secs() > 15 * 60, "{wait:?}");
    assert!(error.to_string().contains("day limit"), "{error}");
    assert_eq!(api_calls(&harness, "StaffV31_List").len(), 4, "no retry within the refused day");
}
