//! Fresh databases for tests: a SQLite file in a temporary directory, or a new PostgreSQL
//! database on the server `XPMKIT_TEST_DATABASE_URL` names.

use sqlx::Connection as _;
use xpm_store::{DatabaseLocation, Store};

/// The variable that names the PostgreSQL server the tests use.
pub(crate) const DATABASE_URL_VAR: &str = "XPMKIT_TEST_DATABASE_URL";

/// A store on a database of its own, removed by [`finish`](Self::finish).
pub(crate) struct TestDb {
    pub(crate) store: Store,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A store on a new SQLite file.
    pub(crate) async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let location = DatabaseLocation::Sqlite(dir.path().join("data").join("xpmkit.db"));
        let store = Store::open_location(location).await.expect("open SQLite store");
        Self { store, _dir: Some(dir), postgres: None }
    }

    /// A store on a new PostgreSQL database, or `None` (said on stderr) without a server.
    pub(crate) async fn postgres(test: &str) -> Option<Self> {
        let (admin_url, url, name) = fresh_postgres_database(test).await?;
        let store = Store::open(Some(&url)).await.expect("open PostgreSQL store");
        Some(Self { store, _dir: None, postgres: Some((admin_url, name)) })
    }

    /// The URL of this database (PostgreSQL) or its file (SQLite), for a second handle.
    pub(crate) fn location(&self) -> DatabaseLocation {
        self.store.location().clone()
    }

    /// The first column of the first row `sql` answers, read from a connection of its own.
    pub(crate) async fn scalar(&self, sql: &str) -> i64 {
        match self.location() {
            DatabaseLocation::Sqlite(path) => {
                let url = format!("sqlite://{}", path.display());
                let mut connection = sqlx::SqliteConnection::connect(&url).await.expect("connect to SQLite");
                sqlx::query_scalar(sql).fetch_one(&mut connection).await.expect("query")
            }
            DatabaseLocation::Postgres(url) => {
                let mut connection = sqlx::PgConnection::connect(url.as_str()).await.expect("connect to PostgreSQL");
                sqlx::query_scalar(sql).fetch_one(&mut connection).await.expect("query")
            }
        }
    }

    /// Closes the store and drops a PostgreSQL database.
    pub(crate) async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.postgres {
            drop_database(admin_url, name).await;
        }
    }
}

/// Drops a test database. A server process (autovacuum) may still be in it for a moment, and
/// a role without pg_signal_backend cannot end it, so a refused drop is tried again; cleanup
/// that still fails is said on stderr, not failed on: the test itself has passed.
async fn drop_database(admin_url: &str, name: &str) {
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    let mut last_error = None;
    for _ in 0..20 {
        let dropped = match sqlx::PgConnection::connect(admin_url).await {
            Ok(mut admin) => sqlx::query(&sql).execute(&mut admin).await.map(drop),
            Err(error) => Err(error),
        };
        match dropped {
            Ok(()) => return,
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if let Some(error) = last_error {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "could not drop the test database {name}: {error}");
    }
}

/// Creates `xpmkit_<test>_<random>` on the server and returns (admin URL, its URL, its name).
pub(crate) async fn fresh_postgres_database(test: &str) -> Option<(String, String, String)> {
    let Ok(admin_url) = std::env::var(DATABASE_URL_VAR) else {
        say_skipped(test);
        return None;
    };
    // PostgreSQL names are at most 63 bytes.
    let short: String = test.chars().filter(char::is_ascii_alphanumeric).take(20).collect();
    let name = format!("xpmkit_{short}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|error| panic!("{DATABASE_URL_VAR} is set but the server does not answer: {error}"));
    sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.expect("create a test database");
    let mut url = url::Url::parse(&admin_url).expect("a URL in the variable");
    url.set_path(&name);
    Some((admin_url, url.to_string(), name))
}

/// Says on stderr that a PostgreSQL test did not run. Written to the stream itself rather than
/// with `eprintln!`, which the test harness captures and hides for passing tests.
pub(crate) fn say_skipped(test: &str) {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: PostgreSQL test skipped because {DATABASE_URL_VAR} is not set \
         (run `.ci/postgres.sh` and export the URL it prints)"
    );
}
