//! An in-process emulator and an [`XpmClient`] connected to it through the real OAuth flow: the
//! harness the transport and typed-API suites share.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_client::Limits;
use xpm_client::clock::{Clock, SimulatedClock};
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::OAuthClient;
use xpm_client::secret::ClientSecret;
use xpm_client::token_store::{ConnectionId, MemoryStore, TokenStore};
use xpm_client::{XpmClient, XpmClientBuilder};
use xpm_mock::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

pub(crate) const REDIRECT_URI: &str = "http://localhost:8765/callback";

/// What to launch.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    /// Clients seeded in the one practice.
    pub(crate) clients: usize,
    /// The emulator's limits.
    pub(crate) limits: LimitSettings,
    /// XPM scopes to ask for (identity scopes and `offline_access` are added).
    pub(crate) scopes: &'static str,
}

impl Default for Setup {
    fn default() -> Self {
        Self { clients: 25, limits: LimitSettings::OFF, scopes: "practicemanager" }
    }
}

/// A running emulator on a simulated clock that drives the emulator's clock too, and a connected
/// client.
pub(crate) struct Harness {
    pub(crate) running: RunningEmulator,
    pub(crate) clock: SimulatedClock,
    pub(crate) store: Arc<MemoryStore>,
    pub(crate) connection: ConnectionId,
    pub(crate) oauth: OAuthClient,
    pub(crate) tenant: Uuid,
    pub(crate) client: XpmClient,
}

/// A start time on a whole second, so emulator windows line up with what tests compute.
pub(crate) fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default()
}

impl Harness {
    pub(crate) async fn launch(setup: Setup) -> Harness {
        Self::launch_with(setup, |builder| builder).await
    }

    /// As [`launch`](Self::launch), letting the test adjust the client builder.
    pub(crate) async fn launch_with(
        setup: Setup,
        adjust: impl FnOnce(XpmClientBuilder) -> XpmClientBuilder,
    ) -> Harness {
        let start = start_time();
        let emulator_clock = xpm_mock::Clock::manual(start);
        let clock = SimulatedClock::new(start);
        {
            let emulator_clock = emulator_clock.clone();
            clock.on_advance(move |now| emulator_clock.set(now));
        }
        let mut app = AppRegistration::demo();
        app.redirect_uris.push(REDIRECT_URI.to_owned());
        let config = EmulatorConfig {
            apps: vec![app, AppRegistration::unapproved_demo()],
            auto_consent: true,
            limits: setup.limits,
            practices: vec![PracticeSeed { name: "Harness Practice".into(), clients: setup.clients, seed: 7 }],
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::with_clock(config, emulator_clock);
        let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).expect("a practice");
        let running = emulator.spawn().await.expect("the emulator starts");
        let credentials = AppCredentials {
            client_id: DEMO_CLIENT_ID.into(),
            client_secret: Some(ClientSecret::new(DEMO_CLIENT_SECRET)),
            redirect_uri: REDIRECT_URI.into(),
        };
        let oauth = OAuthClient::new(Endpoints::emulator(&running.base_url()), credentials).expect("oauth client");
        let store = Arc::new(MemoryStore::new());
        let connection = ConnectionId(Uuid::new_v4());
        let tokens = sign_in(&oauth, setup.scopes).await;
        let mut stored = tokens.to_stored();
        stored.access_expires_at = clock.now() + tokens.lifetime;
        store.save(connection, &stored).expect("save");
        let builder = XpmClient::builder(oauth.clone(), store.clone(), connection)
            .clock(Arc::new(clock.clone()))
            .limits(Limits::XERO)
            .jitter_seed(11);
        let client = adjust(builder).build().expect("client");
        Harness { running, clock, store, connection, oauth, tenant, client }
    }

    /// The emulator behind the client (journal, faults, limits).
    pub(crate) fn emulator(&self) -> &Emulator {
        self.running.emulator()
    }

    /// Builds another client on the same store and connection (another "process").
    pub(crate) fn another_client(&self) -> XpmClient {
        XpmClient::builder(self.oauth.clone(), self.store.clone(), self.connection)
            .clock(Arc::new(self.clock.clone()))
            .jitter_seed(12)
            .build()
            .expect("client")
    }
}

/// Signs in through the authorize endpoint (auto-consent) and the code exchange with PKCE.
pub(crate) async fn sign_in(oauth: &OAuthClient, scopes: &str) -> xpm_client::oauth::TokenSet {
    let mut requested = vec!["openid", "profile", "email", "offline_access"];
    requested.extend(scopes.split_whitespace());
    let request = oauth.authorize_url(&requested);
    let code = oauth.authorize_without_browser(&request).await.expect("auto-consent gives a code");
    oauth.exchange_code(&code, request).await.expect("exchange").tokens
}
