//! A connected session against a spawned emulator, obtained the way an outside app does it.

use reqwest::redirect::Policy;
use uuid::Uuid;
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

use crate::harness::sign_in;

/// Tokens and the practice to call.
pub(crate) struct Session {
    pub(crate) running: RunningEmulator,
    pub(crate) http: reqwest::Client,
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    pub(crate) tenant: Uuid,
}

impl Session {
    /// Starts `emulator` (auto-consent is forced on) and connects the demo app to its practice.
    pub(crate) async fn start(config: EmulatorConfig, clock: Option<xpm_mock::Clock>) -> Session {
        let config = EmulatorConfig { auto_consent: true, ..config };
        let emulator = match clock {
            Some(clock) => Emulator::with_clock(config, clock),
            None => Emulator::new(config),
        };
        let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).expect("a practice");
        let running = emulator.spawn().await.expect("emulator starts");
        let http = reqwest::Client::builder().redirect(Policy::none()).build().expect("http client");
        let (access_token, refresh_token) = sign_in(&http, &running.base_url(), "practicemanager").await;
        Session { access_token, refresh_token, running, http, tenant }
    }

    /// A GET on the XPM API, e.g. `get("staff.api/list")`.
    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}/{path}", self.running.api_url()))
            .bearer_auth(&self.access_token)
            .header("Xero-Tenant-Id", self.tenant.to_string())
    }

    /// A refresh-token grant.
    pub(crate) async fn refresh(&self, refresh_token: &str) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(format!("{}/connect/token", self.running.base_url()))
            .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token)])
            .send()
            .await
    }

    /// Adds fault rules through the admin API.
    pub(crate) async fn inject(&self, rules: serde_json::Value) {
        let response = self
            .http
            .post(format!("{}/__admin/faults", self.running.base_url()))
            .json(&rules)
            .send()
            .await
            .expect("admin faults");
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
    }
}
