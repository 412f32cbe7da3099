//! Masks personal data in recorded answers, keeping their shape so a fixture still decodes:
//! in the text of personal fields letters become `x`/`X` and digits `1` (a date stays a date,
//! `1111-11-11T11:11:11`; an email stays an email), everything else is kept.

use quick_xml::events::{BytesText, Event};
use quick_xml::{Reader, Writer};

/// Fields that hold personal or client-identifying text, lower case (XML `FirstName` and JSON
/// `firstName` alike).
const PERSONAL: &[&str] = &[
    "name",
    "firstname",
    "lastname",
    "othername",
    "middlename",
    "salutation",
    "addressee",
    "email",
    "phone",
    "mobile",
    "fax",
    "website",
    "address",
    "city",
    "region",
    "postcode",
    "postaladdress",
    "postalcity",
    "postalregion",
    "postalpostcode",
    "taxnumber",
    "companynumber",
    "businessnumber",
    "bankaccount",
    "bankbsb",
    "bankaccountname",
    "dateofbirth",
    "dateofdeath",
    "notes",
    "note",
    "description",
    "comment",
    "contactname",
    "jobtext",
    "clientordernumber",
    "createdby",
    "text",
    "title",
    "bankaccountnumber",
    "branchnumber",
    "placeofbirthcity",
    "filename",
    "reference",
    "referralsource",
];

fn is_personal(field: &str) -> bool {
    PERSONAL.iter().any(|name| name.eq_ignore_ascii_case(field))
}

fn inside_personal(open: &[String]) -> bool {
    open.last().is_some_and(|name| is_personal(name))
}

/// `text` with letters and digits masked; a `T` between digits (a date and time) is kept.
pub(crate) fn mask(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    let digit_at =
        |index: Option<usize>| index.and_then(|index| characters.get(index)).is_some_and(char::is_ascii_digit);
    characters
        .iter()
        .enumerate()
        .map(|(index, character)| match character {
            'T' if digit_at(index.checked_sub(1)) && digit_at(Some(index + 1)) => 'T',
            'A'..='Z' => 'X',
            'a'..='z' => 'x',
            '0'..='9' => '1',
            other if other.is_alphabetic() => 'x',
            other if other.is_numeric() => '1',
            other => *other,
        })
        .collect()
}

/// An XML body with the text of personal elements masked. A body that is not well-formed is
/// replaced whole by a note: it cannot be masked field by field, so none of it is kept.
pub(crate) fn redact_xml(body: &[u8]) -> Vec<u8> {
    let mut reader = Reader::from_reader(body);
    let mut writer = Writer::new(Vec::with_capacity(body.len()));
    let mut open: Vec<String> = Vec::new();
    let mut buffer = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(_) => return b"<!-- not well-formed XML: not recorded -->".to_vec(),
        };
        let written = match event {
            Event::Eof => break,
            Event::Start(start) => {
                open.push(start.local_name().into_inner().to_owned());
                writer.write_event(Event::Start(start))
            }
            Event::End(end) => {
                open.pop();
                writer.write_event(Event::End(end))
            }
            Event::Text(text) if inside_personal(&open) => {
                let raw = text.into_inner().into_owned();
                let plain = quick_xml::escape::unescape(&raw).map(|text| text.into_owned()).unwrap_or(raw);
                writer.write_event(Event::Text(BytesText::new(&mask(&plain))))
            }
            Event::CData(data) if inside_personal(&open) => {
                let raw = data.into_inner().into_owned();
                writer.write_event(Event::Text(BytesText::new(&mask(&raw))))
            }
            // `&#233;` is a letter; `&amp;` and the other named references are punctuation.
            Event::GeneralRef(reference) if inside_personal(&open) && reference.starts_with('#') => {
                writer.write_event(Event::Text(BytesText::new("x")))
            }
            other => writer.write_event(other),
        };
        if written.is_err() {
            return b"<!-- could not be re-written: not recorded -->".to_vec();
        }
        buffer.clear();
    }
    writer.into_inner()
}

/// A JSON body with the string values of personal keys masked; a body that is not JSON is
/// replaced by a note.
pub(crate) fn redact_json(body: &[u8]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return b"\"not JSON: not recorded\"".to_vec();
    };
    redact_value(&mut value, false);
    serde_json::to_vec_pretty(&value).unwrap_or_default()
}

fn redact_value(value: &mut serde_json::Value, personal: bool) {
    match value {
        serde_json::Value::String(text) if personal => *text = mask(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| redact_value(item, personal)),
        serde_json::Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                redact_value(field, is_personal(key));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_shape() {
        assert_eq!(mask("Ana Ruiz-Lee"), "Xxx Xxxx-Xxx");
        assert_eq!(mask("ana@firm.co.nz"), "xxx@xxxx.xx.xx");
        assert_eq!(mask("1986-04-30T00:00:00"), "1111-11-11T11:11:11");
        assert_eq!(mask("Zoë"), "Xxx");
    }

    #[test]
    fn xml_personal_fields_are_masked_and_the_rest_kept() {
        let body = b"<Response><Status>OK</Status><Client><UUID>abc-1</UUID><Name>Kauri &amp; Sons</Name>\
<Email>k@kauri.nz</Email><IsArchived>No</IsArchived><TaxNumber>123-456</TaxNumber></Client></Response>";
        let redacted = String::from_utf8(redact_xml(body)).expect("utf-8");
        assert!(redacted.contains("<UUID>abc-1</UUID>"), "{redacted}");
        assert!(redacted.contains("<IsArchived>No</IsArchived>"), "{redacted}");
        assert!(redacted.contains("<Status>OK</Status>"), "{redacted}");
        for secret in ["Kauri", "kauri", "123-456"] {
            assert!(!redacted.contains(secret), "{secret} left in {redacted}");
        }
        assert!(redacted.contains("<TaxNumber>111-111</TaxNumber>"), "{redacted}");
    }

    #[test]
    fn json_personal_fields_are_masked_at_any_depth() {
        let body = br#"{"status":"OK","clients":[{"uuid":"u1","name":"Ana Ruiz","contacts":[{"email":"a@b.nz","isPrimary":true}]}]}"#;
        let redacted: serde_json::Value = serde_json::from_slice(&redact_json(body)).expect("json");
        assert_eq!(redacted["clients"][0]["uuid"], "u1");
        assert_eq!(redacted["clients"][0]["name"], "Xxx Xxxx");
        assert_eq!(redacted["clients"][0]["contacts"][0]["email"], "x@x.xx");
        assert_eq!(redacted["clients"][0]["contacts"][0]["isPrimary"], true);
    }

    #[test]
    fn broken_bodies_are_not_kept() {
        assert!(!String::from_utf8_lossy(&redact_xml(b"<a><Name>Ana</b>")).contains("Ana"));
        assert!(!String::from_utf8_lossy(&redact_json(b"{\"name\":\"Ana\"")).contains("Ana"));
    }
}
