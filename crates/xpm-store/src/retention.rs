//! Data retention: deleting what the retention policy no longer allows the store to keep.
//!
//! A purge deletes, for every practice, what was removed from XPM before the cut-off (with the
//! links, members, relationships and custom field values that hang off it), the change log's
//! entries (which hold old and new values), finished sync runs but each practice's latest, and
//! outbox entries that ended (sent, failed, conflict). Mirrored records XPM still has are kept:
//! they are the mirror, not history. The audit log is never purged (its hash chain is the
//! evidence), and the purge itself is logged in it, in the same transaction.

use serde::Serialize;

use crate::audit::NewAuditEvent;
use crate::error::StoreError;
use crate::writer::WriteTx;

/// The action a purge logs in the audit log.
pub const PURGE_ACTION: &str = "retention.purge";

/// Tables of mirrored records, with the column that keys them.
const RECORD_TABLES: &[(&str, &str)] = &[
    ("clients", "uuid"),
    ("contacts", "uuid"),
    ("client_groups", "uuid"),
    ("staff", "uuid"),
    ("jobs", "id"),
    ("job_tasks", "uuid"),
    ("task_types", "uuid"),
    ("time_entries", "uuid"),
    ("categories", "uuid"),
    ("custom_field_definitions", "uuid"),
];

/// Rows that hang off a removed record: (table, its column naming the record, the record's
/// table, and that table's key).
const DEPENDENT_ROWS: &[(&str, &str, &str, &str)] = &[
    ("client_contacts", "client_uuid", "clients", "uuid"),
    ("client_contacts", "contact_uuid", "contacts", "uuid"),
    ("group_members", "group_uuid", "client_groups", "uuid"),
    ("group_members", "client_uuid", "clients", "uuid"),
    ("relationships", "client_uuid", "clients", "uuid"),
    ("job_tasks", "job_id", "jobs", "id"),
];

/// Custom field values by owner kind, and the table of their owners.
const CUSTOM_FIELD_OWNERS: &[(&str, &str, &str)] = &[
    ("client", "clients", "uuid"),
    ("contact", "contacts", "uuid"),
    ("job", "jobs", "id"),
    ("job_task", "job_tasks", "uuid"),
    ("time", "time_entries", "uuid"),
];

/// What a purge deleted (or, in a dry run, would delete).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PurgeReport {
    /// Records removed from XPM before the cut-off, across every kind.
    pub removed_records: u64,
    /// Links, members, relationships and custom field values of those records.
    pub dependent_rows: u64,
    /// Change-log entries.
    pub change_events: u64,
    /// Finished sync runs (each practice's latest is kept).
    pub sync_runs: u64,
    /// Outbox entries that ended.
    pub outbox_entries: u64,
}

impl PurgeReport {
    /// Every row deleted.
    pub fn total(&self) -> u64 {
        self.removed_records + self.dependent_rows + self.change_events + self.sync_runs + self.outbox_entries
    }
}

impl WriteTx {
    /// Deletes what is older than `cutoff` (RFC 3339, UTC) as the module says, and logs the purge
    /// in the audit log with `actor` and `retention_days`. Commit to keep it; roll back for a dry
    /// run (nothing is logged then either).
    pub async fn purge(&mut self, cutoff: &str, retention_days: u32, actor: &str) -> Result<PurgeReport, StoreError> {
        let mut report = PurgeReport::default();
        let (db, _) = self.parts(uuid::Uuid::nil());
        let mut run = async |sql: String, what: &'static str| -> Result<u64, StoreError> {
            let done = sqlx::query(&sql).bind(cutoff).execute(&mut *db).await.map_err(StoreError::query(what))?;
            Ok(done.rows_affected())
        };
        // Custom field values and dependent rows first, while their removed owners are still
        // there to be found.
        for (kind, owner, key) in CUSTOM_FIELD_OWNERS {
            report.dependent_rows += run(
                format!(
                    "DELETE FROM custom_field_values WHERE owner_kind = '{kind}' AND EXISTS (SELECT 1 FROM {owner} o \
                     WHERE o.tenant_id = custom_field_values.tenant_id AND o.{key} = custom_field_values.owner_key \
                     AND o.removed_at IS NOT NULL AND o.removed_at < $1)"
                ),
                "purge of removed records' custom field values",
            )
            .await?;
        }
        for (table, column, owner, key) in DEPENDENT_ROWS {
            report.dependent_rows += run(
                format!(
                    "DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {owner} o WHERE o.tenant_id = {table}.tenant_id \
                     AND o.{key} = {table}.{column} AND o.removed_at IS NOT NULL AND o.removed_at < $1)"
                ),
                "purge of removed records' links",
            )
            .await?;
        }
        for (table, _) in RECORD_TABLES {
            report.removed_records += run(
                format!("DELETE FROM {table} WHERE removed_at IS NOT NULL AND removed_at < $1"),
                "purge of removed records",
            )
            .await?;
        }
        report.change_events += run("DELETE FROM change_events WHERE at < $1".into(), "purge of change_events").await?;
        report.sync_runs += run(
            "DELETE FROM sync_runs WHERE finished_at IS NOT NULL AND finished_at < $1 AND id < \
             (SELECT MAX(latest.id) FROM sync_runs latest WHERE latest.tenant_id = sync_runs.tenant_id)"
                .into(),
            "purge of sync_runs",
        )
        .await?;
        report.outbox_entries += run(
            "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'conflict') AND updated_at < $1".into(),
            "purge of outbox",
        )
        .await?;
        self.append_audit(&NewAuditEvent {
            actor,
            action: PURGE_ACTION,
            subject: "store",
            detail: serde_json::json!({
                "cutoff": cutoff,
                "retention_days": retention_days,
                "deleted": &report,
            }),
        })
        .await?;
        Ok(report)
    }
}
