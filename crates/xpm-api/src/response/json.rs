//! Reading XPM's JSON bodies: flat camelCase objects such as `{"status":"OK","clients":[…]}`.
//!
//! XPM answers JSON only when asked with both `Accept: application/json` and
//! `Xero-Features: practice-strict-content-type`; the shapes are the official spec's DTOs.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::{ResponseError, XpmError};
use super::json_chars::first_forbidden_json;
use super::pagination::Pagination;
use super::resource::{Resource, foreign_json_payload};
use super::xml::{Envelope, Single};
use crate::xml::{DecodeError, DecodeErrorKind};

/// Decodes a JSON list response (`{"status":"OK","clients":[…],"pagination":…}`).
///
/// A collection that arrives as a single object instead of an array is accepted as a list of
/// one: a third-party report says XML-derived JSON can collapse one-item lists.
pub fn decode_list_json<T: Resource>(body: &[u8]) -> Result<(Vec<T>, Envelope), ResponseError> {
    let parsed = parse::<T>(body, true)?;
    Ok((parsed.items.unwrap_or_default(), parsed.envelope))
}

/// Decodes a JSON single-item response (`{"status":"OK","client":{…}}`).
pub fn decode_single_json<T: Resource>(body: &[u8]) -> Result<Single<T>, ResponseError> {
    let parsed = parse::<T>(body, true)?;
    Ok(Single { item: parsed.item, envelope: parsed.envelope })
}

/// Decodes a JSON status-only response (`{"status":"OK"}`).
pub fn decode_status_json(body: &[u8]) -> Result<Envelope, ResponseError> {
    // The resource type only decides which keys hold a payload; a status body has none.
    // A status body is read leniently: whatever else it carries is skipped.
    parse::<crate::model::Staff>(body, false).map(|parsed| parsed.envelope)
}

struct Parsed<T> {
    status: Option<String>,
    error_description: Option<String>,
    items: Option<Vec<T>>,
    item: Option<T>,
    envelope: Envelope,
}

/// Parses a body; `strict` refuses another resource's payload beside or instead of `T`'s.
fn parse<T: Resource>(body: &[u8], strict: bool) -> Result<Parsed<T>, ResponseError> {
    if let Some((offset, code_point)) = first_forbidden_json(body) {
        return Err(forbidden_character::<T>(body, offset, code_point, strict));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let seed = BodySeed::<T> { strict, item: PhantomData };
    let parsed = seed
        .deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track))
        .and_then(|parsed| deserializer.end().map(|()| parsed))
        .map_err(|error| json_error(body, error, &track.path()))?;
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
    let seed = BodySeed::<T> { strict, item: PhantomData };
    match seed.deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track)) {
        Err(error) if !error.is_eof() => json_error(before, error, &track.path()),
        _ => {
            let mut error = DecodeError::new(DecodeErrorKind::ForbiddenCharacter { code_point }, offset as u64);
            let path = track.path().to_string();
            if path != "." && !path.is_empty() {
                error = error.within(path);
            }
            error.into()
        }
    }
}

/// Turns a serde_json error into a [`DecodeError`] with the JSON path, line and column.
fn json_error(body: &[u8], error: serde_json::Error, path: &serde_path_to_error::Path) -> ResponseError {
    DecodeError::from_json(body, error, &path.to_string()).into()
}

struct BodySeed<T> {
    strict: bool,
    item: PhantomData<fn() -> T>,
}

impl<'de, T: Resource> DeserializeSeed<'de> for BodySeed<T> {
    type Value = Parsed<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Resource> Visitor<'de> for BodySeed<T> {
    type Value = Parsed<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an XPM response object with a status")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parsed =
            Parsed { status: None, error_description: None, items: None, item: None, envelope: Envelope::default() };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "status" => parsed.status = map.next_value()?,
                "errorDescription" => parsed.error_description = map.next_value()?,
                "pagination" => parsed.envelope.pagination = map.next_value::<Option<Pagination>>()?,
                "records" => parsed.envelope.records = map.next_value()?,
                "webUrl" => parsed.envelope.web_url = map.next_value()?,
                "uuid" => parsed.envelope.uuid = map.next_value()?,
                "id" => parsed.envelope.id = map.next_value()?,
                key if key == T::COLLECTION.json => {
                    parsed.items = Some(map.next_value::<OneOrMany<T>>()?.0);
                }
                key if key == T::ITEM.json => parsed.item = map.next_value()?,
                key if self.strict && key != T::ITEM.json && foreign_json_payload(key, T::COLLECTION).is_some() => {
                    // Another operation's payload: decoding on would give an empty answer.
                    return Err(de::Error::custom(format_args!(
                        "found `{key}`, which another operation returns; this operation's answer holds `{}` or `{}`",
                        T::COLLECTION.json,
                        T::ITEM.json
                    )));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(parsed)
    }
}

/// An array, or a lone object standing for an array of one, or null for none.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: DeserializeOwned> de::Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(PhantomData<fn() -> T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an array of objects or a single object")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|item| OneOrMany(vec![item]))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}
