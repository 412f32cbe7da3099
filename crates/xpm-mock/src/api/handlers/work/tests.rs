//! The work handlers called directly, without the gateway: routing ownership, parameter checks,
//! and the bodies they render.

use axum::http::StatusCode;
use parking_lot::RwLock;
use uuid::Uuid;
use xpm_api::catalog::Method;

use crate::api::Format;
use crate::api::handlers::test_support::call_handler;
use crate::config::PracticeSeed;
use crate::practice::Practice;

fn practice() -> RwLock<Practice> {
    RwLock::new(Practice::generate(&PracticeSeed { name: "Test".into(), clients: 90, seed: 7 }))
}

/// Calls `method target` with `body` in `format`: the status and the body text.
async fn call(
    practice: &RwLock<Practice>,
    method: Method,
    target: &str,
    body: &str,
    format: Format,
) -> (StatusCode, String) {
    call_handler(practice, method, target, body, format).await
}

async fn get(practice: &RwLock<Practice>, target: &str) -> (StatusCode, String) {
    call(practice, Method::Get, target, "", Format::Xml).await
}

#[tokio::test]
async fn date_windows_report_from_then_to_then_the_span() {
    let practice = practice();
    for list in ["/job.api/list", "/time.api/list", "/invoice.api/list", "/quote.api/list"] {
        let (status, text) = get(&practice, list).await;
        assert_eq!((status, text.contains("from")), (StatusCode::BAD_REQUEST, true), "{list}: {text}");
        let (status, text) = get(&practice, &format!("{list}?from=20250101")).await;
        assert_eq!((status, text.contains(" to ")), (StatusCode::BAD_REQUEST, true), "{list}: {text}");
        let (status, text) = get(&practice, &format!("{list}?from=20250101&to=20260101")).await;
        assert_eq!((status, text.contains("less than one year")), (StatusCode::BAD_REQUEST, true), "{list}: {text}");
        let (status, text) = get(&practice, &format!("{list}?from=2025-01-01&to=20251231")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{list}: {text}");
        let (status, text) = get(&practice, &format!("{list}?from=20250101&to=20251231")).await;
        assert_eq!(status, StatusCode::OK, "{list}: {text}");
    }
}

#[tokio::test]
async fn job_lists_are_short_unless_detailed() {
    let practice = practice();
    let (status, short) = get(&practice, "/job.api/current").await;
    assert_eq!(status, StatusCode::OK);
    assert!(short.contains("<Jobs><Job>") && !short.contains("<Tasks>"), "{short}");
    let (_, detailed) = get(&practice, "/job.api/current?detailed=true").await;
    assert!(detailed.contains("<Tasks>"), "{detailed}");
    let (status, missing) = get(&practice, "/job.api/get/J999999").await;
    assert_eq!((status, missing.as_str()), (StatusCode::NOT_FOUND, "job J999999 not found"));
    let (status, job) = get(&practice, "/job.api/get/j000001").await;
    assert_eq!(status, StatusCode::OK);
    assert!(job.contains("<ID>J000001</ID>") && job.contains("</Job><WebUrl>"), "{job}");
}

#[tokio::test]
async fn cost_pages_run_dry() {
    let practice = practice();
    let (status, text) = get(&practice, "/cost.api/list").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert_eq!(get(&practice, "/cost.api/list?page=0").await.0, StatusCode::BAD_REQUEST);
    for (page, records) in [(1, 1000), (2, 200), (3, 0)] {
        let (_, text) = get(&practice, &format!("/cost.api/list?page={page}")).await;
        assert!(text.contains(&format!("<Records>{records}</Records>")), "page {page}: {}", &text[text.len() - 80..]);
    }
}

#[tokio::test]
async fn writes_answer_in_the_spec_shapes() {
    let practice = practice();
    let task_type = practice.read().work.reference.task_types[0].uuid.unwrap_or_default();
    let body = format!(r#"{{"job":"J000001","taskUuid":"{task_type}","estimatedMinutes":60}}"#);
    let (status, text) = call(&practice, Method::Post, "/job.api/task", &body, Format::Json).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(json["status"], "OK");
    assert!(json["uuid"].as_str().is_some_and(|uuid| Uuid::try_parse(uuid).is_ok()), "{text}");

    let (status, text) = call(&practice, Method::Post, "/job.api/createestimate/J000001", "", Format::Xml).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("<ID>Q"), "{text}");

    let (status, text) = call(&practice, Method::Post, "/job.api/task", "<Task><Job>J000001</Job>", Format::Xml).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.starts_with("invalid <Task> XML body"), "{text}");
    let (status, text) = call(&practice, Method::Put, "/job.api/state", "", Format::Xml).await;
    assert_eq!((status, text.as_str()), (StatusCode::BAD_REQUEST, "the request needs a <Job> XML body"));
}
