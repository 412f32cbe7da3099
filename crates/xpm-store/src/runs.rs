//! Sync runs (what each run did and cost) and cursors (where the next run starts).

use std::collections::BTreeMap;

use sqlx::Row as _;
use uuid::Uuid;

use crate::writer::WriteTx;
use crate::{Store, StoreError};

/// Identifies a sync run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub i64);

/// How a run ended (or that it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RunStatus {
    /// Started and not finished: running, or killed before it could say.
    Running,
    /// Finished with everything planned done.
    Succeeded,
    /// Stopped by an error (see [`SyncRun::error`]).
    Failed,
}

impl RunStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            _ => return None,
        })
    }
}

/// Added, updated and removed rows of one kind of entity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChangeCounts {
    /// Rows added.
    pub added: u64,
    /// Rows updated.
    pub updated: u64,
    /// Rows removed.
    pub removed: u64,
}

/// What a finished run reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    /// How it ended.
    pub status: RunStatus,
    /// API calls made (Xero counts them against the day's limit).
    pub calls_used: u64,
    /// Response bytes downloaded (Xero meters egress).
    pub bytes_downloaded: u64,
    /// Changes per kind of entity (`client`, `contact`, …).
    pub counts: BTreeMap<String, ChangeCounts>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncRun {
    /// Its id.
    pub id: RunId,
    /// The practice.
    pub tenant: Uuid,
    /// What kind of run, e.g. `full`, `incremental`, `reconcile`.
    pub kind: String,
    /// When it started (RFC 3339, UTC).
    pub started_at: String,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Its state.
    pub status: RunStatus,
    /// API calls made.
    pub calls_used: u64,
    /// Bytes downloaded.
    pub bytes_downloaded: u64,
    /// Changes per kind of entity.
    pub counts: BTreeMap<String, ChangeCounts>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A stored cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cursor {
    /// Its value.
    pub value: String,
    /// The run that moved it last.
    pub run: Option<RunId>,
    /// When it moved (RFC 3339, UTC).
    pub updated_at: String,
}

impl WriteTx {
    /// Records the start of a run. Commit this transaction at once so that a run killed later
    /// still shows as started and never finished.
    pub async fn start_run(&mut self, tenant: Uuid, kind: &str) -> Result<RunId, StoreError> {
        let (db, context) = self.parts(tenant);
        let row = sqlx::query(
            "INSERT INTO sync_runs (tenant_id, kind, started_at, status, calls_used, bytes_downloaded, counts) \
             VALUES ($1, $2, $3, 'running', 0, 0, '{}') RETURNING id",
        )
        .bind(context.tenant.as_str())
        .bind(kind)
        .bind(context.now.as_str())
        .fetch_one(db)
        .await
        .map_err(StoreError::query("insert into sync_runs"))?;
        let id: i64 = row.try_get(0).map_err(StoreError::query("insert into sync_runs"))?;
        Ok(RunId(id))
    }

    /// Records how a run ended.
    pub async fn finish_run(&mut self, run: RunId, summary: &RunSummary) -> Result<(), StoreError> {
        let counts = serde_json::to_string(&summary.counts)
            .map_err(|source| StoreError::Encode { entity: "run counts", source })?;
        let (db, context) = self.parts(Uuid::nil());
        sqlx::query(
            "UPDATE sync_runs SET finished_at = $1, status = $2, calls_used = $3, bytes_downloaded = $4, \
             counts = $5, error = $6 WHERE id = $7",
        )
        .bind(context.now.as_str())
        .bind(summary.status.as_str())
        .bind(i64::try_from(summary.calls_used).unwrap_or(i64::MAX))
        .bind(i64::try_from(summary.bytes_downloaded).unwrap_or(i64::MAX))
        .bind(counts)
        .bind(summary.error.as_deref())
        .bind(run.0)
        .execute(db)
        .await
        .map_err(StoreError::query("update of sync_runs"))?;
        Ok(())
    }
}

impl WriteTx {
    /// Records what a run has done so far (calls, bytes, counts) without finishing it: written
    /// with each batch, so a run killed half way still shows what it had committed.
    pub async fn record_run_progress(&mut self, run: RunId, summary: &RunSummary) -> Result<(), StoreError> {
        let counts = serde_json::to_string(&summary.counts)
            .map_err(|source| StoreError::Encode { entity: "run counts", source })?;
        let (db, _) = self.parts(Uuid::nil());
        sqlx::query("UPDATE sync_runs SET calls_used = $1, bytes_downloaded = $2, counts = $3 WHERE id = $4")
            .bind(i64::try_from(summary.calls_used).unwrap_or(i64::MAX))
            .bind(i64::try_from(summary.bytes_downloaded).unwrap_or(i64::MAX))
            .bind(counts)
            .bind(run.0)
            .execute(db)
            .await
            .map_err(StoreError::query("update of sync_runs"))?;
        Ok(())
    }
}

impl Store {
    /// The latest runs of `tenant`, newest first.
    pub async fn runs(&self, tenant: Uuid, limit: u32) -> Result<Vec<SyncRun>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, kind, started_at, finished_at, status, calls_used, bytes_downloaded, counts, error \
             FROM sync_runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read of sync_runs"))?;
        rows.iter().map(run_from_row).collect()
    }

    /// A cursor of `tenant`.
    pub async fn cursor(&self, tenant: Uuid, name: &str) -> Result<Option<Cursor>, StoreError> {
        let row = sqlx::query("SELECT value, run_id, updated_at FROM cursors WHERE tenant_id = $1 AND name = $2")
            .bind(tenant.to_string())
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read of cursors"))?;
        let Some(row) = row else { return Ok(None) };
        let read = StoreError::query("read of cursors");
        let (value, run, updated_at): (String, Option<i64>, String) =
            (|| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))().map_err(read)?;
        Ok(Some(Cursor { value, run: run.map(RunId), updated_at }))
    }
}

fn run_from_row(row: &sqlx::any::AnyRow) -> Result<SyncRun, StoreError> {
    let read = |source| StoreError::Query { action: "read of sync_runs".to_owned(), source };
    let tenant: String = row.try_get(1).map_err(read)?;
    let status: String = row.try_get(5).map_err(read)?;
    let counts: String = row.try_get(8).map_err(read)?;
    let calls: i64 = row.try_get(6).map_err(read)?;
    let bytes: i64 = row.try_get(7).map_err(read)?;
    let corrupt = |reason: String| StoreError::Corrupt { what: "sync run".to_owned(), reason };
    Ok(SyncRun {
        id: RunId(row.try_get(0).map_err(read)?),
        tenant: Uuid::parse_str(&tenant).map_err(|error| corrupt(format!("tenant id {tenant:?}: {error}")))?,
        kind: row.try_get(2).map_err(read)?,
        started_at: row.try_get(3).map_err(read)?,
        finished_at: row.try_get(4).map_err(read)?,
        status: RunStatus::parse(&status).ok_or_else(|| corrupt(format!("unknown status {status:?}")))?,
        calls_used: u64::try_from(calls).unwrap_or_default(),
        bytes_downloaded: u64::try_from(bytes).unwrap_or_default(),
        counts: serde_json::from_str(&counts).map_err(|error| corrupt(format!("counts: {error}")))?,
        error: row.try_get(9).map_err(read)?,
    })
}
