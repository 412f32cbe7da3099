//! Characters XML 1.0 forbids (section 2.2, production `Char`): C0 controls other than tab, LF and
//! CR, surrogates, U+FFFE and U+FFFF. Decoders refuse them wherever they appear, naming the
//! character and where; the XML writer never writes one.

use proptest::prelude::*;
use xpm_api::model::Client;
use xpm_api::response::{
    Envelope, ResponseError, decode_list_json, decode_single, decode_single_json, decode_status, encode_single_xml,
};
use xpm_api::xml::{DecodeError, DecodeErrorKind};

fn decode_error(result: Result<impl std::fmt::Debug, ResponseError>) -> DecodeError {
    match result {
        Ok(value) => panic!("decoded {value:?}"),
        Err(ResponseError::Decode(error)) => error,
        Err(other) => panic!("not a decoding error: {other}"),
    }
}

/// Asserts that `error` names `code_point` as forbidden, at `path`, inside `body`.
fn check(error: &DecodeError, body: &[u8], code_point: u32, path: &str) {
    assert!(
        matches!(error.kind(), DecodeErrorKind::ForbiddenCharacter { code_point: found } if *found == code_point),
        "expected U+{code_point:04X}, got {error}"
    );
    assert!(error.to_string().contains(&format!("U+{code_point:04X}")), "{error}");
    assert_eq!(error.path(), path, "{error}");
    assert!(error.offset() <= body.len() as u64, "{error}");
}

fn client_xml(name: &str) -> String {
    format!("<Response api-method=\"Get\"><Status>OK</Status><Client><Name>{name}</Name></Client></Response>")
}

#[test]
fn xml_text_cdata_and_references_with_forbidden_characters_are_refused() {
    for (name, code_point) in [
        ("a\u{0}b", 0),
        ("\u{1}", 1),
        ("a\u{1F}", 0x1F),
        ("\u{FFFE}", 0xFFFE),
        ("x\u{FFFF}", 0xFFFF),
        ("<![CDATA[a\u{8}]]>", 8),
        ("a&#0;", 0),
        ("&#x1;", 1),
        ("&#xB;b", 0xB),
        ("&#65534;", 0xFFFE),
        ("&#xFFFF;", 0xFFFF),
        ("&#xD800;", 0xD800),
        ("ok&amp;&#12;", 0xC),
    ] {
        let body = client_xml(name);
        let error = decode_error(decode_single::<Client, _>(body.as_bytes()));
        check(&error, body.as_bytes(), code_point, "Response/Client/Name");
    }
}

#[test]
fn xml_attribute_values_with_forbidden_characters_are_refused() {
    for (value, code_point) in [("a\u{2}", 2), ("&#x7;", 7), ("&#0;", 0), ("\u{FFFF}", 0xFFFF)] {
        let body = format!("<Response api-method=\"{value}\"><Status>OK</Status></Response>");
        let error = decode_error(decode_status(body.as_bytes()));
        check(&error, body.as_bytes(), code_point, "");
    }
    let nested = "<Response><Status>OK</Status><Client><Name x='&#1;'>A</Name></Client></Response>";
    let error = decode_error(decode_single::<Client, _>(nested.as_bytes()));
    check(&error, nested.as_bytes(), 1, "Response/Client");
}

/// A document holding a forbidden character is not well-formed wherever it is, so text the
/// decoder skips (between a record's children, inside an unknown element) is checked too.
#[test]
fn xml_text_the_decoder_skips_is_checked_too() {
    for (inside, code_point) in [
        ("\u{1}<Name>A</Name>", 1),
        ("<Name>A</Name>&#x1F;", 0x1F),
        ("<Unknown>a\u{FFFE}</Unknown>", 0xFFFE),
        ("<Unknown><Deeper>&#2;</Deeper></Unknown>", 2),
        ("<Unknown><![CDATA[\u{3}]]></Unknown>", 3),
    ] {
        let body = format!("<Response><Status>OK</Status><Client>{inside}</Client></Response>");
        let error = decode_error(decode_single::<Client, _>(body.as_bytes()));
        check(&error, body.as_bytes(), code_point, "Response/Client");
    }
}

#[test]
fn xml_tab_line_feed_and_carriage_return_are_allowed() {
    let body = client_xml("a\tb\nc&#9;&#10;&#13;&#xD7FF;&#xE000;&#xFFFD;&#x10000;");
    let client = decode_single::<Client, _>(body.as_bytes()).map(|single| single.item);
    assert_eq!(
        client.ok().flatten().and_then(|client| client.name).as_deref(),
        Some("a\tb\nc\t\n\r\u{D7FF}\u{E000}\u{FFFD}\u{10000}")
    );
}

#[test]
fn json_strings_with_forbidden_characters_are_refused_with_the_key_path() {
    for (json_text, code_point) in [
        (r"a\u0000b", 0),
        (r"\u0001", 1),
        (r"\u001f", 0x1F),
        (r"\uFFFE", 0xFFFE),
        ("\u{FFFF}", 0xFFFF),
        (r"\uD800", 0xD800),
        (r"\uD800x", 0xD800),
        (r"\uDC00", 0xDC00),
        (r"\uD800\u0041", 0xD800),
    ] {
        let body = format!(r#"{{"status":"OK","client":{{"uuid":null,"name":"{json_text}"}}}}"#);
        let error = decode_error(decode_single_json::<Client>(body.as_bytes()));
        check(&error, body.as_bytes(), code_point, "client.name");

        let list = format!(r#"{{"status":"OK","clients":[{{}},{{"name":"{json_text}"}}]}}"#);
        let error = decode_error(decode_list_json::<Client>(list.as_bytes()));
        check(&error, list.as_bytes(), code_point, "clients[1].name");
    }
    // Keys the decoder ignores are checked too: the body is refused as a whole.
    let ignored = br#"{"status":"OK","futureField":{"note":"\u0002"}}"#;
    let error = decode_error(decode_single_json::<Client>(ignored));
    // serde_path_to_error follows no path into a value that is skipped, so the key is the path.
    check(&error, ignored, 2, "futureField");
}

#[test]
fn json_escapes_that_are_allowed_still_decode() {
    let body = r#"{"status":"OK","client":{"name":"\t\n\r\u0009\uD83D\uDE42\\u0000\uFFFD"}}"#;
    let client = decode_single_json::<Client>(body.as_bytes()).map(|single| single.item);
    assert_eq!(
        client.ok().flatten().and_then(|client| client.name).as_deref(),
        Some("\t\n\r\t\u{1F642}\\u0000\u{FFFD}")
    );
}

fn is_forbidden(character: char) -> bool {
    matches!(character, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A forbidden character: a C0 control other than tab, LF and CR, U+FFFE or U+FFFF.
fn forbidden() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u32..0x20).prop_filter_map("allowed control", |code| char::from_u32(code).filter(|c| is_forbidden(*c))),
        Just('\u{FFFE}'),
        Just('\u{FFFF}'),
    ]
}

/// Text with one forbidden character somewhere in it, and the character.
fn text_with_forbidden() -> impl Strategy<Value = (String, char)> {
    ("[\\PC\\t\\n\\r]{0,12}", forbidden(), "[\\PC\\t\\n\\r&<>]{0,12}")
        .prop_map(|(before, bad, after)| (format!("{before}{bad}{after}"), bad))
}

/// The first character of `text` a decoder must refuse.
fn first_forbidden(text: &str) -> Option<char> {
    text.chars().find(|character| is_forbidden(*character))
}

/// `text` escaped for XML, with every forbidden character written raw or as a reference.
fn xml_escaped(text: &str, as_reference: bool) -> String {
    let mut out = String::new();
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            bad if is_forbidden(bad) && as_reference => out.push_str(&format!("&#x{:X};", u32::from(bad))),
            other => out.push(other),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decoders_refuse_forbidden_characters((text, _) in text_with_forbidden(), as_reference in any::<bool>()) {
        let bad = first_forbidden(&text).map(u32::from).unwrap_or_default();
        let body = client_xml(&xml_escaped(&text, as_reference));
        let error = decode_error(decode_single::<Client, _>(body.as_bytes()));
        check(&error, body.as_bytes(), bad, "Response/Client/Name");

        let json = serde_json::json!({ "status": "OK", "client": { "name": text } }).to_string();
        let error = decode_error(decode_single_json::<Client>(json.as_bytes()));
        check(&error, json.as_bytes(), bad, "client.name");
    }

    #[test]
    fn the_xml_writer_never_writes_a_forbidden_character((text, _) in text_with_forbidden()) {
        let mut client = Client::default();
        client.name = Some(text.clone());
        let xml = encode_single_xml(&client, Some("Get"), &Envelope::default());
        let written = String::from_utf8(xml.clone()).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(first_forbidden(&written), None, "{}", written);
        prop_assert!(!written.contains("&#0;") && !written.contains("&#x"), "{}", written);
        // What was written is well-formed and decodes, each forbidden character replaced.
        let decoded = decode_single::<Client, _>(&xml[..]).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let expected: String = text.chars().map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c }).collect();
        prop_assert_eq!(decoded.item.and_then(|client| client.name), Some(expected));
    }
}

/// Request bodies in JSON were decoded without the check (the emulator stored `\u0000` and wrote
/// it out); they are refused like response bodies, naming the JSON path.
#[test]
fn json_request_bodies_with_forbidden_characters_are_refused_with_their_path() {
    use xpm_api::request::{ClientAddRequest, RequestBody as _};
    for (body, code_point, path) in [
        (r#"{"name": "a\u0000"}"#, 0, "name"),
        (r#"{"name": "A", "email": "\b"}"#, 8, "email"),
        ("{\"name\": \"A\", \"phone\": \"\u{FFFF}\"}", 0xFFFF, "phone"),
        (r#"{"name": "A", "address": "\udc00"}"#, 0xDC00, "address"),
    ] {
        let error = ClientAddRequest::from_json(body.as_bytes()).err().unwrap_or_else(|| panic!("{body} decoded"));
        check(&error, body.as_bytes(), code_point, path);
    }
    assert!(ClientAddRequest::from_json(br#"{"name": "tab\tand \u00e9"}"#).is_ok(), "allowed characters pass");
}
