//! [`RequestBody`]: what every request type shares — its XML root, its JSON DTO and both codecs.

use std::io::BufRead;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::response::Names;
use crate::response::json_chars::first_forbidden_json;
use crate::value::Uuid;
use crate::xml::{DecodeError, DecodeErrorKind, XmlReader, XmlRecord, XmlWriter};

/// A body XPM accepts on a write operation, as XML or as JSON.
///
/// The XML form is a document whose root is [`Self::ROOT`]; the JSON form follows the OpenAPI
/// schema [`Self::JSON_SCHEMA`]. Decoding is here for the emulator: `from_xml` and `from_json`
/// refuse a body that lacks the element naming its target (a UUID, a job number), since XPM
/// could do nothing with it; every other field is left for the operation to judge.
pub trait RequestBody: XmlRecord + Serialize + DeserializeOwned {
    /// The XML root element, e.g. `Client` or `Timesheet`.
    const ROOT: &'static str;

    /// The OpenAPI request schema the JSON form follows, e.g. `ClientAddRequestDto`.
    const JSON_SCHEMA: &'static str;

    /// The required field this body lacks, if any, by its XML and JSON names.
    fn missing(&self) -> Option<Names> {
        None
    }

    /// The body as an XML document (no declaration, as XPM's examples write it).
    fn to_xml(&self) -> String {
        let mut writer = XmlWriter::with_capacity(512);
        self.encode_element(Self::ROOT, &mut writer);
        writer.into_string()
    }

    /// Decodes an XML document whose root must be [`Self::ROOT`].
    fn from_xml(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::from_xml_reader(bytes)
    }

    /// Decodes an XML document from any buffered source.
    fn from_xml_reader<R: BufRead>(source: R) -> Result<Self, DecodeError> {
        let mut reader = XmlReader::new(source);
        let empty = reader.root()?;
        if reader.name() != Self::ROOT.as_bytes() {
            let found = reader.name_lossy();
            return Err(reader.error(DecodeErrorKind::UnexpectedElement { expected: Self::ROOT, found }));
        }
        let body = Self::decode_element(&mut reader, empty).map_err(|error| error.within(Self::ROOT))?;
        reader.finish()?;
        match body.missing() {
            Some(names) => Err(reader.error(DecodeErrorKind::MissingElement(names.xml)).within(Self::ROOT)),
            None => Ok(body),
        }
    }

    /// The body as JSON, with the OpenAPI's property names.
    fn to_json(&self) -> String {
        match serde_json::to_string(self) {
            Ok(json) => json,
            // serde_json fails only on maps with non-string keys or a failing `Serialize` impl;
            // request bodies are plain structs of strings, numbers and flags.
            Err(error) => unreachable!("request bodies always serialize to json: {error}"),
        }
    }

    /// Decodes a JSON body. Errors name the JSON path (`customFields[0].date`).
    fn from_json(bytes: &[u8]) -> Result<Self, DecodeError> {
        if let Some((offset, code_point)) = first_forbidden_json(bytes) {
            return Err(forbidden_json_character::<Self>(bytes, offset, code_point));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let mut track = serde_path_to_error::Track::new();
        let body = Self::deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track))
            .and_then(|body| deserializer.end().map(|()| body))
            .map_err(|error| DecodeError::from_json(bytes, error, &track.path().to_string()))?;
        match body.missing() {
            Some(names) => Err(DecodeError::new(DecodeErrorKind::MissingKey(names.json), 0)),
            None => Ok(body),
        }
    }
}

/// A forbidden character at `offset`, named with the JSON path of the value holding it: the
/// bytes before it are decoded, and where that decoding runs out is the path. Should those bytes
/// hold an error of their own, that earlier error is reported instead.
fn forbidden_json_character<B: DeserializeOwned>(bytes: &[u8], offset: usize, code_point: u32) -> DecodeError {
    let before = &bytes[..offset];
    let mut deserializer = serde_json::Deserializer::from_slice(before);
    let mut track = serde_path_to_error::Track::new();
    let decoded = B::deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track));
    let path = track.path().to_string();
    let error = match decoded {
        Err(error) if !error.is_eof() => DecodeError::new(DecodeErrorKind::Json(error), offset as u64),
        _ => DecodeError::new(DecodeErrorKind::ForbiddenCharacter { code_point }, offset as u64),
    };
    if path.is_empty() || path == "." { error } else { error.within(path) }
}

/// A field that must be present for a body to make sense: set, and not blank text.
pub(crate) trait Required {
    /// Whether the value counts as given.
    fn is_given(&self) -> bool;
}

impl Required for String {
    fn is_given(&self) -> bool {
        !self.trim().is_empty()
    }
}

impl Required for Uuid {
    fn is_given(&self) -> bool {
        true
    }
}

/// A list counts as given when it holds at least one item.
impl<T> Required for Vec<T> {
    fn is_given(&self) -> bool {
        !self.is_empty()
    }
}

/// Declares a request type as [`xpm_record!`] does, plus a setter per field, so that a body is
/// written `ClientAddRequest::new("Harbour Trust").email("office@harbour.example")`.
///
/// Text fields take `impl Into<String>`, UUID fields `impl Into<Uuid>` (a typed id such as
/// [`ClientId`](crate::ids::ClientId) converts), lists any `IntoIterator`, and other fields
/// `impl Into<T>` (`YesNo` from `bool`).
macro_rules! xpm_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $kind:ident $xml:literal $($item:literal)?
            ),* $(,)?
        }
    ) => {
        xpm_record! {
            @serde(deny_unknown_fields)
            $(#[$meta])*
            pub struct $name {
                $(
                    $(#[$field_meta])*
                    $field: $ty = $kind $xml $($item)?
                ),*
            }
        }

        impl $name {
            $( xpm_request_setter!($field, $ty, $kind, $xml); )*
        }
    };
}

/// One setter of [`xpm_request!`], by field kind.
macro_rules! xpm_request_setter {
    ($field:ident, $ty:ty, list, $xml:literal) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ") (`<", $xml, ">`).")]
        #[must_use]
        pub fn $field(mut self, items: impl IntoIterator<Item = $ty>) -> Self {
            self.$field = Some(items.into_iter().collect());
            self
        }
    };
    ($field:ident, $ty:ty, $kind:ident, $xml:literal) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ") (`<", $xml, ">`).")]
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
}

/// Implements [`RequestBody`] for a type: `request_body!(Type, "Root", "SchemaDto")`, optionally
/// followed by `requires field "XmlName" "jsonName"` for each field that must be given.
macro_rules! request_body {
    ($ty:ty, $root:literal, $schema:literal) => {
        impl $crate::request::RequestBody for $ty {
            const ROOT: &'static str = $root;
            const JSON_SCHEMA: &'static str = $schema;
        }
    };
    ($ty:ty, $root:literal, $schema:literal $(, requires $field:ident $xml:literal $json:literal)+) => {
        impl $crate::request::RequestBody for $ty {
            const ROOT: &'static str = $root;
            const JSON_SCHEMA: &'static str = $schema;

            fn missing(&self) -> Option<$crate::response::Names> {
                $(
                    let given = self.$field.as_ref().is_some_and($crate::request::body::Required::is_given);
                    if !given {
                        return Some($crate::response::Names { xml: $xml, json: $json });
                    }
                )+
                None
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::xml::error::json_offset;

    #[test]
    fn json_offsets_count_bytes_from_the_start() {
        let body = b"{\n  \"a\": 1,\n  \"b\": x\n}";
        assert_eq!(json_offset(body, 1, 1), 0);
        assert_eq!(json_offset(body, 3, 8), 19);
        assert_eq!(json_offset(body, 0, 0), body.len() as u64);
    }
}
