//! JSON mode: only with both `Accept: application/json` and the strict feature flag, errors in
//! `ResponseErrorDto`, JSON request bodies read with the spec's names.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Api, compact, today};
use crate::spec::assert_follows;

#[tokio::test]
async fn json_needs_the_feature_flag_and_errors_follow_the_dto() {
    let api = Api::work(60).await;
    let accept_only = api
        .request(Method::GET, "/category.api/list")
        .header("accept", "application/json")
        .send()
        .await
        .expect("reply");
    let content_type =
        accept_only.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("text/xml"), "{content_type}");

    let error = api.json(Method::GET, "/job.api/list?from=20250101", None).await.expect(StatusCode::BAD_REQUEST).json();
    assert_eq!(error["status"], "ERROR");
    assert!(error["errorDescription"].as_str().is_some_and(|text| text.contains("to")), "{error}");

    let states = api.json(Method::GET, "/jobstate.api/list", None).await.expect(StatusCode::OK).json();
    assert_eq!(assert_follows("JobStateV31_List", &states), "JobStateListResponseDto");
    assert!(states["jobStates"].as_array().is_some_and(|states| states.len() >= 5), "{states}");
    let tasks = api.json(Method::GET, "/task.api/list", None).await.expect(StatusCode::OK).json();
    assert!(tasks["taskList"].as_array().is_some_and(|tasks| tasks.len() >= 20), "{tasks}");
}

#[tokio::test]
async fn json_bodies_use_the_spec_names() {
    let api = Api::work(60).await;
    let (client, _) = api.client_and_staff().await;
    let date = compact(today());
    let add =
        json!({"name": "JSON job", "clientUuid": client, "startDate": date, "dueDate": date, "clientNumber": "PO-1"});
    let job = api.json(Method::POST, "/job.api/add", Some(&add)).await.expect(StatusCode::OK).json();
    assert_follows("JobV31_Add", &job);
    assert_eq!(job["job"]["clientOrderNumber"], "PO-1");
    assert_eq!(job["job"]["client"]["uuid"], client.to_string());
    let number = job["job"]["id"].as_str().expect("a job number").to_owned();

    let fetched = api.json(Method::GET, &format!("/job.api/get/{number}"), None).await.expect(StatusCode::OK).json();
    assert_follows("JobV31_Get", &fetched);
    assert!(fetched["job"]["webUrl"].is_string() && fetched.get("webUrl").is_none(), "{fetched}");

    let missing = json!({"name": "No client", "startDate": date, "dueDate": date});
    let refused = api.json(Method::POST, "/job.api/add", Some(&missing)).await.expect(StatusCode::BAD_REQUEST).json();
    assert!(refused["errorDescription"].as_str().is_some_and(|text| text.contains("clientUuid")), "{refused}");
}
