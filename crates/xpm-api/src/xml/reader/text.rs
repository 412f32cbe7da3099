//! Element text: joining pieces, normalising line endings, checking UTF-8, resolving references.

use std::io::BufRead;

use quick_xml::events::Event;

use super::malformed;
use crate::xml::error::{DecodeError, DecodeErrorKind};

/// Appends the text of the element just opened to `out` and consumes its end tag: the body of
/// [`XmlReader::read_text`](super::XmlReader::read_text) and its variants, over the reader's
/// parts so that `out` can be one of them.
pub(super) fn read_text_into<R: BufRead, S: TextSink>(
    inner: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
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
            append_text(&text, Markup::Text, out, scratch, inner.buffer_position())?;
            continue;
        }
        if let Ok(Event::End(end)) = event {
            drop(end);
            return Ok(());
        }
        match event {
            Ok(Event::CData(data)) => append_text(&data, Markup::CData, out, scratch, inner.buffer_position())?,
            Ok(Event::Start(start) | Event::Empty(start)) => {
                let child = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
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

/// Where a piece of element text came from: character data has references, CDATA has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Text,
    CData,
}

/// Where element text goes: a `String`, or bytes that are known to be UTF-8 without having been
/// through `str::from_utf8` when they are all ASCII, which typed values nearly always are.
pub(super) trait TextSink {
    /// Appends a piece of text that needs no more checks.
    fn push_checked(&mut self, text: &str);

    /// Appends a piece of ASCII text with no references or carriage returns; the default
    /// checks it like any other text.
    fn push_plain_ascii(&mut self, raw: &[u8], offset: u64) -> Result<(), DecodeError> {
        self.push_checked(check_utf8(raw, offset)?);
        Ok(())
    }
}

impl TextSink for String {
    /// A string without a buffer yet gets one of exactly the right size, which spares the
    /// growth path `push_str` takes; the reader's reusable buffer is appended to as usual.
    fn push_checked(&mut self, text: &str) {
        if self.capacity() == 0 {
            *self = String::from(text);
        } else {
            self.push_str(text);
        }
    }
}

impl TextSink for Vec<u8> {
    fn push_checked(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    fn push_plain_ascii(&mut self, raw: &[u8], _offset: u64) -> Result<(), DecodeError> {
        self.extend_from_slice(raw);
        Ok(())
    }
}

/// Appends one piece of an element's raw text to `out`: line endings normalised, UTF-8 checked
/// and, outside CDATA, references resolved. `offset` is where errors are reported.
#[inline]
fn append_text<S: TextSink>(
    raw: &[u8],
    markup: Markup,
    out: &mut S,
    scratch: &mut Vec<u8>,
    offset: u64,
) -> Result<(), DecodeError> {
    // Almost all XPM text is ASCII with no carriage return or reference; one quick look tells,
    // and then the text is copied as it is.
    if is_plain_ascii(raw) {
        return out.push_plain_ascii(raw, offset);
    }
    let raw: &[u8] = if raw.contains(&b'\r') {
        normalize_line_endings(raw, scratch);
        scratch
    } else {
        raw
    };
    let text = check_utf8(raw, offset)?;
    if markup == Markup::Text && text.contains('&') {
        let unescaped = quick_xml::escape::unescape(text)
            .map_err(|error| DecodeError::new(DecodeErrorKind::Malformed(quick_xml::Error::Escape(error)), offset))?;
        out.push_checked(&unescaped);
    } else {
        out.push_checked(text);
    }
    Ok(())
}

/// `raw` as text, or the error saying it is not UTF-8.
#[inline]
fn check_utf8(raw: &[u8], offset: u64) -> Result<&str, DecodeError> {
    match std::str::from_utf8(raw) {
        Ok(text) => Ok(text),
        Err(_) => Err(not_utf8(raw, offset)),
    }
}

#[cold]
#[inline(never)]
fn not_utf8(raw: &[u8], offset: u64) -> DecodeError {
    let found = String::from_utf8_lossy(raw).into_owned();
    DecodeError::new(DecodeErrorKind::InvalidValue { expected: "UTF-8 text", found }, offset)
}

/// Whether `bytes` is all ASCII with no `\r` and no `&`, looked at eight bytes at a time.
/// Text is mostly short, and this does less work than a vectorised search sets up: the last
/// word overlaps the one before rather than ending in a loop over single bytes, and text under
/// eight bytes is read as two overlapping halves.
#[inline]
fn is_plain_ascii(bytes: &[u8]) -> bool {
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
        bytes.iter().all(|&byte| byte.is_ascii() && byte != b'\r' && byte != b'&')
    }
}

/// Whether eight bytes are all ASCII with no `\r` and no `&`: a byte equal to one sought makes
/// `word ^ repeated` hold a zero byte, which the classic bit trick detects, and a non-ASCII
/// byte has its top bit set.
fn plain_word(bytes: [u8; 8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const CARRIAGE_RETURNS: u64 = u64::from_ne_bytes([b'\r'; 8]);
    const AMPERSANDS: u64 = u64::from_ne_bytes([b'&'; 8]);
    let word = u64::from_ne_bytes(bytes);
    let has_zero_byte = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    word & HIGHS == 0 && !has_zero_byte(word ^ CARRIAGE_RETURNS) && !has_zero_byte(word ^ AMPERSANDS)
}

/// The first `N` bytes of `bytes`, which callers make sure has that many.
fn word<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes.get(..N).and_then(|head| head.try_into().ok()).unwrap_or([0; N])
}

/// Copies `raw` into `out` with CRLF and lone CR turned into LF.
fn normalize_line_endings(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut bytes = raw.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        if byte == b'\r' {
            if bytes.peek() == Some(&b'\n') {
                bytes.next();
            }
            out.push(b'\n');
        } else {
            out.push(byte);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_told_apart_at_every_length_and_position() {
        for length in 0..40 {
            let plain = vec![b'a'; length];
            assert!(is_plain_ascii(&plain), "{length}");
            for position in 0..length {
                for odd in [b'&', b'\r', 0xC3] {
                    let mut text = plain.clone();
                    text[position] = odd;
                    assert!(!is_plain_ascii(&text), "{odd} at {position} of {length}");
                }
            }
        }
    }
}
