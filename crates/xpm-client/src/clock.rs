//! Time, injectable: the rate governor and the token manager read the clock and sleep on it, so
//! a test can run ten minutes of traffic at Xero's limits in a fraction of a second.
//!
//! [`SystemClock`] is real time. `SimulatedClock` (with the `test-util` feature) is virtual time
//! for tests: it moves only when every task that takes part is asleep on it, and then jumps to
//! the earliest wake-up. Work that
//! is not sleeping (an HTTP call in flight, a task waiting for a lock) holds the clock still, so
//! a call the governor admits at `t` reaches the server at `t` too.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

#[cfg(feature = "test-util")]
mod simulated;

#[cfg(feature = "test-util")]
pub use simulated::{Participant, SimulatedClock};

/// A boxed future, as [`Clock::sleep_until`] returns.
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A source of time that can also be slept on.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Completes once [`now`](Self::now) has reached `deadline` (at once if it has already).
    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_>;
}

/// Real time: `Utc::now()` and tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        Box::pin(async move {
            // Re-check after waking: the wall clock may have been stepped meanwhile.
            while let Ok(wait) = (deadline - Utc::now()).to_std() {
                if wait.is_zero() {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
        })
    }
}
