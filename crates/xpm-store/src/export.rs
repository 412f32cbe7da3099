//! Reading a whole entity out for export, a page at a time, without holding the table in memory.
//!
//! [`Store::export`] opens a read-only transaction (`REPEATABLE READ` on PostgreSQL, a deferred
//! transaction on SQLite, whose WAL gives it a snapshot), so every page comes from the same
//! moment even while a sync writes, and reads pages of [`PAGE_ROWS`] rows ordered by key,
//! each starting after the last key of the one before (keyset paging, so each page costs the
//! same however deep into the table it is). Only the selected fields are read.

use futures_util::{Stream, TryStreamExt as _, stream};
use sqlx::any::AnyRow;
use sqlx::{Any, Row as _, Transaction};
use uuid::Uuid;

use crate::export_fields::{ExportEntity, ExportField, FieldDefinition, FieldKind};
use crate::location::Backend;
use crate::{Store, StoreError};

/// Rows read per query: large enough that a 30,000-row table takes 30 queries, small enough
/// that a page of detailed clients stays a few megabytes.
pub const PAGE_ROWS: u32 = 1_000;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The fields, in output order (names from [`ExportEntity::fields`]); `None` for
    /// [`ExportEntity::default_fields`].
    pub fields: Option<Vec<String>>,
    /// Keep rows that are archived, deleted or gone from XPM (see the `removed` field).
    pub include_removed: bool,
    /// Rows per query (at least 1); [`PAGE_ROWS`] by default. Contacts count per contact: a
    /// page holds that many contacts, each with all its links.
    pub page_rows: u32,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self { fields: None, include_removed: false, page_rows: PAGE_ROWS }
    }
}

impl ExportOptions {
    /// These fields, in this order.
    pub fn fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.fields = Some(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Whether to keep removed rows.
    pub fn include_removed(mut self, include: bool) -> Self {
        self.include_removed = include;
        self
    }

    /// Rows per query.
    pub fn page_rows(mut self, rows: u32) -> Self {
        self.page_rows = rows.max(1);
        self
    }
}

/// One exported value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportValue {
    /// No value (NULL in the store).
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A flag.
    Boolean(bool),
}

/// One exported row: a value per selected field, in [`ExportRows::fields`] order.
pub type ExportRow = Vec<ExportValue>;

/// The rows of one export, read a page at a time inside one read-only transaction.
pub struct ExportRows {
    transaction: Option<Transaction<'static, Any>>,
    fields: Vec<ExportField>,
    queries: PageQueries,
    tenant: String,
    /// The key of the last row read (for contacts, the last contact: a page holds whole contacts).
    after: Option<String>,
    page_rows: u32,
}

impl std::fmt::Debug for ExportRows {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("ExportRows").field("fields", &self.fields).finish_non_exhaustive()
    }
}

impl Store {
    /// Starts exporting `entity` of `tenant`: the selected fields of every row, ordered by key
    /// (contacts: one row per link to a live client, by contact then client; a contact with none
    /// gets one row with empty link fields). Rows that are archived, deleted or gone are left
    /// out unless `options.include_removed`. An unknown field name fails with
    /// [`StoreError::UnknownField`].
    pub async fn export(
        &self,
        tenant: Uuid,
        entity: ExportEntity,
        options: ExportOptions,
    ) -> Result<ExportRows, StoreError> {
        let definitions = entity.definitions();
        let chosen: Vec<FieldDefinition> = match &options.fields {
            None => {
                let wanted = entity.default_fields(options.include_removed);
                definitions.into_iter().filter(|definition| wanted.contains(&definition.field)).collect()
            }
            Some(names) => names
                .iter()
                .map(|name| {
                    definitions
                        .iter()
                        .find(|definition| definition.field.name == name)
                        .cloned()
                        .ok_or_else(|| StoreError::UnknownField { entity: entity.as_str(), field: name.clone() })
                })
                .collect::<Result<_, _>>()?,
        };
        let queries = page_queries(entity, &chosen, options.include_removed);
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let transaction = self.pool.begin_with(begin).await.map_err(StoreError::query("begin an export"))?;
        Ok(ExportRows {
            transaction: Some(transaction),
            fields: chosen.into_iter().map(|definition| definition.field).collect(),
            queries,
            tenant: tenant.to_string(),
            after: None,
            page_rows: options.page_rows.max(1),
        })
    }
}

impl ExportRows {
    /// The fields of each row, in order.
    pub fn fields(&self) -> &[ExportField] {
        &self.fields
    }

    /// The next page of rows, or `None` once every row was read (the transaction then ends).
    pub async fn next_page(&mut self) -> Result<Option<Vec<ExportRow>>, StoreError> {
        let Some(transaction) = self.transaction.as_mut() else { return Ok(None) };
        let page_rows = i64::from(self.page_rows);
        // Every key is non-empty text, so the first page starts after the empty one.
        let after = self.after.as_deref().unwrap_or_default();
        let query = sqlx::query(&self.queries.page).bind(self.tenant.as_str()).bind(page_rows).bind(after);
        let rows = query.fetch_all(&mut **transaction).await.map_err(StoreError::query("export read"))?;
        if rows.is_empty() {
            if let Some(transaction) = self.transaction.take() {
                transaction.rollback().await.map_err(StoreError::query("end of an export"))?;
            }
            return Ok(None);
        }
        let mut page = Vec::with_capacity(rows.len());
        for row in &rows {
            page.push(self.decode(row)?);
        }
        if let Some(last) = rows.last() {
            let key: String = last.try_get(self.fields.len()).map_err(StoreError::query("export read"))?;
            self.after = Some(key);
        }
        Ok(Some(page))
    }

    /// Every row as a stream, read a page at a time.
    pub fn into_stream(self) -> impl Stream<Item = Result<ExportRow, StoreError>> + Send {
        stream::try_unfold(self, |mut rows| async move {
            Ok(rows.next_page().await?.map(|page| (stream::iter(page.into_iter().map(Ok)), rows)))
        })
        .try_flatten()
    }

    fn decode(&self, row: &AnyRow) -> Result<ExportRow, StoreError> {
        let read = |error| StoreError::Query { action: "export read".to_owned(), source: error };
        self.fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                Ok(match field.kind {
                    FieldKind::Text => row.try_get::<Option<String>, _>(index).map_err(read)?.map(ExportValue::Text),
                    FieldKind::Integer => row.try_get::<Option<i64>, _>(index).map_err(read)?.map(ExportValue::Integer),
                    FieldKind::Boolean => {
                        row.try_get::<Option<i64>, _>(index).map_err(read)?.map(|flag| ExportValue::Boolean(flag != 0))
                    }
                }
                .unwrap_or(ExportValue::Null))
            })
            .collect()
    }
}

/// The query for a page: the chosen expressions, then the key. Parameters: `$1` the tenant, `$2`
/// the page size, `$3` the last key read (empty for the first page).
///
/// Contacts page by contact, not by link: a page is the next `$2` contacts by key (a range of
/// the primary key), and only their links are joined and sorted. Paging by the (contact, client)
/// pair instead needs the join of the whole table sorted on an expression for every page, which
/// no index serves: 140 s for 30,000 contacts on SQLite. The first page has the same `> $3`
/// range: without it SQLite 3.46 led the join with a search of every contact by tenant and ran
/// the page's subquery once for each (28 s for that one page).
fn page_queries(entity: ExportEntity, chosen: &[FieldDefinition], include_removed: bool) -> PageQueries {
    let table = entity.table();
    let key = format!("t.{}", entity.key_column());
    let mut select: Vec<&str> = chosen.iter().map(|definition| definition.expression.as_str()).collect();
    select.push(&key);
    let select = select.join(", ");
    let live = |alias: &str| match include_removed {
        true => String::new(),
        false => format!(" AND ({}) IS NULL", entity.removed_expression(alias)),
    };
    if entity != ExportEntity::Contacts {
        let from = format!("SELECT {select} FROM {table} t WHERE t.tenant_id = $1{}", live("t"));
        return PageQueries { page: format!("{from} AND {key} > $3 ORDER BY {key} LIMIT $2") };
    }
    // A link to a removed client is left out with that client, unless removed rows are kept.
    let client_live = match include_removed {
        true => String::new(),
        false => format!(" AND ({}) IS NULL", ExportEntity::Clients.removed_expression("c")),
    };
    let page = format!(
        "SELECT {select} FROM \
         (SELECT p.uuid FROM {table} p WHERE p.tenant_id = $1{live} AND p.uuid > $3 ORDER BY p.uuid LIMIT $2) picked \
         JOIN {table} t ON t.tenant_id = $1 AND t.uuid = picked.uuid \
         LEFT JOIN client_contacts l ON l.tenant_id = t.tenant_id AND l.contact_uuid = t.uuid \
         AND EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = l.tenant_id AND c.uuid = l.client_uuid{client_live}) \
         LEFT JOIN clients k ON k.tenant_id = l.tenant_id AND k.uuid = l.client_uuid \
         ORDER BY {key}, COALESCE(l.client_uuid, '')",
        live = live("p"),
    );
    PageQueries { page }
}

/// The text of an export's page query.
struct PageQueries {
    page: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DatabaseLocation;

    /// The plan SQLite picks for a page after the first, one step a line.
    async fn sqlite_plan(entity: ExportEntity) -> Vec<String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store =
            Store::open_location(DatabaseLocation::Sqlite(dir.path().join("plan.db"))).await.expect("open the store");
        let definitions = entity.definitions();
        let queries = page_queries(entity, &definitions, false);
        let rows = sqlx::query(&format!("EXPLAIN QUERY PLAN {}", queries.page))
            .bind("tenant")
            .bind(1_000_i64)
            .bind("key")
            .fetch_all(&store.pool)
            .await
            .expect("plan");
        let steps = rows.iter().map(|row| row.try_get::<String, _>(3).expect("detail")).collect();
        store.close().await;
        steps
    }

    #[tokio::test]
    async fn every_page_of_contacts_is_a_range_of_indexes_on_sqlite() {
        let steps = sqlite_plan(ExportEntity::Contacts).await;
        // Only the page's own contacts are scanned; every table is searched by its index, the
        // links by the index that holds them whole.
        let scans: Vec<&String> = steps.iter().filter(|step| step.starts_with("SCAN")).collect();
        assert_eq!(scans, ["SCAN picked"], "{steps:#?}");
        assert!(steps.iter().any(|step| step.contains("COVERING INDEX client_contacts_by_contact")), "{steps:#?}");
    }
}
