//! The admin API under `/__admin`: what it refuses, so that a script's mistake or a hostile page
//! cannot leave the emulator broken.

use reqwest::StatusCode;
use serde_json::json;
use xpm_mock::Clock;

use crate::harness::Api;

/// A clock advanced beyond any date once made every later request panic; now the move is
/// refused with the range, and the emulator keeps answering.
#[tokio::test]
async fn clock_moves_beyond_any_date_are_refused_and_the_emulator_keeps_answering() {
    let api = Api::launch("Clock Practice", 3, 1, "practicemanager.client.read").await;
    let admin = format!("{}/__admin/clock", api.running.base_url());
    let before = api.clock.now();
    for change in [
        json!({"advanceSeconds": 9_000_000_000_000_i64}),
        json!({"advanceSeconds": i64::MAX}),
        json!({"advanceSeconds": i64::MIN}),
        json!({"advanceSeconds": -2_000_000_000_i64}),
        json!({"now": "+200000-01-01T00:00:00Z"}),
        json!({"now": "9999-06-01T00:00:00Z"}),
    ] {
        let response = api.http.post(&admin).json(&change).send().await.expect("the admin api answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{change}: {text}");
        assert!(text.contains("9999-01-01T00:00:00+00:00"), "the error names the range: {text}");
        assert_eq!(api.clock.now(), before, "a refused move leaves the clock alone");
        api.get("/client.api/list").await.expect(StatusCode::OK);
    }
    let edge = api.http.post(&admin).json(&json!({"now": Clock::LATEST})).send().await.expect("answers");
    assert_eq!(edge.status(), StatusCode::OK);
    let discovery = format!("{}/.well-known/openid-configuration", api.running.base_url());
    assert_eq!(api.http.get(discovery).send().await.expect("answers").status(), StatusCode::OK);
}
