//! Reading XPM's JSON bodies held in memory: flat camelCase objects such as
//! `{"status":"OK","clients":[…]}`.
//!
//! XPM answers JSON only when asked with both `Accept: application/json` and
//! `Xero-Features: practice-strict-content-type`; the shapes are the official spec's DTOs. The
//! walk through the object is [`BodySeed`], shared with the streaming reader
//! ([`stream_list_json`](super::stream_list_json)); here it runs on serde_json's slice input.

use std::marker::PhantomData;
use std::ops::ControlFlow;

use serde::de::DeserializeSeed;

use super::error::{ResponseError, XpmError};
use super::json_body::{BodySeed, Parsed};
use super::json_chars::first_forbidden_json;
use super::resource::Resource;
use super::xml::{Envelope, Single};
use crate::xml::{DecodeError, DecodeErrorKind};

/// Decodes a JSON list response (`{"status":"OK","clients":[…],"pagination":…}`).
///
/// A collection that arrives as a single object instead of an array is accepted as a list of
/// one: a third-party report says XML-derived JSON can collapse one-item lists. A collection
/// that appears twice is refused. For a body arriving from a reader, see
/// [`stream_list_json`](super::stream_list_json), which holds one item at a time.
pub fn decode_list_json<T: Resource>(body: &[u8]) -> Result<(Vec<T>, Envelope), ResponseError> {
    let mut items = Vec::new();
    let parsed = parse::<T, _>(body, true, &mut |item| {
        items.push(item);
        ControlFlow::Continue(())
    })?;
    Ok((items, parsed.envelope))
}

/// Decodes a JSON single-item response (`{"status":"OK","client":{…}}`).
pub fn decode_single_json<T: Resource>(body: &[u8]) -> Result<Single<T>, ResponseError> {
    let parsed = parse::<T, _>(body, true, &mut discard::<T>)?;
    Ok(Single { item: parsed.item, envelope: parsed.envelope })
}

/// Decodes a JSON status-only response (`{"status":"OK"}`).
pub fn decode_status_json(body: &[u8]) -> Result<Envelope, ResponseError> {
    // The resource type only decides which keys hold a payload; a status body has none.
    // A status body is read leniently: whatever else it carries is skipped.
    parse::<crate::model::Staff, _>(body, false, &mut discard::<crate::model::Staff>).map(|parsed| parsed.envelope)
}

/// The sink of decoders that want no collection items.
fn discard<T>(_: T) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// Parses a body, handing the collection's items to `sink`; `strict` refuses another
/// resource's payload beside or instead of `T`'s.
fn parse<T: Resource, S: FnMut(T) -> ControlFlow<()>>(
    body: &[u8],
    strict: bool,
    sink: &mut S,
) -> Result<Parsed<T>, ResponseError> {
    if let Some((offset, code_point)) = first_forbidden_json(body) {
        return Err(forbidden_character::<T>(body, offset, code_point, strict));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let seed = BodySeed::<T, S> { strict, sink, item: PhantomData };
    let parsed = seed
        .deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track))
        .and_then(|parsed| deserializer.end().map(|()| parsed))
        .map_err(|error| json_error(body, error, &track.path()))?;
    check_status(parsed)
}

/// The body's own verdict: `OK` passes it on, `ERROR` is XPM's error, anything else (or none)
/// is a decoding error.
pub(super) fn check_status<T>(parsed: Parsed<T>) -> Result<Parsed<T>, ResponseError> {
    match parsed.status.as_deref() {
        Some(status) if status.eq_ignore_ascii_case("OK") => Ok(parsed),
        Some(status) if status.eq_ignore_ascii_case("ERROR") => {
            Err(XpmError { description: parsed.error_description.unwrap_or_default() }.into())
        }
        Some(other) => {
            let kind = DecodeErrorKind::InvalidValue {
                expected: "status OK or ERROR",
                found: crate::xml::error::excerpt(other),
            };
            Err(DecodeError::new(kind, 0).within("status").into())
        }
        None => Err(DecodeError::new(DecodeErrorKind::MissingElement("status"), 0).into()),
    }
}

/// The error for a character XML 1.0 forbids at `offset`, with the key path it sits under,
/// found by parsing the body up to there: the parse then ends inside the string that holds it.
/// Should the JSON be malformed before that point, that error is the one reported.
#[cold]
fn forbidden_character<T: Resource>(body: &[u8], offset: usize, code_point: u32, strict: bool) -> ResponseError {
    let before = &body[..offset];
    let mut deserializer = serde_json::Deserializer::from_slice(before);
    let mut track = serde_path_to_error::Track::new();
    let seed = BodySeed::<T, _> { strict, sink: &mut discard::<T>, item: PhantomData };
    match seed.deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track)) {
        Err(error) if !error.is_eof() => json_error(before, error, &track.path()),
        _ => forbidden_at(offset as u64, code_point, &track.path().to_string()),
    }
}

/// A [`DecodeErrorKind::ForbiddenCharacter`] at `offset`, under the key `path` if there is one.
pub(super) fn forbidden_at(offset: u64, code_point: u32, path: &str) -> ResponseError {
    let mut error = DecodeError::new(DecodeErrorKind::ForbiddenCharacter { code_point }, offset);
    if path != "." && !path.is_empty() {
        error = error.within(path.to_owned());
    }
    error.into()
}

/// Turns a serde_json error into a [`DecodeError`] with the JSON path, line and column.
fn json_error(body: &[u8], error: serde_json::Error, path: &serde_path_to_error::Path) -> ResponseError {
    DecodeError::from_json(body, error, &path.to_string()).into()
}
