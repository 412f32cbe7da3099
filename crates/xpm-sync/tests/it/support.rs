//! An emulator session and a store, for each backend.

use uuid::Uuid;
use xpm_api::model::Client;
use xpm_client::XpmClient;
use xpm_client::clock::SystemClock;
use xpm_client::testing::EmulatorSession;
use xpm_mock::Emulator;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::faults::{Fault, FaultRule};
use xpm_store::{OutboxEntry, OutboxStatus, Store};
use xpm_sync::{Outcome, PushOptions, PushReport};

use crate::store_harness::TestDb;

/// The emulator signed in, a client for it, and a fresh store.
pub(crate) struct World {
    pub(crate) session: EmulatorSession,
    pub(crate) client: XpmClient,
    pub(crate) db: TestDb,
}

impl World {
    /// The emulator and a SQLite store, or a PostgreSQL one when `postgres` (`None` when no
    /// server is configured: the test is skipped).
    pub(crate) async fn start(postgres: Option<&str>) -> Option<World> {
        let db = match postgres {
            Some(test) => TestDb::postgres(test).await?,
            None => TestDb::sqlite().await,
        };
        let seed = PracticeSeed { name: "Push Practice".into(), clients: 40, seed: 7 };
        let config = EmulatorSession::config(seed, LimitSettings::OFF);
        let session = EmulatorSession::sign_in(Emulator::new(config), &["practicemanager"], &SystemClock)
            .await
            .expect("signed in to the emulator");
        let client = session.client().build().expect("client");
        Some(World { session, client, db })
    }

    pub(crate) fn tenant(&self) -> Uuid {
        self.session.tenant
    }

    pub(crate) fn store(&self) -> &Store {
        &self.db.store
    }

    /// Injects one fault rule.
    pub(crate) fn fault(&self, matches: &str, fault: Fault, times: u32) {
        let rule = FaultRule { matches: matches.into(), fault, times: Some(times), probability: None };
        self.session.running.emulator().faults().add(rule);
    }

    /// Pushes the outbox.
    pub(crate) async fn push(&self) -> PushReport {
        xpm_sync::push(&self.client, self.store(), self.tenant(), &PushOptions::default()).await.expect("push runs")
    }

    /// The clients XPM has with exactly this name (asked of XPM, not of the store).
    pub(crate) async fn clients_named(&self, name: &str) -> Vec<Client> {
        let found = self.client.clients(self.tenant()).list().send().await.expect("client list");
        found.into_iter().filter(|client| client.name.as_deref() == Some(name)).collect()
    }

    /// Every outbox entry.
    pub(crate) async fn outbox(&self) -> Vec<OutboxEntry> {
        let all = [
            OutboxStatus::Pending,
            OutboxStatus::Sending,
            OutboxStatus::Sent,
            OutboxStatus::Failed,
            OutboxStatus::Conflict,
        ];
        self.store().outbox(self.tenant(), &all).await.expect("outbox")
    }

    /// A client of the practice, fetched from XPM and stored, as a sync would have.
    pub(crate) async fn synced_client(&self, index: usize) -> Client {
        let page = self.client.clients(self.tenant()).paged().page_size(20).send().await.expect("clients");
        let id = page.items[index].id().expect("a uuid");
        let client = self.client.clients(self.tenant()).get(id).await.expect("get");
        let mut write = self.store().write().await.expect("write");
        write.upsert_clients(self.tenant(), std::slice::from_ref(&client)).await.expect("store");
        write.commit().await.expect("commit");
        client
    }

    pub(crate) async fn finish(self) {
        self.db.finish().await;
    }
}

/// The outcomes of a report, by label.
pub(crate) fn labels(report: &PushReport) -> Vec<&'static str> {
    report.entries.iter().map(|entry| entry.outcome.label()).collect()
}

/// The key of a sent or adopted entry.
pub(crate) fn key_of(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Sent { key: Some(key) } | Outcome::Adopted { key } => key.clone(),
        other => panic!("not sent: {other:?}"),
    }
}

/// Runs `story` on SQLite, then on PostgreSQL when a server is configured.
macro_rules! on_both_backends {
    ($story:ident, $sqlite:ident, $postgres:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let world = crate::support::World::start(None).await.expect("SQLite always runs");
            $story(&world).await;
            world.finish().await;
        }

        #[tokio::test]
        async fn $postgres() {
            let Some(world) = crate::support::World::start(Some(stringify!($postgres))).await else { return };
            $story(&world).await;
            world.finish().await;
        }
    };
}
pub(crate) use on_both_backends;
