//! Time as the emulator sees it: the system clock, or a clock that tests set and advance.
//!
//! Token expiry, refresh-token grace periods, authorisation codes and rate-limit windows all read
//! this clock, so a test can jump 31 minutes or a day without waiting.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
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

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { inner: Arc::new(Mutex::new(ClockState::System)) }
    }

    /// A clock that stands still at `start` until set or advanced.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self { inner: Arc::new(Mutex::new(ClockState::Manual(start))) }
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match *self.inner.lock() {
            ClockState::System => Utc::now(),
            ClockState::Manual(at) => at,
            ClockState::Offset(offset) => Utc::now() + offset,
        }
    }

    /// Moves the clock forward (or back, with a negative duration). The system clock becomes an
    /// offset from real time, so it keeps ticking.
    pub fn advance(&self, by: Duration) {
        let mut state = self.inner.lock();
        *state = match *state {
            ClockState::System => ClockState::Offset(by),
            ClockState::Manual(at) => ClockState::Manual(at + by),
            ClockState::Offset(offset) => ClockState::Offset(offset + by),
        };
    }

    /// Sets the clock to `at`. A manual clock stays manual; a system clock keeps ticking from `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        let mut state = self.inner.lock();
        *state = match *state {
            ClockState::Manual(_) => ClockState::Manual(at),
            ClockState::System | ClockState::Offset(_) => ClockState::Offset(at - Utc::now()),
        };
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

#[cfg(test)]
mod tests {
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
}
