//! An in-process emulator and an [`XpmClient`] connected to it through the real OAuth flow: the
//! harness the transport and typed-API suites share.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_client::Limits;
use xpm_client::clock::SimulatedClock;
use xpm_client::oauth::OAuthClient;
use xpm_client::testing::EmulatorSession;
use xpm_client::token_store::{ConnectionId, MemoryStore};
use xpm_client::{XpmClient, XpmClientBuilder};
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, RunningEmulator};

pub(crate) use xpm_client::testing::REDIRECT_URI;

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
        let practice = PracticeSeed { name: "Harness Practice".into(), clients: setup.clients, seed: 7 };
        let emulator = Emulator::with_clock(EmulatorSession::config(practice, setup.limits), emulator_clock);
        let scopes: Vec<&str> = setup.scopes.split_whitespace().collect();
        let session = EmulatorSession::sign_in(emulator, &scopes, &clock).await.expect("the emulator signs in");
        let builder = session.client().clock(Arc::new(clock.clone())).limits(Limits::XERO).jitter_seed(11);
        let client = adjust(builder).build().expect("client");
        let EmulatorSession { running, oauth, store, connection, tenant, .. } = session;
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
