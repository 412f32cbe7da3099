//! Time as the emulator sees it: the system clock, or a clock that tests set and advance.
//!
//! Token expiry, refresh-token grace periods, authorisation codes and rate-limit windows all read
//! this clock, so a test can jump 31 minutes or a day without waiting.
//!
//! The clock stays between 1970 and the start of year 9999. Everything the emulator writes
//! carries a four-digit year (XPM dates, RFC 3339 timestamps) and tokens expire up to 60 days
//! after `now`, so a clock outside that range could only produce dates that overflow or that no
//! client can read. The admin API refuses to move it out ([`Clock::try_set`],
//! [`Clock::try_advance_seconds`]); code that moves it directly is held at the edge.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use parking_lot::Mutex;

/// The emulator's clock. Cheap to clone; clones share the same time.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Mutex<ClockState>>,
}

#[derive(Debug)]
enum ClockState {
    System,
    Manual(DateTime<Utc>),
    Offset(Duration),
}

/// The clock as the state file keeps it: a virtual clock is kept (a manual clock's time, or how
/// far an advanced system clock runs ahead of real time); the system clock needs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum ClockRecord {
    /// Real time.
    System,
    /// Stands still at `now` until set or advanced.
    Manual {
        /// The time it shows.
        now: DateTime<Utc>,
    },
    /// Real time plus `offset_ms` milliseconds.
    Offset {
        /// How far ahead (negative: behind) of real time.
        offset_ms: i64,
    },
}

/// A time the clock refuses to show: before [`Clock::EARLIEST`] or after [`Clock::LATEST`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the clock cannot move {wanted}: the emulator's time stays between {} and {}; \
     send a `now` in that range or a smaller `advanceSeconds`",
    Clock::EARLIEST.to_rfc3339(),
    Clock::LATEST.to_rfc3339()
)]
pub struct ClockRangeError {
    wanted: Wanted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    To(DateTime<Utc>),
    By(i64),
}

impl std::fmt::Display for Wanted {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::To(at) => write!(formatter, "to {}", at.to_rfc3339()),
            Self::By(seconds) => write!(formatter, "by {seconds} seconds"),
        }
    }
}

impl Clock {
    /// The earliest time the clock shows: the Unix epoch.
    pub const EARLIEST: DateTime<Utc> = DateTime::UNIX_EPOCH;

    /// The latest time the clock shows: 9999-01-01T00:00:00Z, a year before four-digit years run out.
    pub const LATEST: DateTime<Utc> = match NaiveDate::from_ymd_opt(9999, 1, 1) {
        Some(date) => match date.and_hms_opt(0, 0, 0) {
            Some(at) => at.and_utc(),
            None => DateTime::UNIX_EPOCH,
        },
        None => DateTime::UNIX_EPOCH,
    };

    /// The system clock.
    pub fn system() -> Self {
        Self { inner: Arc::new(Mutex::new(ClockState::System)) }
    }

    /// A clock that stands still at `start` (held between [`EARLIEST`](Self::EARLIEST) and
    /// [`LATEST`](Self::LATEST)) until set or advanced.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self { inner: Arc::new(Mutex::new(ClockState::Manual(clamp(start)))) }
    }

    /// The current time, always between [`EARLIEST`](Self::EARLIEST) and [`LATEST`](Self::LATEST).
    pub fn now(&self) -> DateTime<Utc> {
        match *self.inner.lock() {
            ClockState::System => clamp(Utc::now()),
            ClockState::Manual(at) => at,
            ClockState::Offset(offset) => clamp(shifted(Utc::now(), offset)),
        }
    }

    /// Moves the clock forward (or back, with a negative duration), stopping at the edge of the
    /// range. The system clock becomes an offset from real time, so it keeps ticking.
    pub fn advance(&self, by: Duration) {
        self.set(shifted(self.now(), by));
    }

    /// Sets the clock to `at`, held within the range. A manual clock stays manual; a system clock
    /// keeps ticking from `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        let at = clamp(at);
        let mut state = self.inner.lock();
        *state = match *state {
            ClockState::Manual(_) => ClockState::Manual(at),
            // Both ends are within ±10,000 years of now, far inside `Duration`'s ±292 million.
            ClockState::System | ClockState::Offset(_) => ClockState::Offset(at.signed_duration_since(Utc::now())),
        };
    }

    /// What the state file keeps of the clock.
    pub(crate) fn record(&self) -> ClockRecord {
        match *self.inner.lock() {
            ClockState::System => ClockRecord::System,
            ClockState::Manual(now) => ClockRecord::Manual { now },
            ClockState::Offset(offset) => ClockRecord::Offset { offset_ms: offset.num_milliseconds() },
        }
    }

    /// Takes up a virtual clock from the state file; a system clock there leaves this clock as
    /// it is (a manual clock a test passed in stays manual).
    pub(crate) fn restore(&self, record: ClockRecord) {
        let restored = match record {
            ClockRecord::System => return,
            ClockRecord::Manual { now } => ClockState::Manual(clamp(now)),
            ClockRecord::Offset { offset_ms } => {
                // `-i64::MAX` ms is the shortest `Duration`; the clock holds the result in range.
                ClockState::Offset(Duration::try_milliseconds(offset_ms.max(-i64::MAX)).unwrap_or_default())
            }
        };
        *self.inner.lock() = restored;
    }

    /// Sets the clock to `at`, or refuses a time outside the range.
    pub fn try_set(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, ClockRangeError> {
        if !(Self::EARLIEST..=Self::LATEST).contains(&at) {
            return Err(ClockRangeError { wanted: Wanted::To(at) });
        }
        self.set(at);
        Ok(self.now())
    }

    /// Moves the clock by `seconds` (negative goes back), or refuses a move that would leave the
    /// range.
    pub fn try_advance_seconds(&self, seconds: i64) -> Result<DateTime<Utc>, ClockRangeError> {
        let refused = ClockRangeError { wanted: Wanted::By(seconds) };
        let target = Duration::try_seconds(seconds).and_then(|by| self.now().checked_add_signed(by)).ok_or(refused)?;
        self.try_set(target).map_err(|_| refused)
    }
}

/// `at + by`, held at the edge of chrono's range instead of overflowing.
fn shifted(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_add_signed(by).unwrap_or(if by < Duration::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

fn clamp(at: DateTime<Utc>) -> DateTime<Utc> {
    at.clamp(Clock::EARLIEST, Clock::LATEST)
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(31));
        assert_eq!(clock.now(), start + Duration::minutes(31));
        let shared = clock.clone();
        shared.set(start);
        assert_eq!(clock.now(), start, "clones share one time");
    }

    #[test]
    fn advanced_system_clock_keeps_ticking_ahead() {
        let clock = Clock::system();
        clock.advance(Duration::days(1));
        let ahead = clock.now() - Utc::now();
        assert!(ahead > Duration::hours(23) && ahead <= Duration::days(1));
    }

    #[test]
    fn latest_is_the_start_of_9999() {
        assert_eq!(Clock::LATEST.to_rfc3339(), "9999-01-01T00:00:00+00:00");
    }

    fn clocks() -> impl Strategy<Value = Clock> {
        prop_oneof![
            Just(Clock::system()),
            (Clock::EARLIEST.timestamp()..=Clock::LATEST.timestamp())
                .prop_map(|seconds| Clock::manual(DateTime::from_timestamp(seconds, 0).unwrap_or_default())),
        ]
    }

    proptest! {
        /// Any advance either moves the clock to a readable time or is refused; reading the clock
        /// afterwards never panics and stays in range (once, 9e12 seconds left it panicking on
        /// every read).
        #[test]
        fn any_advance_is_in_range_or_refused(clock in clocks(), seconds in any::<i64>()) {
            let before = clock.now();
            match clock.try_advance_seconds(seconds) {
                Ok(now) => prop_assert!((Clock::EARLIEST..=Clock::LATEST).contains(&now)),
                Err(error) => {
                    prop_assert!(error.to_string().contains(&seconds.to_string()), "{error}");
                    prop_assert!(clock.now() >= before, "a refused move leaves the clock where it was");
                }
            }
            let later = clock.now() + Duration::days(60);
            prop_assert!(later.format("%Y").to_string().len() == 4);
        }

        /// `advance` from code holds the clock at the edge rather than overflowing.
        #[test]
        fn any_direct_advance_is_held_in_range(clock in clocks(), seconds in any::<i64>()) {
            clock.advance(Duration::try_seconds(seconds).unwrap_or(Duration::MAX));
            prop_assert!((Clock::EARLIEST..=Clock::LATEST).contains(&clock.now()));
        }
    }
}
