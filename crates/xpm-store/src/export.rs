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
        let query = match &self.after {
            None => sqlx::query(&self.queries.first).bind(self.tenant.as_str()).bind(page_rows),
            Some(key) => sqlx::query(&self.queries.next).bind(self.tenant.as_str()).bind(page_rows).bind(key.as_str()),
        };
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

/// The queries for the first page and the pages after it: the chosen expressions, then the key.
/// Parameters: `$1` the tenant, `$2` the page size, then (after the first page) `$3` the last
/// key read.
///
/// Contacts page by contact, not by link: a page is the next `$2` contacts by key (a range of
/// the primary key), and only their links are joined and sorted. Paging by the (contact, client)
/// pair instead needs the join of the whole table sorted on an expression for every page, which
/// no index serves: 140 s for 30,000 contacts on SQLite.
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
        return PageQueries {
            first: format!("{from} ORDER BY {key} LIMIT $2"),
            next: format!("{from} AND {key} > $3 ORDER BY {key} LIMIT $2"),
        };
    }
    // A link to a removed client is left out with that client, unless removed rows are kept.
    let client_live = match include_removed {
        true => String::new(),
        false => format!(" AND ({}) IS NULL", ExportEntity::Clients.removed_expression("c")),
    };
    let query = |after: &str| {
        format!(
            "SELECT {select} FROM \
             (SELECT p.uuid FROM {table} p WHERE p.tenant_id = $1{live}{after} ORDER BY p.uuid LIMIT $2) picked \
             JOIN {table} t ON t.tenant_id = $1 AND t.uuid = picked.uuid \
             LEFT JOIN client_contacts l ON l.tenant_id = t.tenant_id AND l.contact_uuid = t.uuid \
             AND EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = l.tenant_id AND c.uuid = l.client_uuid{client_live}) \
             LEFT JOIN clients k ON k.tenant_id = l.tenant_id AND k.uuid = l.client_uuid \
             ORDER BY {key}, COALESCE(l.client_uuid, '')",
            live = live("p"),
        )
    };
    PageQueries { first: query(""), next: query(" AND p.uuid > $3") }
}

/// The two texts of an export's page query.
struct PageQueries {
    first: String,
    next: String,
}
