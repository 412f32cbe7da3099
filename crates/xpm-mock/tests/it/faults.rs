//! Fault injection, over the admin API, as a test suite in any language would use it.

use xpm_mock::EmulatorConfig;
use xpm_mock::config::LimitSettings;

use crate::session::Session;

fn config() -> EmulatorConfig {
    EmulatorConfig { limits: LimitSettings::OFF, ..EmulatorConfig::default() }
}

#[tokio::test]
async fn status_faults_fire_the_given_number_of_times() {
    let session = Session::start(config(), None).await;
    session
        .inject(serde_json::json!({"matches": "StaffV31_List", "fault": {"kind": "status", "code": 503}, "times": 2}))
        .await;
    for _ in 0..2 {
        let response = session.get("staff.api/list").send().await.expect("response");
        assert_eq!(response.status(), 503);
        let body = response.text().await.expect("body");
        assert!(body.contains("<Status>ERROR</Status>"), "{body}");
    }
    let healthy = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(healthy.status(), 200);
    let journal = session.running.emulator().journal().entries();
    let faulted = journal.iter().filter(|entry| entry.fault == Some("status")).count();
    assert_eq!(faulted, 2);
}

#[tokio::test]
async fn error_200_truncate_malformed_and_reset() {
    let session = Session::start(config(), None).await;
    session
        .inject(serde_json::json!([
            {"matches": "/staff.api/", "fault": {"kind": "error200", "description": "Staff list unavailable"}, "times": 1},
            {"matches": "/staff.api/", "fault": {"kind": "truncate"}, "times": 1},
            {"matches": "/staff.api/", "fault": {"kind": "malformed"}, "times": 1},
            {"matches": "/staff.api/", "fault": {"kind": "reset"}, "times": 1},
            {"matches": "/staff.api/", "fault": {"kind": "too_many_requests", "retry_after": 7}, "times": 1}
        ]))
        .await;

    let error_200 = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(error_200.status(), 200);
    let body = error_200.text().await.expect("body");
    assert!(body.contains("<Status>ERROR</Status>") && body.contains("Staff list unavailable"), "{body}");

    let truncated = session.get("staff.api/list").send().await.expect("headers arrive");
    assert!(truncated.bytes().await.is_err(), "the body is cut short");

    let malformed = session.get("staff.api/list").send().await.expect("response");
    let body = malformed.bytes().await.expect("body");
    let decoded = xpm_api::response::XmlList::<_, xpm_api::model::Staff>::new(&body[..]).collect_all();
    assert!(decoded.is_err_and(|error| error.as_decode().is_some()));

    let reset = session.get("staff.api/list").send().await;
    let outcome = match reset {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(outcome, "the connection drops");

    let limited = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers().get("retry-after").and_then(|value| value.to_str().ok()), Some("7"));

    assert_eq!(session.get("staff.api/list").send().await.expect("response").status(), 200, "faults are spent");
}

#[tokio::test]
async fn a_refresh_whose_response_is_lost_recovers_through_the_grace_period() {
    let session = Session::start(config(), None).await;
    session.inject(serde_json::json!({"matches": "token:refresh_token", "fault": {"kind": "reset"}, "times": 1})).await;
    let lost = session.refresh(&session.refresh_token).await;
    let lost = match lost {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(lost, "the rotated tokens never arrive");

    // The emulator did rotate (the journal says so), yet the old refresh token still works
    // within the 30-minute grace period, so a client that kept it recovers.
    let rotated = session.running.emulator().journal().entries();
    assert!(rotated.iter().any(|entry| entry.operation == Some("token") && entry.fault == Some("reset")));
    let retried = session.refresh(&session.refresh_token).await.expect("retry");
    assert_eq!(retried.status(), 200);
    let tokens: serde_json::Value = retried.json().await.expect("tokens");
    assert!(tokens["refresh_token"].as_str().is_some_and(|token| token != session.refresh_token));
}

/// `apply_then_drop`: the write takes effect, its answer never arrives; the client it made is
/// there for the next read, and the journal names the fault.
#[tokio::test]
async fn apply_then_drop_makes_the_write_and_loses_its_answer() {
    let session = Session::start(config(), None).await;
    session
        .inject(serde_json::json!({"matches": "ClientV31_Add", "fault": {"kind": "apply_then_drop"}, "times": 1}))
        .await;
    let body = "<Client><Name>Dropped Answer Ltd</Name><Email>dropped@example.com</Email></Client>";
    let sent = session
        .http
        .post(format!("{}/client.api/add", session.running.api_url()))
        .bearer_auth(&session.access_token)
        .header("Xero-Tenant-Id", session.tenant.to_string())
        .header("Content-Type", "application/xml")
        .body(body)
        .send()
        .await;
    let lost = match sent {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(lost, "the answer never arrives");

    let search = session.get("client.api/search?query=Dropped%20Answer").send().await.expect("search");
    let found = search.text().await.expect("body");
    assert_eq!(found.matches("<Name>Dropped Answer Ltd</Name>").count(), 1, "the client was made once: {found}");
    let journal = session.running.emulator().journal().entries();
    let dropped: Vec<_> = journal.iter().filter(|entry| entry.fault == Some("apply_then_drop")).collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].operation, Some("ClientV31_Add"));
}
