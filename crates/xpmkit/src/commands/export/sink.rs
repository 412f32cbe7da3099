//! Writing exported rows as CSV, JSON lines or one JSON array, a row at a time.
//!
//! CSV goes through the `csv` crate (RFC 4180 quoting). Spreadsheets run a cell that starts
//! with `=`, `+`, `-` or `@` (and, OWASP adds, a tab or carriage return) as a formula, so a
//! client named `=HYPERLINK(…)` could act when the file is opened: unless `--raw-csv`, such text
//! is written with a leading `'`, which spreadsheets show as text
//! (<https://owasp.org/www-community/attacks/CSV_Injection>). Numbers and flags are written by
//! us and cannot be formulas, so a negative number stays a number.

use std::borrow::Cow;
use std::io::Write;

use serde::ser::{SerializeMap as _, Serializer as _};
use xpm_store::ExportValue;

use crate::cli::ExportFormat;

/// Where rows go, in one of the formats.
pub(crate) enum Sink<W: Write> {
    // Boxed: the CSV writer holds its buffer inline, ten times the other variants.
    Csv { writer: Box<csv::Writer<W>>, defend_formulas: bool },
    Jsonl { writer: W, headers: Vec<String> },
    Json { writer: W, headers: Vec<String>, rows: u64 },
}

impl<W: Write> Sink<W> {
    /// Starts the output: the header row (CSV) or the opening bracket (JSON).
    pub(crate) fn start(
        format: ExportFormat,
        mut writer: W,
        headers: Vec<String>,
        raw_csv: bool,
    ) -> std::io::Result<Self> {
        Ok(match format {
            ExportFormat::Csv => {
                let mut writer = Box::new(csv::Writer::from_writer(writer));
                writer.write_record(&headers)?;
                Self::Csv { writer, defend_formulas: !raw_csv }
            }
            ExportFormat::Jsonl => Self::Jsonl { writer, headers },
            ExportFormat::Json => {
                writer.write_all(b"[")?;
                Self::Json { writer, headers, rows: 0 }
            }
        })
    }

    /// Writes one row (a value per header).
    pub(crate) fn row(&mut self, values: &[ExportValue]) -> std::io::Result<()> {
        match self {
            Self::Csv { writer, defend_formulas } => {
                for value in values {
                    writer.write_field(csv_cell(value, *defend_formulas).as_bytes())?;
                }
                // An empty record after the fields ends the row.
                writer.write_record(std::iter::empty::<&[u8]>())?;
            }
            Self::Jsonl { writer, headers } => {
                write_object(&mut *writer, headers, values)?;
                writer.write_all(b"\n")?;
            }
            Self::Json { writer, headers, rows } => {
                writer.write_all(if *rows == 0 { b"\n" } else { b",\n" })?;
                write_object(&mut *writer, headers, values)?;
                *rows += 1;
            }
        }
        Ok(())
    }

    /// Ends the output and hands the writer back, flushed.
    pub(crate) fn finish(self) -> std::io::Result<W> {
        let mut writer = match self {
            Self::Csv { writer, .. } => writer.into_inner().map_err(|error| error.into_error())?,
            Self::Jsonl { writer, .. } => writer,
            Self::Json { mut writer, rows, .. } => {
                writer.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?;
                writer
            }
        };
        writer.flush()?;
        Ok(writer)
    }
}

/// A value as CSV text: empty for none, `true`/`false` for flags.
fn csv_cell(value: &ExportValue, defend_formulas: bool) -> Cow<'_, str> {
    match value {
        ExportValue::Null => Cow::Borrowed(""),
        ExportValue::Integer(number) => Cow::Owned(number.to_string()),
        ExportValue::Boolean(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        ExportValue::Text(text) if defend_formulas && starts_like_a_formula(text) => Cow::Owned(format!("'{text}")),
        ExportValue::Text(text) => Cow::Borrowed(text),
    }
}

/// Whether a spreadsheet would read `text` as a formula.
pub(crate) fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// One row as a JSON object with the keys in column order (a `serde_json::Map` would sort them).
fn write_object<W: Write>(writer: W, headers: &[String], values: &[ExportValue]) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::new(writer);
    let mut object = serializer.serialize_map(Some(headers.len()))?;
    for (header, value) in headers.iter().zip(values) {
        match value {
            ExportValue::Null => object.serialize_entry(header, &())?,
            ExportValue::Text(text) => object.serialize_entry(header, text)?,
            ExportValue::Integer(number) => object.serialize_entry(header, number)?,
            ExportValue::Boolean(flag) => object.serialize_entry(header, flag)?,
        }
    }
    object.end()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(format: ExportFormat, rows: &[Vec<ExportValue>], raw_csv: bool) -> String {
        let headers = vec!["name".to_owned(), "minutes".to_owned(), "billable".to_owned()];
        let mut sink = Sink::start(format, Vec::new(), headers, raw_csv).expect("start");
        for row in rows {
            sink.row(row).expect("row");
        }
        String::from_utf8(sink.finish().expect("finish")).expect("utf-8")
    }

    fn rows() -> Vec<Vec<ExportValue>> {
        vec![
            vec![ExportValue::Text("=1+2, \"quoted\"".into()), ExportValue::Integer(-15), ExportValue::Boolean(true)],
            vec![ExportValue::Text("plain".into()), ExportValue::Null, ExportValue::Boolean(false)],
        ]
    }

    #[test]
    fn csv_quotes_and_defends_text_but_not_numbers() {
        let defended = written(ExportFormat::Csv, &rows(), false);
        assert_eq!(defended, "name,minutes,billable\n\"'=1+2, \"\"quoted\"\"\",-15,true\nplain,,false\n");
        let raw = written(ExportFormat::Csv, &rows(), true);
        assert!(raw.contains("\"=1+2, \"\"quoted\"\"\""), "{raw}");
        for text in ["=SUM(A1)", "+61 2 9999 0000", "-x", "@cmd", "\tx", "\rx"] {
            assert!(starts_like_a_formula(text), "{text:?}");
        }
        assert!(!starts_like_a_formula("Harbour Trust") && !starts_like_a_formula(""));
    }

    #[test]
    fn json_keeps_column_order_and_types() {
        let lines = written(ExportFormat::Jsonl, &rows(), false);
        assert_eq!(lines.lines().next(), Some(r#"{"name":"=1+2, \"quoted\"","minutes":-15,"billable":true}"#));
        let array: serde_json::Value =
            serde_json::from_str(&written(ExportFormat::Json, &rows(), false)).expect("JSON");
        assert_eq!(array[1], serde_json::json!({"name": "plain", "minutes": null, "billable": false}));
        assert_eq!(written(ExportFormat::Json, &[], false), "[]\n");
    }
}
