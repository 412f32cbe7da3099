//! Xero identity, driven over HTTP the way an outside app drives it: discovery, the authorize
//! page and its consent form, redirects read by hand, the token endpoint, JWKS verification,
//! `/connections`, revocation and the approval gate. Time moves on a manual clock.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use xpm_api::catalog::Scope;
use xpm_mock::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, PracticeSeed, UNAPPROVED_CLIENT_ID};
use xpm_mock::{Clock, Emulator, EmulatorConfig, RunningEmulator};

mod consent;
mod strict;
mod tokens;

const PKCE_CLIENT: &str = "pkce-app";
const REDIRECT: &str = "http://localhost:8765/callback";
const ALL_SCOPES: &str = "openid profile email offline_access practicemanager";

/// A running emulator, a client that does not follow redirects, and the emulator's clock.
struct TestApp {
    running: RunningEmulator,
    http: reqwest::Client,
    clock: Clock,
}

/// What the app gets back on its redirect URI.
#[derive(Debug)]
struct Callback {
    params: Vec<(String, String)>,
}

impl Callback {
    fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn code(&self) -> String {
        self.get("code").map(str::to_owned).unwrap_or_else(|| panic!("no code in {self:?}"))
    }
}

/// Tokens from the token endpoint.
#[derive(Debug)]
struct Tokens {
    body: Value,
}

impl Tokens {
    fn access(&self) -> &str {
        self.body["access_token"].as_str().unwrap_or_default()
    }

    fn refresh(&self) -> &str {
        self.body["refresh_token"].as_str().unwrap_or_default()
    }
}

fn config() -> EmulatorConfig {
    let practice = |name: &str, seed: u64| PracticeSeed { name: name.into(), seed, ..PracticeSeed::default() };
    let mut apps = EmulatorConfig::default().apps;
    apps.push(AppRegistration {
        name: "PKCE desktop app".into(),
        client_id: PKCE_CLIENT.into(),
        client_secret: None,
        redirect_uris: vec![REDIRECT.into()],
        requested_scopes: Scope::ALL.into_iter().collect(),
        approved_scopes: Scope::ALL.into_iter().collect(),
    });
    EmulatorConfig {
        apps,
        practices: vec![practice("North Practice", 1), practice("South & Sons", 2)],
        ..EmulatorConfig::default()
    }
}

async fn spawn(config: EmulatorConfig) -> TestApp {
    // The manual clock starts at the real time (whole seconds) so that jsonwebtoken, which checks
    // `exp` against the system clock, accepts fresh tokens.
    let start = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default();
    let clock = Clock::manual(start);
    let running = Emulator::with_clock(config, clock.clone()).spawn().await.expect("emulator starts");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { running, http, clock }
}

fn pkce_pair(seed: &str) -> (String, String) {
    let verifier = format!("{seed}-verifier-{}", "x".repeat(43));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

impl TestApp {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url())
    }

    async fn discovery(&self) -> Value {
        let response = self.http.get(self.url("/.well-known/openid-configuration")).send().await.expect("discovery");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("discovery JSON")
    }

    fn authorize_url(&self, client_id: &str, scope: &str, challenge: Option<&str>) -> String {
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("state", "st-123"),
            ("nonce", "nonce-456"),
        ];
        if let Some(challenge) = challenge {
            params.extend([("code_challenge", challenge), ("code_challenge_method", "S256")]);
        }
        let query = serde_urlencoded::to_string(&params).expect("query");
        self.url(&format!("/identity/connect/authorize?{query}"))
    }

    /// GET the authorize URL, read the consent form, press a button, and read the redirect.
    async fn consent(&self, authorize_url: &str, decision: &str) -> Callback {
        let page = self.http.get(authorize_url).send().await.expect("authorize");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("consent page");
        let request_id = attribute_values(&html, "request_id").pop().expect("request_id field");
        let mut form = vec![("request_id".to_owned(), request_id), ("decision".to_owned(), decision.to_owned())];
        form.extend(attribute_values(&html, "tenant").into_iter().map(|tenant| ("tenant".to_owned(), tenant)));
        let answer = self.http.post(self.url("/identity/connect/authorize")).form(&form).send().await.expect("consent");
        follow(answer)
    }

    async fn token(&self, form: &[(&str, &str)], basic: bool) -> reqwest::Response {
        let mut request = self.http.post(self.url("/connect/token")).form(form);
        if basic {
            request = request.basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET));
        }
        request.send().await.expect("token request")
    }

    /// The PKCE app's whole flow: consent, then code exchange.
    async fn pkce_tokens(&self, scope: &str) -> Tokens {
        let (verifier, challenge) = pkce_pair("flow");
        let callback = self.consent(&self.authorize_url(PKCE_CLIENT, scope, Some(&challenge)), "allow").await;
        let code = callback.code();
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", PKCE_CLIENT),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ];
        let response = self.token(&form, false).await;
        assert_eq!(response.status(), StatusCode::OK);
        Tokens { body: response.json().await.expect("token JSON") }
    }

    async fn refresh(&self, refresh_token: &str) -> reqwest::Response {
        let form = [("grant_type", "refresh_token"), ("client_id", PKCE_CLIENT), ("refresh_token", refresh_token)];
        self.token(&form, false).await
    }

    async fn connections(&self, access_token: &str) -> reqwest::Response {
        self.http.get(self.url("/connections")).bearer_auth(access_token).send().await.expect("connections")
    }

    async fn connections_json(&self, access_token: &str) -> Vec<Value> {
        let response = self.connections(access_token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("connections JSON")
    }

    async fn api_call(&self, access_token: &str, tenant: &str) -> reqwest::Response {
        self.http
            .get(format!("{}/client.api/list", self.running.api_url()))
            .bearer_auth(access_token)
            .header("xero-tenant-id", tenant)
            .send()
            .await
            .expect("api call")
    }
}

/// The `value` of every input named `name` in the consent form.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let marker = format!("name=\"{name}\" value=\"");
    html.match_indices(&marker)
        .filter_map(|(at, _)| html[at + marker.len()..].split('"').next().map(str::to_owned))
        .collect()
}

fn follow(response: reqwest::Response) -> Callback {
    assert_eq!(response.status(), StatusCode::FOUND, "expected a redirect");
    let location = response.headers().get("location").and_then(|value| value.to_str().ok()).expect("location");
    let (target, query) = location.split_once('?').expect("query on the redirect");
    assert_eq!(target, REDIRECT);
    Callback { params: serde_urlencoded::from_str(query).expect("redirect query") }
}

async fn oauth_error(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("error JSON");
    (status, body["error"].as_str().unwrap_or_default().to_owned())
}

/// Verifies a JWT with the key the JWKS publishes for its `kid`.
async fn verify(app: &TestApp, token: &str, audience: &str) -> Value {
    let discovery = app.discovery().await;
    let jwks_uri = discovery["jwks_uri"].as_str().expect("jwks_uri");
    let jwks: Value = app.http.get(jwks_uri).send().await.expect("jwks").json().await.expect("jwks JSON");
    let kid = jsonwebtoken::decode_header(token).expect("header").kid.expect("kid");
    let key = jwks["keys"].as_array().expect("keys").iter().find(|key| key["kid"] == kid.as_str()).expect("key by kid");
    assert_eq!(
        (key["kty"].as_str(), key["alg"].as_str(), key["use"].as_str()),
        (Some("RSA"), Some("RS256"), Some("sig"))
    );
    let decoding = DecodingKey::from_rsa_components(key["n"].as_str().expect("n"), key["e"].as_str().expect("e"))
        .expect("decoding key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[discovery["issuer"].as_str().expect("issuer")]);
    jsonwebtoken::decode::<Value>(token, &decoding, &validation).expect("valid signature and claims").claims
}
