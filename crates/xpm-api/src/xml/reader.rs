//! A pull reader over quick-xml that hands out one child element at a time.
//!
//! We drive quick-xml's event reader by hand instead of going through its serde deserializer:
//! decoding straight from events into typed fields is several times faster, streams list items
//! without holding the document, and lets every error carry its element path and byte offset.

use std::io::BufRead;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::events::attributes::Attributes;

use self::attributes::remember_attributes;
use self::name::OpenedName;
use self::text::{check_skipped, escape_error, read_text_into};
pub(crate) use self::text::{first_forbidden, first_forbidden_at};
use super::error::{DecodeError, DecodeErrorKind};
use super::unparsed::Unparsed;

mod attributes;
mod name;
mod text;

/// The table a plain child read looks names up in: none, so every name is copied.
const NO_FIELDS: &[(&[u8], ())] = &[];

/// The most values tolerant decoding keeps for one item: more than a few odd values in one
/// record is not drift but a body of another shape, which fails as in strict decoding (and a
/// hostile body cannot make the reader keep without bound).
pub const MAX_UNPARSED: usize = 64;

/// How deeply elements may nest, the root element being depth 1. XPM's deepest responses are
/// about six levels; every open element costs the reader memory, so hostile input must not
/// choose how many there are.
pub const MAX_DEPTH: usize = 64;

/// How many attributes one start tag may have. XPM writes at most two (`api-method` and a
/// namespace); the bound keeps the work per tag constant whatever the input (RUSTSEC-2026-0194
/// made attribute handling in quick-xml before 0.41 quadratic in their number).
pub const MAX_ATTRIBUTES: usize = 64;

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
    raw: String,
    /// Raw attributes of the element most recently opened (usually empty), already checked.
    attributes: String,
    /// How many elements are open, the one most recently opened included.
    depth: usize,
    /// Whether a value that cannot be parsed is kept in `unparsed` instead of failing.
    tolerant: bool,
    /// Values kept by tolerant decoding since [`Self::take_unparsed`] last ran.
    unparsed: Vec<Unparsed>,
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
            raw: String::new(),
            attributes: String::new(),
            depth: 0,
            tolerant: false,
            unparsed: Vec::new(),
        }
    }

    /// Tolerant decoding: a value that cannot be parsed (a flag reading `Maybe`) leaves its
    /// field unset and is kept as an [`Unparsed`] (see [`Self::take_unparsed`]) instead of
    /// failing the document. Malformed or truncated XML still fails.
    pub fn set_tolerant(&mut self, tolerant: bool) {
        self.tolerant = tolerant;
    }

    /// Whether decoding is tolerant ([`Self::set_tolerant`]).
    pub fn is_tolerant(&self) -> bool {
        self.tolerant
    }

    /// The values kept by tolerant decoding since the last call, their paths relative to the
    /// element that was being decoded then.
    pub fn take_unparsed(&mut self) -> Vec<Unparsed> {
        std::mem::take(&mut self.unparsed)
    }

    /// Keeps the text of the element just read, which does not parse as `expected`, when
    /// decoding is tolerant and fewer than [`MAX_UNPARSED`] values are kept; says whether it did.
    #[cold]
    pub(crate) fn keep_unparsed(&mut self, expected: &'static str, text: &[u8]) -> bool {
        if !self.tolerant || self.unparsed.len() >= MAX_UNPARSED {
            return false;
        }
        let element = self.name_lossy();
        self.unparsed.push(Unparsed::new(element, expected, text));
        true
    }

    /// How many values tolerant decoding has kept (for [`Self::prefix_unparsed`]).
    #[inline]
    pub fn unparsed_len(&self) -> usize {
        self.unparsed.len()
    }

    /// Puts `segment` in front of the paths of the values kept since there were `from`: the
    /// element that holds them, once it has been decoded.
    #[inline]
    pub fn prefix_unparsed(&mut self, from: usize, segment: &str) {
        if self.unparsed.len() > from {
            self.prefix_unparsed_cold(from, segment);
        }
    }

    #[cold]
    #[inline(never)]
    fn prefix_unparsed_cold(&mut self, from: usize, segment: &str) {
        for kept in &mut self.unparsed[from..] {
            kept.within(segment);
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
                let found = self.name.open(&start, fields, next);
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(too_deep(self.depth, self.inner.buffer_position()));
                }
                remember_attributes(&start, &mut self.attributes, self.inner.buffer_position())?;
                return Ok(Some((found, false)));
            }
            if let Ok(Event::Empty(start)) = event {
                let found = self.name.open(&start, fields, next);
                remember_attributes(&start, &mut self.attributes, self.inner.buffer_position())?;
                return Ok(Some((found, true)));
            }
            if let Ok(Event::End(end)) = event {
                drop(end);
                self.depth = self.depth.saturating_sub(1);
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
                // instructions and the doctype are skipped, text checked for characters XML
                // forbids on the way; tags were handled above.
                Ok(event) => check_skipped(&event, self.inner.buffer_position())?,
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
            self.depth = self.depth.saturating_sub(1);
        }
        Ok(&self.text)
    }

    /// Like [`Self::read_text`], but hands the text over as a `String` of its own, copied once
    /// from the input buffer instead of going through the reader's reusable text buffer.
    pub fn read_text_owned(&mut self, empty: bool) -> Result<String, DecodeError> {
        let mut text = String::new();
        if !empty {
            read_text_into(&mut self.inner, &mut self.buf, &mut self.raw, &mut text)?;
            self.depth = self.depth.saturating_sub(1);
        }
        Ok(text)
    }

    /// Like [`Self::read_text`], but as bytes, for values such as flags, identifiers and dates
    /// that are parsed from bytes anyway. The bytes are UTF-8,
    /// checked by quick-xml as it reads, so they are not checked again.
    pub fn read_text_bytes(&mut self, empty: bool) -> Result<&[u8], DecodeError> {
        self.bytes.clear();
        if !empty {
            read_text_into(&mut self.inner, &mut self.buf, &mut self.raw, &mut self.bytes)?;
            self.depth = self.depth.saturating_sub(1);
        }
        Ok(&self.bytes)
    }

    /// Reads the value of the attribute `key` on the element most recently opened.
    ///
    /// Only the `api-method` root attribute and a few request bodies (`<add uuid="..."/>`) use
    /// attributes, so they are kept raw, checked when the element is opened, and parsed again
    /// on demand. The value is normalised as XML 1.0 section 3.3.3 says: a literal tab or line
    /// break becomes a space, one written as a character reference stays.
    pub fn attribute(&self, key: &[u8]) -> Result<Option<String>, DecodeError> {
        for attribute in Attributes::new(&self.attributes, 0) {
            let attribute = attribute
                .map_err(|error| self.error(DecodeErrorKind::Malformed(quick_xml::Error::InvalidAttr(error))))?;
            if attribute.key.local_name().as_ref().as_bytes() == key {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|error| DecodeError::new(quick_xml_error(error), self.offset()))?;
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
        // Elements inside the one skipped are counted against the depth limit like any others,
        // and their attributes checked, so skipping is no way around either bound.
        let outer = self.depth;
        loop {
            self.buf.clear();
            match self.inner.read_event_into(&mut self.buf) {
                Ok(Event::Start(start)) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(too_deep(self.depth, self.inner.buffer_position()));
                    }
                    remember_attributes(&start, &mut self.attributes, self.inner.buffer_position())?;
                }
                Ok(Event::Empty(start)) => {
                    remember_attributes(&start, &mut self.attributes, self.inner.buffer_position())?;
                }
                Ok(Event::End(_)) => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth < outer {
                        return Ok(());
                    }
                }
                Ok(Event::Eof) => return Err(self.error(DecodeErrorKind::Truncated)),
                Ok(event) => check_skipped(&event, self.inner.buffer_position())?,
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
        quick_xml::Error::Syntax(_) if at_eof(inner) => DecodeErrorKind::Truncated,
        quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_)) => DecodeErrorKind::Truncated,
        other => quick_xml_error(other),
    };
    DecodeError::new(kind, inner.error_position())
}

/// The kind of a quick-xml error that is not about where the input ends.
pub(super) fn quick_xml_error(error: quick_xml::Error) -> DecodeErrorKind {
    match error {
        quick_xml::Error::Io(io) => DecodeErrorKind::Io(std::io::Error::new(io.kind(), io.to_string())),
        quick_xml::Error::Escape(escape) => escape_error(escape),
        other => DecodeErrorKind::Malformed(other),
    }
}

#[cold]
#[inline(never)]
fn too_deep(depth: usize, offset: u64) -> DecodeError {
    DecodeError::new(DecodeErrorKind::TooDeep { depth, limit: MAX_DEPTH }, offset)
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
