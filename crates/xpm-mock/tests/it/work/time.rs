//! Time: windows over eighteen months of seeded entries, per staff member, and updates.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use xpm_api::model::Time;

use super::{Api, window};

#[tokio::test]
async fn history_is_read_in_windows_under_a_year() {
    let api = Api::work(150).await;
    let (_, staff) = api.client_and_staff().await;
    api.get("/time.api/list").await.expect(StatusCode::BAD_REQUEST);
    api.get(&format!("/time.api/list?{}", window(400, 0))).await.expect(StatusCode::BAD_REQUEST);

    let mut seen = HashSet::new();
    let mut all = Vec::new();
    for (from, to) in [(729, 365), (364, 0)] {
        let times: Vec<Time> =
            api.get(&format!("/time.api/list?{}", window(from, to))).await.expect(StatusCode::OK).list();
        assert!(!times.is_empty(), "entries between {from} and {to} days ago");
        for time in times {
            assert!(seen.insert(time.uuid), "windows do not overlap");
            all.push(time);
        }
    }
    assert!(all.iter().any(|time| time.minutes.unwrap_or_default() < 0), "negative corrections");
    assert!(all.iter().any(|time| time.start.is_some() && time.end.is_some()), "entries with start and end");

    let staff_window = format!("/time.api/staff/{staff}?{}", window(364, 0));
    let theirs: Vec<Time> = api.get(&staff_window).await.expect(StatusCode::OK).list();
    assert!(theirs.iter().all(|time| time.staff.as_ref().and_then(|member| member.uuid) == Some(staff)));
    api.get(&format!("/time.api/staff/{staff}?from=20250101")).await.expect(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn updating_minutes_drops_start_and_end() {
    let api = Api::work(90).await;
    let times: Vec<Time> = api.get(&format!("/time.api/list?{}", window(364, 0))).await.expect(StatusCode::OK).list();
    let timed = times.iter().find(|time| time.start.is_some()).expect("an entry with start and end");
    let uuid = timed.uuid.expect("a UUID");
    let update = format!("<Timesheet><UUID>{uuid}</UUID><Minutes>-15</Minutes><Note>Write-down</Note></Timesheet>");
    let updated: Time = api.xml(Method::PUT, "/time.api/update", Some(&update)).await.expect(StatusCode::OK).single();
    assert_eq!((updated.minutes, updated.start, updated.end), (Some(-15), None, None));
    assert_eq!(updated.note.as_deref(), Some("Write-down"));
    assert_eq!(updated.task, timed.task, "what the body leaves out stays");
    let fetched: Time = api.get(&format!("/time.api/get/{uuid}")).await.expect(StatusCode::OK).single();
    assert_eq!(fetched, updated);
}
