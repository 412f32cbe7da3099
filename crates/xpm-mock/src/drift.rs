//! The `drift` fault: the real answer with one element's text replaced, as when XPM starts
//! sending a value in a form clients were not written for (a flag reading `Maybe`, a date in a
//! new format). It lets a test check that one odd value does not lose a whole list.

use serde_json::Value;

/// Replaces the text of the first `<element>` in an XML body (a self-closing `<element/>` gets
/// the text too). `None` when the body has no such element.
pub(crate) fn drift_xml(body: &[u8], element: &str, value: &str) -> Option<Vec<u8>> {
    let open = format!("<{element}>");
    let empty = format!("<{element}/>");
    let close = format!("</{element}>");
    let escaped = escape(value);
    let replaced = |start: usize, end: usize| {
        let mut out = Vec::with_capacity(body.len() + escaped.len());
        out.extend_from_slice(&body[..start]);
        out.extend_from_slice(open.as_bytes());
        out.extend_from_slice(escaped.as_bytes());
        out.extend_from_slice(close.as_bytes());
        out.extend_from_slice(&body[end..]);
        out
    };
    let first_open = find(body, open.as_bytes(), 0);
    let first_empty = find(body, empty.as_bytes(), 0);
    match (first_open, first_empty) {
        (Some(start), None) => Some(replaced(start, find(body, close.as_bytes(), start)? + close.len())),
        (Some(start), Some(at)) if start < at => {
            Some(replaced(start, find(body, close.as_bytes(), start)? + close.len()))
        }
        (_, Some(start)) => Some(replaced(start, start + empty.len())),
        (None, None) => None,
    }
}

/// Replaces the value of the first `key` in a JSON body (depth first, in document order) with
/// `value` as a JSON string. `None` when the body is not JSON or has no such key.
pub(crate) fn drift_json(body: &[u8], key: &str, value: &str) -> Option<Vec<u8>> {
    let mut document: Value = serde_json::from_slice(body).ok()?;
    if !replace_first(&mut document, key, value) {
        return None;
    }
    serde_json::to_vec(&document).ok()
}

/// The JSON key XPM uses for an XML element: its name with the first letter lowered
/// (`IsArchived` → `isArchived`; `UUID` → `uUID` is not one XPM has, so JSON drift names keys
/// as the XML does apart from that first letter).
pub(crate) fn json_key(element: &str) -> String {
    let mut chars = element.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn replace_first(node: &mut Value, key: &str, value: &str) -> bool {
    match node {
        Value::Object(map) => {
            // `serde_json`'s map keeps document order only with `preserve_order`; without it keys
            // are sorted, which still picks one key deterministically.
            for (name, child) in map.iter_mut() {
                if name == key {
                    *child = Value::String(value.to_owned());
                    return true;
                }
                if replace_first(child, key, value) {
                    return true;
                }
            }
            false
        }
        Value::Array(items) => items.iter_mut().any(|item| replace_first(item, key, value)),
        _ => false,
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|at| at + from)
}

fn escape(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_first_element_only() {
        let body = b"<Clients><Client><IsArchived>No</IsArchived></Client><Client><IsArchived>Yes</IsArchived></Client></Clients>";
        let drifted = drift_xml(body, "IsArchived", "Maybe & <so>").expect("found");
        assert_eq!(
            String::from_utf8(drifted).expect("utf-8"),
            "<Clients><Client><IsArchived>Maybe &amp; &lt;so&gt;</IsArchived></Client><Client><IsArchived>Yes</IsArchived></Client></Clients>"
        );
    }

    #[test]
    fn fills_a_self_closing_element_and_reports_a_missing_one() {
        let drifted = drift_xml(b"<Client><Fax/><Fax>1</Fax></Client>", "Fax", "x").expect("found");
        assert_eq!(drifted, b"<Client><Fax>x</Fax><Fax>1</Fax></Client>");
        assert!(drift_xml(b"<Client/>", "IsArchived", "Maybe").is_none());
    }

    #[test]
    fn json_replaces_the_first_key_in_depth_first_order() {
        let body = br#"{"clients":[{"isArchived":false,"name":"A"},{"isArchived":true}]}"#;
        let drifted = drift_json(body, &json_key("IsArchived"), "Maybe").expect("found");
        let value: Value = serde_json::from_slice(&drifted).expect("json");
        assert_eq!(value["clients"][0]["isArchived"], "Maybe");
        assert_eq!(value["clients"][1]["isArchived"], true);
        assert!(drift_json(b"not json", "a", "b").is_none());
    }
}
