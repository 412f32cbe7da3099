//! Leases: many workers sharing the practices of one database, each practice synced by one worker
//! at a time, on its own schedule.
//!
//! A practice is [registered](Store::register_practice) with its interval. A worker
//! [claims](Store::claim_due) practices that are due and not held (or whose lease expired: its
//! holder died), [renews](Store::renew_lease) the lease while it syncs, and
//! [releases](Store::release_lease) it with the time the practice is next due.
//!
//! - **Exclusive claims.** On PostgreSQL the due rows are selected `FOR UPDATE SKIP LOCKED` and
//!   given their holder in the same transaction, so concurrent claimers never wait for each other
//!   and never take the same row
//!   (<https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE>). SQLite has
//!   no row locks; the claim runs in a `BEGIN IMMEDIATE` transaction, and SQLite's one writer at a
//!   time gives the same exclusivity (<https://www.sqlite.org/lang_transaction.html>).
//! - **One clock.** Every time is read from the database's clock inside the statement that uses
//!   it (`clock_timestamp()` on PostgreSQL, `julianday('now')` on SQLite), so workers on machines
//!   whose clocks disagree still agree on who holds what and what is due.
//! - **SQLite writes wait their turn.** On SQLite every lease write waits for this store's
//!   writer ([`Store::write`]) as a sync's batch does, so a process's connections never all sit
//!   in SQLite's busy handler waiting for a write lock that its own writer holds and cannot
//!   release without a connection. A lease must therefore outlast a batch's transaction.
//! - **Fencing.** Each claim bumps the row's generation. Renewing and releasing name the
//!   generation they hold, so a worker that stalled past its lease and was taken over learns it
//!   (renew answers `None`) instead of overwriting the new holder's lease.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::Row as _;
use uuid::Uuid;

use crate::location::Backend;
use crate::{Store, StoreError};

/// The longest interval or lease stored (a century): larger ones would overflow the
/// milliseconds added to the clock.
const LONGEST: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A practice held by a worker, from [`Store::claim_due`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lease {
    /// The practice.
    pub tenant: Uuid,
    /// Who holds it (the worker's id).
    pub holder: String,
    /// The claim's generation: renewing and releasing succeed only while it is current.
    pub generation: i64,
    /// When the lease ends unless renewed (the database's clock).
    pub expires_at: DateTime<Utc>,
    /// The practice's schedule: how long after a successful sync it is due again.
    pub interval: Duration,
    /// The worker whose lease had expired when this claim took the practice over, if any.
    pub taken_over_from: Option<String>,
}

/// A practice's row in the lease table, for status pages and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeaseState {
    /// The practice.
    pub tenant: Uuid,
    /// Its schedule.
    pub interval: Duration,
    /// When it is next due.
    pub next_due: DateTime<Utc>,
    /// Who holds it now, if anyone (an expired lease still names its holder until taken over).
    pub holder: Option<String>,
    /// When the holder's lease ends.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last claimed.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Claims so far.
    pub generation: i64,
    /// Claims that took it over from a holder whose lease had expired.
    pub takeovers: i64,
    /// When it was last released.
    pub released_at: Option<DateTime<Utc>>,
}

impl Store {
    /// On SQLite, this store's writer turn (see the module docs); nothing on PostgreSQL, where
    /// lease rows are locked row by row.
    async fn lease_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(std::sync::Arc::clone(&self.writer).lock_owned().await),
            Backend::Postgres => None,
        }
    }

    /// The database's clock, as the lease statements read it.
    pub async fn database_now(&self) -> Result<DateTime<Utc>, StoreError> {
        let sql = format!("SELECT {}", now_ms(self.backend));
        let row = sqlx::query(&sql).fetch_one(&self.pool).await.map_err(StoreError::query("read of the clock"))?;
        let millis: i64 = row.try_get(0).map_err(StoreError::query("read of the clock"))?;
        instant(millis, "the database clock")
    }

    /// Registers `tenant` to be synced every `interval`. A new practice is due at once; a known
    /// one keeps its due time and holder and takes the new interval from its next release.
    pub async fn register_practice(&self, tenant: Uuid, interval: Duration) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO practice_leases (tenant_id, interval_ms, next_due_ms) VALUES ($1, $2, {now}) \
             ON CONFLICT (tenant_id) DO UPDATE SET interval_ms = excluded.interval_ms",
            now = now_ms(self.backend)
        );
        let _turn = self.lease_turn().await;
        sqlx::query(&sql)
            .bind(tenant.to_string())
            .bind(millis(interval))
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("insert into practice_leases"))?;
        Ok(())
    }

    /// Claims up to `limit` of the practices `among` that are due and free (never held,
    /// released, or held under an expired lease), oldest due first, for `holder` for `lease`.
    /// Concurrent claimers, in this process or others, never get the same practice.
    pub async fn claim_due(
        &self,
        holder: &str,
        among: &[Uuid],
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<Lease>, StoreError> {
        if among.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let now = now_ms(self.backend);
        let (begin, lock) = match self.backend {
            Backend::Sqlite => ("BEGIN IMMEDIATE", ""),
            Backend::Postgres => ("BEGIN", " FOR UPDATE SKIP LOCKED"),
        };
        let placeholders: Vec<String> = (0..among.len()).map(|index| format!("${}", index + 2)).collect();
        let select = format!(
            "SELECT tenant_id, holder FROM practice_leases \
             WHERE tenant_id IN ({list}) AND next_due_ms <= {now} \
             AND (holder IS NULL OR lease_expires_ms <= {now}) \
             ORDER BY next_due_ms, tenant_id LIMIT $1{lock}",
            list = placeholders.join(", ")
        );
        let update = format!(
            "UPDATE practice_leases SET holder = $1, lease_expires_ms = {now} + $2, claimed_ms = {now}, \
             generation = generation + 1, \
             takeovers = takeovers + CASE WHEN holder IS NULL THEN 0 ELSE 1 END \
             WHERE tenant_id = $3 RETURNING generation, lease_expires_ms, interval_ms"
        );
        let _turn = self.lease_turn().await;
        let mut transaction =
            self.pool.begin_with(begin).await.map_err(StoreError::query("begin a claim of practices"))?;
        let mut query = sqlx::query(&select).bind(i64::try_from(limit).unwrap_or(i64::MAX));
        for tenant in among {
            query = query.bind(tenant.to_string());
        }
        let due = query.fetch_all(&mut *transaction).await.map_err(StoreError::query("select of due practices"))?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in &due {
            let read = StoreError::query("read of practice_leases");
            let (tenant, previous): (String, Option<String>) =
                (|| Ok((row.try_get(0)?, row.try_get(1)?)))().map_err(read)?;
            let row = sqlx::query(&update)
                .bind(holder)
                .bind(millis(lease))
                .bind(tenant.as_str())
                .fetch_one(&mut *transaction)
                .await
                .map_err(StoreError::query("update of practice_leases"))?;
            let read = StoreError::query("read of practice_leases");
            let (generation, expires, interval): (i64, i64, i64) =
                (|| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))().map_err(read)?;
            claimed.push(Lease {
                tenant: tenant_id(&tenant)?,
                holder: holder.to_owned(),
                generation,
                expires_at: instant(expires, "a lease's expiry")?,
                interval: duration(interval),
                taken_over_from: previous,
            });
        }
        transaction.commit().await.map_err(StoreError::query("commit of a claim"))?;
        Ok(claimed)
    }

    /// Extends `lease` to `lease_for` from now. `None` when it is no longer held: another worker
    /// took the practice over (the caller should stop working on it).
    pub async fn renew_lease(&self, lease: &Lease, lease_for: Duration) -> Result<Option<DateTime<Utc>>, StoreError> {
        let sql = format!(
            "UPDATE practice_leases SET lease_expires_ms = {now} + $1 \
             WHERE tenant_id = $2 AND holder = $3 AND generation = $4 RETURNING lease_expires_ms",
            now = now_ms(self.backend)
        );
        let _turn = self.lease_turn().await;
        let row = sqlx::query(&sql)
            .bind(millis(lease_for))
            .bind(lease.tenant.to_string())
            .bind(lease.holder.as_str())
            .bind(lease.generation)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("renewal of a lease"))?;
        let Some(row) = row else { return Ok(None) };
        let expires: i64 = row.try_get(0).map_err(StoreError::query("renewal of a lease"))?;
        instant(expires, "a lease's expiry").map(Some)
    }

    /// Gives `lease` up; the practice is next due `next_due_in` from now (its interval after a
    /// sync, less after a failure, zero to let another worker take it at once). `false` when it
    /// was no longer held (taken over), in which case nothing changes.
    pub async fn release_lease(&self, lease: &Lease, next_due_in: Duration) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE practice_leases SET holder = NULL, lease_expires_ms = NULL, next_due_ms = {now} + $1, \
             released_ms = {now} WHERE tenant_id = $2 AND holder = $3 AND generation = $4",
            now = now_ms(self.backend)
        );
        let _turn = self.lease_turn().await;
        let done = sqlx::query(&sql)
            .bind(millis(next_due_in))
            .bind(lease.tenant.to_string())
            .bind(lease.holder.as_str())
            .bind(lease.generation)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("release of a lease"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Every registered practice's lease row, by tenant id.
    pub async fn leases(&self) -> Result<Vec<LeaseState>, StoreError> {
        let rows = sqlx::query(
            "SELECT tenant_id, interval_ms, next_due_ms, holder, lease_expires_ms, claimed_ms, generation, \
             takeovers, released_ms FROM practice_leases ORDER BY tenant_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read of practice_leases"))?;
        rows.iter().map(lease_state).collect()
    }
}

fn lease_state(row: &sqlx::any::AnyRow) -> Result<LeaseState, StoreError> {
    let read = |source| StoreError::Query { action: "read of practice_leases".to_owned(), source };
    let tenant: String = row.try_get(0).map_err(read)?;
    let optional = |millis: Option<i64>, what| millis.map(|millis| instant(millis, what)).transpose();
    Ok(LeaseState {
        tenant: tenant_id(&tenant)?,
        interval: duration(row.try_get(1).map_err(read)?),
        next_due: instant(row.try_get(2).map_err(read)?, "a due time")?,
        holder: row.try_get(3).map_err(read)?,
        expires_at: optional(row.try_get(4).map_err(read)?, "a lease's expiry")?,
        claimed_at: optional(row.try_get(5).map_err(read)?, "a claim time")?,
        generation: row.try_get(6).map_err(read)?,
        takeovers: row.try_get(7).map_err(read)?,
        released_at: optional(row.try_get(8).map_err(read)?, "a release time")?,
    })
}

/// The SQL for the database clock's now in milliseconds since the Unix epoch. PostgreSQL's
/// `now()` is the transaction's start, which a long transaction would leave behind;
/// `clock_timestamp()` is the current time
/// (<https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT>).
/// SQLite's `julianday('now')` is fractional days, 2440587.5 of them at the Unix epoch
/// (<https://www.sqlite.org/lang_datefunc.html>).
fn now_ms(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        Backend::Sqlite => "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)",
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.min(LONGEST).as_millis()).unwrap_or(i64::MAX)
}

fn duration(millis: i64) -> Duration {
    Duration::from_millis(u64::try_from(millis).unwrap_or_default())
}

fn instant(millis: i64, what: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StoreError::Corrupt { what: what.to_owned(), reason: format!("{millis} ms is out of range") })
}

fn tenant_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|error| StoreError::Corrupt {
        what: "practice lease".to_owned(),
        reason: format!("tenant id {text:?}: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_stored_in_milliseconds_and_capped() {
        assert_eq!(millis(Duration::from_secs(90)), 90_000);
        assert_eq!(millis(Duration::MAX), millis(LONGEST));
        assert_eq!(duration(-5), Duration::ZERO);
        assert_eq!(duration(2_500), Duration::from_millis(2_500));
        assert!(instant(i64::MAX, "x").is_err());
    }
}
