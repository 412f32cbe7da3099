//! Deletions found in swept date windows. XPM's `job.api/list` and `time.api/list` list what
//! was created (jobs) or dated (time entries) from one day to another and nothing says an item
//! was deleted; a complete sweep of a window that no longer lists a stored item whose date lies
//! inside it is that word. A job's creation date is not in its shape, so the days it lies
//! between are kept in `jobs.created_from`/`created_to`, narrowed by every window that lists it.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use sqlx::{AnyConnection, Row as _};

use crate::StoreError;
use crate::events::EntityKind;
use crate::statements::{MAX_PARAMETERS, Placeholders};
use crate::upsert::{Context, mark_removed};

/// After a complete sweep of `from..=to` (`listed` holds every job number it listed): marks
/// the jobs known to be created inside it and no longer listed removed, and narrows the known
/// creation days of the listed ones. Returns how many were marked.
pub(crate) async fn sweep_jobs(
    connection: &mut AnyConnection,
    context: &Context,
    (from, to): (NaiveDate, NaiveDate),
    listed: &[String],
) -> Result<usize, StoreError> {
    let (from, to) = (from.to_string(), to.to_string());
    let mut marks = Placeholders::new(context.backend);
    let sql = format!(
        "SELECT id FROM jobs WHERE tenant_id = {} AND removed_at IS NULL AND created_from >= {} AND created_to <= {}",
        marks.one(),
        marks.one(),
        marks.one()
    );
    let rows = sqlx::query(&sql)
        .bind(context.tenant.as_str())
        .bind(from.as_str())
        .bind(to.as_str())
        .fetch_all(&mut *connection)
        .await
        .map_err(StoreError::query("read of jobs in a window"))?;
    let listed_set: HashSet<&str> = listed.iter().map(String::as_str).collect();
    let mut vanished = Vec::new();
    for row in rows {
        let id: String = row.try_get(0).map_err(StoreError::query("read of jobs in a window"))?;
        if !listed_set.contains(id.as_str()) {
            vanished.push(id);
        }
    }
    let removed = mark_removed(connection, context, "jobs", EntityKind::Job, "id", &vanished).await?;
    narrow_creation_days(connection, context, (&from, &to), listed).await?;
    Ok(removed)
}

/// Sets each listed job's creation days to their intersection with `from..=to` (or to the
/// window itself when the stored days are unknown or, written by an older reading, disjoint).
async fn narrow_creation_days(
    connection: &mut AnyConnection,
    context: &Context,
    (from, to): (&str, &str),
    listed: &[String],
) -> Result<(), StoreError> {
    // The new bounds are computed from the old row (SQL evaluates every SET against it).
    const OVERLAP: &str = "created_from IS NOT NULL AND created_to IS NOT NULL AND created_from <= {to} \
                           AND created_to >= {from}";
    for chunk in listed.chunks(MAX_PARAMETERS - 16) {
        let mut marks = Placeholders::new(context.backend);
        let mut overlap = || OVERLAP.replace("{to}", &marks.one()).replace("{from}", &marks.one());
        let (first_overlap, second_overlap) = (overlap(), overlap());
        let from_a = marks.one();
        let from_b = marks.one();
        let to_a = marks.one();
        let to_b = marks.one();
        let sql = format!(
            "UPDATE jobs SET \
             created_from = CASE WHEN {first_overlap} AND created_from > {from_a} THEN created_from ELSE {from_b} END, \
             created_to = CASE WHEN {second_overlap} AND created_to < {to_a} THEN created_to ELSE {to_b} END \
             WHERE tenant_id = {} AND id IN ({})",
            marks.one(),
            marks.list(chunk.len())
        );
        let mut query = sqlx::query(&sql);
        // In placeholder order: the two overlaps (to, from), from twice, to twice.
        for value in [to, from, to, from, from, from, to, to] {
            query = query.bind(value);
        }
        query = query.bind(context.tenant.as_str());
        for id in chunk {
            query = query.bind(id.as_str());
        }
        query.execute(&mut *connection).await.map_err(StoreError::query("update of jobs' creation days"))?;
    }
    Ok(())
}

/// After a complete sweep of `from..=to` (`listed` holds every entry's UUID it listed): marks
/// the stored time entries dated inside it and no longer listed removed. Returns how many.
pub(crate) async fn sweep_time(
    connection: &mut AnyConnection,
    context: &Context,
    (from, to): (NaiveDate, NaiveDate),
    listed: &[String],
) -> Result<usize, StoreError> {
    // Dates are stored as XPM wrote them: `2026-05-04T00:00:00` (or a bare day), or the compact
    // `20260504`; text order is date order within each form.
    let after = to.checked_add_days(Days::new(1)).unwrap_or(to);
    let mut marks = Placeholders::new(context.backend);
    let sql = format!(
        "SELECT uuid FROM time_entries WHERE tenant_id = {} AND removed_at IS NULL AND \
         ((LENGTH(date) <> 8 AND date >= {} AND date < {}) OR (LENGTH(date) = 8 AND date >= {} AND date <= {}))",
        marks.one(),
        marks.one(),
        marks.one(),
        marks.one(),
        marks.one()
    );
    let rows = sqlx::query(&sql)
        .bind(context.tenant.as_str())
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(after.format("%Y-%m-%d").to_string())
        .bind(from.format("%Y%m%d").to_string())
        .bind(to.format("%Y%m%d").to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(StoreError::query("read of time entries in a window"))?;
    let listed: HashSet<&str> = listed.iter().map(String::as_str).collect();
    let mut vanished = Vec::new();
    for row in rows {
        let uuid: String = row.try_get(0).map_err(StoreError::query("read of time entries in a window"))?;
        if !listed.contains(uuid.as_str()) {
            vanished.push(uuid);
        }
    }
    mark_removed(connection, context, "time_entries", EntityKind::Time, "uuid", &vanished).await
}
