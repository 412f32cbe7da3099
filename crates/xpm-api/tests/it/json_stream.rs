//! `stream_list_json` against `decode_list_json`: the same answer (items, envelope, or the same
//! error, placed the same) on every list fixture turned into JSON and on mutations of them, fed
//! in pieces of every size; and memory that holds items, not the body.

use std::cell::Cell;
use std::fmt::Debug;
use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::LazyLock;

use proptest::prelude::*;
use xpm_api::model::{
    Category, Client, Cost, CustomFieldDefinition, CustomFieldValue, Document, Invoice, InvoicePayment, Job, JobCost,
    JobState, Quote, Staff, Task, Template, Time,
};
use xpm_api::response::{
    Envelope, JsonListError, JsonListWriter, Resource, ResponseError, XmlList, decode_list_json, stream_list_json,
};

/// A reader that hands out at most `piece` bytes per read, so escapes and characters straddle
/// the reads.
struct Pieces<'a> {
    body: &'a [u8],
    piece: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let count = self.piece.min(out.len()).min(self.body.len());
        out[..count].copy_from_slice(&self.body[..count]);
        self.body = &self.body[count..];
        Ok(count)
    }
}

/// An outcome in a comparable form: the items and envelope, or the error.
type Outcome<T> = Result<(Vec<T>, Envelope), Failure>;

/// An error's message (without its position), path, line, column and byte offset.
#[derive(Debug, Clone)]
struct Failure {
    message: String,
    path: String,
    line: Option<u32>,
    column: Option<u32>,
    offset: Option<u64>,
}

/// The same error, placed alike. serde_json itself places some errors (a value of the wrong
/// type, found by peeking) one column apart on its slice and reader inputs, so column and
/// offset may differ by one; line, path and message may not.
impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        let near = |a: u64, b: u64| a.abs_diff(b) <= 1;
        self.message == other.message
            && self.path == other.path
            && self.line == other.line
            && match (self.column, other.column) {
                (Some(a), Some(b)) => near(a.into(), b.into()),
                (a, b) => a == b,
            }
            && match (self.offset, other.offset) {
                (Some(a), Some(b)) => near(a, b),
                (a, b) => a == b,
            }
    }
}

fn described(error: &ResponseError) -> Failure {
    let text = error.to_string();
    let message = text.split(" at line ").next().unwrap_or_default().to_owned();
    match error.as_decode() {
        Some(decode) => Failure {
            message,
            path: decode.path(),
            line: decode.line_column().map(|(line, _)| line),
            column: decode.line_column().map(|(_, column)| column),
            offset: Some(decode.offset()),
        },
        None => Failure { message, path: String::new(), line: None, column: None, offset: None },
    }
}

fn from_slice<T: Resource>(body: &[u8]) -> Outcome<T> {
    decode_list_json::<T>(body).map_err(|error| described(&error))
}

fn streamed<T: Resource>(body: &[u8], piece: usize) -> Outcome<T> {
    let mut items = Vec::new();
    let envelope = stream_list_json::<T, _, std::convert::Infallible>(Pieces { body, piece }, |item| {
        items.push(item);
        Ok(())
    });
    match envelope {
        Ok(envelope) => Ok((items, envelope)),
        Err(JsonListError::Response(error)) => Err(described(&error)),
        Err(other) => {
            Err(Failure { message: format!("{other:?}"), path: String::new(), line: None, column: None, offset: None })
        }
    }
}

/// Asserts that the streaming decoder, fed in pieces of several sizes, answers as the slice one.
fn agree<T: Resource + PartialEq + Debug>(body: &[u8]) -> Outcome<T> {
    agree_in::<T>(body, &[1, 2, 5, 13, 4096, usize::MAX])
}

fn agree_in<T: Resource + PartialEq + Debug>(body: &[u8], pieces: &[usize]) -> Outcome<T> {
    let expected = from_slice::<T>(body);
    for &piece in pieces {
        let got = streamed::<T>(body, piece);
        assert_eq!(got, expected, "pieces of {piece}: {}", String::from_utf8_lossy(body));
    }
    expected
}

fn fixture(folder: &str, name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder).join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The list in an XML fixture, written as XPM's JSON.
fn as_json<T: Resource>(folder: &str, name: &str) -> Vec<u8> {
    let (items, envelope) = XmlList::<_, T>::new(&fixture(folder, name)[..]).collect_all().expect("fixture decodes");
    let mut writer = JsonListWriter::<_, T>::start(Vec::new()).expect("json start");
    for item in &items {
        writer.push(item).expect("json item");
    }
    writer.finish(&envelope).expect("json finish")
}

/// The fixture in JSON, and variants: keys in sorted order (the collection before `status` for
/// most resources), `ERROR` at the end, truncations, and forbidden characters in strings.
fn check_fixture<T: Resource + PartialEq + Debug>(folder: &str, name: &str) {
    let body = as_json::<T>(folder, name);
    let (items, _) = agree::<T>(&body).unwrap_or_else(|error| panic!("{name}: {error:?}"));
    assert!(!items.is_empty(), "{name} holds items");

    let mut value: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let sorted = serde_json::to_vec(&value).expect("json");
    assert_eq!(agree::<T>(&sorted).map(|(items, _)| items.len()), Ok(items.len()), "{name} sorted");

    let some_pieces = [1, 7, usize::MAX];
    value["status"] = "ERROR".into();
    value["errorDescription"] = "nope".into();
    let failed = serde_json::to_vec(&value).expect("json");
    assert!(agree_in::<T>(&failed, &some_pieces).is_err(), "{name}: ERROR after the items");

    for cut in [1, body.len() / 3, body.len() / 2, body.len() - 1] {
        assert!(agree_in::<T>(&body[..cut], &some_pieces).is_err(), "{name} cut at {cut}");
    }
    let text = String::from_utf8(body.clone()).expect("utf-8");
    for forbidden in [r"\u0001", r"\uD800", "\u{1}", r"\b"] {
        for (at, _) in text.match_indices("\":\"").step_by(7).take(3) {
            let mut bad = text.clone();
            bad.insert_str(at + 3, forbidden);
            assert!(agree_in::<T>(bad.as_bytes(), &some_pieces).is_err(), "{name}: {forbidden} at {at}");
        }
    }
}

#[test]
fn every_list_fixture_streams_as_it_decodes() {
    check_fixture::<Client>("samples", "client.list.xml");
    check_fixture::<Client>("samples", "paged-client.list.xml");
    check_fixture::<Client>("samples", "paged-client-page-2.list.xml");
    check_fixture::<Staff>("samples", "staff.list.xml");
    check_fixture::<Category>("reference", "category.list.xml");
    check_fixture::<Cost>("reference", "cost.list.xml");
    check_fixture::<CustomFieldDefinition>("reference", "customfield.definition.xml");
    check_fixture::<CustomFieldValue>("reference", "customfield.values.xml");
    check_fixture::<Invoice>("reference", "invoice.current.xml");
    check_fixture::<InvoicePayment>("reference", "invoice.payments.xml");
    check_fixture::<JobCost>("reference", "job.costs.xml");
    check_fixture::<Job>("reference", "job.current.xml");
    check_fixture::<Document>("reference", "job.documents.xml");
    check_fixture::<Job>("reference", "job.staff.xml");
    check_fixture::<JobState>("reference", "jobstate.list.xml");
    check_fixture::<Quote>("reference", "quote.current.xml");
    check_fixture::<Task>("reference", "task.list.xml");
    check_fixture::<Template>("reference", "template.list.xml");
    check_fixture::<Time>("reference", "time.list.xml");
}

#[test]
fn the_status_decides_whether_items_are_handed_out() {
    let count = |body: &str| {
        let mut handed = 0;
        let result = stream_list_json::<Staff, _, ()>(body.as_bytes(), |_| {
            handed += 1;
            Ok(())
        });
        (handed, result.map_err(|error| error.to_string()))
    };
    let error = Err("xpm returned an error: nope".to_owned());
    // XPM writes the status first: an ERROR there means no item is handed out.
    assert_eq!(count(r#"{"status":"ERROR","errorDescription":"nope","staffList":[{},{}]}"#), (0, error.clone()));
    // After the list it is known only at the end: the items went out, and the call still fails.
    assert_eq!(count(r#"{"staffList":[{},{}],"status":"ERROR","errorDescription":"nope"}"#), (2, error));
    assert_eq!(count(r#"{"staffList":[{},{}]}"#).0, 2);
    assert!(count(r#"{"staffList":[{},{}]}"#).1.is_err(), "no status is an error");
    let twice = count(r#"{"status":"OK","staffList":[{}],"staffList":[{}]}"#);
    assert_eq!(twice.0, 1);
    assert!(twice.1.as_ref().is_err_and(|error| error.contains("duplicate field `staffList`")), "{twice:?}");
    assert!(decode_list_json::<Staff>(br#"{"status":"OK","staffList":[],"staffList":[]}"#).is_err());
    let foreign = count(r#"{"status":"OK","clients":[{}]}"#);
    assert!(foreign.1.as_ref().is_err_and(|error| error.contains("another operation")));
}

#[test]
fn a_sink_that_stops_stops_the_reading() {
    let body = r#"{"status":"OK","staffList":[{},{},{},{},{}]}"#;
    let mut handed = 0;
    let result = stream_list_json::<Staff, _, &str>(body.as_bytes(), |_| {
        handed += 1;
        if handed == 3 { Err("enough") } else { Ok(()) }
    });
    assert!(matches!(result, Err(JsonListError::Sink("enough"))), "{result:?}");
    assert_eq!(handed, 3);
}

/// A JSON staff list of `count` items written as it is read, which fails the read if it is
/// asked for more than `ahead` bytes beyond the end of the last item the sink has taken.
struct Generated {
    head: Vec<u8>,
    item_length: usize,
    count: usize,
    produced: usize,
    taken: Rc<Cell<usize>>,
    ahead: usize,
    /// The item being read out, written once.
    current: (usize, Vec<u8>),
}

impl Generated {
    fn item(index: usize) -> Vec<u8> {
        let separator = if index > 0 { "," } else { "" };
        format!(r#"{separator}{{"name":"Staff {index:08}"}}"#).into_bytes()
    }

    fn byte(&mut self, at: usize) -> u8 {
        let Some(in_items) = at.checked_sub(self.head.len()) else { return self.head[at] };
        // Item 0 has no leading comma: every later item is one byte longer.
        let first = self.item_length - 1;
        let (index, offset) = match in_items.checked_sub(first) {
            None => (0, in_items),
            Some(rest) => (1 + rest / self.item_length, rest % self.item_length),
        };
        if index >= self.count {
            return b"]}"[offset];
        }
        if self.current.0 != index {
            self.current = (index, Self::item(index));
        }
        self.current.1[offset]
    }

    fn len(&self) -> usize {
        self.head.len() + self.count * self.item_length - 1 + 2
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let taken_end = self.head.len() + self.taken.get() * self.item_length;
        let allowed = (taken_end + self.ahead).min(self.len());
        if self.produced >= allowed && self.produced < self.len() {
            return Err(std::io::Error::other(format!(
                "asked for byte {} with {} items taken: the decoder is holding the body",
                self.produced,
                self.taken.get()
            )));
        }
        let count = out.len().min(allowed - self.produced);
        for (slot, at) in out[..count].iter_mut().zip(self.produced..) {
            *slot = self.byte(at);
        }
        self.produced += count;
        Ok(count)
    }
}

#[test]
fn a_long_list_is_never_held_whole() {
    let count = 150_000;
    let taken = Rc::new(Cell::new(0));
    // Two read buffers of 64 KiB and one item: anything that held the 3.9 MB body would fail.
    let ahead = 3 * 64 * 1024;
    let source = Generated {
        head: br#"{"status":"OK","staffList":["#.to_vec(),
        item_length: Generated::item(1).len(),
        count,
        produced: 0,
        taken: Rc::clone(&taken),
        ahead,
        current: (0, Generated::item(0)),
    };
    let total = source.len();
    assert!(total > 10 * ahead, "the list ({total} bytes) is much longer than the window");
    let mut last = None;
    let envelope = stream_list_json::<Staff, _, std::convert::Infallible>(source, |staff| {
        taken.set(taken.get() + 1);
        last = staff.name;
        Ok(())
    });
    assert!(envelope.is_ok(), "{envelope:?}");
    assert_eq!(taken.get(), count);
    assert_eq!(last, Some(format!("Staff {:08}", count - 1)));
}

/// Pieces that make JSON and characters interesting where they are spliced in.
const SPLICES: &[&str] = &[
    r"\u0001",
    r"\uD800",
    r"\uDC00",
    r"\uD83D\uDE42",
    r"\b",
    r"\f",
    r"\\",
    r"\",
    "\u{1}",
    "\u{FFFE}",
    "\"",
    "}",
    "]",
    ",",
    ":",
    "{",
    "[",
    " ",
    "\n",
    "null",
    "1",
    "é",
    r#""status":"ERROR","#,
    r#""staffList":[],"#,
];

static CLIENTS: LazyLock<Vec<u8>> = LazyLock::new(|| as_json::<Client>("samples", "client.list.xml"));
static STAFF: LazyLock<Vec<u8>> = LazyLock::new(|| as_json::<Staff>("samples", "staff.list.xml"));

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any cut or splice of a real list: both decoders give the same items or the same error.
    #[test]
    fn streaming_and_slice_decoders_agree_on_mutated_bodies(
        which in 0..2usize,
        at in any::<prop::sample::Index>(),
        splice in prop::sample::select(SPLICES),
        cut in any::<bool>(),
        piece in 1..40usize,
    ) {
        if which == 0 {
            mutated::<Client>(CLIENTS.clone(), at, splice, cut, piece)?;
        } else {
            mutated::<Staff>(STAFF.clone(), at, splice, cut, piece)?;
        }
    }
}

fn mutated<T: Resource + PartialEq + Debug>(
    mut body: Vec<u8>,
    at: prop::sample::Index,
    splice: &str,
    cut: bool,
    piece: usize,
) -> Result<(), TestCaseError> {
    let at = at.index(body.len() + 1);
    if cut {
        body.truncate(at);
    } else {
        body.splice(at..at, splice.bytes());
    }
    prop_assert_eq!(streamed::<T>(&body, piece), from_slice::<T>(&body), "{}", String::from_utf8_lossy(&body));
    Ok(())
}
