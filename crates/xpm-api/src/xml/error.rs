//! Decoding errors that say where the input went wrong.

use std::borrow::Cow;
use std::fmt;

/// Why an XPM body could not be decoded, and where.
///
/// The path names the elements from the root down (`Response/Clients/Client[3]/IsArchived`) and
/// the offset is the byte position in the input at which the problem was noticed, so a user can
/// open a 50 MB file at the right spot.
#[derive(Debug)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    /// Path segments, innermost first: errors gain context as they travel outwards.
    segments: Vec<Cow<'static, str>>,
    offset: u64,
}

/// The kind of decoding problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input is not well-formed XML (bad syntax, mismatched tags, bad escapes).
    #[error("malformed xml: {0}")]
    Malformed(#[source] quick_xml::Error),
    /// The input ended before the document was complete.
    #[error("unexpected end of input: the body looks truncated")]
    Truncated,
    /// The reader behind the input failed.
    #[error("cannot read input")]
    Io(#[source] std::io::Error),
    /// An element's text does not parse as the type XPM documents for it.
    #[error("invalid {expected}: {found:?}")]
    InvalidValue {
        /// What the element should hold, e.g. `Yes/No flag`.
        expected: &'static str,
        /// The text found, shortened to keep errors readable.
        found: String,
    },
    /// The document's structure is not the one this operation returns.
    #[error("expected element <{expected}>, found <{found}>")]
    UnexpectedElement {
        /// The element that should have been there.
        expected: &'static str,
        /// The element that was there.
        found: String,
    },
    /// A required element is missing.
    #[error("missing element <{0}>")]
    MissingElement(&'static str),
    /// An element that must hold text holds child elements.
    #[error("expected text, found child element <{0}>")]
    UnexpectedChild(String),
    /// Elements are nested deeper than the reader follows. XPM's deepest responses are about
    /// six levels; the limit keeps memory bounded on hostile input.
    #[error("elements nested {depth} deep, beyond the limit of {limit}")]
    TooDeep {
        /// The depth of the element that crossed the limit (the root element is depth 1).
        depth: usize,
        /// The deepest nesting the reader follows ([`MAX_DEPTH`](crate::xml::MAX_DEPTH)).
        limit: usize,
    },
    /// A start tag has more attributes than the reader looks at.
    #[error("more than {limit} attributes on <{element}>")]
    TooManyAttributes {
        /// The element whose start tag it is.
        element: String,
        /// The most attributes one element may have ([`MAX_ATTRIBUTES`](crate::xml::MAX_ATTRIBUTES)).
        limit: usize,
    },
    /// Text holds a character XML 1.0 does not allow (section 2.2, production `Char`): a C0
    /// control other than tab, LF and CR, a surrogate, U+FFFE or U+FFFF. XML and JSON bodies
    /// are refused alike, since such text could not be written back as XML.
    #[error("character U+{code_point:04X} is not allowed in XML 1.0")]
    ForbiddenCharacter {
        /// The character's code point (a lone surrogate from a JSON `\u` escape is not a `char`).
        code_point: u32,
    },
    /// A JSON body does not match the operation's DTO.
    #[error("invalid json: {0}")]
    Json(#[source] serde_json::Error),
}

impl DecodeError {
    /// Creates an error at `offset` with an empty path.
    pub fn new(kind: DecodeErrorKind, offset: u64) -> Self {
        Self { kind, segments: Vec::new(), offset }
    }

    /// Adds the element that encloses the failure.
    #[must_use]
    pub fn within(mut self, segment: impl Into<Cow<'static, str>>) -> Self {
        self.segments.push(segment.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The element path from the root, e.g. `Response/Clients/Client[3]/IsArchived`.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for (index, segment) in self.segments.iter().rev().enumerate() {
            if index > 0 {
                path.push('/');
            }
            path.push_str(segment);
        }
        path
    }

    /// The byte offset in the input at which the problem was detected.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Whether the body was cut short, which usually means a dropped connection.
    pub fn is_truncated(&self) -> bool {
        matches!(self.kind, DecodeErrorKind::Truncated)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            write!(f, "{} at byte {}", self.kind, self.offset)
        } else {
            write!(f, "{} at {} (byte {})", self.kind, self.path(), self.offset)
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// Shortens text quoted in an error so one bad 10 KB note does not flood a terminal.
pub(crate) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
