//! The one walk through a JSON response object that every JSON decoder shares: the envelope's
//! keys are kept, the collection's items go to a sink one by one as they are parsed, and another
//! resource's payload is refused.
//!
//! It is a [`DeserializeSeed`], so it runs on any serde_json deserializer: over a slice for
//! bodies in memory (serde_json's fastest input), over a reader for streams.

use std::fmt;
use std::marker::PhantomData;
use std::ops::ControlFlow;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::pagination::Pagination;
use super::resource::{Resource, foreign_json_payload};
use super::xml::Envelope;

/// What a body held besides the collection's items, which went to the sink.
pub(super) struct Parsed<T> {
    pub(super) status: Option<String>,
    pub(super) error_description: Option<String>,
    pub(super) item: Option<T>,
    pub(super) envelope: Envelope,
}

/// Parses a response object; `strict` refuses another resource's payload beside or instead of
/// `T`'s. Each item of `T`'s collection is handed to `sink` once parsed, unless a `status` other
/// than `OK` came before the collection: then the items are parsed (a malformed one is still a
/// decoding error) and dropped, as the body already said it failed.
pub(super) struct BodySeed<'a, T, S> {
    pub(super) strict: bool,
    pub(super) sink: &'a mut S,
    pub(super) item: PhantomData<fn() -> T>,
}

impl<'de, T: Resource, S: FnMut(T) -> ControlFlow<()>> DeserializeSeed<'de> for BodySeed<'_, T, S> {
    type Value = Parsed<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Resource, S: FnMut(T) -> ControlFlow<()>> Visitor<'de> for BodySeed<'_, T, S> {
    type Value = Parsed<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an XPM response object with a status")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parsed = Parsed { status: None, error_description: None, item: None, envelope: Envelope::default() };
        let mut collection_seen = false;
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
                    // A second collection could not take back the items of the first, already
                    // handed out; serde refuses a repeated field the same way.
                    if collection_seen {
                        return Err(de::Error::duplicate_field(T::COLLECTION.json));
                    }
                    collection_seen = true;
                    let hand_out = parsed.status.as_deref().is_none_or(|status| status.eq_ignore_ascii_case("OK"));
                    map.next_value_seed(CollectionSeed::<T, S> { sink: &mut *self.sink, hand_out, item: PhantomData })?;
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

/// The message of the error that ends parsing when the sink wants no more items; the caller
/// knows it by the sink's own record, never by this text.
pub(super) const SINK_STOPPED: &str = "the consumer of the items stopped";

/// The collection: an array, or a lone object standing for an array of one (a third-party
/// report says XML-derived JSON can collapse one-item lists), or null for none.
struct CollectionSeed<'a, T, S> {
    sink: &'a mut S,
    hand_out: bool,
    item: PhantomData<fn() -> T>,
}

impl<T, S> CollectionSeed<'_, T, S>
where
    T: Resource,
    S: FnMut(T) -> ControlFlow<()>,
{
    fn accept<E: de::Error>(&mut self, item: T) -> Result<(), E> {
        if !self.hand_out {
            return Ok(());
        }
        match (self.sink)(item) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(E::custom(SINK_STOPPED)),
        }
    }
}

impl<'de, T: Resource, S: FnMut(T) -> ControlFlow<()>> DeserializeSeed<'de> for CollectionSeed<'_, T, S> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Resource, S: FnMut(T) -> ControlFlow<()>> Visitor<'de> for CollectionSeed<'_, T, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array of objects or a single object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Self { sink, hand_out, .. } = self;
        while let Some(item) = seq.next_element::<T>()? {
            if hand_out && sink(item).is_break() {
                return Err(de::Error::custom(SINK_STOPPED));
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let item = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.accept(item)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}
