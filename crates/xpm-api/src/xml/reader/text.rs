//! Element text: joining pieces, normalising line endings, checking UTF-8, resolving references.

use std::io::BufRead;

use quick_xml::events::Event;

use super::malformed;
use crate::xml::error::{DecodeError, DecodeErrorKind};

/// Appends the text of the element just opened to `out` and consumes its end tag: the body of
/// [`XmlReader::read_text`](super::XmlReader::read_text), over the reader's parts so that `out`
/// can be one of them.
pub(super) fn read_text_into<R: BufRead>(
    inner: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
    out: &mut String,
) -> Result<(), DecodeError> {
    loop {
        buf.clear();
        let event = inner.read_event_into(buf);
        // Text, then the end tag, is nearly every call: testing for those two first turns the
        // dispatch into branches the predictor learns, where a jump table over all event kinds
        // mispredicted about once per call.
        if let Ok(Event::Text(text)) = &event {
            append_text(text, Markup::Text, out, scratch, inner.buffer_position())?;
            continue;
        }
        if let Ok(Event::End(_)) = &event {
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

/// Appends one piece of an element's raw text to `out`: line endings normalised, UTF-8 checked
/// and, outside CDATA, references resolved. `offset` is where errors are reported.
fn append_text(
    raw: &[u8],
    markup: Markup,
    out: &mut String,
    scratch: &mut Vec<u8>,
    offset: u64,
) -> Result<(), DecodeError> {
    // Almost no XPM text holds a carriage return or a reference, so one branch-free pass that
    // looks for both decides whether anything beyond a copy is needed.
    let (carriage_return, reference) = raw.iter().fold((false, false), |(carriage_return, reference), &byte| {
        (carriage_return | (byte == b'\r'), reference | (byte == b'&'))
    });
    let raw: &[u8] = if carriage_return {
        normalize_line_endings(raw, scratch);
        scratch
    } else {
        raw
    };
    let Ok(text) = std::str::from_utf8(raw) else {
        let found = String::from_utf8_lossy(raw).into_owned();
        return Err(DecodeError::new(DecodeErrorKind::InvalidValue { expected: "UTF-8 text", found }, offset));
    };
    if reference && markup == Markup::Text {
        let unescaped = quick_xml::escape::unescape(text)
            .map_err(|error| DecodeError::new(DecodeErrorKind::Malformed(quick_xml::Error::Escape(error)), offset))?;
        push(out, &unescaped);
    } else {
        push(out, text);
    }
    Ok(())
}

/// Appends `text`. A string without a buffer yet gets one of exactly the right size, which
/// spares the growth path `push_str` takes; the reader's reusable buffer is appended to as usual.
fn push(out: &mut String, text: &str) {
    if out.capacity() == 0 {
        *out = String::from(text);
    } else {
        out.push_str(text);
    }
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
