//! Opening a store: connect, tune SQLite, apply the migrations of the backend.

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyConnection, AnyPool, Connection as _, Executor as _};
use tokio::sync::Mutex;

use crate::StoreError;
use crate::checkpoint::Checkpointer;
use crate::location::{Backend, DatabaseLocation};
use crate::writer::WriteTx;

/// How long a SQLite writer waits for another process's write transaction before giving up.
/// `BEGIN IMMEDIATE` takes the write lock at the start, so the wait happens there, in SQLite's
/// busy handler, rather than as `SQLITE_BUSY` half way through a transaction.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A mirrored practice database on SQLite or PostgreSQL. Cheap to clone.
///
/// Reads go through a pool; all writes go through one writer ([`write`](Self::write)), one
/// transaction at a time per `Store`, so that data and the cursor that covers it always commit
/// together.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where [`write`](Self::write) transactions run. On SQLite, a pool of one connection kept
    /// for them: a batch after batch then finds its page cache and prepared statements warm,
    /// where a connection taken from the shared pool had another's (stale after every commit)
    /// and prepared each multi-row statement again. On PostgreSQL, the shared pool.
    writes: AnyPool,
    pub(crate) backend: Backend,
    location: Arc<DatabaseLocation>,
    pub(crate) writer: Arc<Mutex<()>>,
    /// On SQLite, the checkpoints the writer no longer runs itself (see [`Checkpointer`]).
    pub(crate) checkpoints: Option<Checkpointer>,
}

impl Store {
    /// Opens the database at `location` (parsed by [`DatabaseLocation::parse`]), or `xpmkit.db`
    /// in the default data directory when `None`, creating it and applying migrations.
    pub async fn open(location: Option<&str>) -> Result<Self, StoreError> {
        Self::open_location(DatabaseLocation::or_default(location, "xpmkit")?).await
    }

    /// Opens a parsed location, creating the SQLite file (and its directory) when missing, and
    /// applies the backend's migrations.
    pub async fn open_location(location: DatabaseLocation) -> Result<Self, StoreError> {
        install_default_drivers();
        if let DatabaseLocation::Sqlite(path) = &location
            && let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::CreateDirectory { path: parent.to_owned(), source })?;
        }
        let backend = location.backend();
        let pool = connect(&location, Role::Read).await?;
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&pool).await.map_err(|source| StoreError::Migrate { shown: location.shown(), source })?;
        let writes = match backend {
            Backend::Sqlite => connect(&location, Role::Write).await?,
            Backend::Postgres => pool.clone(),
        };
        let checkpoints = match &location {
            DatabaseLocation::Sqlite(path) => Some(Checkpointer::start(pool.clone(), path)),
            DatabaseLocation::Postgres(_) => None,
        };
        tracing::debug!(database = %location, "store opened");
        Ok(Self { pool, writes, backend, location: Arc::new(location), writer: Arc::new(Mutex::new(())), checkpoints })
    }

    /// Which engine the store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the database is (printable: no password).
    pub fn location(&self) -> &DatabaseLocation {
        &self.location
    }

    /// Starts the write transaction. Waits for this store's other writer to finish; on SQLite
    /// the transaction is `BEGIN IMMEDIATE`, so a database another process is writing makes
    /// this wait (up to a minute) instead of failing later. Nothing is kept unless
    /// [`WriteTx::commit`] is called.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        let turn = Arc::clone(&self.writer).lock_owned().await;
        if self.checkpoints.as_ref().is_some_and(Checkpointer::wal_over_limit) {
            // The WAL can start over only after a checkpoint that copied all of it (see
            // `checkpoint.rs`); this one copies what the background one has not yet.
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.writes)
                .await
                .map_err(StoreError::query("checkpoint of a large WAL"))?;
        }
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let transaction =
            self.writes.begin_with(begin).await.map_err(StoreError::query("begin a write transaction"))?;
        Ok(WriteTx::new(transaction, turn, self.backend, self.checkpoints.clone()))
    }

    /// Closes every connection (waiting for them to be returned).
    pub async fn close(&self) {
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.stop().await;
        }
        self.writes.close().await;
        self.pool.close().await;
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("location", &self.location).finish_non_exhaustive()
    }
}

/// What a pool's connections are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Read,
    Write,
}

async fn connect(location: &DatabaseLocation, role: Role) -> Result<AnyPool, StoreError> {
    let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
    // A first sync writes tens of megabytes per transaction. With SQLite's default 2 MB page
    // cache, pages spill to the WAL mid-transaction and are read back; the writer's 16 MiB (a
    // negative size is in KiB) holds most of a commit's pages, and 64 MiB, tried, cost 50 MB
    // more resident memory for little speed. A reader's cache is dropped whenever the writer
    // commits, so a large one buys little and costs memory in each of the readers.
    // https://www.sqlite.org/pragma.html#pragma_cache_size
    // The writer leaves checkpoints to the store's checkpointer (see `checkpoint.rs`); a
    // reader keeps SQLite's default, which only matters if it ever commits a write.
    let (connections, cache, checkpoint) = match role {
        Role::Read => (4, "PRAGMA cache_size = -8192", "PRAGMA wal_autocheckpoint = 1000"),
        Role::Write => (1, "PRAGMA cache_size = -16384", "PRAGMA wal_autocheckpoint = 0"),
    };
    let wal_size = format!("PRAGMA journal_size_limit = {}", crate::checkpoint::WAL_LIMIT);
    let options = match location.backend() {
        Backend::Sqlite => options.max_connections(connections).after_connect(move |connection, _| {
            let wal_size = wal_size.clone();
            Box::pin(async move {
                // WAL lets readers go on while the writer writes; `synchronous=NORMAL` is the
                // setting SQLite documents as safe in WAL mode (a power loss may drop the last
                // commits, never corrupt): https://www.sqlite.org/pragma.html#pragma_synchronous
                // 16 KiB pages hold several detailed clients (3–4 KB each with their raw JSON)
                // where 4 KiB pages hold one; it only applies to a new database.
                connection.execute("PRAGMA page_size = 16384").await?;
                connection.execute("PRAGMA journal_mode = WAL").await?;
                connection.execute("PRAGMA synchronous = NORMAL").await?;
                connection.execute("PRAGMA foreign_keys = ON").await?;
                connection.execute(cache).await?;
                connection.execute(checkpoint).await?;
                connection.execute(wal_size.as_str()).await?;
                connection.execute("PRAGMA temp_store = MEMORY").await?;
                let busy = format!("PRAGMA busy_timeout = {}", SQLITE_BUSY_TIMEOUT.as_millis());
                connection.execute(busy.as_str()).await?;
                Ok(())
            })
        }),
        Backend::Postgres => options.max_connections(8).after_connect(|connection, _| {
            Box::pin(async move {
                // `raw` (a detailed client's JSON, 3–4 KB) is compressed when stored; PostgreSQL's
                // own pglz took a fifth of the server's CPU in a first sync, LZ4 a fraction of
                // that. LZ4 needs PostgreSQL 14 built with it; elsewhere the setting is left as
                // it is (the block swallows the error). Values are read back whatever their
                // method. https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-DEFAULT-TOAST-COMPRESSION
                connection
                    .execute(
                        "DO $$ BEGIN PERFORM set_config('default_toast_compression', 'lz4', false); \
                         EXCEPTION WHEN OTHERS THEN NULL; END $$",
                    )
                    .await?;
                Ok(())
            })
        }),
    };
    // One plain connection first: the pool retries a refused connection until its acquire
    // timeout, which would turn "nothing listens there" into a 30-second wait and a timeout.
    let url = location.connect_url();
    let probe = AnyConnection::connect(&url).await.map_err(|source| connect_error(location, source))?;
    let _ = probe.close().await;
    options.connect(&url).await.map_err(|source| connect_error(location, source))
}

fn connect_error(location: &DatabaseLocation, source: sqlx::Error) -> StoreError {
    {
        let advice = match (location.backend(), &source) {
            (Backend::Postgres, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut) => {
                "the server is unreachable: check that PostgreSQL runs and the host and port are right"
            }
            (Backend::Postgres, sqlx::Error::Database(_)) => {
                "the server refused: check the user, password and database name, and that the database exists"
            }
            (Backend::Postgres, sqlx::Error::Tls(_)) => {
                "the TLS handshake failed: check sslmode and the server's certificate"
            }
            (Backend::Postgres, _) => "check the URL",
            (Backend::Sqlite, _) => "check that the file is a SQLite database and that its directory is writable",
        };
        StoreError::Connect { shown: location.shown(), advice, source }
    }
}
