//! XPM dates: `yyyy-MM-ddTHH:mm:ss` in responses, `yyyy-MM-dd` on some fields, `yyyyMMdd` in
//! requests, and `HH:mm` clock times on time entries.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The textual form a date arrived in, kept so that writing it back reproduces it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateForm {
    /// `2008-09-12T13:00:00` (fractional seconds kept when present).
    DateTime,
    /// `2008-09-12`.
    Date,
    /// `20080912`, the request format for job, task, time and cost dates.
    Compact,
}

/// A date or date-time in one of XPM's formats.
///
/// XPM sends no time zone; response values are practice-local, while `modifiedsince` is UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct XpmDate {
    value: NaiveDateTime,
    form: DateForm,
}

impl XpmDate {
    /// A date-time written as `yyyy-MM-ddTHH:mm:ss`.
    pub fn date_time(value: NaiveDateTime) -> Self {
        Self { value, form: DateForm::DateTime }
    }

    /// A date written as `yyyy-MM-dd`.
    pub fn date(value: NaiveDate) -> Self {
        Self { value: value.and_time(NaiveTime::MIN), form: DateForm::Date }
    }

    /// A date written as `yyyyMMdd`, as XPM requests expect.
    pub fn compact(value: NaiveDate) -> Self {
        Self { value: value.and_time(NaiveTime::MIN), form: DateForm::Compact }
    }

    /// The value as a date-time (midnight for date-only forms).
    pub fn value(&self) -> NaiveDateTime {
        self.value
    }

    /// The calendar date.
    pub fn naive_date(&self) -> NaiveDate {
        self.value.date()
    }

    /// The form this value is written in.
    pub fn form(&self) -> DateForm {
        self.form
    }

    /// The same instant written in another form.
    #[must_use]
    pub fn with_form(self, form: DateForm) -> Self {
        Self { form, ..self }
    }
}

/// The text is not in any date format XPM uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date like 2024-07-01T09:30:00, 2024-07-01 or 20240701, found {0:?}")]
pub struct InvalidDate(String);

impl FromStr for XpmDate {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDate(crate::xml::error::excerpt(text));
        let parsed = match text.len() {
            8 if text.bytes().all(|byte| byte.is_ascii_digit()) => {
                NaiveDate::parse_from_str(text, "%Y%m%d").map(Self::compact)
            }
            10 => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Self::date),
            _ => {
                // Some XPM values carry fractional seconds or a trailing `Z`; both are accepted,
                // and the fraction is kept. The zone marker carries no information XPM uses.
                let trimmed = text.strip_suffix('Z').unwrap_or(text);
                NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f").map(Self::date_time)
            }
        };
        // chrono also accepts signed and five-digit years (`-024-01-01`, `+10000-1-1`), which
        // XPM never writes and which would not read back once written; refuse them here so the
        // XML and JSON paths agree (found by fuzzing).
        let in_range = |date: &Self| (0..=9999).contains(&chrono::Datelike::year(&date.naive_date()));
        parsed.ok().filter(in_range).ok_or_else(invalid)
    }
}

impl fmt::Display for XpmDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            DateForm::DateTime => write!(f, "{}", self.value.format("%Y-%m-%dT%H:%M:%S%.f")),
            DateForm::Date => write!(f, "{}", self.value.format("%Y-%m-%d")),
            DateForm::Compact => write!(f, "{}", self.value.format("%Y%m%d")),
        }
    }
}

impl Serialize for XpmDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for XpmDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A clock time `HH:mm`, used for a time entry's `Start` and `End`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClockTime(NaiveTime);

impl ClockTime {
    /// A clock time from hours and minutes, if valid.
    pub fn from_hm(hour: u32, minute: u32) -> Option<Self> {
        NaiveTime::from_hms_opt(hour, minute, 0).map(Self)
    }

    /// The time of day.
    pub fn value(&self) -> NaiveTime {
        self.0
    }
}

/// The text is not a clock time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a clock time like 09:30, found {0:?}")]
pub struct InvalidClockTime(String);

impl FromStr for ClockTime {
    type Err = InvalidClockTime;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NaiveTime::parse_from_str(text, "%H:%M")
            .map(Self)
            .map_err(|_| InvalidClockTime(crate::xml::error::excerpt(text)))
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, form: DateForm) {
        let parsed: XpmDate = text.parse().unwrap_or_else(|error| panic!("{text}: {error}"));
        assert_eq!(parsed.form(), form, "{text}");
        assert_eq!(parsed.to_string(), text, "round trip of {text}");
    }

    #[test]
    fn keeps_each_form() {
        check("2008-09-12T13:00:00", DateForm::DateTime);
        check("2008-09-12T13:00:00.500", DateForm::DateTime);
        check("2019-12-07T18:46:19.516540", DateForm::DateTime);
        check("1980-02-29", DateForm::Date);
        check("20101011", DateForm::Compact);
    }

    #[test]
    fn rejects_years_xpm_cannot_write() {
        assert!("-024-01-01".parse::<XpmDate>().is_err());
        assert!("+10000-1-1".parse::<XpmDate>().is_err());
        assert!("0000-01-01".parse::<XpmDate>().is_ok());
    }

    #[test]
    fn rejects_nonsense_and_impossible_dates() {
        assert!("2023-02-30".parse::<XpmDate>().is_err());
        assert!("yesterday".parse::<XpmDate>().is_err());
        assert!("25:00".parse::<ClockTime>().is_err());
        assert_eq!("09:05".parse::<ClockTime>().map(|t| t.to_string()), Ok("09:05".to_owned()));
    }
}
