//! What a client's calls cost: calls answered, bytes downloaded, the server's clock and the
//! day's remaining calls as the last answer told them.
//!
//! Xero counts every request that reaches it against the day's limit and meters API egress, so a
//! sync run reports both. The server's `Date` header (RFC 9110 §6.6.1) is the clock a
//! `modifiedsince` watermark must be taken from: ours may be off by minutes.
//! [`XpmClient::metered`](crate::XpmClient::metered) gives a clone whose calls are counted apart,
//! so one run's usage is not mixed with other work on the same connection.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use reqwest::header::HeaderMap;

use crate::governor::Remaining;

/// A snapshot of a client's meter ([`XpmClient::usage`](crate::XpmClient::usage)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// Requests that got an answer (any status): what Xero counts against the limits.
    pub calls: u64,
    /// Response body bytes received.
    pub bytes: u64,
    /// The `Date` of the first answer counted.
    pub first_server_date: Option<DateTime<Utc>>,
    /// The `Date` of the latest answer counted.
    pub last_server_date: Option<DateTime<Utc>>,
    /// `X-DayLimit-Remaining` of the latest answer that carried it.
    pub day_remaining: Option<u32>,
}

/// Counts the calls and bytes of the clients sharing it.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    bytes: AtomicU64,
    answers: Mutex<Answers>,
}

#[derive(Debug, Default)]
struct Answers {
    calls: u64,
    first_date: Option<DateTime<Utc>>,
    last_date: Option<DateTime<Utc>>,
    day_remaining: Option<u32>,
}

impl Meter {
    /// Counts an answer by its headers.
    pub(crate) fn answered(&self, headers: &HeaderMap, remaining: Remaining) {
        let date = server_date(headers);
        let mut answers = self.answers.lock();
        answers.calls += 1;
        if let Some(date) = date {
            answers.first_date.get_or_insert(date);
            answers.last_date = Some(date);
        }
        if remaining.day.is_some() {
            answers.day_remaining = remaining.day;
        }
    }

    /// Counts body bytes received.
    pub(crate) fn downloaded(&self, bytes: usize) {
        self.bytes.fetch_add(u64::try_from(bytes).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// What was counted so far.
    pub(crate) fn usage(&self) -> Usage {
        let answers = self.answers.lock();
        Usage {
            calls: answers.calls,
            bytes: self.bytes.load(Ordering::Relaxed),
            first_server_date: answers.first_date,
            last_server_date: answers.last_date,
            day_remaining: answers.day_remaining,
        }
    }
}

/// The answer's `Date` (an IMF-fixdate such as `Tue, 04 May 2026 09:12:00 GMT`, RFC 9110 §5.6.7).
fn server_date(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    DateTime::parse_from_rfc2822(text.trim()).ok().map(|date| date.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use reqwest::header::{DATE, HeaderValue};

    use super::*;

    fn headers(date: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(DATE, HeaderValue::from_static(date));
        headers
    }

    #[test]
    fn counts_calls_bytes_and_keeps_the_first_and_last_server_date() {
        let meter = Meter::default();
        let day = Remaining { day: Some(4_990), ..Remaining::default() };
        meter.answered(&headers("Tue, 04 May 2027 09:12:00 GMT"), day);
        meter.downloaded(1_000);
        meter.answered(&headers("Tue, 04 May 2027 09:12:07 GMT"), Remaining::default());
        meter.downloaded(24);
        let usage = meter.usage();
        assert_eq!((usage.calls, usage.bytes), (2, 1_024));
        let shown = |date: Option<DateTime<Utc>>| date.map(|date| date.to_rfc3339());
        assert_eq!(shown(usage.first_server_date).as_deref(), Some("2027-05-04T09:12:00+00:00"));
        assert_eq!(shown(usage.last_server_date).as_deref(), Some("2027-05-04T09:12:07+00:00"));
        assert_eq!(usage.day_remaining, Some(4_990), "an answer without the header keeps the last count");
    }

    #[test]
    fn an_unreadable_date_is_ignored() {
        let meter = Meter::default();
        meter.answered(&headers("yesterday"), Remaining::default());
        assert_eq!(meter.usage().calls, 1);
        assert_eq!(meter.usage().first_server_date, None);
    }
}
