//! A pull reader over quick-xml that hands out one child element at a time.
//!
//! We drive quick-xml's event reader by hand instead of going through its serde deserializer:
//! decoding straight from events into typed fields is several times faster, streams list items
//! without holding the document, and lets every error carry its element path and byte offset.

use std::io::BufRead;

use quick_xml::events::Event;

use self::name::OpenedName;
use self::text::read_text_into;
use super::error::{DecodeError, DecodeErrorKind};

mod name;
mod text;

/// The table a plain child read looks names up in: none, so every name is copied.
const NO_FIELDS: &[(&[u8], ())] = &[];

/// Reads XPM XML from any buffered source with bounded memory.
pub struct XmlReader<R> {
    inner: quick_xml::Reader<R>,
    /// Event buffer, reused for every event so steady-state decoding does not allocate for it.
    buf: Vec<u8>,
    /// Local name of the element most recently opened.
    name: OpenedName,
    /// Accumulates an element's text across text, CDATA and comment boundaries.
    text: String,
    /// An element's text as bytes, for values parsed without going through `&str`.
    bytes: Vec<u8>,
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
            name: OpenedName::default(),
            text: String::with_capacity(256),
            bytes: Vec::with_capacity(64),
            raw: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// The byte offset just after the last event read.
    pub fn offset(&self) -> u64 {
        self.inner.buffer_position()
    }

    /// The local name of the element most recently opened by [`Self::next_child`],
    /// [`Self::next_child_within`] or [`Self::next_field`].
    pub fn name(&self) -> &[u8] {
        self.name.get()
    }

    /// The current element name as text, for error paths.
    pub fn name_lossy(&self) -> String {
        String::from_utf8_lossy(self.name.get()).into_owned()
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
        let found = self.next_element(AtEof::Finished, NO_FIELDS, &mut 0)?;
        Ok(found.map(|(_, empty)| empty))
    }

    /// Like [`Self::next_child`] but inside an element: the document ending here is truncation.
    pub fn next_child_within(&mut self) -> Result<Option<bool>, DecodeError> {
        let found = self.next_element(AtEof::Truncated, NO_FIELDS, &mut 0)?;
        Ok(found.map(|(_, empty)| empty))
    }

    /// Like [`Self::next_child_within`], and looks the child's name up in a record's table of
    /// `(XML name, field)` pairs, declared in the order XPM writes them: `Some((field, empty))`
    /// for a child (`field` is `None` for names the table lacks), `None` at the parent's end tag.
    ///
    /// Because XPM writes a record's children in one fixed order, the search starts at `next`,
    /// just after the previous match, and wraps around once, so usually the first name compared
    /// is the right one. `next` starts at 0 for each record and is advanced on a match. Each XML
    /// name must appear once in the table.
    #[inline]
    pub fn next_field<F: Copy>(
        &mut self,
        fields: &'static [(&'static [u8], F)],
        next: &mut usize,
    ) -> Result<Option<(Option<F>, bool)>, DecodeError> {
        self.next_element(AtEof::Truncated, fields, next)
    }

    /// Reads up to the next start tag or end tag; `at_eof` says what the input ending means.
    fn next_element<F: Copy>(
        &mut self,
        at_eof: AtEof,
        fields: &'static [(&'static [u8], F)],
        next: &mut usize,
    ) -> Result<Option<(Option<F>, bool)>, DecodeError> {
        loop {
            self.buf.clear();
            // Start tags, self-closing tags and end tags are nearly all events here; testing for
            // them in turn gives branches the predictor learns, where a jump table over every
            // event kind mispredicts often. Each event is taken apart by value, which spares a
            // call to its generic drop glue per event.
            let event = self.inner.read_event_into(&mut self.buf);
            if let Ok(Event::Start(start)) = event {
                remember_attributes(&start, &mut self.attributes);
                return Ok(Some((self.name.open(&start, fields, next), false)));
            }
            if let Ok(Event::Empty(start)) = event {
                remember_attributes(&start, &mut self.attributes);
                return Ok(Some((self.name.open(&start, fields, next), true)));
            }
            if let Ok(Event::End(end)) = event {
                drop(end);
                return Ok(None);
            }
            match event {
                Ok(Event::Eof) => {
                    return match at_eof {
                        AtEof::Finished => Ok(None),
                        AtEof::Truncated => Err(self.error(DecodeErrorKind::Truncated)),
                    };
                }
                Err(error) => return Err(self.malformed(error)),
                // Text between children, comments, CDATA, the declaration, processing
                // instructions and the doctype are skipped; tags were handled above.
                Ok(_) => {}
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

    /// Like [`Self::read_text`], but as bytes, for values such as flags, identifiers and dates
    /// that are parsed from bytes anyway. The bytes are UTF-8: text made only of ASCII is
    /// passed through without `str::from_utf8`, anything else is checked as usual.
    pub fn read_text_bytes(&mut self, empty: bool) -> Result<&[u8], DecodeError> {
        self.bytes.clear();
        if !empty {
            read_text_into(&mut self.inner, &mut self.buf, &mut self.raw, &mut self.bytes)?;
        }
        Ok(&self.bytes)
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
            match self.inner.read_event_into(&mut self.buf) {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Ok(Event::Eof) => return Err(self.error(DecodeErrorKind::Truncated)),
                Ok(_) => {}
                Err(error) => return Err(self.malformed(error)),
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
pub(super) fn malformed<R: BufRead>(inner: &mut quick_xml::Reader<R>, error: quick_xml::Error) -> DecodeError {
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

/// What the end of the input means where [`XmlReader::next_element`] meets it.
#[derive(Debug, Clone, Copy)]
enum AtEof {
    /// The document is complete (outside the root element).
    Finished,
    /// The document was cut short (inside an element).
    Truncated,
}

/// Keeps an opened element's raw attributes (usually there are none).
#[inline]
fn remember_attributes(start: &quick_xml::events::BytesStart<'_>, attributes: &mut Vec<u8>) {
    attributes.clear();
    let raw = start.attributes_raw();
    if !raw.is_empty() {
        attributes.extend_from_slice(raw);
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
