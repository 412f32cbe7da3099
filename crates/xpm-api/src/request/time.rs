//! Time entry bodies (`time.api/add`, `time.api/update`), rooted at `<Timesheet>`.
//!
//! An entry gives either `Minutes` (which may be negative) or `Start` and `End` (`HH:mm`). The
//! date is `yyyyMMdd` ([`XpmDate::compact`]). The OpenAPI types `minutes` as a JSON **string**;
//! it is an `i32` here, written as a string and read from a string or a number. Both operations
//! answer with the time entry.

use crate::ids::{JobNumber, TimeId};
use crate::value::{ClockTime, Uuid, XpmDate};

xpm_request! {
    /// `POST time.api/add`. JSON: `TimeAddRequestDto`.
    pub struct TimeAddRequest {
        /// Job number (required).
        job: String = value "Job",
        /// The job task (`Job/Tasks/Task/UUID`) the time is for.
        task_uuid: Uuid = value "TaskUUID",
        /// The staff member.
        staff_uuid: Uuid = value "StaffUUID",
        /// Date, `yyyyMMdd`.
        date: XpmDate = value "Date",
        /// Duration in minutes; may be negative.
        #[serde(with = "minutes_as_text")]
        minutes: i32 = value "Minutes",
        /// Start time, with `end` instead of `minutes`.
        start: ClockTime = value "Start",
        /// End time.
        end: ClockTime = value "End",
        /// Note.
        note: String = value "Note",
    }
}

request_body!(TimeAddRequest, "Timesheet", "TimeAddRequestDto", requires job "Job" "job");

xpm_request! {
    /// `PUT time.api/update`. JSON: `TimeUpdateRequestDto`.
    pub struct TimeUpdateRequest {
        /// The time entry (required).
        uuid: Uuid = value "UUID",
        /// Job number.
        job: String = value "Job",
        /// The job task.
        task_uuid: Uuid = value "TaskUUID",
        /// The staff member.
        staff_uuid: Uuid = value "StaffUUID",
        /// Date, `yyyyMMdd`.
        date: XpmDate = value "Date",
        /// Duration in minutes; may be negative.
        #[serde(with = "minutes_as_text")]
        minutes: i32 = value "Minutes",
        /// Start time, with `end` instead of `minutes`.
        start: ClockTime = value "Start",
        /// End time.
        end: ClockTime = value "End",
        /// Note.
        note: String = value "Note",
    }
}

request_body!(TimeUpdateRequest, "Timesheet", "TimeUpdateRequestDto", requires uuid "UUID" "uuid");

/// Minutes as the OpenAPI's JSON string (`"60"`), also read from a plain number.
mod minutes_as_text {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(minutes: &Option<i32>, serializer: S) -> Result<S::Ok, S::Error> {
        match minutes {
            Some(minutes) => serializer.serialize_str(itoa::Buffer::new().format(*minutes)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
        deserializer.deserialize_any(MinutesVisitor)
    }

    struct MinutesVisitor;

    impl<'de> Visitor<'de> for MinutesVisitor {
        type Value = Option<i32>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("whole minutes as a string or a number")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
        }

        fn visit_i64<E: de::Error>(self, minutes: i64) -> Result<Self::Value, E> {
            i32::try_from(minutes).map(Some).map_err(|_| E::invalid_value(de::Unexpected::Signed(minutes), &self))
        }

        fn visit_u64<E: de::Error>(self, minutes: u64) -> Result<Self::Value, E> {
            i32::try_from(minutes).map(Some).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(minutes), &self))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            // With serde_json's `arbitrary_precision`, numbers reach `deserialize_any` as a
            // one-entry map holding the number's text.
            let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
            match number.as_i64() {
                Some(minutes) => self.visit_i64(minutes),
                None => Err(de::Error::invalid_value(de::Unexpected::Other("fractional number"), &self)),
            }
        }
    }
}

impl TimeAddRequest {
    /// Time on job `job`; set the job task, staff member, date and minutes (or start and end).
    pub fn new(job: &JobNumber) -> Self {
        Self { job: Some(job.to_string()), ..Self::default() }
    }
}

impl TimeUpdateRequest {
    /// A request to update `entry`; set the fields to change.
    pub fn new(entry: impl Into<TimeId>) -> Self {
        Self { uuid: Some(entry.into().uuid()), ..Self::default() }
    }
}
