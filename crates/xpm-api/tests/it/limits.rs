//! The XML reader's bounds on input no XPM response comes near: nesting depth and attributes per
//! element. Each test checks the error, and how much input was read before it, never the time
//! taken or the memory held.

use std::io::{BufReader, Read};

use xpm_api::model::Client;
use xpm_api::response::{XmlList, decode_single, decode_status};
use xpm_api::xml::{DecodeError, DecodeErrorKind, MAX_ATTRIBUTES, MAX_DEPTH};

/// `<a>` start tags after a fixed prefix, 16 MB in all (about 5.6 million levels), counting the
/// bytes handed out.
struct Nesting {
    prefix: &'static [u8],
    served: usize,
}

impl Read for Nesting {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let left = (16usize << 20).saturating_sub(self.served);
        let length = left.min(out.len());
        let out = &mut out[..length];
        for byte in out.iter_mut() {
            *byte = match self.prefix.get(self.served) {
                Some(&byte) => byte,
                None => b"<a>"[(self.served - self.prefix.len()) % 3],
            };
            self.served += 1;
        }
        Ok(out.len())
    }
}

fn decode_error(result: Result<impl std::fmt::Debug, xpm_api::response::ResponseError>) -> DecodeError {
    match result {
        Ok(value) => panic!("decoded {value:?}"),
        Err(xpm_api::response::ResponseError::Decode(error)) => error,
        Err(other) => panic!("not a decoding error: {other}"),
    }
}

fn assert_too_deep(error: &DecodeError, path: &str) {
    match error.kind() {
        DecodeErrorKind::TooDeep { depth, limit } => {
            assert_eq!((*depth, *limit), (MAX_DEPTH + 1, MAX_DEPTH), "{error}")
        }
        other => panic!("expected too deep, got {other} ({error})"),
    }
    assert_eq!(error.path(), path, "{error}");
    assert_eq!(
        error.to_string(),
        format!(
            "elements nested {} deep, beyond the limit of {MAX_DEPTH} at {path} (byte {})",
            MAX_DEPTH + 1,
            error.offset()
        )
    );
}

/// Unknown elements are skipped, so nesting inside one used to be followed to any depth, with
/// quick-xml keeping every open name to check end tags: 1 GB of `<a>` held 2.9 GB. Now the
/// reader stops at the element one past the limit, having read a few kilobytes of 16 MB.
#[test]
fn deep_nesting_stops_at_the_depth_limit_after_reading_little() {
    let prefix: &[u8] = b"<Response><Status>OK</Status><Client><Name>A</Name>";
    let mut source = Nesting { prefix, served: 0 };
    let error = decode_error(decode_single::<Client, _>(BufReader::with_capacity(1024, &mut source)));
    assert_too_deep(&error, "Response/Client");
    // Response and Client are two levels, so the 63rd `<a>` is the element one too deep.
    let too_deep_ends = prefix.len() + 3 * (MAX_DEPTH + 1 - 2);
    assert_eq!(error.offset(), too_deep_ends as u64, "{error}");
    assert!(source.served <= too_deep_ends + 2048, "read {} bytes of 16 MB", source.served);
}

/// Nesting through elements the decoder knows counts the same way, and a list stops after it.
#[test]
fn deep_nesting_in_a_list_item_is_refused_with_its_path() {
    let depth_of_contacts = 5; // Response, Clients, Client, Contacts, Contact
    let nested = "<x>".repeat(MAX_DEPTH + 1 - depth_of_contacts);
    let body = format!("<Response><Status>OK</Status><Clients><Client><Contacts><Contact>{nested}");
    let mut list = XmlList::<_, Client>::new(body.as_bytes());
    let error = match list.next() {
        Some(Err(xpm_api::response::ResponseError::Decode(error))) => error,
        other => panic!("expected a decoding error, got {other:?}"),
    };
    assert_too_deep(&error, "Response/Clients/Client[0]/Contacts/Contact[0]");
    assert_eq!(error.offset(), body.len() as u64);
    assert!(list.next().is_none(), "the list goes on after its error");
}

/// The limit itself is allowed: a document exactly `MAX_DEPTH` deep decodes.
#[test]
fn nesting_up_to_the_limit_decodes() {
    let levels = MAX_DEPTH - 3; // Response, Client and the outermost <x> are three
    let body = format!(
        "<Response><Status>OK</Status><Client><Name>A</Name><x>{}{}</x></Client></Response>",
        "<x>".repeat(levels),
        "</x>".repeat(levels)
    );
    let client = decode_single::<Client, _>(body.as_bytes()).map(|single| single.item);
    assert_eq!(client.ok().flatten().and_then(|client| client.name).as_deref(), Some("A"));
}

/// `<Response>` with `count` attributes, `api-method` last so that finding it means going
/// through all the others.
fn with_attributes(count: usize) -> String {
    let mut body = String::from("<Response");
    for index in 0..count - 1 {
        body.push_str(&format!(" a{index}=\"{index}\""));
    }
    body.push_str(" api-method=\"Get\"><Status>OK</Status></Response>");
    body
}

/// RUSTSEC-2026-0194: quick-xml before 0.41 compared each attribute of a start tag with every
/// one before it, so 80,000 attributes took seconds. Duplicate checks are now linear in
/// quick-xml, and this reader looks at no more than `MAX_ATTRIBUTES` of one element anyway: a
/// start tag with more is refused, wherever it is, so the work per tag is bounded by a constant.
#[test]
fn a_start_tag_with_80000_attributes_is_refused() {
    let body = with_attributes(80_000);
    let error = decode_error(decode_status(body.as_bytes()));
    assert!(
        matches!(error.kind(), DecodeErrorKind::TooManyAttributes { limit, element } if *limit == MAX_ATTRIBUTES && element == "Response"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!("more than {MAX_ATTRIBUTES} attributes on <Response> at byte {}", error.offset())
    );
    assert!(error.offset() <= body.len() as u64);

    let nested = format!(
        "<Response><Status>OK</Status><Client><Name{}>A</Name></Client></Response>",
        (0..80_000).map(|index| format!(" a{index}=''")).collect::<String>()
    );
    let error = decode_error(decode_single::<Client, _>(nested.as_bytes()));
    assert!(matches!(error.kind(), DecodeErrorKind::TooManyAttributes { .. }), "{error}");
    assert_eq!(error.path(), "Response/Client");
}

/// Up to the limit, attributes are read as before, and a repeated name is still an error.
#[test]
fn attributes_up_to_the_limit_decode_and_duplicates_are_malformed() {
    let body = with_attributes(MAX_ATTRIBUTES);
    let envelope = decode_status(body.as_bytes()).map_err(|error| error.to_string());
    assert_eq!(envelope.map(|envelope| envelope.api_method), Ok(Some("Get".to_owned())));

    let duplicated = "<Response api-method=\"Get\" api-method=\"List\"><Status>OK</Status></Response>";
    let error = decode_error(decode_status(duplicated.as_bytes()));
    assert!(matches!(error.kind(), DecodeErrorKind::Malformed(_)), "{error}");
}
