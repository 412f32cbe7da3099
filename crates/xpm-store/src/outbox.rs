//! The outbox: local creates and updates waiting to be written to XPM.
//!
//! XPM has no idempotency keys, so an entry is marked `sending` (and committed) before its
//! request goes out. An entry found `sending` later has an unknown outcome: the pusher must look
//! for it in XPM before sending it again, never resend blindly.

use std::collections::HashSet;

use sqlx::Row as _;
use uuid::Uuid;

use crate::events::EntityKind;
use crate::writer::{WriteTx, table_of};
use crate::{Store, StoreError};

/// Identifies an outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutboxStatus {
    /// Waiting to be sent.
    Pending,
    /// Its request was (or was about to be) sent, outcome not yet recorded.
    Sending,
    /// XPM accepted it.
    Sent,
    /// XPM refused it, or it cannot be sent.
    Failed,
    /// The record changed in XPM since it was read: not sent, so nobody's edit is overwritten.
    Conflict,
}

impl OutboxStatus {
    /// The name stored in `outbox.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Conflict => "conflict",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pending" => Self::Pending,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "conflict" => Self::Conflict,
            _ => return None,
        })
    }
}

/// A change to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxEntry {
    /// The kind of entity, e.g. `client`, `contact`, `group`, `job`, `time`.
    pub entity: String,
    /// `create` or `update` (or another operation the pusher knows).
    pub action: String,
    /// The entity's key for updates; `None` for creates until XPM assigns one.
    pub entity_key: Option<String>,
    /// The request, as JSON.
    pub payload: String,
    /// The stored item the change was made against (its raw JSON), to detect a conflicting
    /// edit in XPM before an update is sent.
    pub base_version: Option<String>,
}

/// A stored outbox entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OutboxEntry {
    /// Its id (entries are sent in id order).
    pub id: OutboxId,
    /// The practice.
    pub tenant: Uuid,
    /// The change.
    pub change: NewOutboxEntry,
    /// Where it stands.
    pub status: OutboxStatus,
    /// How many times it was marked `sending`.
    pub attempts: u32,
    /// The key XPM gave the created or updated record.
    pub result_key: Option<String>,
    /// The last error or conflict.
    pub last_error: Option<String>,
}

impl WriteTx {
    /// Queues a change.
    pub async fn enqueue(&mut self, tenant: Uuid, entry: &NewOutboxEntry) -> Result<OutboxId, StoreError> {
        let (db, context) = self.parts(tenant);
        let row = sqlx::query(
            "INSERT INTO outbox (tenant_id, entity, action, entity_key, payload, base_version, status, attempts, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id",
        )
        .bind(context.tenant.as_str())
        .bind(entry.entity.as_str())
        .bind(entry.action.as_str())
        .bind(entry.entity_key.as_deref())
        .bind(entry.payload.as_str())
        .bind(entry.base_version.as_deref())
        .bind(context.now.as_str())
        .fetch_one(db)
        .await
        .map_err(StoreError::query("insert into outbox"))?;
        Ok(OutboxId(row.try_get(0).map_err(StoreError::query("insert into outbox"))?))
    }

    /// Marks an entry `sending` and counts the attempt; commit before sending the request.
    pub async fn mark_sending(&mut self, id: OutboxId) -> Result<(), StoreError> {
        self.set_status(id, OutboxStatus::Sending, None, None, true).await
    }

    /// Records that XPM accepted the entry, with the key of the record it made or changed.
    pub async fn mark_sent(&mut self, id: OutboxId, result_key: Option<&str>) -> Result<(), StoreError> {
        self.set_status(id, OutboxStatus::Sent, result_key, None, false).await
    }

    /// Records a refusal (or a conflict) with its reason.
    pub async fn mark_failed(&mut self, id: OutboxId, status: OutboxStatus, reason: &str) -> Result<(), StoreError> {
        self.set_status(id, status, None, Some(reason), false).await
    }

    /// Puts an entry back to `pending` with the reason it was not sent, for a request that
    /// provably never reached XPM (no connection made, a rate limit, a refused token); the
    /// attempt stays counted.
    pub async fn release(&mut self, id: OutboxId, reason: &str) -> Result<(), StoreError> {
        self.set_status(id, OutboxStatus::Pending, None, Some(reason), false).await
    }

    /// Keeps an entry `sending` (its outcome unknown) and records why, so the next push
    /// reconciles it against XPM before anything is sent again.
    pub async fn mark_unknown(&mut self, id: OutboxId, reason: &str) -> Result<(), StoreError> {
        self.set_status(id, OutboxStatus::Sending, None, Some(reason), false).await
    }

    /// The stored item of `entity` with `key` as its raw JSON, read inside this transaction
    /// (what an update is based on), or `None` when the store does not hold it.
    pub async fn stored_raw(
        &mut self,
        tenant: Uuid,
        entity: EntityKind,
        key: &str,
    ) -> Result<Option<String>, StoreError> {
        let (table, key_column) = table_of(entity);
        let (db, context) = self.parts(tenant);
        let sql = format!("SELECT raw FROM {table} WHERE tenant_id = $1 AND {key_column} = $2");
        let row = sqlx::query(&sql)
            .bind(context.tenant.as_str())
            .bind(key)
            .fetch_optional(db)
            .await
            .map_err(StoreError::query("read of one entity"))?;
        row.map(|row| row.try_get(0)).transpose().map_err(StoreError::query("read of one entity"))
    }

    async fn set_status(
        &mut self,
        id: OutboxId,
        status: OutboxStatus,
        result_key: Option<&str>,
        error: Option<&str>,
        attempt: bool,
    ) -> Result<(), StoreError> {
        let (db, context) = self.parts(Uuid::nil());
        sqlx::query(
            "UPDATE outbox SET status = $1, result_key = COALESCE($2, result_key), last_error = $3, \
             attempts = attempts + $4, updated_at = $5 WHERE id = $6",
        )
        .bind(status.as_str())
        .bind(result_key)
        .bind(error)
        .bind(i64::from(attempt))
        .bind(context.now.as_str())
        .bind(id.0)
        .execute(db)
        .await
        .map_err(StoreError::query("update of outbox"))?;
        Ok(())
    }
}

impl Store {
    /// The keys of `entity` records with a local change not yet written to XPM (outbox entries
    /// `pending` or `sending`). A pull must not overwrite these records: the change is based on
    /// the stored copy, and the push compares that copy with XPM to detect conflicting edits.
    pub async fn pending_keys(&self, tenant: Uuid, entity: EntityKind) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT entity_key FROM outbox WHERE tenant_id = $1 AND entity = $2 \
             AND status IN ('pending', 'sending') AND entity_key IS NOT NULL",
        )
        .bind(tenant.to_string())
        .bind(entity.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read of outbox"))?;
        rows.iter().map(|row| row.try_get::<String, _>(0).map_err(StoreError::query("read of outbox"))).collect()
    }

    /// Entries of `tenant` in one of `statuses`, oldest first.
    pub async fn outbox(&self, tenant: Uuid, statuses: &[OutboxStatus]) -> Result<Vec<OutboxEntry>, StoreError> {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        // The statuses are this crate's own names, never input, so they go into the text; the
        // outbox index (tenant, status, id) then skips the entries long sent.
        let wanted: Vec<String> = statuses.iter().map(|status| format!("'{}'", status.as_str())).collect();
        let sql = format!(
            "SELECT id, entity, action, entity_key, payload, base_version, status, attempts, result_key, last_error \
             FROM outbox WHERE tenant_id = $1 AND status IN ({}) ORDER BY id",
            wanted.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(tenant.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read of outbox"))?;
        let mut entries = Vec::new();
        for row in rows {
            let read = |source| StoreError::Query { action: "read of outbox".to_owned(), source };
            let status_text: String = row.try_get(6).map_err(read)?;
            let status = OutboxStatus::parse(&status_text).ok_or_else(|| StoreError::Corrupt {
                what: "outbox entry".to_owned(),
                reason: format!("unknown status {status_text:?}"),
            })?;
            if !statuses.contains(&status) {
                continue;
            }
            let attempts: i64 = row.try_get(7).map_err(read)?;
            entries.push(OutboxEntry {
                id: OutboxId(row.try_get(0).map_err(read)?),
                tenant,
                change: NewOutboxEntry {
                    entity: row.try_get(1).map_err(read)?,
                    action: row.try_get(2).map_err(read)?,
                    entity_key: row.try_get(3).map_err(read)?,
                    payload: row.try_get(4).map_err(read)?,
                    base_version: row.try_get(5).map_err(read)?,
                },
                status,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                result_key: row.try_get(8).map_err(read)?,
                last_error: row.try_get(9).map_err(read)?,
            });
        }
        Ok(entries)
    }
}
