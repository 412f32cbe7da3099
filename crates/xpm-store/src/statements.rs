//! Multi-row statements: their placeholders, their size, and running them back to back.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

use crate::StoreError;
use crate::location::Backend;

/// Bind parameters per statement. SQLite allows 32,766 since 3.32
/// (<https://www.sqlite.org/limits.html#max_variable_number>) and PostgreSQL 65,535, so one
/// statement carries a few hundred wide rows.
pub(crate) const MAX_PARAMETERS: usize = 30_000;

/// Writes the parameter placeholders of one statement, in the order values are bound.
///
/// PostgreSQL numbers them (`$1`). SQLite gets plain `?`: it looks a named or numbered
/// parameter up in a list of the names seen so far, when preparing and again when sqlx asks each
/// parameter's name to bind it, which is quadratic in a statement of thousands of parameters
/// (15,000 clients took minutes); anonymous `?` parameters are numbered as they come.
pub(crate) struct Placeholders {
    backend: Backend,
    next: usize,
}

impl Placeholders {
    pub(crate) fn new(backend: Backend) -> Self {
        Self { backend, next: 1 }
    }

    /// The next placeholder.
    pub(crate) fn one(&mut self) -> String {
        let mut mark = String::new();
        self.push_one(&mut mark);
        mark
    }

    /// Writes the next placeholder at the end of `text` (a statement of a few hundred rows has
    /// tens of thousands: one allocation each showed in the sync's profile).
    fn push_one(&mut self, text: &mut String) {
        use std::fmt::Write as _;
        let number = self.next;
        self.next += 1;
        match self.backend {
            // Writing to a `String` cannot fail.
            Backend::Postgres => {
                let _ = write!(text, "${number}");
            }
            _ => text.push('?'),
        }
    }

    /// `count` placeholders separated by commas.
    pub(crate) fn list(&mut self, count: usize) -> String {
        let mut list = String::with_capacity(count * 4);
        self.push_list(&mut list, count);
        list
    }

    fn push_list(&mut self, text: &mut String, count: usize) {
        for index in 0..count {
            if index > 0 {
                text.push_str(", ");
            }
            self.push_one(text);
        }
    }

    /// `(…), (…)`: `rows` rows of `width` placeholders.
    pub(crate) fn rows(&mut self, rows: usize, width: usize) -> String {
        let mut clause = String::with_capacity(rows * (width * 4 + 4));
        for row in 0..rows {
            clause.push_str(if row == 0 { "(" } else { ", (" });
            self.push_list(&mut clause, width);
            clause.push(')');
        }
        clause
    }
}

/// How a multi-row `INSERT` without an upsert clause starts.
///
/// On SQLite, `INSERT OR FAIL`: a plain `INSERT` that may fail half way (a key stored twice)
/// undoes the rows it wrote first, so SQLite keeps a statement journal of every page the
/// statement touches (a tenth of its work in a first sync). `OR FAIL` stops at the failing row
/// without that journal (<https://www.sqlite.org/lang_conflict.html>); the error then ends the
/// whole write transaction, which is rolled back, so a half-done statement is never committed.
pub(crate) fn insert_into(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "INSERT INTO",
        _ => "INSERT OR FAIL INTO",
    }
}

/// Rows per multi-row statement at most, whatever the parameter limit allows: statements of a
/// few hundred rows keep SQLite's prepared programs small, and give the pipeline below steps
/// short enough to overlap.
const MAX_ROWS_PER_STATEMENT: usize = 256;

/// Rows of `width` parameters per statement.
pub(crate) fn rows_per_statement(width: usize) -> usize {
    (MAX_PARAMETERS / width).clamp(1, MAX_ROWS_PER_STATEMENT)
}

/// Splits `items` into the chunks of successive multi-row statements: as many of `per_statement`
/// rows as fit, then the rest in powers of two, largest first.
///
/// sqlx prepares each distinct statement text once per connection and keeps it (up to 100 per
/// connection), and a statement of a few hundred wide rows holds megabytes once prepared. Cut
/// into one full size and one remainder, every batch brought a remainder of a new size, prepared
/// again and kept: a 15,000-client sync grew by over 100 MB. With powers of two the sizes come
/// from a fixed set (nine for 256 rows), each prepared once.
pub(crate) fn statement_chunks<T>(items: &[T], per_statement: usize) -> Vec<&[T]> {
    let per_statement = per_statement.max(1);
    let mut chunks = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let size = match rest.len() >= per_statement {
            true => per_statement,
            // The largest power of two not above what is left.
            false => 1 << rest.len().ilog2(),
        };
        let (chunk, after) = rest.split_at(size);
        chunks.push(chunk);
        rest = after;
    }
    chunks
}

/// `keys` padded to the next power of two by repeating the last one, for an `IN (…)` list: the
/// statement's text then comes from a fixed set of sizes (see [`statement_chunks`]), and a key
/// listed twice matches the same rows.
pub(crate) fn padded_keys<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let mut padded = keys.to_vec();
    if let Some(&last) = keys.last() {
        padded.resize(keys.len().next_power_of_two(), last);
    }
    padded
}

/// The keys of one `… AND column IN (…)` statement (see [`key_lists`]).
pub(crate) struct KeyList<'k> {
    backend: Backend,
    keys: Vec<&'k str>,
}

/// `keys` cut into the lists of successive statements that each select the rows with one of
/// them.
///
/// On PostgreSQL the keys travel as one JSON array in one parameter, read back with
/// `json_array_elements_text`: sqlx keeps each prepared statement, and after five executions
/// PostgreSQL may keep a generic plan for it. An `IN ($2, …, $513)` list planned while a first
/// sync's table was still small stayed a sequential scan that built the 512-element array again
/// for every row (most of the server's time in a 15,000-client first sync); an array from a
/// subquery is an index condition whatever the table's size, in one statement text.
/// <https://www.postgresql.org/docs/current/sql-prepare.html> (generic and custom plans).
/// On SQLite, plain `IN (?, …)` lists padded as [`padded_keys`] says.
pub(crate) fn key_lists<'k>(backend: Backend, keys: &[&'k str]) -> Vec<KeyList<'k>> {
    match backend {
        Backend::Postgres if keys.is_empty() => Vec::new(),
        Backend::Postgres => vec![KeyList { backend, keys: keys.to_vec() }],
        _ => keys.chunks(MAX_PARAMETERS / 2).map(|chunk| KeyList { backend, keys: padded_keys(chunk) }).collect(),
    }
}

impl<'k> KeyList<'k> {
    /// `column` is one of the keys, with the list's placeholders taken from `marks`.
    pub(crate) fn condition(&self, marks: &mut Placeholders, column: &str) -> String {
        match self.backend {
            Backend::Postgres => {
                format!("{column} = ANY(ARRAY(SELECT json_array_elements_text({}::json)))", marks.one())
            }
            _ => format!("{column} IN ({})", marks.list(self.keys.len())),
        }
    }

    /// Binds the keys, in the order [`condition`](Self::condition) placed them.
    pub(crate) fn bind<'q>(self, query: Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>>
    where
        'k: 'q,
    {
        match self.backend {
            Backend::Postgres => query.bind(
                serde_json::Value::from(self.keys.into_iter().map(str::to_owned).collect::<Vec<_>>()).to_string(),
            ),
            _ => self.keys.into_iter().fold(query, |query, key| query.bind(key)),
        }
    }
}

/// Runs `statements` one after the other, binding the next statement's values while the
/// database runs the current one (SQLite runs it on sqlx's worker thread, PostgreSQL on the
/// server), so encoding and writing overlap instead of taking turns.
pub(crate) async fn execute_pipelined<'q>(
    connection: &mut AnyConnection,
    mut statements: impl Iterator<Item = Query<'q, Any, AnyArguments<'q>>>,
    action: &str,
) -> Result<(), StoreError> {
    let Some(mut current) = statements.next() else {
        return Ok(());
    };
    loop {
        // `join!` polls the execution first, which hands the statement over, then builds the
        // next one while it runs.
        let (executed, next) = tokio::join!(current.execute(&mut *connection), async { statements.next() });
        executed.map_err(StoreError::query(action))?;
        match next {
            Some(statement) => current = statement,
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_across_rows_on_postgres_and_stay_anonymous_on_sqlite() {
        let mut postgres = Placeholders::new(Backend::Postgres);
        assert_eq!(postgres.one(), "$1");
        assert_eq!(postgres.rows(2, 2), "($2, $3), ($4, $5)");
        assert_eq!(postgres.list(2), "$6, $7");
        let mut sqlite = Placeholders::new(Backend::Sqlite);
        assert_eq!(sqlite.one(), "?");
        assert_eq!(sqlite.rows(2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn statements_come_in_full_chunks_then_powers_of_two() {
        let items: Vec<usize> = (0..1_000).collect();
        let sizes: Vec<usize> = statement_chunks(&items, 256).iter().map(|chunk| chunk.len()).collect();
        assert_eq!(sizes, [256, 256, 256, 128, 64, 32, 8]);
        let rejoined: Vec<usize> = statement_chunks(&items, 256).concat();
        assert_eq!(rejoined, items, "every row once, in order");
        assert!(statement_chunks::<usize>(&[], 256).is_empty());
        assert_eq!(statement_chunks(&[1, 2, 3], 2), [&[1, 2][..], &[3][..]]);
    }

    #[test]
    fn key_lists_are_padded_with_the_last_key() {
        assert_eq!(padded_keys(&["a", "b", "c"]), ["a", "b", "c", "c"]);
        assert_eq!(padded_keys(&["a", "b"]), ["a", "b"]);
        assert!(padded_keys(&[]).is_empty());
    }
}
