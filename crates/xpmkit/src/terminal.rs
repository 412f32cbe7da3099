//! Text from elsewhere made safe to print to a terminal.
//!
//! An XPM `ErrorDescription`, an error page, a practice's name: a server chooses them, and raw
//! escape sequences in them would be run by the terminal (moving the cursor, rewriting earlier
//! lines, setting the window title). Everything the CLI prints of such text goes through
//! [`escape_controls`], which writes control characters as visible `\u{…}` escapes.

use std::borrow::Cow;

/// `text` with every control character but newline and tab written as `\u{…}`: C0 controls
/// (ESC among them), DEL, C1 controls (U+009B is a one-byte CSI to some terminals), and the
/// bidirectional overrides and isolates that can make a line read differently than it is
/// (Unicode Technical Standard #39, "Trojan Source").
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if needs_escape(character) {
            escaped.push_str(&format!("\\u{{{:x}}}", u32::from(character)));
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(character: char) -> bool {
    (character.is_control() && character != '\n' && character != '\t')
        || matches!(character, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(escape_controls("plain text\nline two\ttab"), "plain text\nline two\ttab");
        assert_eq!(escape_controls("\u{1b}[2Jgone"), "\\u{1b}[2Jgone");
        assert_eq!(escape_controls("a\u{9b}31mb\r"), "a\\u{9b}31mb\\u{d}");
        assert_eq!(escape_controls("x\u{202E}y"), "x\\u{202e}y");
    }

    proptest! {
        /// Whatever a server sends, what reaches the terminal holds no control character but
        /// newline and tab, and loses nothing else.
        #[test]
        fn no_control_character_survives(text in any::<String>()) {
            let escaped = escape_controls(&text);
            prop_assert!(!escaped.chars().any(needs_escape), "{escaped:?}");
            let kept: String = text.chars().filter(|character| !needs_escape(*character)).collect();
            let survived: String = escaped.chars().filter(|character| !needs_escape(*character)).collect();
            prop_assert!(survived.len() >= kept.len());
        }
    }
}
