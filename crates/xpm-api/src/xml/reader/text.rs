//! Element text: joining pieces, normalising line endings, resolving references, and refusing
//! the characters XML 1.0 forbids.
//!
//! quick-xml (0.38 and later) hands out text as `&str` it has already checked to be UTF-8, and
//! each reference as an event of its own, so text is copied as it is unless it holds a control
//! character or a byte that may start U+FFFE or U+FFFF, which one look at each word tells.

use std::io::BufRead;

use quick_xml::escape::{EscapeError, ParseCharRefError, resolve_predefined_entity};
use quick_xml::events::{BytesRef, Event};

use super::malformed;
use crate::xml::error::{DecodeError, DecodeErrorKind};

/// Appends the text of the element just opened to `out` and consumes its end tag: the body of
/// [`XmlReader::read_text`](super::XmlReader::read_text) and its variants, over the reader's
/// parts so that `out` can be one of them.
pub(super) fn read_text_into<R: BufRead, S: TextSink>(
    inner: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    scratch: &mut String,
    out: &mut S,
) -> Result<(), DecodeError> {
    loop {
        buf.clear();
        // Text, then the end tag, is nearly every call: testing for those two first turns the
        // dispatch into branches the predictor learns, where a jump table over all event kinds
        // mispredicted about once per call. Taking each event apart by value, rather than
        // looking at it by reference, also spares a call to its generic drop glue per event.
        let event = inner.read_event_into(buf);
        if let Ok(Event::Text(text)) = event {
            append_text(&text, out, scratch, inner.buffer_position())?;
            continue;
        }
        if let Ok(Event::End(end)) = event {
            drop(end);
            return Ok(());
        }
        match event {
            Ok(Event::GeneralRef(reference)) => append_reference(&reference, out, inner.buffer_position())?,
            Ok(Event::CData(data)) => append_text(&data, out, scratch, inner.buffer_position())?,
            Ok(Event::Start(start) | Event::Empty(start)) => {
                let child = start.local_name().into_inner().to_owned();
                return Err(DecodeError::new(DecodeErrorKind::UnexpectedChild(child), inner.buffer_position()));
            }
            Ok(Event::Eof) => return Err(DecodeError::new(DecodeErrorKind::Truncated, inner.buffer_position())),
            Err(error) => return Err(malformed(inner, error)),
            // Comments, processing instructions and the like between pieces of text are skipped;
            // text and the end tag were handled above.
            Ok(_) => {}
        }
    }
}

/// Where element text goes: a `String`, or the bytes of one for values parsed from bytes.
pub(super) trait TextSink {
    /// Appends a piece of text.
    fn push_text(&mut self, text: &str);
}

impl TextSink for String {
    /// A string without a buffer yet gets one of exactly the right size, which spares the
    /// growth path `push_str` takes; the reader's reusable buffer is appended to as usual.
    fn push_text(&mut self, text: &str) {
        if self.capacity() == 0 {
            *self = String::from(text);
        } else {
            self.push_str(text);
        }
    }
}

impl TextSink for Vec<u8> {
    fn push_text(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
}

/// Appends one piece of an element's text (character data or CDATA) to `out`, with line
/// endings normalised. `offset` is where errors are reported.
#[inline]
fn append_text<S: TextSink>(text: &str, out: &mut S, scratch: &mut String, offset: u64) -> Result<(), DecodeError> {
    // Almost all XPM text has no control character at all; one quick look tells, and then the
    // text is copied as it is.
    if is_plain(text.as_bytes()) {
        out.push_text(text);
        return Ok(());
    }
    if let Some(code_point) = first_forbidden(text.as_bytes()) {
        return Err(forbidden(code_point, offset));
    }
    if text.contains('\r') {
        normalize_line_endings(text, scratch);
        out.push_text(scratch);
    } else {
        out.push_text(text);
    }
    Ok(())
}

/// Appends what a reference stands for: `&#233;` or `&#xE9;` a character, `&amp;` and the
/// other four entities XML predefines their text. A reference to a forbidden character is
/// refused like the character itself (XML 1.0, well-formedness constraint "Legal Character").
fn append_reference<S: TextSink>(reference: &BytesRef<'_>, out: &mut S, offset: u64) -> Result<(), DecodeError> {
    match reference.resolve_char_ref() {
        Ok(Some(character)) if is_forbidden_char(character) => Err(forbidden(character.into(), offset)),
        Ok(Some(character)) => {
            out.push_text(character.encode_utf8(&mut [0; 4]));
            Ok(())
        }
        Ok(None) => match resolve_predefined_entity(reference) {
            Some(text) => {
                out.push_text(text);
                Ok(())
            }
            None => {
                let name = reference.to_string();
                let error = EscapeError::UnrecognizedEntity(0..name.len(), name);
                Err(DecodeError::new(escape_error(error), offset))
            }
        },
        Err(quick_xml::Error::Escape(error)) => Err(DecodeError::new(escape_error(error), offset)),
        Err(other) => Err(DecodeError::new(DecodeErrorKind::Malformed(other), offset)),
    }
}

/// Checks a piece of text, CDATA or a reference the decoder skips for characters XML 1.0
/// forbids: a document holding one is not well-formed wherever it is. An entity the decoder
/// does not know is let through here, as skipped content always was.
#[inline]
pub(super) fn check_skipped(event: &Event<'_>, offset: u64) -> Result<(), DecodeError> {
    let text: &str = match event {
        Event::Text(text) => text,
        Event::CData(data) => data,
        Event::GeneralRef(reference) => {
            return match reference.resolve_char_ref() {
                Ok(Some(character)) if is_forbidden_char(character) => Err(forbidden(character.into(), offset)),
                Ok(_) => Ok(()),
                Err(quick_xml::Error::Escape(error)) => Err(DecodeError::new(escape_error(error), offset)),
                Err(other) => Err(DecodeError::new(DecodeErrorKind::Malformed(other), offset)),
            };
        }
        _ => return Ok(()),
    };
    // Indentation between children is most of what is skipped: it fails the quick look (line
    // feeds are control characters) and then takes a scan of a few bytes.
    if is_plain(text.as_bytes()) {
        return Ok(());
    }
    match first_forbidden(text.as_bytes()) {
        Some(code_point) => Err(forbidden(code_point, offset)),
        None => Ok(()),
    }
}

/// Classifies a reference quick-xml could not resolve: one to a character outside XML's range
/// (`&#0;`, `&#xD800;`, `&#x110000;`) names the character; anything else is malformed.
pub(super) fn escape_error(error: EscapeError) -> DecodeErrorKind {
    match error {
        EscapeError::InvalidCharRef(
            ParseCharRefError::IllegalCharacter(code_point) | ParseCharRefError::InvalidCodepoint(code_point),
        ) => DecodeErrorKind::ForbiddenCharacter { code_point },
        other => DecodeErrorKind::Malformed(quick_xml::Error::Escape(other)),
    }
}

#[cold]
#[inline(never)]
fn forbidden(code_point: u32, offset: u64) -> DecodeError {
    DecodeError::new(DecodeErrorKind::ForbiddenCharacter { code_point }, offset)
}

/// Whether XML 1.0 forbids `character` (section 2.2, production `Char`). Surrogates cannot be
/// a `char`; the JSON decoder finds those in `\u` escapes itself.
fn is_forbidden_char(character: char) -> bool {
    matches!(character, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The first character in UTF-8 `text` that XML 1.0 forbids: a C0 control other than tab, LF
/// and CR, or U+FFFE or U+FFFF (encoded `EF BF BE` and `EF BF BF`).
pub(crate) fn first_forbidden(text: &[u8]) -> Option<u32> {
    first_forbidden_at(text).map(|(index, length)| match length {
        1 => text[index].into(),
        _ if text.get(index + 2) == Some(&0xBE) => 0xFFFE,
        _ => 0xFFFF,
    })
}

/// Where the first character XML 1.0 forbids starts in UTF-8 `text`, and its length in bytes.
pub(crate) fn first_forbidden_at(text: &[u8]) -> Option<(usize, usize)> {
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        match byte {
            b'\t' | b'\n' | b'\r' => {}
            0..0x20 => return Some((index, 1)),
            0xEF if text.get(index + 1) == Some(&0xBF) && matches!(text.get(index + 2), Some(0xBE | 0xBF)) => {
                return Some((index, 3));
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// Whether `bytes` has no control character (below U+0020) and no `EF` byte, which starts the
/// encodings of U+FFFE and U+FFFF (and of the rest of U+F000 to U+FFFF, rare in XPM text):
/// such text needs neither line-ending normalisation nor a closer look. Eight bytes at a time:
/// text is mostly short, and this does less work than a vectorised search sets up; the last
/// word overlaps the one before rather than ending in a loop over single bytes, and text under
/// eight bytes is read as two overlapping halves.
#[inline]
fn is_plain(bytes: &[u8]) -> bool {
    let length = bytes.len();
    if length >= 8 {
        bytes.chunks_exact(8).all(|chunk| plain_word(word::<8>(chunk))) && plain_word(word::<8>(&bytes[length - 8..]))
    } else if length >= 4 {
        let (low, high) = (word::<4>(&bytes[..4]), word::<4>(&bytes[length - 4..]));
        let mut both = [0; 8];
        both[..4].copy_from_slice(&low);
        both[4..].copy_from_slice(&high);
        plain_word(both)
    } else {
        bytes.iter().all(|&byte| byte >= 0x20 && byte != 0xEF)
    }
}

/// Whether eight bytes hold no byte below `0x20` and no `0xEF`, with the classic bit tricks:
/// `(word - 0x20…) & !word & 0x80…` is non-zero exactly when some byte is below `0x20`, and a
/// byte equal to `0xEF` makes `word ^ 0xEF…` hold a zero byte.
fn plain_word(bytes: [u8; 8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);
    const EFS: u64 = u64::from_ne_bytes([0xEF; 8]);
    let word = u64::from_ne_bytes(bytes);
    let has_byte_below = |word: u64, bound: u64| word.wrapping_sub(bound) & !word & HIGHS != 0;
    !has_byte_below(word, SPACES) && !has_byte_below(word ^ EFS, ONES)
}

/// The first `N` bytes of `bytes`, which callers make sure has that many.
fn word<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes.get(..N).and_then(|head| head.try_into().ok()).unwrap_or([0; N])
}

/// Copies `text` into `out` with CRLF and lone CR turned into LF (XML 1.0 section 2.11).
fn normalize_line_endings(text: &str, out: &mut String) {
    out.clear();
    let mut rest = text;
    while let Some(carriage_return) = rest.find('\r') {
        out.push_str(&rest[..carriage_return]);
        out.push('\n');
        rest = &rest[carriage_return + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_told_apart_at_every_length_and_position() {
        for length in 0..40 {
            let plain = vec![b'a'; length];
            assert!(is_plain(&plain), "{length}");
            for position in 0..length {
                for odd in [0x00, 0x01, b'\t', b'\n', b'\r', 0x1F, 0xEF] {
                    let mut text = plain.clone();
                    text[position] = odd;
                    assert!(!is_plain(&text), "{odd} at {position} of {length}");
                }
                for fine in [b' ', b'&', 0x7F, 0x80, 0xC3, 0xEE, 0xF0, 0xFF] {
                    let mut text = plain.clone();
                    text[position] = fine;
                    assert!(is_plain(&text), "{fine} at {position} of {length}");
                }
            }
        }
    }

    #[test]
    fn forbidden_characters_are_found_and_allowed_ones_kept() {
        assert_eq!(first_forbidden("a\tb\nc\r\u{FFFD}\u{F000}".as_bytes()), None);
        assert_eq!(first_forbidden("a\u{1}\u{0}".as_bytes()), Some(1));
        assert_eq!(first_forbidden("\u{FFFD}\u{FFFE}".as_bytes()), Some(0xFFFE));
        assert_eq!(first_forbidden("\u{FFFF}".as_bytes()), Some(0xFFFF));
        let mut normalized = String::new();
        normalize_line_endings("1\r\n2\r3\n\r", &mut normalized);
        assert_eq!(normalized, "1\n2\n3\n\n");
    }
}
