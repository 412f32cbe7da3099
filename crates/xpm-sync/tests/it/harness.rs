//! An emulator signed in to and a fresh store: SQLite in a temporary directory, or a new
//! PostgreSQL database on the server `XPMKIT_TEST_DATABASE_URL` names (skipped, said on stderr,
//! when it is unset).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Connection as _;
use uuid::Uuid;
use xpm_api::model::Client;
use xpm_client::XpmClient;
use xpm_client::clock::SystemClock;
use xpm_client::testing::EmulatorSession;
use xpm_mock::Emulator;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_store::{DatabaseLocation, EntityKind, Store};
use xpm_sync::SyncOptions;

const DATABASE_URL_VAR: &str = "XPMKIT_TEST_DATABASE_URL";

/// History the work tests read: past the emulator's oldest seeded job (540 days).
pub(crate) const WORK_HISTORY_DAYS: u64 = 600;

/// The emulator, a client of it, and a store.
pub(crate) struct Harness {
    pub(crate) session: EmulatorSession,
    pub(crate) client: XpmClient,
    pub(crate) store: Store,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

impl Harness {
    /// An emulator of `clients` clients and a SQLite store.
    pub(crate) async fn sqlite(clients: usize) -> Harness {
        Self::launch(clients, Backend::Sqlite, "sqlite").await.expect("SQLite always runs")
    }

    /// The same on `backend`; `None` when PostgreSQL is wanted and not configured.
    pub(crate) async fn launch(clients: usize, backend: Backend, test: &str) -> Option<Harness> {
        let (store, dir, postgres) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let location = DatabaseLocation::Sqlite(dir.path().join("xpmkit.db"));
                (Store::open_location(location).await.expect("open SQLite"), Some(dir), None)
            }
            Backend::Postgres => {
                let (admin, url, name) = fresh_postgres_database(test).await?;
                (Store::open(Some(&url)).await.expect("open PostgreSQL"), None, Some((admin, name)))
            }
        };
        let seed = PracticeSeed { clients, ..PracticeSeed::default() };
        let config = EmulatorSession::config(seed, LimitSettings::OFF);
        let session =
            EmulatorSession::sign_in(Emulator::new(config), &["practicemanager"], &SystemClock).await.expect("sign in");
        let client = session.client().build().expect("client");
        Some(Harness { session, client, store, _dir: dir, postgres })
    }

    pub(crate) fn tenant(&self) -> Uuid {
        self.session.tenant
    }

    pub(crate) fn emulator(&self) -> &Emulator {
        self.session.running.emulator()
    }

    /// Options for small test practices: several batches per list; clients, contacts, staff and
    /// groups only (the work tests ask for jobs, time and custom fields with
    /// [`work_options`](Self::work_options)).
    pub(crate) fn options() -> SyncOptions {
        SyncOptions::default().batch_size(40).work(false).custom_fields(false)
    }

    /// [`options`](Self::options) with jobs and time, reaching back over the whole seeded
    /// history (540 days), without custom fields.
    pub(crate) fn work_options() -> SyncOptions {
        Self::options().work(true).history_days(Some(WORK_HISTORY_DAYS))
    }

    /// Runs a sync with `options`.
    pub(crate) async fn sync_with(&self, options: &SyncOptions) -> Result<xpm_sync::RunReport, xpm_sync::SyncError> {
        xpm_sync::sync_practice(&self.client, &self.store, self.tenant(), options).await
    }

    /// Runs a sync with [`options`](Self::options).
    pub(crate) async fn sync(&self) -> Result<xpm_sync::RunReport, xpm_sync::SyncError> {
        xpm_sync::sync_practice(&self.client, &self.store, self.tenant(), &Self::options()).await
    }

    /// The practice as the emulator serves it, read through a client of its own.
    pub(crate) async fn practice(&self) -> Vec<Client> {
        let reader = self.session.client().build().expect("client");
        reader.clients(self.tenant()).list().detailed(true).send().await.expect("the emulator's clients")
    }

    /// Checks that the store mirrors the emulator: every client, each with exactly its
    /// contacts and links, every staff member and group.
    pub(crate) async fn assert_mirrors_the_emulator(&self) {
        let tenant = self.tenant();
        let practice = self.practice().await;
        assert_eq!(self.store.count(tenant, EntityKind::Client).await.expect("count"), practice.len() as u64);
        let mut contacts = BTreeSet::new();
        for client in &practice {
            let uuid = client.uuid.expect("uuid");
            let stored: Client = self
                .store
                .get(tenant, EntityKind::Client, &uuid.to_string())
                .await
                .expect("read")
                .unwrap_or_else(|| panic!("client {uuid} is stored"))
                .item;
            assert_eq!(&stored, client, "client {uuid} as XPM sent it");
            let expected: BTreeMap<String, (Option<String>, bool)> = client
                .contacts
                .iter()
                .flatten()
                .map(|contact| {
                    let primary = contact.is_primary.is_some_and(|flag| flag.is_yes());
                    (contact.uuid.expect("contact uuid").to_string(), (contact.position.clone(), primary))
                })
                .collect();
            let links: BTreeMap<String, (Option<String>, bool)> = self
                .store
                .client_contacts(tenant, uuid)
                .await
                .expect("links")
                .into_iter()
                .map(|link| {
                    let primary = link.contact.is_primary.is_some_and(|flag| flag.is_yes());
                    (link.contact.uuid.expect("uuid").to_string(), (link.contact.position, primary))
                })
                .collect();
            assert_eq!(links, expected, "links of client {uuid}");
            contacts.extend(expected.into_keys());
        }
        assert_eq!(self.store.count(tenant, EntityKind::Contact).await.expect("count"), contacts.len() as u64);
        let reader = self.session.client().build().expect("client");
        let staff = reader.staff(tenant).list().send().await.expect("staff");
        let groups = reader.client_groups(tenant).list().send().await.expect("groups");
        assert_eq!(self.store.count(tenant, EntityKind::Staff).await.expect("count"), staff.len() as u64);
        assert_eq!(self.store.count(tenant, EntityKind::Group).await.expect("count"), groups.len() as u64);
    }

    /// Closes the store and drops a PostgreSQL database.
    pub(crate) async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.postgres {
            let mut admin = sqlx::PgConnection::connect(admin_url).await.expect("connect to drop the test database");
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop the test database");
        }
    }
}

/// Creates `xpmkit_<test>_<random>` and returns (admin URL, its URL, its name).
async fn fresh_postgres_database(test: &str) -> Option<(String, String, String)> {
    let Ok(admin_url) = std::env::var(DATABASE_URL_VAR) else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: PostgreSQL test skipped because {DATABASE_URL_VAR} is not set \
             (run `.ci/postgres.sh` and export the URL it prints)"
        );
        return None;
    };
    let short: String = test.chars().filter(char::is_ascii_alphanumeric).take(20).collect();
    let name = format!("xpmkit_{short}_{}", Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|error| panic!("{DATABASE_URL_VAR} is set but the server does not answer: {error}"));
    sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.expect("create a test database");
    let mut url = url::Url::parse(&admin_url).expect("a URL in the variable");
    url.set_path(&name);
    Some((admin_url, url.to_string(), name))
}
