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
    /// For a JSON body: the line (high 32 bits) and column (low 32 bits), both from 1, which is
    /// how JSON tools point at text. Packed so that errors holding a `DecodeError` stay small.
    line_column: Option<std::num::NonZeroU64>,
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
    #[error("invalid json: {}", without_position(.0))]
    Json(#[source] serde_json::Error),
    /// A JSON body holds a key its schema does not have (a misspelling, or XML's capitalised
    /// element name where JSON takes camelCase).
    #[error("unknown key `{key}`{}", .nearest.as_ref().map(|nearest| format!("; did you mean `{nearest}`?")).unwrap_or_default())]
    UnknownKey {
        /// The key found.
        key: Box<str>,
        /// The known key it is nearest to, if one is close.
        nearest: Option<Box<str>>,
    },
    /// A JSON body lacks a key the operation needs.
    #[error("missing key `{0}`")]
    MissingKey(&'static str),
}

/// serde_json's message without the " at line L column C" it ends with: [`DecodeError`] says
/// where, once.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).map(str::to_owned).unwrap_or(text)
}

impl DecodeError {
    /// Creates an error at `offset` with an empty path.
    pub fn new(kind: DecodeErrorKind, offset: u64) -> Self {
        Self { kind, segments: Vec::new(), offset, line_column: None }
    }

    /// The error for a JSON body that serde_json refused at `path` (`customFields[0].date`),
    /// placed by line and column as well as by byte. An unknown key is named with the nearest
    /// known one.
    pub fn from_json(body: &[u8], error: serde_json::Error, path: &str) -> Self {
        let offset = json_offset(body, error.line(), error.column());
        Self::from_json_at(offset, error, path)
    }

    /// [`from_json`](Self::from_json) for a body no longer at hand (a stream), with the byte
    /// `offset` the reader worked out.
    pub(crate) fn from_json_at(offset: u64, error: serde_json::Error, path: &str) -> Self {
        let (line, column) = (error.line(), error.column());
        let kind = if error.is_eof() {
            DecodeErrorKind::Truncated
        } else {
            match unknown_key(&error.to_string()) {
                Some((key, nearest)) => DecodeErrorKind::UnknownKey { key, nearest },
                None => DecodeErrorKind::Json(error),
            }
        };
        let mut decoded = Self::new(kind, offset);
        if line > 0 {
            let packed = (u64::try_from(line).unwrap_or(u64::from(u32::MAX)).min(u64::from(u32::MAX)) << 32)
                | u64::try_from(column).unwrap_or(u64::from(u32::MAX)).min(u64::from(u32::MAX));
            decoded.line_column = std::num::NonZeroU64::new(packed);
        }
        // The path of an unknown key is the key itself; the object holding it is what to show.
        let path = match &decoded.kind {
            DecodeErrorKind::UnknownKey { key, .. } => path.strip_suffix(&**key).unwrap_or(path),
            _ => path,
        };
        let path = path.trim_end_matches('.');
        if !path.is_empty() && path != "." {
            decoded = decoded.within(path.to_owned());
        }
        decoded
    }

    /// The line and column (from 1) in a JSON body, if this error is about one.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        let packed = self.line_column?.get();
        Some(((packed >> 32) as u32, (packed & u64::from(u32::MAX)) as u32))
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
        if matches!(self.kind, DecodeErrorKind::MissingKey(_)) && self.segments.is_empty() {
            // The whole object lacks it: no place in the text to point at.
            return write!(f, "{} in the body's object", self.kind);
        }
        if let Some((line, column)) = self.line_column() {
            return if self.segments.is_empty() {
                write!(f, "{} at line {line}, column {column}", self.kind)
            } else {
                write!(f, "{} in `{}` at line {line}, column {column}", self.kind, self.path())
            };
        }
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

/// Reads serde's "unknown field `k`, expected one of `a`, `b`" (or "expected `a`") message into
/// the key and the nearest expected one: case-insensitively equal first, else the closest by edit
/// distance within a third of the key's length.
fn unknown_key(message: &str) -> Option<(Box<str>, Option<Box<str>>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let nearest = known.iter().find(|name| name.eq_ignore_ascii_case(key)).or_else(|| {
        let limit = (key.len() / 3).max(1);
        known
            .iter()
            .map(|name| (strsim::osa_distance(&key.to_ascii_lowercase(), &name.to_ascii_lowercase()), name))
            .filter(|(distance, _)| *distance <= limit)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, name)| name)
    });
    Some((key.into(), nearest.map(|name| (*name).into())))
}

/// Turns serde_json's one-based line and column into a byte offset, as XML errors report.
pub(crate) fn json_offset(bytes: &[u8], line: usize, column: usize) -> u64 {
    if line == 0 {
        return bytes.len() as u64;
    }
    let line_start: usize = bytes.split_inclusive(|byte| *byte == b'\n').take(line - 1).map(<[u8]>::len).sum();
    (line_start + column.saturating_sub(1)).min(bytes.len()) as u64
}

/// Shortens text quoted in an error so one bad 10 KB note does not flood a terminal.
pub(crate) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
