//! The traits that connect model types to the XML reader and writer.

use std::io::BufRead;

use chrono::{NaiveDate, NaiveTime};

use super::error::{DecodeError, DecodeErrorKind, excerpt};
use super::reader::XmlReader;
use super::unparsed::Unparsed;
use super::writer::XmlWriter;
use crate::value::{ClockTime, Decimal, Uuid, XpmDate, YesNo};

/// A scalar held as an element's text.
pub trait XmlValue: Sized {
    /// Names the expected format in error messages.
    const EXPECTED: &'static str;

    /// Whether surrounding whitespace is insignificant (true for everything but text).
    const TRIM: bool = true;

    /// Parses non-empty element text (trimmed when [`Self::TRIM`] is set).
    fn parse_text(text: &str) -> Option<Self>;

    /// Writes the value as element text.
    fn write_text(&self, writer: &mut XmlWriter);

    /// Parses non-empty element text given as bytes, trimmed when [`Self::TRIM`] is set. The
    /// bytes are valid UTF-8. The default goes through [`Self::parse_text`]; flags, identifiers
    /// and dates parse the bytes directly.
    fn parse_bytes(text: &[u8]) -> Option<Self> {
        std::str::from_utf8(text).ok().and_then(Self::parse_text)
    }

    /// Decodes the element just opened: its text, trimmed when [`Self::TRIM`] is set, parsed
    /// with [`Self::parse_bytes`], or [`Self::from_blank`] when there is none.
    fn decode<R: BufRead>(reader: &mut XmlReader<R>, empty: bool) -> Result<Option<Self>, DecodeError> {
        let text = reader.read_text_bytes(empty)?;
        let text = if Self::TRIM { trim(text) } else { text };
        if text.is_empty() {
            return Ok(Self::from_blank());
        }
        match Self::parse_bytes(text) {
            Some(value) => Ok(Some(value)),
            None => {
                // Copied out of the reader, which lends it: this is the rare path.
                let text = text.to_vec();
                unparsable(reader, Self::EXPECTED, &text)
            }
        }
    }

    /// The value of a self-closing or blank element. XPM writes unset scalars as `<Fax/>`:
    /// text fields keep that as `Some("")` so it is written back the same way, typed fields
    /// read it as absent.
    fn from_blank() -> Option<Self> {
        None
    }
}

/// A value that does not parse: kept (and the field left unset) when decoding is tolerant, else
/// an error. Out of line: it is rare, and `XmlValue::decode` is in every hot loop.
#[cold]
#[inline(never)]
fn unparsable<T, R: BufRead>(
    reader: &mut XmlReader<R>,
    expected: &'static str,
    text: &[u8],
) -> Result<Option<T>, DecodeError> {
    if reader.keep_unparsed(expected, text) {
        return Ok(None);
    }
    let found = excerpt(&String::from_utf8_lossy(text));
    Err(reader.error(DecodeErrorKind::InvalidValue { expected, found }))
}

/// A structured element whose children map to fields.
pub trait XmlRecord: Sized + Default {
    /// Reads child elements up to and including the element's end tag.
    fn decode_children<R: BufRead>(&mut self, reader: &mut XmlReader<R>) -> Result<(), DecodeError>;

    /// Writes the child elements.
    fn encode_children(&self, writer: &mut XmlWriter);

    /// Values tolerant decoding could not parse inside this record, kept as XPM sent them (set
    /// on the items a tolerant [`XmlList`](crate::response::XmlList) hands out).
    fn unparsed(&self) -> &[Unparsed] {
        &[]
    }

    /// Attaches values tolerant decoding kept while this record was decoded.
    fn keep_unparsed(&mut self, unparsed: Vec<Unparsed>) {
        let _ = unparsed;
    }

    /// Decodes a whole element whose start tag has just been read.
    fn decode_element<R: BufRead>(reader: &mut XmlReader<R>, empty: bool) -> Result<Self, DecodeError> {
        let mut record = Self::default();
        if !empty {
            record.decode_children(reader)?;
        }
        Ok(record)
    }

    /// Writes `<name>children</name>`, or `<name/>` when there are none.
    fn encode_element(&self, name: &str, writer: &mut XmlWriter) {
        writer.element(name, |writer| self.encode_children(writer));
    }
}

/// `str::trim` on UTF-8 bytes. ASCII white space is trimmed here; only when an end is then a
/// non-ASCII character, which might be Unicode white space, does the text go through `str::trim`.
fn trim(text: &[u8]) -> &[u8] {
    let trimmed = text.trim_ascii();
    let unicode_end = |byte: Option<&u8>| byte.is_some_and(|byte| !byte.is_ascii());
    if unicode_end(trimmed.first()) || unicode_end(trimmed.last()) {
        std::str::from_utf8(trimmed).map_or(trimmed, |text| text.trim().as_bytes())
    } else {
        trimmed
    }
}

/// Reads a scalar field from the element just opened.
// Out of line on purpose: every field arm of every record calls it, and one shared copy per
// value type keeps the decoders' hot code small enough to stay in the instruction cache, which
// measured faster than inlining it into each arm.
#[inline(never)]
pub fn decode_value<T: XmlValue, R: BufRead>(reader: &mut XmlReader<R>, empty: bool) -> Result<Option<T>, DecodeError> {
    T::decode(reader, empty)
}

/// Writes a scalar field, omitting it when absent.
pub fn encode_value<T: XmlValue>(name: &str, value: &Option<T>, writer: &mut XmlWriter) {
    if let Some(value) = value {
        writer.element(name, |writer| value.write_text(writer));
    }
}

/// Reads a structured field from the element just opened.
pub fn decode_record<T: XmlRecord, R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
) -> Result<Option<T>, DecodeError> {
    T::decode_element(reader, empty).map(Some)
}

/// Writes a structured field, omitting it when absent.
pub fn encode_record<T: XmlRecord>(name: &str, value: &Option<T>, writer: &mut XmlWriter) {
    if let Some(value) = value {
        value.encode_element(name, writer);
    }
}

/// Reads a collection element (`<Contacts><Contact/>...</Contacts>`); other children are skipped.
pub fn decode_list<T: XmlRecord, R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
    item: &'static str,
) -> Result<Option<Vec<T>>, DecodeError> {
    let mut items = Vec::new();
    if empty {
        return Ok(Some(items));
    }
    while let Some(item_empty) = reader.next_child_within()? {
        if reader.name() == item.as_bytes() {
            let index = items.len();
            let before = reader.unparsed_len();
            let decoded =
                T::decode_element(reader, item_empty).map_err(|error| error.within(format!("{item}[{index}]")))?;
            if reader.unparsed_len() > before {
                reader.prefix_unparsed(before, &format!("{item}[{index}]"));
            }
            items.push(decoded);
        } else {
            reader.skip(item_empty)?;
        }
    }
    Ok(Some(items))
}

/// Writes a collection element, as `<Name/>` when empty and omitted when absent.
pub fn encode_list<T: XmlRecord>(name: &str, item: &str, value: &Option<Vec<T>>, writer: &mut XmlWriter) {
    if let Some(items) = value {
        if items.is_empty() {
            writer.empty(name);
        } else {
            writer.start(name);
            for entry in items {
                entry.encode_element(item, writer);
            }
            writer.end(name);
        }
    }
}

impl XmlValue for String {
    const EXPECTED: &'static str = "text";
    const TRIM: bool = false;

    fn parse_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }

    /// Takes the text as it is, blank included, copied once: text is most of a client list.
    fn decode<R: BufRead>(reader: &mut XmlReader<R>, empty: bool) -> Result<Option<Self>, DecodeError> {
        reader.read_text_owned(empty).map(Some)
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }

    fn from_blank() -> Option<Self> {
        Some(String::new())
    }
}

impl XmlValue for Uuid {
    const EXPECTED: &'static str = "UUID";

    fn parse_text(text: &str) -> Option<Self> {
        Uuid::try_parse(text).ok()
    }

    fn parse_bytes(text: &[u8]) -> Option<Self> {
        Uuid::try_parse_ascii(text).ok()
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        let mut buffer = uuid::Uuid::encode_buffer();
        writer.text(self.hyphenated().encode_lower(&mut buffer));
    }
}

impl XmlValue for YesNo {
    const EXPECTED: &'static str = "Yes/No flag";

    fn parse_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    fn parse_bytes(text: &[u8]) -> Option<Self> {
        // The same rule as `YesNo::from_str`: either word, in any letter case.
        if text.eq_ignore_ascii_case(b"yes") {
            Some(YesNo::Yes)
        } else if text.eq_ignore_ascii_case(b"no") {
            Some(YesNo::No)
        } else {
            None
        }
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(self.as_str());
    }
}

impl XmlValue for bool {
    const EXPECTED: &'static str = "true/false flag";

    fn parse_text(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(if *self { "true" } else { "false" });
    }
}

macro_rules! xml_integer {
    ($($ty:ty),*) => {$(
        impl XmlValue for $ty {
            const EXPECTED: &'static str = "whole number";

            fn parse_text(text: &str) -> Option<Self> {
                text.parse().ok()
            }

            fn write_text(&self, writer: &mut XmlWriter) {
                writer.text(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}

xml_integer!(i32, i64, u32);

impl XmlValue for Decimal {
    const EXPECTED: &'static str = "decimal number";

    fn parse_text(text: &str) -> Option<Self> {
        // `from_str_exact` refuses to round: a value with more digits than fit is an error,
        // never silently changed money.
        Decimal::from_str_exact(text).ok()
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(&self.to_string());
    }
}

impl XmlValue for XpmDate {
    const EXPECTED: &'static str = "date";

    fn parse_text(text: &str) -> Option<Self> {
        Self::parse_bytes(text.as_bytes())
    }

    fn parse_bytes(text: &[u8]) -> Option<Self> {
        parse_common_date(text).or_else(|| std::str::from_utf8(text).ok()?.parse().ok().filter(has_four_digit_year))
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(&self.to_string());
    }
}

/// Whether `date`'s year fits the four digits of every XPM date format.
///
/// chrono also reads signed and longer years (`-024-01-01`, `+10000-1-1`), which `XpmDate` then
/// writes as `-0024-01-01` or `+10000-01-01`, a form its own parser refuses: such a value would
/// decode but could not be written back and read again. XPM never sends one.
fn has_four_digit_year(date: &XpmDate) -> bool {
    (0..=9999).contains(&chrono::Datelike::year(&date.naive_date()))
}

impl XmlValue for ClockTime {
    const EXPECTED: &'static str = "clock time (HH:mm)";

    fn parse_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(&self.to_string());
    }
}

/// Parses the two forms nearly every XPM date takes, `yyyy-MM-dd` and `yyyy-MM-ddTHH:mm:ss`,
/// by position instead of through chrono's format interpreter, which costs several times more.
/// Anything else, including fractional seconds and impossible dates, returns `None` and goes to
/// [`XpmDate`]'s full parser, so the result is always the one that parser gives.
fn parse_common_date(bytes: &[u8]) -> Option<XpmDate> {
    let number = |from: usize, to: usize| {
        bytes
            .get(from..to)?
            .iter()
            .try_fold(0u32, |value, &byte| byte.is_ascii_digit().then(|| value * 10 + u32::from(byte - b'0')))
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?;
    match bytes.len() {
        10 => Some(XpmDate::date(date)),
        19 if bytes[10] == b'T' && bytes[13] == b':' && bytes[16] == b':' => {
            let time = NaiveTime::from_hms_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?)?;
            Some(XpmDate::date_time(date.and_time(time)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<T: XmlValue>(xml: &str) -> Result<Option<T>, DecodeError> {
        let mut reader = XmlReader::new(xml.as_bytes());
        let empty = reader.root()?;
        decode_value::<T, _>(&mut reader, empty)
    }

    #[test]
    fn typed_values_are_trimmed_as_str_trim_does() {
        assert_eq!(value::<YesNo>("<A> Yes\n</A>").ok().flatten(), Some(YesNo::Yes));
        assert_eq!(value::<YesNo>("<A>\u{a0}no\u{2003}</A>").ok().flatten(), Some(YesNo::No));
        assert_eq!(value::<i32>("<A>\u{a0}</A>").ok().flatten(), None);
        assert_eq!(value::<String>("<A> é </A>").ok().flatten().as_deref(), Some(" é "));
        assert!(value::<YesNo>("<A>Yés</A>").is_err());
    }

    #[test]
    fn typed_values_split_by_comments_or_cdata_are_joined_first() {
        assert_eq!(value::<YesNo>("<A>Y<!-- c -->es</A>").ok().flatten(), Some(YesNo::Yes));
        assert_eq!(value::<YesNo>("<A>N<![CDATA[o]]></A>").ok().flatten(), Some(YesNo::No));
        assert_eq!(value::<i32>("<A>12<?pi?>3</A>").ok().flatten(), Some(123));
        assert_eq!(value::<i32>("<A>1&#50;3</A>").ok().flatten(), Some(123));
        assert_eq!(value::<i32>("<A></A>").ok().flatten(), None);
        assert!(value::<i32>("<A>12<B/></A>").is_err());
        assert!(value::<i32>("<A>12</B>").is_err());
        let error = value::<YesNo>("<A>maybe</A>").err();
        assert_eq!(error.map(|error| error.offset()), Some(12), "the offset is the end of the element");
    }

    #[test]
    fn record_fields_are_found_in_any_order_and_the_last_repeat_wins() {
        let xml = "<Contact><Email>e</Email><Name>first</Name><Unknown><X/></Unknown>\
                   <UUID>9dcb1f49-1bd5-414d-8b17-d5d3971ad2b8</UUID><Name>last</Name><IsPrimary>Yes</IsPrimary></Contact>";
        let mut reader = XmlReader::new(xml.as_bytes());
        let empty = reader.root().expect("root");
        let contact = decode_record::<crate::model::Contact, _>(&mut reader, empty).expect("decodes").expect("some");
        assert_eq!(contact.name.as_deref(), Some("last"));
        assert_eq!(contact.email.as_deref(), Some("e"));
        assert_eq!(contact.is_primary, Some(YesNo::Yes));
        assert!(contact.uuid.is_some());
        assert_eq!(contact.mobile, None);
    }

    #[test]
    fn common_dates_parse_as_the_full_parser_does() {
        for text in ["2008-09-12T13:00:00", "1980-02-29", "2008-09-12T13:00:00.500", "20101011"] {
            assert_eq!(XpmDate::parse_bytes(text.as_bytes()), text.parse().ok(), "{text}");
        }
        assert_eq!(XpmDate::parse_bytes(b"2023-02-30"), None);
        assert_eq!(XpmDate::parse_bytes(b"2023-02-28T24:00:00"), None);
    }
}
