//! An emulator with one practice and a token for it, and replies decoded with xpm-api's codecs:
//! the harness the directory and work suites share.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;
use xpm_api::response::{Envelope, Resource, XmlList, decode_single, decode_status};
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed};
use xpm_mock::{Clock, Emulator, EmulatorConfig, RunningEmulator};

const REDIRECT: &str = "http://localhost:8765/callback";

/// A running emulator with one practice, a token for it and a client that sends both.
pub(crate) struct Api {
    pub(crate) running: RunningEmulator,
    pub(crate) http: reqwest::Client,
    pub(crate) token: String,
    pub(crate) tenant: Uuid,
    pub(crate) clock: Clock,
}

/// A reply: the status and the body text.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: String,
}

impl Answer {
    /// Decodes an XML list of `T`, panicking with the body on failure.
    pub(crate) fn list<T: Resource>(&self) -> Vec<T> {
        self.list_with_envelope().0
    }

    /// Decodes an XML list of `T` and the envelope around it.
    pub(crate) fn list_with_envelope<T: Resource>(&self) -> (Vec<T>, Envelope) {
        let decoded = XmlList::<_, T>::new(self.body.as_bytes()).collect_all();
        decoded.unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }

    /// Decodes an XML single-item reply.
    pub(crate) fn single<T: Resource>(&self) -> T {
        let decoded = decode_single::<T, _>(self.body.as_bytes());
        let item = decoded.unwrap_or_else(|error| panic!("{error}: {}", self.body)).item;
        item.unwrap_or_else(|| panic!("no item in {}", self.body))
    }

    /// Decodes an XML status reply (`<UUID>` or `<ID>` beside the status, when there is one).
    pub(crate) fn status_envelope(&self) -> Envelope {
        decode_status(self.body.as_bytes()).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }

    /// Asserts the status, naming the body when it differs.
    pub(crate) fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }
}

impl Api {
    /// An emulator with one practice (`name`, `clients`, `seed`), no rate limits, a manual clock
    /// set to now, and a token for the XPM `scopes` (space-separated).
    pub(crate) async fn launch(name: &str, clients: usize, seed: u64, scopes: &str) -> Self {
        let start = chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp(), 0).unwrap_or_default();
        let clock = Clock::manual(start);
        let config = EmulatorConfig {
            auto_consent: true,
            limits: LimitSettings::OFF,
            practices: vec![PracticeSeed { name: name.into(), clients, seed }],
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::with_clock(config, clock.clone());
        let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).expect("a practice");
        let running = emulator.spawn().await.expect("emulator starts");
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let (token, _) = sign_in(&http, &running.base_url(), scopes).await;
        Self { running, http, token, tenant, clock }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.api_url())
    }

    pub(crate) fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.token)
            .header("xero-tenant-id", self.tenant.to_string())
    }

    /// Calls an operation in XPM's default XML mode.
    pub(crate) async fn xml(&self, method: Method, path: &str, body: Option<&str>) -> Answer {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.header("content-type", "text/xml").body(body.to_owned());
        }
        answer(request).await
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        self.xml(Method::GET, path, None).await
    }

    /// Calls an operation in JSON mode (`Accept: application/json` and the strict flag).
    pub(crate) async fn json(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut request = self
            .request(method, path)
            .header("accept", "application/json")
            .header("xero-features", "practice-strict-content-type");
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        answer(request).await
    }
}

pub(crate) async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the emulator answers");
    let status = response.status();
    Answer { status, body: response.text().await.expect("a body") }
}

/// Signs in as an outside app does: authorise (consent is automatic here), take the code from
/// the redirect, and exchange it at the token endpoint with HTTP Basic client authentication.
/// Returns the access and refresh tokens. `http` must not follow redirects.
pub(crate) async fn sign_in(http: &reqwest::Client, base_url: &str, scopes: &str) -> (String, String) {
    sign_in_with(http, base_url, scopes, &[]).await
}

/// [`sign_in`] with more authorize parameters, e.g. `("emulator_tenants", "2-4")`.
pub(crate) async fn sign_in_with(
    http: &reqwest::Client,
    base_url: &str,
    scopes: &str,
    extra: &[(&str, &str)],
) -> (String, String) {
    let scope = format!("openid profile email offline_access {scopes}");
    let mut parameters = vec![
        ("response_type", "code"),
        ("client_id", DEMO_CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("scope", scope.as_str()),
        ("state", "s"),
    ];
    parameters.extend_from_slice(extra);
    let query = serde_urlencoded::to_string(&parameters).expect("query");
    let authorize = http.get(format!("{base_url}/identity/connect/authorize?{query}")).send().await.expect("authorize");
    assert!(authorize.status().is_redirection(), "authorize answered {}", authorize.status());
    let location = authorize.headers().get("location").and_then(|value| value.to_str().ok()).expect("a Location");
    let redirect = reqwest::Url::parse(location).expect("a URL");
    let code = redirect.query_pairs().find(|(key, _)| key == "code").map(|(_, code)| code.into_owned()).expect("code");
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let response = http
        .post(format!("{base_url}/connect/token"))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&form)
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::OK);
    let tokens: Value = response.json().await.expect("token JSON");
    let access = tokens["access_token"].as_str().expect("an access token").to_owned();
    (access, tokens["refresh_token"].as_str().expect("a refresh token").to_owned())
}
