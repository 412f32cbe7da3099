//! A pull reader over quick-xml that hands out one child element at a time.
//!
//! We drive quick-xml's event reader by hand instead of going through its serde deserializer:
//! decoding straight from events into typed fields is several times faster, streams list items
//! without holding the document, and lets every error carry its element path and byte offset.

use std::io::BufRead;

use quick_xml::events::Event;

use super::error::{DecodeError, DecodeErrorKind};

/// Reads XPM XML from any buffered source with bounded memory.
pub struct XmlReader<R> {
    inner: quick_xml::Reader<R>,
    /// Event buffer, reused for every event so steady-state decoding does not allocate for it.
    buf: Vec<u8>,
    /// Local name of the element most recently opened by [`XmlReader::next_child`].
    name: Vec<u8>,
    /// Accumulates an element's text across text, CDATA and comment boundaries.
    text: String,
    /// Scratch space for line-ending normalisation.
    raw: Vec<u8>,
    /// Raw attributes of the element most recently opened (usually empty).
    attributes: Vec<u8>,
}

impl<R: BufRead> XmlReader<R> {
    /// Wraps a buffered source. A UTF-8 byte order mark, if present, is skipped.
    pub fn new(source: R) -> Self {
        let mut inner = quick_xml::Reader::from_reader(source);
        let config = inner.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Self {
            inner,
            buf: Vec::with_capacity(4096),
            name: Vec::with_capacity(64),
            text: String::with_capacity(256),
            raw: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// The byte offset just after the last event read.
    pub fn offset(&self) -> u64 {
        self.inner.buffer_position()
    }

    /// The local name of the element most recently returned by [`XmlReader::next_child`].
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// Looks the element just opened up in a record's table of `(XML name, field)` pairs.
    ///
    /// XPM writes a record's children in one fixed order, and records declare their fields in
    /// that order, so the search starts at `next`, just after the previous match, and wraps
    /// around once: usually the first name compared is the right one, however many fields the
    /// record has. `next` starts at 0 for each element and is advanced on a match.
    pub fn find_field<F: Copy>(&self, fields: &[(&[u8], F)], next: &mut usize) -> Option<F> {
        let name = self.name.as_slice();
        let start = (*next).min(fields.len());
        let (before, after) = fields.split_at(start);
        let found = after
            .iter()
            .position(|(field_name, _)| same_name(field_name, name))
            .map(|offset| start + offset)
            .or_else(|| before.iter().position(|(field_name, _)| same_name(field_name, name)))?;
        *next = found + 1;
        Some(fields[found].1)
    }

    /// The current element name as text, for error paths.
    pub fn name_lossy(&self) -> String {
        String::from_utf8_lossy(&self.name).into_owned()
    }

    /// Builds an error of `kind` at the current offset.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    fn malformed(&mut self, error: quick_xml::Error) -> DecodeError {
        malformed(&mut self.inner, error)
    }

    /// Opens the document's root element, skipping the declaration, comments and whitespace.
    /// Returns whether the root is self-closing; its name is then available from [`Self::name`].
    pub fn root(&mut self) -> Result<bool, DecodeError> {
        match self.next_child()? {
            Some(empty) => Ok(empty),
            None => Err(self.error(DecodeErrorKind::MissingElement("Response"))),
        }
    }

    /// Advances to the next child element of the element being read.
    ///
    /// Returns `Some(is_empty)` for a child (its name is then in [`Self::name`]) and `None` at
    /// the parent's end tag. Text between children, comments and processing instructions are
    /// skipped. At the top level, `None` means the document ended cleanly.
    pub fn next_child(&mut self) -> Result<Option<bool>, DecodeError> {
        self.next_start(AtEof::Finished)
    }

    /// Like [`Self::next_child`] but inside an element: the document ending here is truncation.
    pub fn next_child_within(&mut self) -> Result<Option<bool>, DecodeError> {
        self.next_start(AtEof::Truncated)
    }

    /// Reads up to the next start tag or end tag; `at_eof` says what the input ending means.
    fn next_start(&mut self, at_eof: AtEof) -> Result<Option<bool>, DecodeError> {
        loop {
            self.buf.clear();
            // Matching on the result in place, rather than first moving the event out of it,
            // lets the compiler test the event's tag alone; copying the whole event straight
            // after quick-xml wrote it stalls on store forwarding, once per event.
            match self.inner.read_event_into(&mut self.buf) {
                Ok(Event::Start(start)) => {
                    remember_start(&start, &mut self.name, &mut self.attributes);
                    return Ok(Some(false));
                }
                Ok(Event::Empty(start)) => {
                    remember_start(&start, &mut self.name, &mut self.attributes);
                    return Ok(Some(true));
                }
                Ok(Event::End(_)) => return Ok(None),
                Ok(Event::Eof) => {
                    return match at_eof {
                        AtEof::Finished => Ok(None),
                        AtEof::Truncated => Err(self.error(DecodeErrorKind::Truncated)),
                    };
                }
                Ok(
                    Event::Text(_)
                    | Event::CData(_)
                    | Event::Comment(_)
                    | Event::Decl(_)
                    | Event::PI(_)
                    | Event::DocType(_),
                ) => {}
                Err(error) => return Err(self.malformed(error)),
            }
        }
    }

    /// Reads the text content of the element just opened and consumes its end tag.
    ///
    /// Text split by comments or CDATA sections is joined; character and entity references are
    /// resolved; CRLF and lone CR become LF as the XML spec requires (a `&#13;` reference keeps
    /// its carriage return). A self-closing element reads as the empty string.
    pub fn read_text(&mut self, empty: bool) -> Result<&str, DecodeError> {
        self.text.clear();
        if !empty {
            read_text_into(&mut self.inner, &mut self.buf, &mut self.raw, &mut self.text)?;
        }
        Ok(&self.text)
    }

    /// Like [`Self::read_text`], but hands the text over as a `String` of its own, copied once
    /// from the input buffer instead of going through the reader's reusable text buffer.
    pub fn read_text_owned(&mut self, empty: bool) -> Result<String, DecodeError> {
        let mut text = String::new();
        if !empty {
            read_text_into(&mut self.inner, &mut self.buf, &mut self.raw, &mut text)?;
        }
        Ok(text)
    }

    /// Reads the value of the attribute `key` on the element most recently opened.
    ///
    /// Only the `api-method` root attribute and a few request bodies (`<add uuid="..."/>`) use
    /// attributes, so they are kept raw and parsed on demand.
    pub fn attribute(&self, key: &[u8]) -> Result<Option<String>, DecodeError> {
        let Ok(raw) = std::str::from_utf8(&self.attributes) else {
            return Err(self.error(DecodeErrorKind::InvalidValue {
                expected: "UTF-8 attributes",
                found: String::from_utf8_lossy(&self.attributes).into_owned(),
            }));
        };
        for attribute in quick_xml::events::attributes::Attributes::new(raw, 0) {
            let attribute = attribute
                .map_err(|error| self.error(DecodeErrorKind::Malformed(quick_xml::Error::InvalidAttr(error))))?;
            if attribute.key.local_name().as_ref() == key {
                let value =
                    attribute.unescape_value().map_err(|error| self.error(DecodeErrorKind::Malformed(error)))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// Skips the element just opened, with everything inside it.
    pub fn skip(&mut self, empty: bool) -> Result<(), DecodeError> {
        if empty {
            return Ok(());
        }
        let mut depth = 1usize;
        loop {
            self.buf.clear();
            let event = match self.inner.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(error) => return Err(self.malformed(error)),
            };
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::Truncated)),
                _ => {}
            }
        }
    }

    /// Checks that nothing but whitespace, comments and processing instructions follows the root.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        match self.next_child()? {
            None => Ok(()),
            Some(_) => Err(self
                .error(DecodeErrorKind::UnexpectedElement { expected: "end of document", found: self.name_lossy() })),
        }
    }
}

/// Classifies a quick-xml error: a syntax error where the input has run out, or an element left
/// open at the end, means truncation; the offset is where quick-xml noticed the problem.
fn malformed<R: BufRead>(inner: &mut quick_xml::Reader<R>, error: quick_xml::Error) -> DecodeError {
    let kind = match error {
        quick_xml::Error::Io(io) => DecodeErrorKind::Io(std::io::Error::new(io.kind(), io.to_string())),
        quick_xml::Error::Syntax(_) if at_eof(inner) => DecodeErrorKind::Truncated,
        quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_)) => DecodeErrorKind::Truncated,
        other => DecodeErrorKind::Malformed(other),
    };
    DecodeError::new(kind, inner.error_position())
}

fn at_eof<R: BufRead>(inner: &mut quick_xml::Reader<R>) -> bool {
    inner.get_mut().fill_buf().map(|rest| rest.is_empty()).unwrap_or(false)
}

/// Appends the text of the element just opened to `out` and consumes its end tag: the body of
/// [`XmlReader::read_text`], over the reader's parts so that `out` can be one of them.
fn read_text_into<R: BufRead>(
    inner: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
    out: &mut String,
) -> Result<(), DecodeError> {
    loop {
        buf.clear();
        match inner.read_event_into(buf) {
            Ok(Event::Text(text)) => append_text(&text, Markup::Text, out, scratch, inner.buffer_position())?,
            Ok(Event::CData(data)) => append_text(&data, Markup::CData, out, scratch, inner.buffer_position())?,
            Ok(Event::End(_)) => return Ok(()),
            Ok(Event::Start(start) | Event::Empty(start)) => {
                let child = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                return Err(DecodeError::new(DecodeErrorKind::UnexpectedChild(child), inner.buffer_position()));
            }
            Ok(Event::Eof) => return Err(DecodeError::new(DecodeErrorKind::Truncated, inner.buffer_position())),
            Ok(Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_)) => {}
            Err(error) => return Err(malformed(inner, error)),
        }
    }
}

/// What the end of the input means where [`XmlReader::next_start`] meets it.
#[derive(Debug, Clone, Copy)]
enum AtEof {
    /// The document is complete (outside the root element).
    Finished,
    /// The document was cut short (inside an element).
    Truncated,
}

/// Compares two element names. Names are a few bytes long, for which a plain loop is cheaper
/// than the call to `memcmp` that slice equality makes when the length is not a constant.
fn same_name(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(true, |same, (left, right)| same & (left == right))
}

/// Records an opened element's local name and, when it has any, its raw attributes.
fn remember_start(start: &quick_xml::events::BytesStart<'_>, name: &mut Vec<u8>, attributes: &mut Vec<u8>) {
    // The local name is what follows the first `:`, as `QName::local_name` has it; names are a
    // few bytes long, so a plain scan beats the vectorised search `local_name` sets up.
    let qualified = start.name().into_inner();
    let local = match qualified.iter().position(|&byte| byte == b':') {
        Some(colon) => &qualified[colon + 1..],
        None => qualified,
    };
    name.clear();
    name.extend_from_slice(local);
    attributes.clear();
    let raw = start.attributes_raw();
    if !raw.is_empty() {
        attributes.extend_from_slice(raw);
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
        out.push_str(&unescaped);
    } else {
        out.push_str(text);
    }
    Ok(())
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

    fn text_of(xml: &str) -> Result<String, DecodeError> {
        let mut reader = XmlReader::new(xml.as_bytes());
        let empty = reader.root()?;
        reader.read_text(empty).map(str::to_owned)
    }

    #[test]
    fn joins_text_cdata_and_comments_and_resolves_references() {
        let text = text_of("<A>a &amp; b<!-- c --><![CDATA[ <x> ]]>&#233;&#x41;</A>");
        assert_eq!(text.ok().as_deref(), Some("a & b <x> éA"));
    }

    #[test]
    fn normalizes_crlf_but_keeps_escaped_carriage_returns() {
        assert_eq!(text_of("<A>1\r\n2\r3&#13;</A>").ok().as_deref(), Some("1\n2\n3\r"));
    }

    #[test]
    fn reads_attributes_of_self_closing_and_open_elements() {
        let mut reader = XmlReader::new(r#"<Job><add uuid="a&amp;b" task-uuid='t'/></Job>"#.as_bytes());
        assert!(matches!(reader.root(), Ok(false)));
        assert!(matches!(reader.next_child_within(), Ok(Some(true))));
        assert_eq!(reader.attribute(b"uuid").ok().flatten().as_deref(), Some("a&b"));
        assert_eq!(reader.attribute(b"task-uuid").ok().flatten().as_deref(), Some("t"));
        assert_eq!(reader.attribute(b"missing").ok().flatten(), None);
    }

    #[test]
    fn self_closing_reads_as_empty() {
        assert_eq!(text_of("<A/>").ok().as_deref(), Some(""));
    }

    #[test]
    fn unknown_entity_is_malformed() {
        let error = text_of("<A>&nbsp;</A>").err();
        assert!(matches!(error.as_ref().map(DecodeError::kind), Some(DecodeErrorKind::Malformed(_))));
    }

    #[test]
    fn truncated_text_is_reported_as_truncation() {
        let error = text_of("<A>abc").err();
        assert!(error.is_some_and(|error| error.is_truncated()));
    }
}
