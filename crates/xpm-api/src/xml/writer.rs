//! Writes XPM-style XML: no declaration, self-closing empty elements, escaped text.

/// An append-only XML writer over a byte buffer.
///
/// Callers drain [`XmlWriter::buffer_mut`] between items to stream a large list with bounded
/// memory.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: Vec<u8>,
}

impl XmlWriter {
    /// Creates an empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self { out: Vec::with_capacity(capacity) }
    }

    /// Writes `<name>`.
    pub fn start(&mut self, name: &str) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// Writes `<name key="value" ...>` (or `/>` when `empty`), escaping attribute values.
    pub fn start_with_attributes(&mut self, name: &str, attributes: &[(&str, &str)], empty: bool) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        for (key, value) in attributes {
            self.out.push(b' ');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape_into(value, &mut self.out, true);
            self.out.push(b'"');
        }
        self.out.extend_from_slice(if empty { b"/>" } else { b">" });
    }

    /// Writes `</name>`.
    pub fn end(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// Writes `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"/>");
    }

    /// Writes `<name>`, then `content`, then `</name>`; or `<name/>` when `content` writes
    /// nothing, as XPM writes empty elements.
    pub fn element(&mut self, name: &str, content: impl FnOnce(&mut Self)) {
        let before = self.out.len();
        self.start(name);
        let after_start = self.out.len();
        content(self);
        if self.out.len() == after_start {
            self.out.truncate(before);
            self.empty(name);
        } else {
            self.end(name);
        }
    }

    /// Writes escaped text content.
    pub fn text(&mut self, text: &str) {
        escape_into(text, &mut self.out, false);
    }

    /// Writes `<name>text</name>`, or `<name/>` when `text` is empty, as XPM does.
    pub fn text_element(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            self.empty(name);
        } else {
            self.start(name);
            self.text(text);
            self.end(name);
        }
    }

    /// Appends raw, already well-formed XML. Characters XML 1.0 forbids, which well-formed XML
    /// cannot hold, are replaced as in text, by U+FFFD.
    pub fn raw(&mut self, xml: &str) {
        let bytes = xml.as_bytes();
        let mut clean_from = 0;
        while let Some(position) = crate::xml::reader::first_forbidden_at(&bytes[clean_from..]) {
            let (start, length) = (clean_from + position.0, position.1);
            self.out.extend_from_slice(&bytes[clean_from..start]);
            self.out.extend_from_slice(REPLACEMENT);
            clean_from = start + length;
        }
        self.out.extend_from_slice(&bytes[clean_from..]);
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// The underlying buffer, for draining while streaming.
    pub fn buffer_mut(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Consumes the writer and returns the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Consumes the writer and returns the text.
    pub fn into_string(self) -> String {
        // Only `&str` input and ASCII markup are ever written, so the buffer is UTF-8.
        String::from_utf8(self.out).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

/// What a character XML 1.0 forbids is written as: U+FFFD REPLACEMENT CHARACTER.
///
/// The writer is infallible on purpose: it appends to a `Vec`, and the emulator's list
/// streaming and every request body build on that. A `Result` on every text written would
/// make all of them fallible for text that no decoder in this crate lets in (they refuse these
/// characters), so it could only come from a value built by hand. Such text is written with
/// each forbidden character replaced, which keeps the output well-formed XML 1.0 (section 2.2)
/// instead of a body any conforming parser, XPM's included, must reject.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Escapes text for element content or attribute values, replacing characters XML 1.0 forbids.
///
/// Hand-written rather than `quick_xml::escape`, because a carriage return must become `&#13;`
/// so that the reader's line-ending normalisation gives back exactly the text that was written.
fn escape_into(text: &str, out: &mut Vec<u8>, attribute: bool) {
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let (replacement, length): (&[u8], usize) = match byte {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'\r' => (b"&#13;", 1),
            b'"' if attribute => (b"&quot;", 1),
            b'\n' if attribute => (b"&#10;", 1),
            b'\t' if attribute => (b"&#9;", 1),
            b'\t' | b'\n' => {
                index += 1;
                continue;
            }
            0..0x20 => (REPLACEMENT, 1),
            // U+FFFE and U+FFFF, as `EF BF BE` and `EF BF BF` in UTF-8.
            0xEF if bytes.get(index + 1) == Some(&0xBF) && matches!(bytes.get(index + 2), Some(0xBE | 0xBF)) => {
                (REPLACEMENT, 3)
            }
            _ => {
                index += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[clean_from..index]);
        out.extend_from_slice(replacement);
        index += length;
        clean_from = index;
    }
    out.extend_from_slice(&bytes[clean_from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_carriage_returns() {
        let mut writer = XmlWriter::new();
        writer.text_element("Note", "a < b & c > d\r\n\"q\"");
        writer.text_element("Fax", "");
        writer.start_with_attributes("add", &[("uuid", "x\"y")], true);
        assert_eq!(
            writer.into_string(),
            "<Note>a &lt; b &amp; c &gt; d&#13;\n\"q\"</Note><Fax/><add uuid=\"x&quot;y\"/>"
        );
    }

    #[test]
    fn replaces_characters_xml_forbids() {
        let mut writer = XmlWriter::new();
        writer.text_element("Note", "a\u{0}b\t\u{1F}\u{FFFE}\u{FFFD}\u{FFFF}\u{F000}");
        writer.start_with_attributes("add", &[("uuid", "\u{B}\t")], true);
        writer.raw("<X>\u{1}\u{FFFF}</X>");
        assert_eq!(
            writer.into_string(),
            "<Note>a\u{FFFD}b\t\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{F000}</Note>\
             <add uuid=\"\u{FFFD}&#9;\"/><X>\u{FFFD}\u{FFFD}</X>"
        );
    }
}
