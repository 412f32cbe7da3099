//! Mapping files: the columns a target system's import expects, in TOML.
//!
//! TOML rather than JSON because a mapping is written and kept by people: it takes comments
//! (why a column maps as it does), an array of `[[columns]]` tables keeps the column order,
//! and there are no braces or trailing commas to get wrong. README ("Export") documents it.
//!
//! ```toml
//! entity = "clients"               # optional: refuse to apply this mapping to another export
//! [[columns]]
//! header = "Company name"          # the target's column name
//! field = "name"                   # the stored field (`xpmkit export clients --fields help`)
//! [[columns]]
//! header = "Lifecycle Stage"
//! value = "customer"               # a constant instead of a field
//! ```
//!
//! Optional per column: `default` (for an empty value), `date_format` (chrono's strftime,
//! e.g. `%d/%m/%Y`, for XPM dates), `if_true` / `if_false` (text for flags) and `transform`
//! (`domain`, `lowercase`, `uppercase`, `trim`).

use std::path::Path;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use xpm_store::ExportValue;

use crate::exit::{CliError, CliResult};

/// A parsed mapping file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Mapping {
    /// The export the mapping is for (`clients`, `contacts`, …), if it says.
    pub(crate) entity: Option<String>,
    pub(crate) columns: Vec<ColumnSpec>,
}

/// One `[[columns]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ColumnSpec {
    pub(crate) header: String,
    pub(crate) field: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) default: Option<String>,
    pub(crate) date_format: Option<String>,
    pub(crate) if_true: Option<String>,
    pub(crate) if_false: Option<String>,
    pub(crate) transform: Option<TextTransform>,
}

impl ColumnSpec {
    pub(crate) fn transform(&self) -> Transform {
        Transform {
            default: self.default.clone(),
            date_format: self.date_format.clone(),
            if_true: self.if_true.clone(),
            if_false: self.if_false.clone(),
            text: self.transform,
        }
    }
}

/// A rewrite of a text value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TextTransform {
    /// A website as its bare domain (`https://www.harbour.example/about` → `harbour.example`),
    /// which CRMs such as HubSpot match companies by.
    Domain,
    /// Lower case.
    Lowercase,
    /// Upper case.
    Uppercase,
    /// Without leading and trailing white space.
    Trim,
}

/// What a column does to its value, in this order: flag text, date format, text transform,
/// then the default for what is left empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Transform {
    default: Option<String>,
    date_format: Option<String>,
    if_true: Option<String>,
    if_false: Option<String>,
    text: Option<TextTransform>,
}

impl Transform {
    pub(crate) fn apply(&self, value: ExportValue) -> Result<ExportValue, String> {
        let mut value = match value {
            ExportValue::Boolean(true) if self.if_true.is_some() => {
                ExportValue::Text(self.if_true.clone().unwrap_or_default())
            }
            ExportValue::Boolean(false) if self.if_false.is_some() => {
                ExportValue::Text(self.if_false.clone().unwrap_or_default())
            }
            other => other,
        };
        if let (ExportValue::Text(text), Some(format)) = (&value, &self.date_format)
            && !text.is_empty()
        {
            value = ExportValue::Text(reformat_date(text, format)?);
        }
        if let (ExportValue::Text(text), Some(transform)) = (&value, self.text) {
            value = ExportValue::Text(match transform {
                TextTransform::Domain => domain(text),
                TextTransform::Lowercase => text.to_lowercase(),
                TextTransform::Uppercase => text.to_uppercase(),
                TextTransform::Trim => text.trim().to_owned(),
            });
        }
        let empty = matches!(&value, ExportValue::Null) || matches!(&value, ExportValue::Text(text) if text.is_empty());
        match (&self.default, empty) {
            (Some(default), true) => Ok(ExportValue::Text(default.clone())),
            _ => Ok(value),
        }
    }
}

/// Reads a mapping file, checking what can be checked without knowing the export.
pub(crate) fn load(path: &Path) -> CliResult<Mapping> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|error| CliError::Usage { message: format!("cannot read the mapping file {shown}: {error}") })?;
    let mapping: Mapping = toml::from_str(&text)
        .map_err(|error| CliError::Usage { message: format!("{shown} is not a mapping file: {error}") })?;
    if mapping.columns.is_empty() {
        return Err(CliError::Usage { message: format!("{shown} maps no columns: add [[columns]] tables") });
    }
    for (index, column) in mapping.columns.iter().enumerate() {
        if let Some(format) = &column.date_format
            && StrftimeItems::new(format).any(|item| matches!(item, Item::Error))
        {
            return Err(CliError::Usage {
                message: format!(
                    "{shown}, column {} (`{}`): `{format}` is not a date format (chrono's strftime, e.g. %d/%m/%Y)",
                    index + 1,
                    column.header
                ),
            });
        }
    }
    Ok(mapping)
}

/// An XPM date (`2026-05-04T00:00:00`, `2026-05-04`) or a stored timestamp (RFC 3339) in
/// `format`.
fn reformat_date(text: &str, format: &str) -> Result<String, String> {
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(at.format(format).to_string());
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.format(format).to_string());
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.format(format).to_string());
    }
    Err(format!("`{text}` is not a date, so date_format cannot apply"))
}

/// A website's host without `www.`: what a CRM's company domain holds.
fn domain(website: &str) -> String {
    let trimmed = website.trim();
    let with_scheme = if trimmed.contains("://") { trimmed.to_owned() } else { format!("http://{trimmed}") };
    let host = url::Url::parse(&with_scheme).ok().and_then(|url| url.host_str().map(str::to_owned));
    let host = host.unwrap_or_else(|| trimmed.to_owned()).to_lowercase();
    host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> ExportValue {
        ExportValue::Text(value.to_owned())
    }

    fn check(transform: Transform, input: ExportValue, expect: Result<ExportValue, &str>) {
        let got = transform.apply(input.clone());
        match expect {
            Ok(value) => assert_eq!(got, Ok(value), "{input:?}"),
            Err(part) => assert!(got.as_ref().is_err_and(|message| message.contains(part)), "{input:?}: {got:?}"),
        }
    }

    #[test]
    fn transforms_rewrite_values() {
        let date = Transform { date_format: Some("%d/%m/%Y".into()), ..Transform::default() };
        check(date.clone(), text("2026-05-04T00:00:00"), Ok(text("04/05/2026")));
        check(date.clone(), text("1979-12-31"), Ok(text("31/12/1979")));
        check(date.clone(), text("2026-05-04T09:12:00.000001Z"), Ok(text("04/05/2026")));
        check(date.clone(), ExportValue::Null, Ok(ExportValue::Null));
        check(date, text("soon"), Err("`soon` is not a date"));

        let flag = Transform { if_true: Some("Yes".into()), if_false: Some("No".into()), ..Transform::default() };
        check(flag.clone(), ExportValue::Boolean(true), Ok(text("Yes")));
        check(flag.clone(), ExportValue::Boolean(false), Ok(text("No")));
        check(flag, ExportValue::Null, Ok(ExportValue::Null));

        let site = Transform { text: Some(TextTransform::Domain), ..Transform::default() };
        check(site.clone(), text("https://www.Harbour.example/about?x=1"), Ok(text("harbour.example")));
        check(site.clone(), text("harbour.example"), Ok(text("harbour.example")));
        check(site, text("www.harbour.example:8080"), Ok(text("harbour.example")));

        let fallback = Transform { default: Some("unknown".into()), ..Transform::default() };
        check(fallback.clone(), ExportValue::Null, Ok(text("unknown")));
        check(fallback.clone(), text(""), Ok(text("unknown")));
        check(fallback, ExportValue::Integer(0), Ok(ExportValue::Integer(0)));
    }

    #[test]
    fn mapping_files_are_checked_with_their_place_named() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let write = |text: &str| {
            let path = dir.path().join("mapping.toml");
            std::fs::write(&path, text).expect("written");
            path
        };
        let unknown = load(&write("[[columns]]\nheader = \"Name\"\nfeild = \"name\"\n")).expect_err("refused");
        assert!(unknown.to_string().contains("unknown field `feild`"), "{unknown}");
        let empty = load(&write("entity = \"clients\"\ncolumns = []\n")).expect_err("refused");
        assert!(empty.to_string().contains("maps no columns"), "{empty}");
        let format = load(&write("[[columns]]\nheader = \"Born\"\nfield = \"date_of_birth\"\ndate_format = \"%Q\"\n"));
        assert!(format.expect_err("refused").to_string().contains("column 1 (`Born`)"));
        let transform = load(&write("[[columns]]\nheader = \"Site\"\nfield = \"website\"\ntransform = \"reverse\"\n"));
        assert!(transform.expect_err("refused").to_string().contains("unknown variant `reverse`"));
    }
}
