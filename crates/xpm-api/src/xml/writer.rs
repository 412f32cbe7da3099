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

    /// Appends raw, already well-formed XML.
    pub fn raw(&mut self, xml: &str) {
        self.out.extend_from_slice(xml.as_bytes());
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

/// Escapes text for element content or attribute values.
///
/// Hand-written rather than `quick_xml::escape`, because a carriage return must become `&#13;`
/// so that the reader's line-ending normalisation gives back exactly the text that was written.
fn escape_into(text: &str, out: &mut Vec<u8>, attribute: bool) {
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    for (index, byte) in bytes.iter().enumerate() {
        let replacement: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#13;",
            b'"' if attribute => b"&quot;",
            b'\n' if attribute => b"&#10;",
            b'\t' if attribute => b"&#9;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[clean_from..index]);
        out.extend_from_slice(replacement);
        clean_from = index + 1;
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
}
