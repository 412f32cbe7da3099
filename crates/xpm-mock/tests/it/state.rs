//! `--state FILE`: an emulator restarted on its state file keeps its tokens, connections, app
//! approvals, registered apps and every edit made through the API.

use std::path::Path;

use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use xpm_api::model::{Client, Job};
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed, UNAPPROVED_CLIENT_ID};
use xpm_mock::{Clock, Emulator, EmulatorConfig, RunningEmulator, StateError, StateOrigin};

use crate::harness::{Answer, answer, sign_in};

fn config() -> EmulatorConfig {
    EmulatorConfig {
        auto_consent: true,
        limits: LimitSettings::OFF,
        practices: vec![PracticeSeed { name: "Kept".into(), clients: 30, seed: 41 }],
        ..EmulatorConfig::default()
    }
}

fn start_time() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp(), 0).unwrap_or_default()
}

/// Opens the state file and serves it.
async fn launch(path: &Path, clock: Clock) -> (RunningEmulator, StateOrigin) {
    let (emulator, origin) = Emulator::open(config(), clock, path).expect("the state file opens");
    (emulator.spawn().await.expect("emulator starts"), origin)
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().expect("http client")
}

async fn call(
    http: &reqwest::Client,
    running: &RunningEmulator,
    token: &str,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Answer {
    let tenant = running.emulator().tenants()[0].0;
    let mut request = http
        .request(method, format!("{}{path}", running.api_url()))
        .bearer_auth(token)
        .header("xero-tenant-id", tenant.to_string());
    if let Some(body) = body {
        request = request.header("content-type", "text/xml").body(body);
    }
    answer(request).await
}

async fn admin(http: &reqwest::Client, running: &RunningEmulator, path: &str, body: &Value) -> Answer {
    answer(http.post(format!("{}/__admin{path}", running.base_url())).json(body)).await
}

async fn add_job(http: &reqwest::Client, running: &RunningEmulator, token: &str, client: Uuid) -> String {
    let today = chrono::Utc::now().format("%Y%m%d");
    let add = format!(
        "<Job><Name>Kept job</Name><ClientUUID>{client}</ClientUUID><StartDate>{today}</StartDate><DueDate>{today}</DueDate></Job>"
    );
    let job: Job =
        call(http, running, token, Method::POST, "/job.api/add", Some(add)).await.expect(StatusCode::OK).single();
    job.id.expect("a job number")
}

#[tokio::test]
async fn a_restarted_emulator_keeps_tokens_connections_approvals_and_edits() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("emulator-state.json");
    let clock = Clock::manual(start_time());
    let (running, origin) = launch(&path, clock.clone()).await;
    assert_eq!(origin, StateOrigin::Created);
    let http = http();
    let (access, refresh) = sign_in(&http, &running.base_url(), "practicemanager").await;

    let add = "<Client><Name>Kept &amp; Co</Name><Email>kept@example.com</Email></Client>".to_owned();
    let added: Client = call(&http, &running, &access, Method::POST, "/client.api/add", Some(add))
        .await
        .expect(StatusCode::OK)
        .single();
    let client = added.uuid.expect("a client id");
    let update = format!("<Client><UUID>{client}</UUID><City>Ōtautahi</City></Client>");
    call(&http, &running, &access, Method::PUT, "/client.api/update", Some(update)).await.expect(StatusCode::OK);
    let first_job = add_job(&http, &running, &access, client).await;

    admin(
        &http,
        &running,
        &format!("/apps/{UNAPPROVED_CLIENT_ID}/approve"),
        &json!({"scopes": ["practicemanager.client.read"]}),
    )
    .await
    .expect(StatusCode::OK);
    let app = json!({"clientId": "added-later", "clientSecret": "added-later-secret", "redirectUris": ["http://localhost:9999/cb"]});
    admin(&http, &running, "/apps", &app).await.expect(StatusCode::CREATED);
    admin(&http, &running, "/clock", &json!({"advanceSeconds": 600})).await.expect(StatusCode::OK);
    let before = clock.now();
    running.stop().await.expect("stops, saving its state");

    // A new emulator, on a new clock and port, from the same file.
    let (running, origin) = launch(&path, Clock::manual(start_time())).await;
    assert_eq!(origin, StateOrigin::Loaded { overridden: Vec::new() });
    assert_eq!(running.emulator().clock().now(), before, "the virtual clock is where it was");

    let kept: Client = call(&http, &running, &access, Method::GET, &format!("/client.api/get/{client}"), None)
        .await
        .expect(StatusCode::OK)
        .single();
    assert_eq!(
        (kept.name.as_deref(), kept.city.as_deref()),
        (Some("Kept & Co"), Some("Ōtautahi")),
        "the access token still works and the edit is there"
    );

    let refreshed = http
        .post(format!("{}/connect/token", running.base_url()))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())])
        .send()
        .await
        .expect("token request");
    assert_eq!(refreshed.status(), StatusCode::OK, "the refresh token still refreshes");
    let tokens: Value = refreshed.json().await.expect("token JSON");
    let new_access = tokens["access_token"].as_str().expect("an access token");
    let connections: Value = http
        .get(format!("{}/connections", running.base_url()))
        .bearer_auth(new_access)
        .send()
        .await
        .expect("connections")
        .json()
        .await
        .expect("JSON");
    assert_eq!(connections.as_array().map(Vec::len), Some(1), "the connection stands: {connections}");

    let apps: Value = http
        .get(format!("{}/__admin/apps", running.base_url()))
        .send()
        .await
        .expect("apps")
        .json()
        .await
        .expect("JSON");
    let apps = apps.as_array().expect("a list");
    let unapproved = apps.iter().find(|app| app["clientId"] == UNAPPROVED_CLIENT_ID).expect("the app");
    assert_eq!(unapproved["approvedScopes"], json!(["practicemanager.client.read"]), "the approval holds");
    assert!(
        apps.iter().any(|app| app["clientId"] == "added-later" && app["public"] == false),
        "the app added later is there, with its secret"
    );

    let second_job = add_job(&http, &running, new_access, client).await;
    assert!(second_job > first_job, "job numbers go on from where they were: {first_job} then {second_job}");
    running.stop().await.expect("stops");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the file holds secrets");
    }
    let text = std::fs::read_to_string(&path).expect("reads");
    assert!(!text.contains(&access) && !text.contains(&refresh), "the file holds no usable token, only their hashes");
}

#[tokio::test]
async fn changes_are_saved_while_serving_and_when_the_server_is_dropped() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    let (running, _) = launch(&path, Clock::manual(start_time())).await;
    let http = http();
    admin(
        &http,
        &running,
        &format!("/apps/{UNAPPROVED_CLIENT_ID}/approve"),
        &json!({"scopes": ["practicemanager.job.read"]}),
    )
    .await
    .expect(StatusCode::OK);
    drop(running);
    let text = std::fs::read_to_string(&path).expect("reads");
    assert!(text.contains("practicemanager.job.read"), "dropping the server saved the approval");
}

#[tokio::test]
async fn a_damaged_state_file_stops_the_emulator_and_is_left_alone() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    let (running, _) = launch(&path, Clock::manual(start_time())).await;
    running.stop().await.expect("stops");
    let whole = std::fs::read(&path).expect("reads");
    std::fs::write(&path, &whole[..whole.len() - 10]).expect("cuts it short");
    let error = match Emulator::open(config(), Clock::system(), &path) {
        Ok(_) => panic!("a damaged file was accepted"),
        Err(error) => error,
    };
    assert!(matches!(error, StateError::Corrupt { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()) && message.contains("move it aside"), "{message}");
    assert_eq!(std::fs::read(&path).expect("reads").len(), whole.len() - 10, "the file is as it was");
}
