//! The xpmkit store: an XPM practice mirrored into SQLite (embedded, the default) or PostgreSQL,
//! with the sync's cursors and runs, the write-back outbox, a log of every change, and the
//! connections' sealed tokens.
//!
//! - **One schema, two backends.** Each backend has its own migrations
//!   (`migrations/sqlite`, `migrations/postgres`), applied when the store opens; the queries are
//!   the same text on both (sqlx's `Any` driver, `$n` parameters).
//! - **Every field, and the item as sent.** Each entity table has a column per model field
//!   (named references flattened into `…_uuid` / `…_name`, flags as booleans, dates and decimals
//!   as the text XPM sent) and `raw`, the item's JSON, so no field is ever lost. Lists a client
//!   carries live in their own tables: `client_contacts` (position, primary), `group_members`,
//!   `relationships`; a job's tasks in `job_tasks`.
//! - **One writer; data and cursor together.** [`Store::write`] hands out the one write
//!   transaction (`BEGIN IMMEDIATE` on SQLite, so a database busy in another process makes the
//!   writer wait rather than fail). Store a batch and move its cursor in the same
//!   [`WriteTx`], then commit: a crash keeps both or neither.
//! - **Unchanged rows are not changes.** An item whose JSON equals the stored JSON is neither
//!   written nor counted nor logged. Real changes go to `change_events` with the changed fields'
//!   old and new values.
//! - **Exports stream.** [`Store::export`] reads an entity's selected fields a page at a time, by
//!   key, inside one read-only transaction, so a 30,000-row table is never held in memory and
//!   every page comes from the same snapshot.
//! - **Workers share practices by leases.** [`Store::claim_due`] hands each due practice to one
//!   worker at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: `BEGIN IMMEDIATE`) for a
//!   lease it renews while it syncs and releases with the next due time; a lease left to expire
//!   is taken over. Times come from the database's clock.
//! - **Approval kit and admin settings.** Readiness marks, contract-suite runs, the security
//!   settings and admin users the admin app honours, and a hash-chained audit log
//!   ([`Store::audit_chain`]) that every change to them is appended to, in its transaction.
//! - **Fast batches.** Rows go in multi-row `INSERT … ON CONFLICT DO UPDATE` statements of a few
//!   hundred rows each, inside the caller's transaction. A practice's first load of clients
//!   ([`Store::first_load`], [`WriteTx::load_clients`]) writes what it has not stored yet as new,
//!   without reading it back first.
//!
//! ```no_run
//! # async fn example(clients: Vec<xpm_api::model::Client>, tenant: uuid::Uuid) -> Result<(), xpm_store::StoreError> {
//! use xpm_store::{EntityKind, Store};
//!
//! let store = Store::open(None).await?; // xpmkit.db in the data directory
//! let mut write = store.write().await?;
//! let counts = write.upsert_clients(tenant, &clients).await?;
//! write.set_cursor(tenant, "clients.modifiedsince", "2026-05-04T09:12:00").await?;
//! write.commit().await?;
//! println!("{} clients added, {} updated", counts.clients.added, counts.clients.updated);
//! assert_eq!(store.count(tenant, EntityKind::Client).await?, clients.len() as u64);
//! # Ok(()) }
//! ```

mod approval;
mod audit;
mod checkpoint;
mod columns;
mod entities;
mod error;
mod events;
mod export;
mod export_fields;
mod leases;
mod location;
mod outbox;
mod outbox_lock;
mod read;
mod retention;
mod runs;
mod security;
mod statements;
mod store;
mod tokens;
mod upsert;
mod writer;

pub use approval::{NewVerifyRun, ReadinessMark, VerifyRun};
pub use audit::{AuditChain, AuditEntry, NewAuditEvent};
pub use entities::clients::{EncodedClients, FirstLoad};
pub use error::StoreError;
pub use events::{ChangeEvent, ChangeKind, EntityKind};
pub use export::{ExportOptions, ExportRow, ExportRows, ExportValue, PAGE_ROWS};
pub use export_fields::{ExportEntity, ExportField, FieldKind, REMOVED, REMOVED_AT};
pub use leases::{Lease, LeaseState};
pub use location::{Backend, DEFAULT_DATABASE_FILE, DatabaseLocation};
pub use outbox::{NewOutboxEntry, OutboxEntry, OutboxId, OutboxStatus};
pub use outbox_lock::OutboxLock;
pub use read::{ContactLink, Practice, Stored};
pub use retention::{PURGE_ACTION, PurgeReport};
pub use runs::{ChangeCounts, Cursor, RunId, RunStatus, RunSummary, SyncRun};
pub use security::{AdminRole, AdminUser, SecurityInputError, SecuritySetting, SecuritySettings, normalise_email};
pub use store::Store;
pub use tokens::DatabaseTokenStore;
pub use writer::{BatchCounts, ClientBatch, JobBatch, WriteTx};

/// Now, as stored: RFC 3339 in UTC with microseconds, which sorts as text in time order.
pub(crate) fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
