//! Inputs behind findings of the `decode_xml` fuzz target (`crates/xpm-api/fuzz`), each minimised
//! into `tests/fixtures/fuzz/`. Every test states what the decoder must return for its input, not
//! merely that it returns.

use std::path::PathBuf;

use xpm_api::model::Client;
use xpm_api::response::{XmlList, decode_single, encode_single_xml};
use xpm_api::value::XpmDate;
use xpm_api::xml::{DecodeError, DecodeErrorKind};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Asserts that `error` is an invalid `expected` value `found` at `path`, inside the input.
fn check_invalid_value(error: &DecodeError, input: &[u8], path: &str, expected: &str, found: &str) {
    match error.kind() {
        DecodeErrorKind::InvalidValue { expected: kind_expected, found: kind_found } => {
            assert_eq!((*kind_expected, kind_found.as_str()), (expected, found), "{error}");
        }
        other => panic!("expected an invalid {expected}, got {other}"),
    }
    assert_eq!(error.path(), path);
    assert!(error.offset() <= input.len() as u64, "offset {} past the input: {error}", error.offset());
}

/// chrono reads `-024-01-01` and `+10000-1-1` as dates, but `XpmDate` writes them back as
/// `-0024-01-01` and `+10000-01-01`, which it then refuses: the fuzz target's round trip failed.
/// XPM's formats all have four-digit years, so the decoder rejects such dates up front.
#[test]
fn dates_with_signed_or_five_digit_years_are_invalid() {
    for (name, found) in [("date-signed-year.xml", "-024-01-01"), ("date-five-digit-year.xml", "+10000-1-1")] {
        let input = fixture(name);
        let error = match decode_single::<Client, _>(&input[..]) {
            Ok(single) => panic!("{name} decoded to {single:?}"),
            Err(error) => error,
        };
        let error = error.as_decode().unwrap_or_else(|| panic!("{name}: not a decoding error: {error}"));
        check_invalid_value(error, &input, "Response/Client/DateOfBirth", "date", found);

        let list_body = String::from_utf8_lossy(&input)
            .replace("<Client>", "<Clients><Client>")
            .replace("</Client>", "</Client></Clients>");
        let mut list = XmlList::<_, Client>::new(list_body.as_bytes());
        let error = match list.next() {
            Some(Err(error)) => error,
            other => panic!("{name} as a list: expected an error, got {other:?}"),
        };
        let error = error.as_decode().unwrap_or_else(|| panic!("{name}: not a decoding error: {error}"));
        check_invalid_value(error, list_body.as_bytes(), "Response/Clients/Client[0]/DateOfBirth", "date", found);
        assert!(list.next().is_none(), "{name}: the list goes on after its error");
    }
}

/// The edges of the accepted range still decode in every form and survive a round trip.
#[test]
fn four_digit_years_at_the_edges_still_round_trip() {
    for text in ["0000-01-01", "9999-12-31", "00010101", "99991231", "0000-01-01T00:00:00", "9999-12-31T23:59:59.5"] {
        let input =
            format!("<Response><Status>OK</Status><Client><DateOfBirth>{text}</DateOfBirth></Client></Response>");
        let client = match decode_single::<Client, _>(input.as_bytes()) {
            Ok(single) => single.item.unwrap_or_else(|| panic!("{text}: no client")),
            Err(error) => panic!("{text}: {error}"),
        };
        let expected: XpmDate = text.parse().unwrap_or_else(|error| panic!("{text}: {error}"));
        assert_eq!(client.date_of_birth, Some(expected), "{text}");

        let encoded = encode_single_xml(&client, None, &Default::default());
        match decode_single::<Client, _>(&encoded[..]) {
            Ok(single) => assert_eq!(single.item.as_ref(), Some(&client), "{text}"),
            Err(error) => panic!("{text}: re-encoded client does not decode: {error}"),
        }
    }
}
