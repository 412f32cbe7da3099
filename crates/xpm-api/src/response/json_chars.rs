//! Finding characters XML 1.0 forbids in a JSON body, written raw or as `\u` escapes.
//!
//! serde_json accepts `"\u0000"`, `"\b"`, `"\f"` and the raw or escaped U+FFFE and U+FFFF in
//! strings, and a lone surrogate (`"\uD800"`) in values it skips. Text holding one could never
//! be written back as XML (XML 1.0 section 2.2, production `Char`), so a JSON body is refused
//! the same as an XML one. The scan runs over the bytes before parsing, because serde would hand
//! a string over already unescaped, with no way to tell a key path from there.

/// The byte offset and code point of the first character XML 1.0 forbids in a JSON `body`: a C0
/// control other than tab, LF and CR, U+FFFE, U+FFFF, or a surrogate not part of a pair.
pub(crate) fn first_forbidden_json(body: &[u8]) -> Option<(usize, u32)> {
    match scan_forbidden_json::<true>(body, 0) {
        Scan::Forbidden { offset, code_point } => Some((offset, code_point)),
        Scan::Clean { .. } => None,
    }
}

/// What [`scan_forbidden_json`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A forbidden character at this offset.
    Forbidden { offset: usize, code_point: u32 },
    /// Nothing forbidden before `resume`, where the scan continues once more bytes are there.
    Clean { resume: usize },
}

/// The longest sequence the scan looks at as one piece: an escaped surrogate pair.
const LONGEST_PIECE: usize = 12;

/// Scans `body` from `start`, which must be where an earlier scan said to resume (or 0).
///
/// Backslashes and control characters may only appear inside strings in valid JSON, so the
/// scan needs no JSON grammar: it steps over each escape as a whole, which keeps `\\u0000` (an
/// escaped backslash, then `u0000`) apart from `\u0000`. What is not valid JSON is left to
/// serde_json to report. When `COMPLETE` is false, more bytes will follow `body`: the scan stops
/// before an escape or a character that might continue past the end, so that a stream scanned
/// in pieces gives the same answer as the whole body. (A constant, so that the scan of a whole
/// body carries no test for it.)
pub(crate) fn scan_forbidden_json<const COMPLETE: bool>(body: &[u8], start: usize) -> Scan {
    let mut index = start;
    let forbidden = |offset: usize, code_point: u32| Scan::Forbidden { offset, code_point };
    while let Some(&byte) = body.get(index) {
        match byte {
            // Only an escape and the lead byte of U+FFFE/U+FFFF span several bytes, so only they
            // can be cut by the end of what has been read.
            b'\\' | 0xEF if !COMPLETE && body.len() - index < piece_length(byte) => {
                return Scan::Clean { resume: index };
            }
            b'\\' if body.get(index + 1) == Some(&b'u') => {
                let Some(code_point) = hex_escape(body, index) else {
                    index += 2;
                    continue;
                };
                match code_point {
                    0xD800..=0xDBFF => match hex_escape(body, index + 6) {
                        Some(0xDC00..=0xDFFF) => index += 12,
                        _ => return forbidden(index, code_point),
                    },
                    0xDC00..=0xDFFF => return forbidden(index, code_point),
                    _ if is_forbidden(code_point) => return forbidden(index, code_point),
                    _ => index += 6,
                }
            }
            // The short escapes for backspace and form feed, both forbidden.
            b'\\' if body.get(index + 1) == Some(&b'b') => return forbidden(index, 0x08),
            b'\\' if body.get(index + 1) == Some(&b'f') => return forbidden(index, 0x0C),
            b'\\' => index += 2,
            _ => match crate::xml::first_forbidden_at(&body[index..index + 1]) {
                Some(_) => return forbidden(index, byte.into()),
                None if byte == 0xEF => {
                    match crate::xml::first_forbidden(body.get(index..index + 3).unwrap_or_default()) {
                        Some(code_point) => return forbidden(index, code_point),
                        None => index += 1,
                    }
                }
                None => index += 1,
            },
        }
    }
    Scan::Clean { resume: index.min(body.len()) }
}

/// The bytes the scan looks at together from a `\\` or the lead byte 0xEF.
fn piece_length(byte: u8) -> usize {
    if byte == b'\\' { LONGEST_PIECE } else { 3 }
}

/// The code point of a `\uXXXX` escape starting at `at`, if there is one there.
fn hex_escape(body: &[u8], at: usize) -> Option<u32> {
    let escape = body.get(at..at + 6)?;
    if !escape.starts_with(b"\\u") {
        return None;
    }
    let digits = std::str::from_utf8(&escape[2..]).ok()?;
    u32::from_str_radix(digits, 16).ok().filter(|_| digits.bytes().all(|digit| digit.is_ascii_hexdigit()))
}

/// Whether XML 1.0 forbids the code point of an escape that is not a surrogate.
fn is_forbidden(code_point: u32) -> bool {
    matches!(code_point, 0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_forbidden_escapes_and_raw_characters_and_keeps_the_rest() {
        for (body, expected) in [
            (r#"{"a":"\t\n\r\u0009\u000A\u000d\uD83D\uDE42\\u0000\uFFFD"}"#, None),
            (r#"{"a":"x\u0000"}"#, Some((7, 0))),
            (r#"{"a":"\u001F"}"#, Some((6, 0x1F))),
            (r#"{"a":"\uffff"}"#, Some((6, 0xFFFF))),
            (r#"{"a":"\uD800"}"#, Some((6, 0xD800))),
            (r#"{"a":"\uDBFF\u0041"}"#, Some((6, 0xDBFF))),
            (r#"{"a":"\uDC00"}"#, Some((6, 0xDC00))),
            ("{\"a\":\"\u{FFFE}\"}", Some((6, 0xFFFE))),
            ("{\"a\":\"\u{1}\"}", Some((6, 1))),
            (r#"{"a":"\u12"}"#, None),
            (r#"{"a":"\\b\b"}"#, Some((9, 0x08))),
            (r#"{"a":"\f"}"#, Some((6, 0x0C))),
        ] {
            assert_eq!(first_forbidden_json(body.as_bytes()), expected, "{body}");
            assert_eq!(in_pieces(body.as_bytes(), 1), expected, "{body} a byte at a time");
            assert_eq!(in_pieces(body.as_bytes(), 5), expected, "{body} five bytes at a time");
        }
    }

    /// Scans `body` as a stream delivering `piece` bytes at a time would.
    fn in_pieces(body: &[u8], piece: usize) -> Option<(usize, u32)> {
        let mut resume = 0;
        let mut available = 0;
        loop {
            available = (available + piece).min(body.len());
            let complete = available == body.len();
            let scan = if complete { scan_forbidden_json::<true> } else { scan_forbidden_json::<false> };
            match scan(&body[..available], resume) {
                Scan::Forbidden { offset, code_point } => return Some((offset, code_point)),
                Scan::Clean { resume: next } if complete => {
                    assert_eq!(next, body.len());
                    return None;
                }
                Scan::Clean { resume: next } => resume = next,
            }
        }
    }
}
