//! The admin API under `/__admin`: `GET /__admin`, the URL the emulator prints, answers with
//! the index of every admin route; and what the API refuses, so that a script's mistake or a
//! hostile page cannot leave the emulator broken.

use reqwest::StatusCode;
use serde_json::json;
use xpm_mock::Clock;
use xpm_mock::admin_index::ADMIN_ROUTES;
use xpm_mock::{Emulator, EmulatorConfig};

use crate::harness::Api;

#[tokio::test]
async fn the_admin_url_answers_with_every_route_and_what_it_does() {
    let running = Emulator::new(EmulatorConfig::default()).spawn().await.expect("the emulator starts");
    let base = running.base_url();
    let http = reqwest::Client::new();
    let index = http.get(format!("{base}/__admin")).send().await.expect("an answer");
    assert_eq!(index.status(), reqwest::StatusCode::OK);
    let index: serde_json::Value = index.json().await.expect("JSON");
    let routes = index["routes"].as_array().expect("routes");
    assert_eq!(routes.len(), ADMIN_ROUTES.len());
    for route in routes {
        assert!(route["does"].as_str().is_some_and(|does| !does.is_empty()), "{route}");
    }
    // Each listed route exists: a GET where one is listed answers, anything else is not a 404.
    for route in ADMIN_ROUTES {
        let path = route.path.replace("{client_id}", "xpmkit-demo");
        let method = if route.methods.contains("GET") { reqwest::Method::GET } else { reqwest::Method::OPTIONS };
        let answer = http.request(method, format!("{base}{path}")).send().await.expect("an answer");
        assert_ne!(answer.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
    }
    let readme = include_str!("../../../../README.md");
    for route in ADMIN_ROUTES {
        assert!(readme.contains(&format!("`{}`", route.path)), "README.md does not list {}", route.path);
    }
}

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

/// A web page can POST a form or plain text anywhere without asking; such a bare cross-site
/// POST once reset the emulator. State-changing admin calls now need a JSON body.
#[tokio::test]
async fn state_changing_admin_calls_need_a_json_body() {
    let api = Api::launch("Admin Practice", 3, 1, "practicemanager.client.read").await;
    let url = |path: &str| format!("{}/__admin{path}", api.running.base_url());
    let bare = [
        api.http.post(url("/reset")),
        api.http.post(url("/reset")).header("content-type", "text/plain").body("{}"),
        api.http.post(url("/reset")).header("content-type", "application/x-www-form-urlencoded").body("a=b"),
        api.http.post(url("/reset")).header("content-type", "application/json").body("not json"),
        api.http.delete(url("/journal")),
        api.http.delete(url("/faults")),
        api.http.post(url("/apps/xpmkit-unapproved/approve")),
        api.http.put(url("/limits")).header("content-type", "text/plain").body("{}"),
    ];
    for request in bare {
        let response = request.send().await.expect("the admin api answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
        assert!(text.contains("application/json"), "the refusal says what to send: {text}");
    }
    assert!(!api.running.emulator().journal().entries().is_empty(), "nothing was reset");
    let reset = api.http.post(url("/reset")).json(&json!({})).send().await.expect("answers");
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(api.http.get(url("/journal")).send().await.expect("answers").status(), StatusCode::OK);
}

/// A hostile name re-pointed at 127.0.0.1 (DNS rebinding) reaches the emulator with that name
/// in `Host`; the admin API refuses it.
#[tokio::test]
async fn the_admin_api_answers_only_its_own_address() {
    let api = Api::launch("Rebinding Practice", 3, 1, "practicemanager.client.read").await;
    let base = api.running.base_url();
    let port = base.rsplit(':').next().unwrap_or_default().to_owned();
    for host in [format!("attacker.example:{port}"), "127.0.0.1:1".to_owned()] {
        let response = api.http.get(format!("{base}/__admin/journal")).header("host", &host).send().await;
        let response = response.expect("answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "Host {host}");
        let reset = api.http.post(format!("{base}/__admin/reset")).header("host", &host).json(&json!({}));
        assert_eq!(reset.send().await.expect("answers").status(), StatusCode::FORBIDDEN, "Host {host}");
    }
    let own = api.http.get(format!("http://localhost:{port}/__admin/tenants")).send().await.expect("answers");
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_token_when_configured_is_required() {
    use xpm_mock::config::LimitSettings;
    let config = EmulatorConfig {
        admin_token: Some("planted-admin-token".into()),
        limits: LimitSettings::OFF,
        ..EmulatorConfig::default()
    };
    let running = Emulator::new(config).spawn().await.expect("starts");
    let http = reqwest::Client::new();
    let url = format!("{}/__admin/tenants", running.base_url());
    let missing = http.get(&url).send().await.expect("answers");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(missing.text().await.unwrap_or_default().contains("Authorization: Bearer"));
    let wrong = http.get(&url).bearer_auth("planted-admin-toke").send().await.expect("answers");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = http.get(&url).bearer_auth("planted-admin-token").send().await.expect("answers");
    assert_eq!(right.status(), StatusCode::OK);
    let debug = format!("{:?}", running.emulator());
    assert!(!debug.contains("planted-admin-token"), "the token stays out of Debug");
}
