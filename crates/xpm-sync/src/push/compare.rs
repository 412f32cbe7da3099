//! Comparing records as JSON: what changed between the stored copy and XPM's, and whether a
//! record carries what a request sent.
//!
//! Records are compared field by field in their JSON form (the OpenAPI's camelCase names, as
//! `xpm_api`'s models serialize). Values that mean the same are equal even when XPM writes them
//! differently from the request: an empty text and an absent field, `Yes` and `true`, `30` and
//! `30.00`, and dates in any of XPM's forms (`20261204`, `2026-12-04`, `2026-12-04T00:00:00`).

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value as Json};

/// A field whose value differs.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDifference {
    /// The field's JSON name in the record.
    pub field: String,
    /// The value in the stored copy (or what the request sent).
    pub ours: Json,
    /// The value in XPM.
    pub xpm: Json,
}

impl std::fmt::Display for FieldDifference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} -> {}", self.field, shown(&self.ours), shown(&self.xpm))
    }
}

fn shown(value: &Json) -> String {
    match value {
        Json::Null => "(none)".to_owned(),
        Json::String(text) => format!("{text:?}"),
        other => other.to_string(),
    }
}

/// The fields of `base` (plus `also`) whose value in `current` differs, leaving out `ignored`
/// (lists that are entities of their own, such as a client's contacts). A field absent from
/// `base` is compared only when it is in `also`: the stored copy may come from a shorter list
/// shape that leaves fields out.
pub(crate) fn differences(
    base: &Map<String, Json>,
    current: &Map<String, Json>,
    ignored: &[&str],
    also: &[String],
) -> Vec<FieldDifference> {
    let mut fields: Vec<&str> = base.keys().map(String::as_str).collect();
    for field in also {
        if !fields.contains(&field.as_str()) {
            fields.push(field);
        }
    }
    fields
        .into_iter()
        .filter(|field| !ignored.contains(field))
        .filter_map(|field| {
            let ours = base.get(field).unwrap_or(&Json::Null);
            let xpm = current.get(field).unwrap_or(&Json::Null);
            (!same_value(ours, xpm)).then(|| FieldDifference {
                field: field.to_owned(),
                ours: ours.clone(),
                xpm: xpm.clone(),
            })
        })
        .collect()
}

/// How a record stands against the fields a request sent.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct RequestCheck {
    /// Record fields that hold what the request sent.
    pub(crate) agreeing: Vec<String>,
    /// Record fields that hold something else.
    pub(crate) disagreeing: Vec<FieldDifference>,
    /// Request fields the record does not show (so they cannot be checked).
    pub(crate) unverifiable: Vec<String>,
}

/// Request fields named differently in records.
const ALIASES: &[(&str, &str)] = &[("clientNumber", "clientOrderNumber")];

/// Checks each field of `request` (leaving out `skipped`) against `record`. A request field is
/// found in the record under the same name (ignoring case: `webSite` is `website`), under an
/// alias, as the `uuid` of a reference (`accountManagerUuid` is `accountManager.uuid`), or as
/// the `uuid` or `id` of a reference of the same name (`job` is `job.id`).
pub(crate) fn check_request(request: &Map<String, Json>, record: &Map<String, Json>, skipped: &[&str]) -> RequestCheck {
    let mut check = RequestCheck::default();
    for (key, sent) in request.iter().filter(|(key, _)| !skipped.contains(&key.as_str())) {
        let Some((field, found)) = locate(key, sent, record) else {
            check.unverifiable.push(key.clone());
            continue;
        };
        if same_value(sent, &found) {
            check.agreeing.push(field);
        } else {
            check.disagreeing.push(FieldDifference { field, ours: sent.clone(), xpm: found });
        }
    }
    check
}

/// The record field a request field corresponds to, and the value to compare with.
fn locate(key: &str, sent: &Json, record: &Map<String, Json>) -> Option<(String, Json)> {
    let alias = ALIASES.iter().find(|(from, _)| *from == key).map(|(_, to)| *to);
    let named = |name: &str| record.iter().find(|(field, _)| field.eq_ignore_ascii_case(name));
    if let Some((field, value)) = named(alias.unwrap_or(key)) {
        return match (value, sent) {
            (Json::Object(reference), Json::String(_) | Json::Number(_)) => {
                let inner = reference.get("uuid").or_else(|| reference.get("id")).cloned().unwrap_or(Json::Null);
                Some((field.clone(), inner))
            }
            _ => Some((field.clone(), value.clone())),
        };
    }
    let stem = key.strip_suffix("Uuid").or_else(|| key.strip_suffix("UUID"))?;
    match named(stem) {
        Some((field, Json::Object(reference))) => {
            Some((field.clone(), reference.get("uuid").cloned().unwrap_or(Json::Null)))
        }
        // A reference XPM leaves out is an unset one.
        None if !stem.is_empty() => Some((stem.to_owned(), Json::Null)),
        _ => None,
    }
}

/// Whether two JSON values mean the same (see the module docs).
pub(crate) fn same_value(left: &Json, right: &Json) -> bool {
    match (left, right) {
        (Json::Object(left), Json::Object(right)) => {
            let keys = left.keys().chain(right.keys());
            keys.into_iter()
                .all(|key| same_value(left.get(key).unwrap_or(&Json::Null), right.get(key).unwrap_or(&Json::Null)))
        }
        (Json::Array(left), Json::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(left, right)| same_value(left, right))
        }
        (Json::Array(items), Json::Null) | (Json::Null, Json::Array(items)) => items.is_empty(),
        (Json::Object(_) | Json::Array(_), _) | (_, Json::Object(_) | Json::Array(_)) => false,
        _ => same_scalar(scalar_text(left).as_deref(), scalar_text(right).as_deref()),
    }
}

fn scalar_text(value: &Json) -> Option<String> {
    match value {
        Json::Null => None,
        Json::String(text) if text.is_empty() => None,
        Json::String(text) => Some(text.clone()),
        Json::Number(number) => Some(number.to_string()),
        Json::Bool(flag) => Some(flag.to_string()),
        Json::Array(_) | Json::Object(_) => None,
    }
}

fn same_scalar(left: Option<&str>, right: Option<&str>) -> bool {
    let (Some(left), Some(right)) = (left, right) else { return left == right };
    if left == right {
        return true;
    }
    if let (Some(left), Some(right)) = (flag(left), flag(right)) {
        return left == right;
    }
    if let (Ok(left), Ok(right)) = (left.parse::<f64>(), right.parse::<f64>()) {
        // A date written compactly (`20261204`) parses as a number too; only numbers that are
        // not such dates are compared as numbers.
        if date(&left.to_string()).is_none() {
            return left == right;
        }
    }
    matches!((date(left), date(right)), (Some(left), Some(right)) if left == right)
}

fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

fn date(text: &str) -> Option<NaiveDateTime> {
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0);
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(midnight))
        .or_else(
            || if text.len() == 8 { NaiveDate::parse_from_str(text, "%Y%m%d").ok().and_then(midnight) } else { None },
        )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Json) -> Map<String, Json> {
        match value {
            Json::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn values_that_mean_the_same_are_equal() {
        let check = |left: Json, right: Json, equal: bool| {
            assert_eq!(same_value(&left, &right), equal, "{left} vs {right}");
        };
        check(json!("a"), json!("a"), true);
        check(json!("a"), json!("b"), false);
        check(json!(""), Json::Null, true);
        check(json!("Yes"), json!(true), true);
        check(json!("No"), json!("Yes"), false);
        check(json!("90"), json!(90), true);
        check(json!("1500.00"), json!(1500), true);
        check(json!("20261204"), json!("2026-12-04T00:00:00"), true);
        check(json!("20261204"), json!("2026-12-05"), false);
        check(json!("20261204"), json!(20261205), false);
        check(json!({"uuid": "x", "name": "A"}), json!({"uuid": "x", "name": "A"}), true);
        check(json!({"uuid": "x", "name": "A"}), json!({"uuid": "x", "name": "B"}), false);
        check(json!([]), Json::Null, true);
        check(json!(["a"]), Json::Null, false);
    }

    #[test]
    fn differences_cover_the_stored_fields_and_those_asked_for() {
        let base = map(json!({"name": "Harbour Trust", "email": "a@x", "contacts": [{"name": "Ana"}]}));
        let current = map(json!({"name": "Harbour Trust", "email": "b@x", "phone": "1", "fax": "2", "contacts": []}));
        let found = differences(&base, &current, &["contacts"], &["phone".to_owned()]);
        let mut fields: Vec<String> = found.iter().map(ToString::to_string).collect();
        fields.sort();
        assert_eq!(fields, [r#"email: "a@x" -> "b@x""#, r#"phone: (none) -> "1""#]);
    }

    #[test]
    fn request_fields_are_found_by_name_alias_and_reference() {
        let request = map(json!({
            "uuid": "c1", "name": "Harbour Trust", "webSite": "h.example", "accountManagerUuid": "s1",
            "clientNumber": "PO-1", "job": "J000001", "gstPeriod": 1, "jobManagerUuid": "s2"
        }));
        let record = map(json!({
            "uuid": "c1", "name": "Harbour Trust", "website": "h.example", "accountManager": {"uuid": "s1", "name": "Sam"},
            "clientOrderNumber": "PO-2", "job": {"id": "J000001", "name": "Audit"}
        }));
        let check = check_request(&request, &record, &["uuid"]);
        let mut agreeing = check.agreeing.clone();
        agreeing.sort();
        assert_eq!(agreeing, ["accountManager", "job", "name", "website"]);
        let mut disagreeing: Vec<&str> = check.disagreeing.iter().map(|difference| difference.field.as_str()).collect();
        disagreeing.sort_unstable();
        assert_eq!(disagreeing, ["clientOrderNumber", "jobManager"]);
        assert_eq!(check.unverifiable, ["gstPeriod"]);
    }
}
