//! What the approval kit keeps: readiness items marked by hand, and contract-suite runs.
//!
//! Marking and unmarking append to the [audit log](crate::AuditEntry) in the same transaction,
//! so a mark is never kept without the record of who made it.

use sqlx::Row as _;
use uuid::Uuid;

use crate::audit::NewAuditEvent;
use crate::writer::WriteTx;
use crate::{Store, StoreError};

/// A readiness item someone marked done by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadinessMark {
    /// The item's id, e.g. `access-request-submitted`.
    pub item: String,
    /// When it was marked (RFC 3339, UTC).
    pub marked_at: String,
    /// Who marked it.
    pub marked_by: String,
    /// Why, or the evidence (a ticket number, a date agreed).
    pub note: Option<String>,
}

/// A contract-suite run to record (`xpmkit verify`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVerifyRun<'a> {
    /// `xero` or `mock`.
    pub profile: &'a str,
    /// The practice checked, if one was.
    pub tenant: Option<Uuid>,
    /// When it started (RFC 3339, UTC).
    pub started_at: &'a str,
    /// When it finished; `None` for a run that stopped before it could say.
    pub finished_at: Option<&'a str>,
    /// Checks that passed.
    pub passed: u64,
    /// Checks that failed (differences found).
    pub failed: u64,
    /// Where its report was written.
    pub report_path: Option<&'a str>,
}

/// A recorded contract-suite run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyRun {
    /// Its id.
    pub id: i64,
    /// `xero` or `mock`.
    pub profile: String,
    /// The practice checked.
    pub tenant: Option<Uuid>,
    /// When it started.
    pub started_at: String,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Checks that passed.
    pub passed: u64,
    /// Checks that failed.
    pub failed: u64,
    /// Where its report was written.
    pub report_path: Option<String>,
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl WriteTx {
    /// Marks `item` done by hand (again, if it was: the new note and time replace the old), and
    /// logs it as `readiness.mark` by `actor`.
    pub async fn mark_readiness(
        &mut self,
        item: &str,
        note: Option<&str>,
        actor: &str,
    ) -> Result<ReadinessMark, StoreError> {
        let (db, context) = self.parts(Uuid::nil());
        sqlx::query(
            "INSERT INTO readiness_marks (item, marked_at, marked_by, note) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (item) DO UPDATE SET marked_at = excluded.marked_at, marked_by = excluded.marked_by, \
             note = excluded.note",
        )
        .bind(item)
        .bind(context.now.as_str())
        .bind(actor)
        .bind(note)
        .execute(db)
        .await
        .map_err(StoreError::query("upsert into readiness_marks"))?;
        self.append_audit(&NewAuditEvent {
            actor,
            action: "readiness.mark",
            subject: item,
            detail: serde_json::json!({ "note": note }),
        })
        .await?;
        Ok(ReadinessMark {
            item: item.to_owned(),
            marked_at: context.now,
            marked_by: actor.to_owned(),
            note: note.map(str::to_owned),
        })
    }

    /// Removes the mark of `item`, logged as `readiness.unmark`. Returns whether it was marked;
    /// nothing is logged when it was not.
    pub async fn unmark_readiness(&mut self, item: &str, note: Option<&str>, actor: &str) -> Result<bool, StoreError> {
        let (db, _) = self.parts(Uuid::nil());
        let removed = sqlx::query("DELETE FROM readiness_marks WHERE item = $1")
            .bind(item)
            .execute(db)
            .await
            .map_err(StoreError::query("delete from readiness_marks"))?
            .rows_affected();
        if removed == 0 {
            return Ok(false);
        }
        self.append_audit(&NewAuditEvent {
            actor,
            action: "readiness.unmark",
            subject: item,
            detail: serde_json::json!({ "note": note }),
        })
        .await?;
        Ok(true)
    }

    /// Records a contract-suite run, and logs it. Returns its id.
    pub async fn record_verify_run(&mut self, run: &NewVerifyRun<'_>) -> Result<i64, StoreError> {
        let (db, _) = self.parts(Uuid::nil());
        let row = sqlx::query(
            "INSERT INTO verify_runs (profile, tenant_id, started_at, finished_at, passed, failed, report_path) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(run.profile)
        .bind(run.tenant.map(|tenant| tenant.to_string()))
        .bind(run.started_at)
        .bind(run.finished_at)
        .bind(count(run.passed))
        .bind(count(run.failed))
        .bind(run.report_path)
        .fetch_one(db)
        .await
        .map_err(StoreError::query("insert into verify_runs"))?;
        let id: i64 = row.try_get(0).map_err(StoreError::query("insert into verify_runs"))?;
        self.append_audit(&NewAuditEvent {
            actor: "xpmkit verify",
            action: "verify.run",
            subject: run.profile,
            detail: serde_json::json!({
                "tenant": run.tenant, "passed": run.passed, "failed": run.failed, "report": run.report_path,
            }),
        })
        .await?;
        Ok(id)
    }
}

impl Store {
    /// Every readiness mark, by item.
    pub async fn readiness_marks(&self) -> Result<Vec<ReadinessMark>, StoreError> {
        let rows = sqlx::query("SELECT item, marked_at, marked_by, note FROM readiness_marks ORDER BY item")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read of readiness_marks"))?;
        rows.iter()
            .map(|row| {
                let read = StoreError::query("read of readiness_marks");
                (|| {
                    Ok(ReadinessMark {
                        item: row.try_get(0)?,
                        marked_at: row.try_get(1)?,
                        marked_by: row.try_get(2)?,
                        note: row.try_get(3)?,
                    })
                })()
                .map_err(read)
            })
            .collect()
    }

    /// The latest contract-suite run on `profile` (`xero` or `mock`), if any.
    pub async fn latest_verify_run(&self, profile: &str) -> Result<Option<VerifyRun>, StoreError> {
        let row = sqlx::query(
            "SELECT id, profile, tenant_id, started_at, finished_at, passed, failed, report_path FROM verify_runs \
             WHERE profile = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(profile)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read of verify_runs"))?;
        let Some(row) = row else { return Ok(None) };
        let field = |index: usize| -> Result<Option<String>, StoreError> {
            row.try_get(index).map_err(StoreError::query("read of verify_runs"))
        };
        let number = |index: usize| -> Result<i64, StoreError> {
            row.try_get(index).map_err(StoreError::query("read of verify_runs"))
        };
        let id = number(0)?;
        let (passed, failed) = (number(5)?, number(6)?);
        let (profile, tenant, started_at) = (field(1)?.unwrap_or_default(), field(2)?, field(3)?.unwrap_or_default());
        let (finished_at, report_path) = (field(4)?, field(7)?);
        let tenant = match tenant {
            Some(text) => Some(Uuid::parse_str(&text).map_err(|error| StoreError::Corrupt {
                what: format!("verify run {id}'s tenant"),
                reason: error.to_string(),
            })?),
            None => None,
        };
        Ok(Some(VerifyRun {
            id,
            profile,
            tenant,
            started_at,
            finished_at,
            passed: u64::try_from(passed).unwrap_or_default(),
            failed: u64::try_from(failed).unwrap_or_default(),
            report_path,
        }))
    }
}
