//! Values kept as text when tolerant decoding meets one it cannot parse.
//!
//! XPM's XML drifts: a flag that was always `Yes`/`No` turns up as `Maybe`, a date in a new
//! format. Strict decoding (the default) fails the whole document on such a value. Tolerant
//! decoding ([`XmlReader::set_tolerant`](super::XmlReader::set_tolerant), or
//! [`XmlList::tolerant`](crate::response::XmlList::tolerant)) leaves the field unset instead and
//! keeps what was there as an [`Unparsed`] on the item a list hands out, so one odd value in one
//! field of one client does not lose the list, and nothing XPM sent is lost either.

use serde::{Deserialize, Serialize};

/// The longest text kept for one value; longer text is cut there (on a character boundary) and
/// marked as cut. Values XPM sends are short; this bounds what a hostile body can make us keep.
const KEEP_LIMIT: usize = 4096;

/// One value that could not be parsed, kept as XPM sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unparsed {
    /// The element's path inside the item, e.g. `IsArchived` or `Contacts/Contact[0]/IsPrimary`.
    pub path: String,
    /// What the field should hold, e.g. `Yes/No flag`.
    pub expected: String,
    /// The text found (trimmed, at most 4 KiB; `truncated` says when it was cut).
    pub found: String,
    /// Whether `found` was cut at 4 KiB.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl Unparsed {
    pub(crate) fn new(element: String, expected: &'static str, found: &[u8]) -> Self {
        let text = String::from_utf8_lossy(found);
        let (found, truncated) = match text.char_indices().take_while(|(at, _)| *at < KEEP_LIMIT).last() {
            Some((at, last)) if at + last.len_utf8() < text.len() => (text[..at].to_owned(), true),
            _ => (text.into_owned(), false),
        };
        Self { path: element, expected: expected.to_owned(), found, truncated }
    }

    /// Puts `segment` in front of the path: the element that holds this one.
    pub(crate) fn within(&mut self, segment: &str) {
        self.path.insert(0, '/');
        self.path.insert_str(0, segment);
    }
}

impl std::fmt::Display for Unparsed {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = if self.truncated { "…" } else { "" };
        write!(formatter, "{}: expected {}, found {:?}{cut}", self.path, self.expected, self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character_boundary_and_marked() {
        let text = "é".repeat(3000); // 6,000 bytes
        let kept = Unparsed::new("Notes".into(), "text", text.as_bytes());
        assert!(kept.truncated);
        assert!(kept.found.len() <= KEEP_LIMIT && kept.found.len() > KEEP_LIMIT - 4, "{}", kept.found.len());
        assert!(kept.found.chars().all(|c| c == 'é'));

        let short = Unparsed::new("IsArchived".into(), "Yes/No flag", b"Maybe");
        assert_eq!((short.found.as_str(), short.truncated), ("Maybe", false));
        assert_eq!(short.to_string(), "IsArchived: expected Yes/No flag, found \"Maybe\"");
    }

    #[test]
    fn paths_grow_outwards() {
        let mut kept = Unparsed::new("IsPrimary".into(), "Yes/No flag", b"Sometimes");
        kept.within("Contact[0]");
        kept.within("Contacts");
        assert_eq!(kept.path, "Contacts/Contact[0]/IsPrimary");
    }
}
