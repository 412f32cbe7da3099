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
    let practice =
        |name: &str, seed: u64| PracticeSeed { name: name.into(), clients: 3, seed, ..PracticeSeed::default() };
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

#[tokio::test]
async fn pkce_flow_as_an_outside_app_does_it() {
    let app = spawn(config()).await;
    let discovery = app.discovery().await;
    assert_eq!(discovery["issuer"], app.running.base_url());
    assert_eq!(discovery["authorization_endpoint"], app.url("/identity/connect/authorize"));
    assert_eq!(discovery["code_challenge_methods_supported"], serde_json::json!(["S256"]));

    let (verifier, challenge) = pkce_pair("outside");
    let page = app.http.get(app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    let html = page.text().await.expect("html");
    assert!(html.contains("PKCE desktop app") && html.contains("View and manage your Practice Manager data"), "{html}");
    assert!(html.contains("South &amp; Sons"), "practice names are listed and escaped: {html}");
    assert_eq!(attribute_values(&html, "tenant").len(), 2);

    let callback = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await;
    assert_eq!(callback.get("state"), Some("st-123"));
    assert_eq!(callback.get("scope"), Some(ALL_SCOPES));
    assert!(callback.get("session_state").is_some_and(|value| value.contains('.')));

    let code = callback.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", PKCE_CLIENT),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    let response = app.token(&form, false).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").and_then(|value| value.to_str().ok()), Some("no-store"));
    let tokens: Value = response.json().await.expect("tokens");
    assert_eq!((tokens["expires_in"].as_i64(), tokens["token_type"].as_str()), (Some(1800), Some("Bearer")));
    assert_eq!(tokens["scope"], ALL_SCOPES);
    assert!(tokens["refresh_token"].as_str().is_some_and(|token| !token.is_empty()));

    let access_token = tokens["access_token"].as_str().expect("access token");
    let id_claims = verify(&app, tokens["id_token"].as_str().expect("id_token"), PKCE_CLIENT).await;
    assert_eq!(id_claims["nonce"], "nonce-456");
    assert_eq!(id_claims["email"], "demo@practice.example");
    assert_eq!(id_claims["given_name"], "Demo");
    let expected_at_hash = URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16]);
    assert_eq!(id_claims["at_hash"], expected_at_hash.as_str());

    let audience = format!("{}/resources", app.running.base_url());
    let access_claims = verify(&app, access_token, &audience).await;
    assert_eq!(access_claims["client_id"], PKCE_CLIENT);
    assert_eq!(
        access_claims["scope"],
        serde_json::json!(["openid", "profile", "email", "offline_access", "practicemanager"])
    );
    assert_eq!(access_claims["xero_userid"], id_claims["xero_userid"]);

    let connections = app.connections_json(access_token).await;
    assert_eq!(connections.len(), 2);
    let names: Vec<&str> = connections.iter().filter_map(|connection| connection["tenantName"].as_str()).collect();
    assert_eq!(names, ["North Practice", "South & Sons"]);
    for connection in &connections {
        assert_eq!(connection["tenantType"], "PRACTICEMANAGER");
        assert_eq!(connection["authEventId"], access_claims["authentication_event_id"]);
        let created = connection["createdDateUtc"].as_str().unwrap_or_default();
        assert_eq!(created.len(), "2019-12-07T18:46:19.5165400".len(), "{created}");
        assert!(!created.ends_with('Z'));
    }
    let tenant = connections[0]["tenantId"].as_str().expect("tenant id");
    let api = app.api_call(access_token, tenant).await;
    assert!(![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&api.status()), "gateway let it through");

    let userinfo: Value = app
        .http
        .get(app.url("/connect/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("userinfo")
        .json()
        .await
        .expect("JSON");
    assert_eq!(userinfo["email"], "demo@practice.example");
}

#[tokio::test]
async fn auto_consent_redirects_at_once_and_connects_every_practice() {
    let mut config = config();
    config.auto_consent = true;
    let app = spawn(config).await;
    let scope = "openid offline_access practicemanager.client.read";
    let response = app.http.get(app.authorize_url(DEMO_CLIENT_ID, scope, None)).send().await.expect("authorize");
    let callback = follow(response);
    let code = callback.code();
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let response = app.token(&form, true).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens = Tokens { body: response.json().await.expect("tokens") };
    let connections = app.connections_json(tokens.access()).await;
    assert_eq!(connections.len(), 2);
    let event = connections[0]["authEventId"].as_str().unwrap_or_default().to_owned();
    let filtered = app
        .http
        .get(app.url(&format!("/Connections?authEventId={event}")))
        .bearer_auth(tokens.access())
        .send()
        .await
        .expect("filtered");
    assert_eq!(filtered.json::<Vec<Value>>().await.expect("JSON").len(), 2);
    let other = format!("/connections?authEventId={}", uuid::Uuid::new_v4());
    let none: Vec<Value> = app
        .http
        .get(app.url(&other))
        .bearer_auth(tokens.access())
        .send()
        .await
        .expect("none")
        .json()
        .await
        .expect("JSON");
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_approval_gate_stops_unapproved_apps_until_xero_approves() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("gate");
    let page =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST, "an error page, not a redirect");
    let html = page.text().await.expect("html");
    assert!(html.contains("<code id=\"error\">unauthorized_client</code>"), "{html}");
    assert!(html.contains("Invalid scope for client") && html.contains("<code>practicemanager</code>"), "{html}");

    // Identity scopes alone need no approval.
    let identity_only =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, "openid email", Some(&challenge))).send().await;
    assert_eq!(identity_only.expect("page").status(), StatusCode::OK);

    let approve = app
        .http
        .post(app.url(&format!("/__admin/apps/{UNAPPROVED_CLIENT_ID}/approve")))
        .json(&serde_json::json!({ "scopes": ["practicemanager"] }))
        .send()
        .await
        .expect("approve");
    assert_eq!(approve.status(), StatusCode::OK);
    let page =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);

    // Withdrawing approval stops tokens already issued.
    let tokens = app.pkce_tokens("openid offline_access practicemanager").await;
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_ne!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::FORBIDDEN);
    let revoke = app.http.post(app.url(&format!("/__admin/apps/{PKCE_CLIENT}/revoke-approval"))).send().await;
    assert_eq!(revoke.expect("revoke").status(), StatusCode::OK);
    let refused = app.api_call(tokens.access(), &tenant).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let problem: Value = refused.json().await.expect("problem");
    assert_eq!(problem["Detail"], "AuthenticationUnsuccessful");
}

#[tokio::test]
async fn bad_authorize_requests_stop_at_an_error_page() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("bad");
    async fn error_of(app: &TestApp, url: &str) -> String {
        let page = app.http.get(url).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        let html = page.text().await.expect("html");
        html.split("<code id=\"error\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default().to_owned()
    }
    let unknown_scope = app.authorize_url(PKCE_CLIENT, "openid accounting.transactions", Some(&challenge));
    assert_eq!(error_of(&app, &unknown_scope).await, "invalid_scope");
    let unknown_client = app.authorize_url("nobody", ALL_SCOPES, Some(&challenge));
    assert_eq!(error_of(&app, &unknown_client).await, "unauthorized_client");
    let bad_redirect = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)).replace("8765", "9999");
    assert_eq!(error_of(&app, &bad_redirect).await, "invalid_request");
    let no_pkce = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, None);
    assert_eq!(error_of(&app, &no_pkce).await, "invalid_request");
    let plain = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)).replace("S256", "plain");
    assert_eq!(error_of(&app, &plain).await, "invalid_request");
    let token_flow = app
        .authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge))
        .replace("response_type=code", "response_type=token");
    assert_eq!(error_of(&app, &token_flow).await, "unsupported_response_type");
}

#[tokio::test]
async fn deny_goes_back_with_access_denied() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("deny");
    let callback = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "deny").await;
    assert_eq!(
        (callback.get("error"), callback.get("state"), callback.get("code")),
        (Some("access_denied"), Some("st-123"), None)
    );
}

#[tokio::test]
async fn codes_are_single_use_and_need_the_right_verifier() {
    let app = spawn(config()).await;
    let (verifier, challenge) = pkce_pair("once");
    let exchange = |code: String, verifier: String| {
        let app = &app;
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("client_id", PKCE_CLIENT),
                ("code", code.as_str()),
                ("redirect_uri", REDIRECT),
                ("code_verifier", verifier.as_str()),
            ];
            app.token(&form, false).await
        }
    };
    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    assert_eq!(exchange(code.clone(), verifier.clone()).await.status(), StatusCode::OK);
    assert_eq!(
        oauth_error(exchange(code, verifier.clone()).await).await,
        (StatusCode::BAD_REQUEST, "invalid_grant".into())
    );

    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    let (wrong, _) = pkce_pair("someone-else");
    assert_eq!(oauth_error(exchange(code, wrong).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));

    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    app.clock.advance(Duration::minutes(5) + Duration::seconds(1));
    assert_eq!(oauth_error(exchange(code, verifier).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));
}

#[tokio::test]
async fn refresh_tokens_rotate_with_a_30_minute_grace() {
    let app = spawn(config()).await;
    let first = app.pkce_tokens(ALL_SCOPES).await;
    let original = first.refresh().to_owned();

    let rotated = app.refresh(&original).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let second = Tokens { body: rotated.json().await.expect("tokens") };
    assert_ne!(second.refresh(), original, "every refresh returns a new refresh token");
    assert!(second.body["id_token"].is_string());

    app.clock.advance(Duration::minutes(29));
    let retried = app.refresh(&original).await;
    assert_eq!(retried.status(), StatusCode::OK, "the previous token still works within the grace period");
    let third = Tokens { body: retried.json().await.expect("tokens") };
    assert!(!third.access().is_empty());

    app.clock.advance(Duration::minutes(2));
    assert_eq!(oauth_error(app.refresh(&original).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));
    assert_eq!(app.refresh(third.refresh()).await.status(), StatusCode::OK);

    // A refresh token is bound to its client.
    let stolen = [("grant_type", "refresh_token"), ("refresh_token", second.refresh())];
    assert_eq!(oauth_error(app.token(&stolen, true).await).await.1, "invalid_grant");

    let journal = app.running.emulator().journal();
    let refreshes =
        journal.entries().iter().filter(|entry| entry.grant_type.as_deref() == Some("refresh_token")).count();
    assert_eq!((journal.count("token"), refreshes), (6, 5));
}

#[tokio::test]
async fn unused_refresh_tokens_expire_after_60_days() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    app.clock.advance(Duration::days(60) - Duration::minutes(1));
    let refreshed = app.refresh(tokens.refresh()).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let fresh = Tokens { body: refreshed.json().await.expect("tokens") };
    app.clock.advance(Duration::days(60));
    assert_eq!(oauth_error(app.refresh(fresh.refresh()).await).await.1, "invalid_grant");
}

#[tokio::test]
async fn expired_access_tokens_get_the_token_expired_problem() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    app.clock.advance(Duration::minutes(30));
    for response in [app.connections(tokens.access()).await, app.api_call(tokens.access(), &tenant).await] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let problem: Value = response.json().await.expect("problem");
        assert!(
            problem["Detail"].as_str().is_some_and(|detail| detail.starts_with("TokenExpired: token expired at ")),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn revocation_ends_the_family_and_the_connections() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let form = [("client_id", PKCE_CLIENT), ("token", tokens.refresh())];
    let revoked = app.http.post(app.url("/connect/revocation")).form(&form).send().await.expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(oauth_error(app.refresh(tokens.refresh()).await).await.1, "invalid_grant");
    assert_eq!(app.connections(tokens.access()).await.status(), StatusCode::UNAUTHORIZED);
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::UNAUTHORIZED);

    // Revoking again, or an unknown token, is still 200 (RFC 7009).
    let again = app.http.post(app.url("/connect/revocation")).form(&form).send().await.expect("revoke");
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn deleting_a_connection_stops_calls_to_that_practice() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let connections = app.connections_json(tokens.access()).await;
    let (id, tenant) =
        (connections[0]["id"].as_str().unwrap_or_default(), connections[0]["tenantId"].as_str().unwrap_or_default());
    let delete =
        |id: String| app.http.delete(app.url(&format!("/connections/{id}"))).bearer_auth(tokens.access()).send();
    assert_eq!(delete(id.to_owned()).await.expect("delete").status(), StatusCode::NO_CONTENT);
    assert_eq!(delete(id.to_owned()).await.expect("delete").status(), StatusCode::NOT_FOUND);
    assert_eq!(app.api_call(tokens.access(), tenant).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.connections_json(tokens.access()).await.len(), 1);

    // Consenting again reconnects it under a new auth event, with a new updatedDateUtc.
    app.clock.advance(Duration::minutes(3));
    let again = app.pkce_tokens(ALL_SCOPES).await;
    let reconnected = app.connections_json(again.access()).await;
    let same = reconnected.iter().find(|connection| connection["id"] == id).expect("same connection id");
    assert_ne!(same["authEventId"], connections[0]["authEventId"]);
    assert_eq!(same["createdDateUtc"], connections[0]["createdDateUtc"]);
    assert_ne!(same["updatedDateUtc"], connections[0]["updatedDateUtc"]);
    assert_ne!(
        app.api_call(tokens.access(), tenant).await.status(),
        StatusCode::FORBIDDEN,
        "the user is connected again"
    );
}

#[tokio::test]
async fn token_endpoint_errors_follow_xero() {
    let app = spawn(config()).await;
    let wrong_basic = app
        .http
        .post(app.url("/connect/token"))
        .basic_auth(DEMO_CLIENT_ID, Some("wrong"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await
        .expect("token");
    assert_eq!(oauth_error(wrong_basic).await, (StatusCode::UNAUTHORIZED, "invalid_client".into()));
    let wrong_post = [("grant_type", "refresh_token"), ("client_id", DEMO_CLIENT_ID), ("client_secret", "wrong")];
    assert_eq!(
        oauth_error(app.token(&wrong_post, false).await).await,
        (StatusCode::BAD_REQUEST, "invalid_client".into())
    );
    assert_eq!(oauth_error(app.token(&[("code", "x")], true).await).await.1, "unsupported_grant_type");
    assert_eq!(oauth_error(app.token(&[("grant_type", "password")], true).await).await.1, "unsupported_grant_type");
    assert_eq!(oauth_error(app.token(&[("grant_type", "authorization_code")], true).await).await.1, "invalid_request");
    let unknown = [("grant_type", "authorization_code"), ("code", "made-up"), ("redirect_uri", REDIRECT)];
    assert_eq!(oauth_error(app.token(&unknown, true).await).await.1, "invalid_grant");

    // No offline_access, no refresh token; no openid, no id_token.
    let tokens = app.pkce_tokens("practicemanager.read").await;
    assert!(tokens.body.get("refresh_token").is_none() && tokens.body.get("id_token").is_none(), "{:?}", tokens.body);
    assert_eq!(tokens.body["scope"], "practicemanager.read");
}

#[tokio::test]
async fn secrets_never_show_in_debug_output() {
    let planted = "planted-client-secret-7f3a";
    let mut config = config();
    config.apps.push(AppRegistration {
        name: "secretive".into(),
        client_id: "secretive".into(),
        client_secret: Some(planted.into()),
        redirect_uris: vec![REDIRECT.into()],
        requested_scopes: Scope::ALL.into_iter().collect(),
        approved_scopes: Scope::ALL.into_iter().collect(),
    });
    let app = spawn(config).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let code = app.consent(&app.authorize_url("secretive", ALL_SCOPES, None), "allow").await.code();
    let debug = format!("{:?} {:?}", app.running.emulator(), app.running.emulator().journal().entries());
    for secret in [planted, tokens.access(), tokens.refresh(), code.as_str(), "st-123", "nonce-456"] {
        assert!(!debug.contains(secret), "Debug output leaks a secret");
    }
}
