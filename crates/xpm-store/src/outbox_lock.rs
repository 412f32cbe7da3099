//! One pusher per practice: the outbox lock.
//!
//! An entry found `sending` is reconciled against XPM and, if its record is absent, sent again.
//! A second `push` running at the same time would see the first one's in-flight entry as
//! `sending` and could resend it, so a push holds this lock for its whole run. The operating
//! system (SQLite: `flock` on a file beside the database) or the server (PostgreSQL: a session
//! advisory lock, <https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS>)
//! releases it when the holder dies, so a killed push never blocks the next one.

use std::time::Duration;

use sqlx::Row as _;
use uuid::Uuid;
use xpm_client::token_store::RefreshLock;

use crate::location::DatabaseLocation;
use crate::{Store, StoreError};

/// The first key of PostgreSQL's two-key advisory locks, naming the outbox (the token store uses
/// the one-key space, which does not overlap).
const OUTBOX_LOCK_CLASS: i32 = 0x0b0c;

/// The outbox lock of one practice, held until dropped.
#[must_use = "the lock is released as soon as it is dropped"]
pub struct OutboxLock {
    _held: Held,
}

/// What holds the lock; dropping it releases the lock.
enum Held {
    File { _lock: RefreshLock },
    // The pooled connection holding the advisory lock; it is closed (not returned to the pool)
    // when dropped, which ends the session and so releases the lock.
    Session { _connection: sqlx::pool::PoolConnection<sqlx::Any> },
}

impl OutboxLock {
    /// Releases the lock now. Dropping it releases it too, but on PostgreSQL the session then
    /// ends in the background, so the lock may outlive the drop by a moment; this waits for it.
    pub async fn release(self) {
        if let Held::Session { _connection: mut connection } = self._held {
            let _ = sqlx::query("SELECT pg_advisory_unlock_all()").execute(&mut *connection).await;
        }
    }
}

impl std::fmt::Debug for OutboxLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxLock").finish_non_exhaustive()
    }
}

impl Store {
    /// Takes the outbox lock of `tenant` without waiting: `None` when another push holds it.
    pub async fn try_lock_outbox(&self, tenant: Uuid) -> Result<Option<OutboxLock>, StoreError> {
        match self.location() {
            DatabaseLocation::Sqlite(path) => {
                let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
                name.push(format!(".outbox-lock-{tenant}"));
                let lock_path = path.with_file_name(name);
                match RefreshLock::acquire_file(&lock_path, Duration::ZERO) {
                    Ok(lock) => Ok(lock.map(|lock| OutboxLock { _held: Held::File { _lock: lock } })),
                    Err(source) => Err(StoreError::Lock { path: lock_path, source }),
                }
            }
            DatabaseLocation::Postgres(_) => {
                let mut held = self.pool.acquire().await.map_err(StoreError::query("acquire for the outbox lock"))?;
                let (high, low) = tenant.as_u64_pair();
                let folded = high ^ low;
                let key = i32::from_ne_bytes(((folded >> 32) as u32 ^ folded as u32).to_ne_bytes());
                let row = sqlx::query("SELECT pg_try_advisory_lock($1, $2)")
                    .bind(OUTBOX_LOCK_CLASS)
                    .bind(key)
                    .fetch_one(&mut *held)
                    .await
                    .map_err(StoreError::query("pg_try_advisory_lock"))?;
                if !row.try_get::<bool, _>(0).map_err(StoreError::query("pg_try_advisory_lock"))? {
                    return Ok(None);
                }
                held.close_on_drop();
                Ok(Some(OutboxLock { _held: Held::Session { _connection: held } }))
            }
        }
    }
}
