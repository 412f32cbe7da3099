//! XPM's `Yes`/`No` flags, kept apart from `true`/`false` booleans on purpose.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `Yes`/`No` flag as XPM writes it on clients, contacts, groups and invoice lines.
///
/// XPM uses `true`/`false` for other flags (job tasks, time entries, custom fields); those are
/// plain `bool`s in this crate, so the two dialects can never be mixed up when writing back.
/// JSON keeps the strings too (`"isArchived": "Yes"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YesNo {
    /// `Yes`.
    Yes,
    /// `No`.
    No,
}

impl YesNo {
    /// The flag as XPM spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::No => "No",
        }
    }

    /// `true` for `Yes`.
    pub fn is_yes(self) -> bool {
        self == Self::Yes
    }
}

impl From<bool> for YesNo {
    fn from(value: bool) -> Self {
        if value { Self::Yes } else { Self::No }
    }
}

/// The text is neither `Yes` nor `No`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected Yes or No, found {0:?}")]
pub struct InvalidYesNo(String);

impl FromStr for YesNo {
    type Err = InvalidYesNo;

    /// Accepts any letter case, since XPM's own casing is not guaranteed across endpoints.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("yes") {
            Ok(Self::Yes)
        } else if text.eq_ignore_ascii_case("no") {
            Ok(Self::No)
        } else {
            Err(InvalidYesNo(crate::xml::error::excerpt(text)))
        }
    }
}

impl fmt::Display for YesNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for YesNo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for YesNo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings_and_rejects_booleans() {
        assert_eq!("Yes".parse(), Ok(YesNo::Yes));
        assert_eq!("no".parse(), Ok(YesNo::No));
        assert!("true".parse::<YesNo>().is_err());
    }
}
