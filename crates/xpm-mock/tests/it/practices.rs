//! An emulator with many practices, as a user who works for several firms sees Xero: one
//! sign-in reaches them all (or the ones chosen), each has its own data, and each has its own
//! rate limits.

use std::collections::HashSet;

use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::Value;
use uuid::Uuid;
use xpm_api::model::Client;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

use crate::harness::{Answer, answer, sign_in_with};

const PRACTICES: usize = 20;

async fn start(limits: LimitSettings) -> (RunningEmulator, reqwest::Client) {
    let config = EmulatorConfig {
        auto_consent: true,
        limits,
        practices: PracticeSeed::numbered(PRACTICES, 8, 2026),
        ..EmulatorConfig::default()
    };
    let running = Emulator::new(config).spawn().await.expect("emulator starts");
    let http = reqwest::Client::builder().redirect(Policy::none()).build().expect("http client");
    (running, http)
}

async fn connections(running: &RunningEmulator, http: &reqwest::Client, token: &str) -> Vec<Value> {
    let response = http.get(format!("{}/connections", running.base_url())).bearer_auth(token).send().await;
    response.expect("connections").json().await.expect("JSON")
}

async fn call(running: &RunningEmulator, http: &reqwest::Client, token: &str, tenant: Uuid, path: &str) -> Answer {
    let request = http
        .get(format!("{}{path}", running.api_url()))
        .bearer_auth(token)
        .header("xero-tenant-id", tenant.to_string());
    answer(request).await
}

#[tokio::test]
async fn one_sign_in_reaches_twenty_practices_each_with_its_own_data() {
    let (running, http) = start(LimitSettings::OFF).await;
    let tenants = running.emulator().tenants();
    assert_eq!(tenants.len(), PRACTICES);
    let ids: HashSet<Uuid> = tenants.iter().map(|(id, _)| *id).collect();
    let names: HashSet<&str> = tenants.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!((ids.len(), names.len()), (PRACTICES, PRACTICES), "distinct tenant ids and names: {tenants:?}");
    assert_eq!(tenants[0].1, "Demo Practice (AU)", "the first practice is the usual demo practice");

    let (token, _) = sign_in_with(&http, &running.base_url(), "practicemanager", &[]).await;
    let listed = connections(&running, &http, &token).await;
    let listed_ids: Vec<String> =
        listed.iter().map(|connection| connection["tenantId"].as_str().unwrap_or_default().to_owned()).collect();
    let expected: Vec<String> = tenants.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(listed_ids, expected, "/connections lists every practice, in order");
    assert!(listed.iter().all(|connection| connection["tenantType"] == "PRACTICEMANAGER"));

    let mut seen_clients = HashSet::new();
    let mut seen_names = HashSet::new();
    for (tenant, name) in &tenants {
        let clients: Vec<Client> =
            call(&running, &http, &token, *tenant, "/client.api/list").await.expect(StatusCode::OK).list();
        assert_eq!(clients.len(), 8, "{name}");
        for client in &clients {
            assert!(seen_clients.insert(client.uuid.expect("an id")), "{name} shares a client id with another");
        }
        let practice_names: Vec<String> = clients.iter().filter_map(|client| client.name.clone()).collect();
        assert!(seen_names.insert(practice_names), "{name} has the same clients as another practice");
    }

    // The same seed gives the same practices again.
    let again = EmulatorConfig { practices: PracticeSeed::numbered(PRACTICES, 8, 2026), ..EmulatorConfig::default() };
    assert_eq!(Emulator::new(again).tenants(), tenants);
    running.stop().await.expect("stops");
}

#[tokio::test]
async fn each_practice_has_its_own_rate_limits() {
    let limits = LimitSettings { per_minute: 3, offset_windows: false, ..LimitSettings::XERO };
    let (running, http) = start(limits).await;
    let tenants = running.emulator().tenants();
    let (token, _) = sign_in_with(&http, &running.base_url(), "practicemanager", &[]).await;
    let (first, second) = (tenants[0].0, tenants[1].0);
    for _ in 0..3 {
        call(&running, &http, &token, first, "/staff.api/list").await.expect(StatusCode::OK);
    }
    call(&running, &http, &token, first, "/staff.api/list").await.expect(StatusCode::TOO_MANY_REQUESTS);
    // The first practice's spent minute is not the others'.
    for (tenant, _) in &tenants[1..] {
        call(&running, &http, &token, *tenant, "/staff.api/list").await.expect(StatusCode::OK);
    }
    let response = http
        .get(format!("{}/staff.api/list", running.api_url()))
        .bearer_auth(&token)
        .header("xero-tenant-id", second.to_string())
        .send()
        .await
        .expect("response");
    let remaining = response.headers().get("x-minlimit-remaining").and_then(|value| value.to_str().ok());
    assert_eq!(remaining, Some("1"), "the second practice has used two of its three calls");

    // A tenant-less call counts against the app only, and says so in the one header Xero sends.
    let listed = http.get(format!("{}/connections", running.base_url())).bearer_auth(&token).send().await;
    let listed = listed.expect("connections");
    let header = |name: &str| listed.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    // Three calls, the refused one (not counted), one per other practice, the last, and this one.
    let app_calls = 3 + (PRACTICES - 1) + 1 + 1;
    assert_eq!(header("x-appminlimit-remaining"), Some((10_000 - app_calls).to_string()));
    assert_eq!((header("x-minlimit-remaining"), header("x-daylimit-remaining")), (None, None));
    running.stop().await.expect("stops");
}

#[tokio::test]
async fn emulator_tenants_connects_a_chosen_subset() {
    let (running, http) = start(LimitSettings::OFF).await;
    let tenants = running.emulator().tenants();
    let chosen = format!("2-4,{}", tenants[9].0);
    let (token, _) =
        sign_in_with(&http, &running.base_url(), "practicemanager", &[("emulator_tenants", &chosen)]).await;
    let listed: Vec<String> = connections(&running, &http, &token)
        .await
        .iter()
        .map(|connection| connection["tenantName"].as_str().unwrap_or_default().to_owned())
        .collect();
    let expected: Vec<String> = [1, 2, 3, 9].iter().map(|&index| tenants[index].1.clone()).collect();
    assert_eq!(listed, expected);
    call(&running, &http, &token, tenants[1].0, "/staff.api/list").await.expect(StatusCode::OK);
    call(&running, &http, &token, tenants[0].0, "/staff.api/list").await.expect(StatusCode::FORBIDDEN);

    // A choice that names no practice stops at the error page, naming the part.
    let query = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", xpm_mock::config::DEMO_CLIENT_ID),
        ("redirect_uri", "http://localhost:8765/callback"),
        ("scope", "openid practicemanager"),
        ("emulator_tenants", "3,21"),
    ])
    .expect("query");
    let page = answer(http.get(format!("{}/identity/connect/authorize?{query}", running.base_url()))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("`21` is not a practice number (1 to 20)"), "{}", page.body);
    running.stop().await.expect("stops");
}
