//! The audit log, chained by hash.
//!
//! Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's own fields
//! (id, time, actor, action, subject, detail), so editing or deleting an entry in the middle of
//! the log breaks the chain from there on, and [`Store::audit_chain`] says where. Entries are
//! appended only inside a [`WriteTx`] and only one appender runs at a time (SQLite's
//! `BEGIN IMMEDIATE`; on PostgreSQL a transaction-scoped advisory lock), so the chain never forks.
//! Deleting the newest entries leaves a shorter chain that still verifies: the chain proves
//! order and integrity, not completeness.

use sha2::{Digest as _, Sha256};
use sqlx::Row as _;

use crate::location::Backend;
use crate::writer::WriteTx;
use crate::{Store, StoreError};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The PostgreSQL advisory lock key that serialises appends (any constant unique to this use).
const AUDIT_LOCK_KEY: i64 = 0x7870_6d6b_6175_6474;

/// An event to append: who did what to what, with details as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEvent<'a> {
    /// Who: an admin user's email, or `cli:<os user>` for the command line.
    pub actor: &'a str,
    /// What, dotted: `readiness.mark`, `security.set`, `admin_user.add`, `retention.purge`, …
    pub action: &'a str,
    /// What it was done to: a readiness item, a setting's name, a user's email.
    pub subject: &'a str,
    /// Anything else worth keeping. Never a secret.
    pub detail: serde_json::Value,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditEntry {
    /// Its position in the log.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub subject: String,
    /// Details, as JSON text.
    pub detail: String,
    /// The hash of the entry before it (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and this entry's fields, in hex.
    pub hash: String,
}

/// What checking the whole chain found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AuditChain {
    /// Entries in the log.
    pub entries: u64,
    /// When the oldest entry was written.
    pub oldest_at: Option<String>,
    /// When the newest entry was written.
    pub newest_at: Option<String>,
    /// The first entry whose hash does not follow from the entries before it, if any.
    pub broken_at: Option<i64>,
}

impl AuditChain {
    /// Whether every entry's hash follows from the ones before it (an empty log is intact).
    pub fn is_intact(&self) -> bool {
        self.broken_at.is_none()
    }
}

/// The hash of an entry: SHA-256 over the fields, each ended by a newline so that no two
/// different entries give the same input.
fn entry_hash(prev_hash: &str, id: i64, at: &str, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [prev_hash, &id.to_string(), at, actor, action, subject, detail] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

impl WriteTx {
    /// Appends `event` to the audit log, chained to the entry before it. It commits with the
    /// transaction, so the change it records and the record are kept together or not at all.
    pub async fn append_audit(&mut self, event: &NewAuditEvent<'_>) -> Result<AuditEntry, StoreError> {
        let (db, context) = self.parts(uuid::Uuid::nil());
        if context.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_LOCK_KEY)
                .execute(&mut *db)
                .await
                .map_err(StoreError::query("lock of audit_log"))?;
        }
        let last = sqlx::query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *db)
            .await
            .map_err(StoreError::query("read of audit_log"))?;
        let prev_hash = match last {
            Some(row) => row.try_get::<String, _>(0).map_err(StoreError::query("read of audit_log"))?,
            None => GENESIS.to_owned(),
        };
        let detail = event.detail.to_string();
        // The id is part of the hash, so the row is inserted first and its hash set once the id
        // is known, in the same transaction.
        let row = sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id",
        )
        .bind(context.now.as_str())
        .bind(event.actor)
        .bind(event.action)
        .bind(event.subject)
        .bind(detail.as_str())
        .bind(prev_hash.as_str())
        .fetch_one(&mut *db)
        .await
        .map_err(StoreError::query("insert into audit_log"))?;
        let id: i64 = row.try_get(0).map_err(StoreError::query("insert into audit_log"))?;
        let hash = entry_hash(&prev_hash, id, &context.now, event.actor, event.action, event.subject, &detail);
        sqlx::query("UPDATE audit_log SET hash = $1 WHERE id = $2")
            .bind(hash.as_str())
            .bind(id)
            .execute(&mut *db)
            .await
            .map_err(StoreError::query("update of audit_log"))?;
        Ok(AuditEntry {
            id,
            at: context.now,
            actor: event.actor.to_owned(),
            action: event.action.to_owned(),
            subject: event.subject.to_owned(),
            detail,
            prev_hash,
            hash,
        })
    }
}

const SELECT_ENTRY: &str = "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log";

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
    let read = StoreError::query("read of audit_log");
    (|| {
        Ok(AuditEntry {
            id: row.try_get(0)?,
            at: row.try_get(1)?,
            actor: row.try_get(2)?,
            action: row.try_get(3)?,
            subject: row.try_get(4)?,
            detail: row.try_get(5)?,
            prev_hash: row.try_get(6)?,
            hash: row.try_get(7)?,
        })
    })()
    .map_err(read)
}

impl Store {
    /// Walks the whole audit log in order and checks each entry's hash.
    ///
    /// Reads every entry once, holding one at a time: the admin app's log grows by events, not
    /// by records, so a walk stays cheap.
    pub async fn audit_chain(&self) -> Result<AuditChain, StoreError> {
        use futures_util::TryStreamExt as _;
        let sql = format!("{SELECT_ENTRY} ORDER BY id");
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        let mut chain = AuditChain::default();
        let mut expected_prev = GENESIS.to_owned();
        while let Some(row) = rows.try_next().await.map_err(StoreError::query("read of audit_log"))? {
            let entry = entry_from_row(&row)?;
            let recomputed = entry_hash(
                &entry.prev_hash,
                entry.id,
                &entry.at,
                &entry.actor,
                &entry.action,
                &entry.subject,
                &entry.detail,
            );
            if chain.broken_at.is_none() && (entry.prev_hash != expected_prev || entry.hash != recomputed) {
                chain.broken_at = Some(entry.id);
            }
            chain.entries += 1;
            if chain.oldest_at.is_none() {
                chain.oldest_at = Some(entry.at.clone());
            }
            chain.newest_at = Some(entry.at);
            expected_prev = entry.hash;
        }
        Ok(chain)
    }

    /// The newest entries with `action`, newest first.
    pub async fn audit_entries(&self, action: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!("{SELECT_ENTRY} WHERE action = $1 ORDER BY id DESC LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(action)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read of audit_log"))?;
        rows.iter().map(entry_from_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_the_entry_before() {
        let base = entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:ana", "readiness.mark", "oauth-flow", "{}");
        assert_eq!(base.len(), 64);
        let variants = [
            entry_hash(&base, 1, "2026-05-04T09:12:00Z", "cli:ana", "readiness.mark", "oauth-flow", "{}"),
            entry_hash(GENESIS, 2, "2026-05-04T09:12:00Z", "cli:ana", "readiness.mark", "oauth-flow", "{}"),
            entry_hash(GENESIS, 1, "2026-05-04T09:12:01Z", "cli:ana", "readiness.mark", "oauth-flow", "{}"),
            entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:bo", "readiness.mark", "oauth-flow", "{}"),
            entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:ana", "readiness.unmark", "oauth-flow", "{}"),
            entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:ana", "readiness.mark", "mfa-enforced", "{}"),
            entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:ana", "readiness.mark", "oauth-flow", "{\"a\":1}"),
            // Moving text across the field boundary changes the input too.
            entry_hash(GENESIS, 1, "2026-05-04T09:12:00Z", "cli:an", "areadiness.mark", "oauth-flow", "{}"),
        ];
        for variant in variants {
            assert_ne!(variant, base);
        }
    }
}
