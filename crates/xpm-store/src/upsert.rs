//! The one way rows are written: in batches of multi-row statements, recognising rows that did
//! not change, and logging every real change (old and new) in `change_events`.
//!
//! Unchanged means the item's JSON is byte for byte what is stored: the JSON is written by our
//! own encoder from the decoded model, so the same XPM item always gives the same text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{AnyConnection, Row as _};

use crate::StoreError;
use crate::columns::{Column, Value};
use crate::events::{ChangeKind, EntityKind, field_changes};
use crate::location::Backend;
use crate::statements::{
    Placeholders, execute_pipelined, insert_into, key_lists, rows_per_statement, statement_chunks,
};

/// What every write in a transaction shares.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub(crate) backend: Backend,
    pub(crate) tenant: String,
    pub(crate) run: Option<i64>,
    pub(crate) now: String,
}

/// The table that stores one kind of entity, keyed by tenant and one key column.
pub(crate) struct Table<T: 'static> {
    pub(crate) name: &'static str,
    pub(crate) entity: EntityKind,
    pub(crate) key_column: &'static str,
    pub(crate) key: fn(&T) -> Option<String>,
    /// Every column but `tenant_id`, the key, `raw`, `updated_at` and `removed_at`.
    pub(crate) columns: &'static [Column<T>],
}

/// The outcome of one batch, with the positions (in the deduplicated batch) of rows that changed.
#[derive(Debug, Default)]
pub(crate) struct Upserted {
    pub(crate) added: usize,
    pub(crate) updated: usize,
    pub(crate) unchanged: usize,
    /// Indexes into `items` of the rows added or updated (so their child rows are replaced).
    pub(crate) changed: Vec<usize>,
    /// Keys of `items`, by index.
    pub(crate) keys: Vec<String>,
    /// Whether each item (by index) was stored without reading first, as a first load knew its
    /// key absent: it has no child rows to replace either.
    pub(crate) known_new: Vec<bool>,
}

/// Inserts or updates `items` (the last of several with one key wins), skipping the ones whose
/// stored JSON is identical, and logs the changes.
pub(crate) async fn upsert<T: Serialize>(
    connection: &mut AnyConnection,
    context: &Context,
    table: &Table<T>,
    items: &[T],
) -> Result<Upserted, StoreError> {
    upsert_loading(connection, context, table, items, None, None).await
}

/// Each item's JSON, as the `raw` column holds it: our own encoder's output from the decoded
/// model, so the same XPM item always gives the same text.
pub(crate) fn encode_all<T: Serialize>(table: &Table<T>, items: &[T]) -> Result<Vec<String>, StoreError> {
    items
        .iter()
        .map(|item| {
            serde_json::to_string(item).map_err(|source| StoreError::Encode { entity: table.entity.as_str(), source })
        })
        .collect()
}

/// [`upsert`], in a first load when `loaded` is given: the table held no row of the tenant when
/// the load began, and `loaded` holds every key the load has stored since. Keys outside it are
/// known to be absent, so they are not read back (the read found nothing, and on a first sync it
/// was a third of the database's work) and are written with a plain `INSERT`, which fails
/// loudly rather than overwrite a row that another writer stored meanwhile. Keys inside it go
/// the usual way. The keys stored are added to `loaded`.
///
/// `encoded` is each item's JSON ([`encode_all`]) when the caller wrote it already.
pub(crate) async fn upsert_loading<T: Serialize>(
    connection: &mut AnyConnection,
    context: &Context,
    table: &Table<T>,
    items: &[T],
    encoded: Option<&[String]>,
    loaded: Option<&mut HashSet<String>>,
) -> Result<Upserted, StoreError> {
    let mut outcome = Upserted::default();
    // `EncodedClients` keeps one JSON per item; anything else is encoded here.
    let raws: Cow<'_, [String]> = match encoded {
        Some(raws) if raws.len() == items.len() => Cow::Borrowed(raws),
        _ => Cow::Owned(encode_all(table, items)?),
    };
    let mut position_of_key: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let key =
            (table.key)(item).ok_or(StoreError::MissingKey { entity: table.entity.as_str(), key: table.key_column })?;
        position_of_key.insert(key.clone(), index);
        outcome.keys.push(key);
    }
    outcome.known_new = match loaded.as_deref() {
        Some(loaded) => outcome.keys.iter().map(|key| !loaded.contains(key)).collect(),
        None => vec![false; outcome.keys.len()],
    };
    let to_read: Vec<String> = outcome
        .keys
        .iter()
        .zip(&outcome.known_new)
        .filter(|(_, known_new)| !**known_new)
        .map(|(key, _)| key.clone())
        .collect();
    let stored = stored_rows(connection, context, table.name, table.key_column, &to_read).await?;

    let mut events = Vec::new();
    for (index, key) in outcome.keys.iter().enumerate() {
        if position_of_key.get(key) != Some(&index) {
            continue; // A later item in the batch has the same key.
        }
        match stored.get(key) {
            None => {
                outcome.added += 1;
                outcome.changed.push(index);
                events.push(Event { key: key.clone(), change: ChangeKind::Added, old: None, new: None });
            }
            Some(existing) if existing.removed_at.is_none() && existing.raw == raws[index] => outcome.unchanged += 1,
            Some(existing) => {
                outcome.updated += 1;
                outcome.changed.push(index);
                let (old, new) = if existing.removed_at.is_some() {
                    (None, Some(raws[index].clone()))
                } else {
                    field_changes(&existing.raw, &raws[index])
                };
                let change = if existing.removed_at.is_some() { ChangeKind::Restored } else { ChangeKind::Updated };
                events.push(Event { key: key.clone(), change, old, new });
            }
        }
    }
    // In key order, new keys land beside each other in the primary-key B-tree instead of
    // splitting pages all over it (UUIDs are random).
    let mut in_key_order = outcome.changed.clone();
    in_key_order.sort_unstable_by(|left, right| outcome.keys[*left].cmp(&outcome.keys[*right]));
    let (new_rows, known_rows): (Vec<usize>, Vec<usize>) =
        in_key_order.into_iter().partition(|&index| outcome.known_new[index]);
    let rows = Rows { items, keys: &outcome.keys, raws: &raws };
    write_rows(connection, context, table, &rows, &new_rows, Conflict::Fail).await?;
    write_rows(connection, context, table, &rows, &known_rows, Conflict::Update).await?;
    write_events(connection, context, table.entity, &events).await?;
    if let Some(loaded) = loaded {
        loaded.extend(outcome.changed.iter().map(|&index| outcome.keys[index].clone()));
    }
    Ok(outcome)
}

struct StoredRow {
    raw: String,
    removed_at: Option<String>,
}

async fn stored_rows(
    connection: &mut AnyConnection,
    context: &Context,
    table: &str,
    key_column: &str,
    keys: &[String],
) -> Result<HashMap<String, StoredRow>, StoreError> {
    let mut stored = HashMap::new();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    for list in key_lists(context.backend, &keys) {
        let mut marks = Placeholders::new(context.backend);
        let sql = format!(
            "SELECT {key_column}, raw, removed_at FROM {table} WHERE tenant_id = {} AND {}",
            marks.one(),
            list.condition(&mut marks, key_column)
        );
        let query = list.bind(sqlx::query(&sql).bind(context.tenant.as_str()));
        let rows = query.fetch_all(&mut *connection).await.map_err(StoreError::query(format!("read of {table}")))?;
        for row in rows {
            let key: String = row.try_get(0).map_err(StoreError::query(format!("read of {table}")))?;
            let raw: String = row.try_get(1).map_err(StoreError::query(format!("read of {table}")))?;
            let removed_at: Option<String> = row.try_get(2).map_err(StoreError::query(format!("read of {table}")))?;
            stored.insert(key, StoredRow { raw, removed_at });
        }
    }
    Ok(stored)
}

/// What an insert does with a row whose key is stored already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conflict {
    /// Overwrite it.
    Update,
    /// Fail: the row was known to be absent.
    Fail,
}

/// The items of a batch with their keys and JSON, by index.
struct Rows<'a, T> {
    items: &'a [T],
    keys: &'a [String],
    raws: &'a [String],
}

async fn write_rows<T>(
    connection: &mut AnyConnection,
    context: &Context,
    table: &Table<T>,
    rows: &Rows<'_, T>,
    changed: &[usize],
    conflict: Conflict,
) -> Result<(), StoreError> {
    if changed.is_empty() {
        return Ok(());
    }
    let mut names = vec!["tenant_id", table.key_column];
    names.extend(table.columns.iter().map(|column| column.name));
    names.extend(["raw", "updated_at", "removed_at"]);
    let on_conflict = match conflict {
        Conflict::Update => {
            let updates =
                names[2..].iter().map(|name| format!("{name} = excluded.{name}")).collect::<Vec<_>>().join(", ");
            format!(" ON CONFLICT (tenant_id, {}) DO UPDATE SET {updates}", table.key_column)
        }
        Conflict::Fail => String::new(),
    };
    let width = names.len();
    let per_statement = rows_per_statement(width);
    let insert = match conflict {
        Conflict::Update => "INSERT INTO",
        Conflict::Fail => insert_into(context.backend),
    };
    let sql_for = |count: usize| {
        format!(
            "{insert} {} ({}) VALUES {}{on_conflict}",
            table.name,
            names.join(", "),
            Placeholders::new(context.backend).rows(count, width),
        )
    };
    let chunks = statement_chunks(changed, per_statement);
    let texts = statement_texts(&chunks, sql_for);
    let statements = chunks.into_iter().map(|chunk| {
        let mut query = sqlx::query(texts[&chunk.len()].as_str());
        for &index in chunk {
            let item = &rows.items[index];
            query = query.bind(context.tenant.as_str());
            query = query.bind(rows.keys[index].as_str());
            for column in table.columns {
                query = (column.read)(item).bind_to(query);
            }
            query = query.bind(rows.raws[index].as_str()).bind(context.now.as_str()).bind(None::<String>);
        }
        query
    });
    execute_pipelined(connection, statements, &format!("upsert into {}", table.name)).await
}

pub(crate) struct Event {
    pub(crate) key: String,
    pub(crate) change: ChangeKind,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

pub(crate) async fn write_events(
    connection: &mut AnyConnection,
    context: &Context,
    entity: EntityKind,
    events: &[Event],
) -> Result<(), StoreError> {
    const WIDTH: usize = 8;
    let per_statement = rows_per_statement(WIDTH);
    let sql_for = |rows: usize| {
        format!(
            "{} change_events (tenant_id, run_id, at, entity, entity_key, change, old, new) VALUES {}",
            insert_into(context.backend),
            Placeholders::new(context.backend).rows(rows, WIDTH)
        )
    };
    let chunks = statement_chunks(events, per_statement);
    let texts = statement_texts(&chunks, sql_for);
    let statements = chunks.into_iter().map(|chunk| {
        let mut query = sqlx::query(texts[&chunk.len()].as_str());
        for event in chunk {
            query = query
                .bind(context.tenant.as_str())
                .bind(context.run)
                .bind(context.now.as_str())
                .bind(entity.as_str())
                .bind(event.key.as_str())
                .bind(event.change.as_str())
                .bind(event.old.as_deref())
                .bind(event.new.as_deref());
        }
        query
    });
    execute_pipelined(connection, statements, "insert into change_events").await
}

/// Marks rows as removed from XPM (kept, with `removed_at` set) and logs each with its last
/// JSON as the old value. Rows already marked, or never stored, are skipped. Returns how many
/// were marked.
pub(crate) async fn mark_removed(
    connection: &mut AnyConnection,
    context: &Context,
    table: &str,
    entity: EntityKind,
    key_column: &str,
    keys: &[String],
) -> Result<usize, StoreError> {
    let stored = stored_rows(connection, context, table, key_column, keys).await?;
    let mut events = Vec::new();
    for key in keys {
        if let Some(row) = stored.get(key).filter(|row| row.removed_at.is_none()) {
            if events.iter().any(|event: &Event| &event.key == key) {
                continue;
            }
            events.push(Event { key: key.clone(), change: ChangeKind::Removed, old: Some(row.raw.clone()), new: None });
        }
    }
    let marked: Vec<&str> = events.iter().map(|event| event.key.as_str()).collect();
    for list in key_lists(context.backend, &marked) {
        let mut marks = Placeholders::new(context.backend);
        let sql = format!(
            "UPDATE {table} SET removed_at = {} WHERE tenant_id = {} AND {}",
            marks.one(),
            marks.one(),
            list.condition(&mut marks, key_column)
        );
        let query = list.bind(sqlx::query(&sql).bind(context.now.as_str()).bind(context.tenant.as_str()));
        query.execute(&mut *connection).await.map_err(StoreError::query(format!("update of {table}")))?;
    }
    write_events(connection, context, entity, &events).await?;
    Ok(events.len())
}

/// Replaces the child rows of `parents` (e.g. a client's contact links) with `rows`, each
/// `tenant_id` followed by `columns`.
pub(crate) async fn replace_children(
    connection: &mut AnyConnection,
    context: &Context,
    table: &str,
    parent_column: &str,
    parents: &[&str],
    columns: &[&str],
    rows: Vec<Vec<Value<'_>>>,
) -> Result<(), StoreError> {
    let action = format!("replace rows of {table}");
    for list in key_lists(context.backend, parents) {
        let mut marks = Placeholders::new(context.backend);
        let sql = format!(
            "DELETE FROM {table} WHERE tenant_id = {} AND {}",
            marks.one(),
            list.condition(&mut marks, parent_column)
        );
        let query = list.bind(sqlx::query(&sql).bind(context.tenant.as_str()));
        query.execute(&mut *connection).await.map_err(StoreError::query(action.clone()))?;
    }
    let width = columns.len() + 1;
    let mut rows = rows;
    // Key order (the leading columns are the key) keeps B-tree inserts together, as above.
    rows.sort_unstable_by(|left, right| left.iter().map(Value::sort_key).cmp(right.iter().map(Value::sort_key)));
    let per_statement = rows_per_statement(width);
    let sql_for = |count: usize| {
        format!(
            "{} {table} (tenant_id, {}) VALUES {}",
            insert_into(context.backend),
            columns.join(", "),
            Placeholders::new(context.backend).rows(count, width)
        )
    };
    let sizes: Vec<usize> = statement_chunks(&rows, per_statement).iter().map(|chunk| chunk.len()).collect();
    let texts: HashMap<usize, String> = sizes.iter().map(|&size| (size, sql_for(size))).collect();
    let mut rows = rows.into_iter();
    let statements = sizes.into_iter().map(|size| {
        let chunk: Vec<Vec<Value<'_>>> = rows.by_ref().take(size).collect();
        let mut query = sqlx::query(texts[&size].as_str());
        for row in chunk {
            query = query.bind(context.tenant.as_str());
            for value in row {
                query = value.bind_to(query);
            }
        }
        query
    });
    execute_pipelined(connection, statements, &action).await
}

/// The text of each size of statement among `chunks`, written once.
fn statement_texts<T>(chunks: &[&[T]], sql_for: impl Fn(usize) -> String) -> HashMap<usize, String> {
    let mut texts = HashMap::new();
    for chunk in chunks {
        texts.entry(chunk.len()).or_insert_with(|| sql_for(chunk.len()));
    }
    texts
}
