//! A [`TokenStore`] in the database, so a server deployment keeps everything in PostgreSQL.
//!
//! Rows hold the same sealed records as [`xpm_client::token_store::EncryptedFileStore`]'s files
//! (XChaCha20-Poly1305, the connection id as associated data): a database dump holds no usable
//! token, and a record copied to another connection's row does not open.
//!
//! [`TokenStore`] is synchronous (the client calls it briefly, between requests). The store
//! runs its queries on a runtime of its own, on its own thread with its own small pool, and
//! waits for the answer; so it works from any thread, inside or outside an async runtime,
//! without needing the caller's runtime to make progress meanwhile.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use sqlx::Row as _;
use tokio::runtime::Handle;
use tokio::sync::oneshot;
use xpm_client::token_store::{
    ConnectionId, KeyId, MasterKey, RefreshLock, RotationReport, StoredTokens, TokenSealer, TokenStore, TokenStoreError,
};

use crate::location::{Backend, DatabaseLocation};
use crate::{Store, StoreError, now_text};

/// How often a PostgreSQL refresh lock held by another process is asked for again.
const LOCK_POLL: Duration = Duration::from_millis(20);

/// Tokens sealed in the `tokens` table.
pub struct DatabaseTokenStore {
    handle: Handle,
    store: Store,
    /// Replaced whole by [`rotate`](Self::rotate); never held across a wait.
    sealer: RwLock<Arc<TokenSealer>>,
    /// Dropping it stops the store's runtime thread.
    _shutdown: oneshot::Sender<()>,
}

impl Store {
    /// A token store in this database, sealing with `sealer`'s key. It opens a small pool of its
    /// own, on a thread of its own.
    pub async fn token_store(&self, sealer: TokenSealer) -> Result<DatabaseTokenStore, StoreError> {
        let location = self.location().clone();
        let (opened_tx, opened_rx) = oneshot::channel();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let spawned = std::thread::Builder::new().name("xpm-store-tokens".to_owned()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = opened_tx
                        .send(Err(StoreError::TokenThread { what: "cannot start its runtime", source: Some(error) }));
                    return;
                }
            };
            let opened = runtime.block_on(Store::open_location(location));
            let _ = opened_tx.send(opened.map(|store| (store, runtime.handle().clone())));
            // Runs the store's queries until the store is dropped.
            let _ = runtime.block_on(shutdown_rx);
        });
        if let Err(error) = spawned {
            return Err(StoreError::TokenThread { what: "cannot start", source: Some(error) });
        }
        let (store, handle) = opened_rx
            .await
            .map_err(|_| StoreError::TokenThread { what: "stopped while opening the database", source: None })??;
        Ok(DatabaseTokenStore { handle, store, sealer: RwLock::new(Arc::new(sealer)), _shutdown: shutdown_tx })
    }
}

impl DatabaseTokenStore {
    /// The id of the key that seals new records.
    pub fn key_id(&self) -> KeyId {
        self.sealer().key_id()
    }

    fn sealer(&self) -> Arc<TokenSealer> {
        // A poisoned lock only means a rotation panicked before swapping: the old sealer stands.
        Arc::clone(&self.sealer.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Seals every record with `new_key` and makes it the key of this store, in one write
    /// transaction: every record is opened first, so one the store cannot open stops the
    /// rotation before anything changes. Keep `new_key` safe before calling; other processes
    /// still holding the old key can no longer open the records.
    pub fn rotate(&self, new_key: MasterKey) -> Result<RotationReport, TokenStoreError> {
        let old = self.sealer();
        let new = Arc::new(TokenSealer::new(new_key));
        let store = self.store.clone();
        let (opener, sealer) = (Arc::clone(&old), Arc::clone(&new));
        let resealed = self.run(async move {
            let mut write = store.write().await?;
            // PostgreSQL: lock the rows so no other process saves between reading and resealing
            // (SQLite's BEGIN IMMEDIATE already excludes other writers).
            let lock = if store.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
            let rows = sqlx::query(&format!("SELECT connection_id, sealed FROM tokens ORDER BY connection_id{lock}"))
                .fetch_all(&mut *write.transaction)
                .await
                .map_err(StoreError::query("read of tokens"))?;
            let mut resealed = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: String = row.try_get(0).map_err(StoreError::query("read of tokens"))?;
                let sealed: Vec<u8> = row.try_get(1).map_err(StoreError::query("read of tokens"))?;
                let Ok(uuid) = uuid::Uuid::parse_str(&id) else { continue };
                let connection = ConnectionId(uuid);
                let reseal = opener.open(connection, &sealed).and_then(|tokens| sealer.seal(connection, &tokens));
                match reseal {
                    Ok(bytes) => resealed.push((id, bytes)),
                    Err(error) => return Ok(Err(error)),
                }
            }
            let key_id = sealer.key_id().to_string();
            for (id, sealed) in &resealed {
                sqlx::query("UPDATE tokens SET sealed = $1, key_id = $2, updated_at = $3 WHERE connection_id = $4")
                    .bind(sealed.as_slice())
                    .bind(key_id.as_str())
                    .bind(now_text())
                    .bind(id.as_str())
                    .execute(&mut *write.transaction)
                    .await
                    .map_err(StoreError::query("update of tokens"))?;
            }
            write.commit().await?;
            Ok(Ok(resealed.len()))
        })??;
        *self.sealer.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::clone(&new);
        let report = RotationReport { resealed, old_key: old.key_id(), new_key: new.key_id() };
        tracing::info!(resealed = report.resealed, old_key = %report.old_key, new_key = %report.new_key, "database token records resealed");
        Ok(report)
    }

    /// Runs `future` on the store's runtime and waits for it.
    fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, TokenStoreError> {
        let (answer_tx, answer_rx) = mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = answer_tx.send(future.await);
        });
        match answer_rx.recv() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(io_error(error)),
            Err(_) => Err(io_error(StoreError::TokenThread { what: "stopped", source: None })),
        }
    }

    fn lock_path(&self, connection: ConnectionId) -> Option<PathBuf> {
        match self.store.location() {
            DatabaseLocation::Sqlite(path) => {
                let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
                name.push(format!(".token-lock-{}", connection.0));
                Some(path.with_file_name(name))
            }
            DatabaseLocation::Postgres(_) => None,
        }
    }
}

/// The token store's errors are typed for files; a database failure is reported as I/O on the
/// database (its location, without password, as the path).
fn io_error(error: StoreError) -> TokenStoreError {
    TokenStoreError::Io { path: PathBuf::from("database tokens table"), source: std::io::Error::other(error) }
}

impl std::fmt::Debug for DatabaseTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseTokenStore")
            .field("location", self.store.location())
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl TokenStore for DatabaseTokenStore {
    fn load(&self, connection: ConnectionId) -> Result<Option<StoredTokens>, TokenStoreError> {
        let store = self.store.clone();
        let sealed = self.run(async move {
            let row = sqlx::query("SELECT sealed FROM tokens WHERE connection_id = $1")
                .bind(connection.0.to_string())
                .fetch_optional(&store.pool)
                .await
                .map_err(StoreError::query("read of tokens"))?;
            row.map(|row| row.try_get::<Vec<u8>, _>(0)).transpose().map_err(StoreError::query("read of tokens"))
        })?;
        sealed.map(|sealed| self.sealer().open(connection, &sealed)).transpose()
    }

    fn save(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<(), TokenStoreError> {
        let sealer = self.sealer();
        let sealed = sealer.seal(connection, tokens)?;
        let key_id = sealer.key_id().to_string();
        let store = self.store.clone();
        self.run(async move {
            let mut transaction = store.write().await?;
            sqlx::query(
                "INSERT INTO tokens (connection_id, sealed, key_id, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (connection_id) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, \
                 updated_at = excluded.updated_at",
            )
            .bind(connection.0.to_string())
            .bind(sealed)
            .bind(key_id)
            .bind(now_text())
            .execute(&mut *transaction.transaction)
            .await
            .map_err(StoreError::query("upsert into tokens"))?;
            transaction.commit().await
        })
    }

    fn delete(&self, connection: ConnectionId) -> Result<(), TokenStoreError> {
        let store = self.store.clone();
        self.run(async move {
            let mut transaction = store.write().await?;
            sqlx::query("DELETE FROM tokens WHERE connection_id = $1")
                .bind(connection.0.to_string())
                .execute(&mut *transaction.transaction)
                .await
                .map_err(StoreError::query("delete from tokens"))?;
            transaction.commit().await
        })
    }

    fn connections(&self) -> Result<Vec<ConnectionId>, TokenStoreError> {
        let store = self.store.clone();
        let ids = self.run(async move {
            let rows = sqlx::query("SELECT connection_id FROM tokens ORDER BY connection_id")
                .fetch_all(&store.pool)
                .await
                .map_err(StoreError::query("read of tokens"))?;
            rows.iter()
                .map(|row| row.try_get::<String, _>(0).map_err(StoreError::query("read of tokens")))
                .collect::<Result<Vec<_>, _>>()
        })?;
        // A row whose id does not parse was not written by this store; it is skipped as the file
        // store skips foreign files.
        Ok(ids.iter().filter_map(|id| uuid::Uuid::parse_str(id).ok()).map(ConnectionId).collect())
    }

    /// SQLite: a `flock` on a file beside the database. PostgreSQL: a session advisory lock
    /// (<https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS>), held on
    /// one pooled connection until the returned lock is dropped; the server releases it if the
    /// holding process dies and its connection closes.
    fn lock_refresh(&self, connection: ConnectionId, timeout: Duration) -> Result<RefreshLock, TokenStoreError> {
        if let Some(path) = self.lock_path(connection) {
            return match RefreshLock::acquire_file(&path, timeout) {
                Ok(Some(lock)) => Ok(lock),
                Ok(None) => Err(TokenStoreError::LockTimeout { connection, waited: timeout }),
                Err(source) => Err(TokenStoreError::Io { path, source }),
            };
        }
        debug_assert_eq!(self.store.backend(), Backend::Postgres);
        let store = self.store.clone();
        let key = advisory_key(connection);
        let (release_tx, release_rx) = oneshot::channel::<()>();
        let acquired = self.run(async move {
            let mut held = store.pool.acquire().await.map_err(StoreError::query("acquire for the refresh lock"))?;
            let deadline = Instant::now() + timeout;
            loop {
                let row = sqlx::query("SELECT pg_try_advisory_lock($1)")
                    .bind(key)
                    .fetch_one(&mut *held)
                    .await
                    .map_err(StoreError::query("pg_try_advisory_lock"))?;
                if row.try_get::<bool, _>(0).map_err(StoreError::query("pg_try_advisory_lock"))? {
                    break;
                }
                if Instant::now() >= deadline {
                    return Ok(false);
                }
                tokio::time::sleep(LOCK_POLL).await;
            }
            // Holds the lock (and the connection) until the caller drops its RefreshLock.
            tokio::spawn(async move {
                let _ = release_rx.await;
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut *held).await;
            });
            Ok(true)
        })?;
        if acquired {
            Ok(RefreshLock::holding(release_tx))
        } else {
            Err(TokenStoreError::LockTimeout { connection, waited: timeout })
        }
    }
}

/// The advisory lock key of a connection: its UUID folded to 64 bits. Two connections sharing a
/// key would only refresh one after the other.
fn advisory_key(connection: ConnectionId) -> i64 {
    let (high, low) = connection.0.as_u64_pair();
    i64::from_ne_bytes((high ^ low).to_ne_bytes())
}
