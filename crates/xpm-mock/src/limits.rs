//! Xero's rate limits (<https://developer.xero.com/documentation/guides/oauth2/limits/>): per
//! tenant and app, 5 calls in flight, 60 per minute
//! and 5,000 per day in fixed windows that start at a different offset for each tenant; per app,
//! 10,000 per minute across tenants. Every response carries the `X-*-Remaining` headers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use uuid::Uuid;

use crate::config::LimitSettings;

const MINUTE: i64 = 60;
const DAY: i64 = 86_400;

/// Counts calls and decides when to answer 429.
#[derive(Debug)]
pub struct RateLimiter {
    settings: Mutex<LimitSettings>,
    state: Arc<Mutex<Counters>>,
}

#[derive(Debug, Default)]
struct Counters {
    tenants: HashMap<(Uuid, String), TenantCounters>,
    apps: HashMap<String, Window>,
}

#[derive(Debug, Default)]
struct TenantCounters {
    in_flight: u32,
    minute: Window,
    day: Window,
}

/// A fixed window: which window we are in, and how many calls it has seen.
#[derive(Debug, Default, Clone, Copy)]
struct Window {
    index: i64,
    count: u32,
}

impl Window {
    /// The count in the window containing `at` (resets when a new window starts).
    fn current(&mut self, index: i64) -> u32 {
        if self.index != index {
            self.index = index;
            self.count = 0;
        }
        self.count
    }
}

/// Which limit was hit, spelled as Xero's `X-Rate-Limit-Problem` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitProblem {
    /// Too many calls in flight.
    Concurrent,
    /// The tenant's minute window is spent.
    Minute,
    /// The tenant's day window is spent.
    Day,
    /// The app's minute window is spent.
    AppMinute,
}

impl LimitProblem {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Concurrent => "concurrent",
            Self::Minute => "minute",
            Self::Day => "day",
            Self::AppMinute => "appminute",
        }
    }
}

/// Remaining calls after this one, for the response headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    /// `X-DayLimit-Remaining`.
    pub day: u32,
    /// `X-MinLimit-Remaining`.
    pub minute: u32,
    /// `X-AppMinLimit-Remaining`.
    pub app_minute: u32,
}

/// `X-DayLimit-Remaining`.
const DAY_REMAINING: HeaderName = HeaderName::from_static("x-daylimit-remaining");
/// `X-MinLimit-Remaining`.
const MINUTE_REMAINING: HeaderName = HeaderName::from_static("x-minlimit-remaining");
/// `X-AppMinLimit-Remaining`.
const APP_MINUTE_REMAINING: HeaderName = HeaderName::from_static("x-appminlimit-remaining");

impl Remaining {
    /// The headers, built without formatting strings: every API response carries them.
    fn headers(self) -> [(HeaderName, HeaderValue); 3] {
        [
            (DAY_REMAINING, HeaderValue::from(self.day)),
            (MINUTE_REMAINING, HeaderValue::from(self.minute)),
            (APP_MINUTE_REMAINING, HeaderValue::from(self.app_minute)),
        ]
    }
}

/// What a permit needs to give back its concurrency slot: the counters and the slot's key.
type Release = (Arc<Mutex<Counters>>, (Uuid, String));

/// A call that may proceed. Dropping it ends the call for the concurrency limit.
#[derive(Debug)]
pub(crate) struct Permit {
    /// `None` with limits off: there is no limit to report, and a client that keeps to the
    /// headers should not slow down for counts nobody enforces.
    remaining: Option<Remaining>,
    release: Option<Release>,
}

impl Permit {
    /// The `X-*-Remaining` headers (none with limits off).
    pub(crate) fn headers(&self) -> impl Iterator<Item = (HeaderName, HeaderValue)> {
        self.remaining.into_iter().flat_map(Remaining::headers)
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some((state, key)) = self.release.take()
            && let Some(tenant) = state.lock().tenants.get_mut(&key)
        {
            tenant.in_flight = tenant.in_flight.saturating_sub(1);
        }
    }
}

/// A refused call: 429 with the problem, `Retry-After` and the remaining counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limited {
    /// Which limit.
    pub(crate) problem: LimitProblem,
    /// Seconds until the window resets, when Xero sends it.
    pub(crate) retry_after: Option<i64>,
    remaining: Remaining,
}

impl IntoResponse for Limited {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::TOO_MANY_REQUESTS, "").into_response();
        let headers = response.headers_mut();
        headers.insert("x-rate-limit-problem", HeaderValue::from_static(self.problem.as_str()));
        if let Some(seconds) = self.retry_after.and_then(|seconds| HeaderValue::from_str(&seconds.to_string()).ok()) {
            headers.insert(header::RETRY_AFTER, seconds);
        }
        for (name, value) in self.remaining.headers() {
            headers.insert(name, value);
        }
        response
    }
}

impl RateLimiter {
    /// A limiter with `settings`.
    pub fn new(settings: LimitSettings) -> Self {
        Self { settings: Mutex::new(settings), state: Arc::new(Mutex::new(Counters::default())) }
    }

    /// Replaces the settings (counters are kept).
    pub fn set_settings(&self, settings: LimitSettings) {
        *self.settings.lock() = settings;
    }

    /// The settings in force.
    pub fn settings(&self) -> LimitSettings {
        *self.settings.lock()
    }

    /// Forgets all counts.
    pub fn reset(&self) {
        let mut state = self.state.lock();
        state.tenants.clear();
        state.apps.clear();
    }

    /// Counts a call for `tenant` by `client_id` at `now`, or refuses it.
    pub(crate) fn acquire(&self, tenant: Uuid, client_id: &str, now: DateTime<Utc>) -> Result<Permit, Limited> {
        let settings = self.settings();
        let seconds = now.timestamp();
        let (minute_offset, day_offset) = if settings.offset_windows { window_offsets(tenant) } else { (0, 0) };
        let minute_index = (seconds - minute_offset).div_euclid(MINUTE);
        let day_index = (seconds - day_offset).div_euclid(DAY);
        let app_index = seconds.div_euclid(MINUTE);
        let key = (tenant, client_id.to_owned());

        let mut state = self.state.lock();
        let app_count = state.apps.entry(client_id.to_owned()).or_default().current(app_index);
        let tenant_counters = state.tenants.entry(key.clone()).or_default();
        let minute_count = tenant_counters.minute.current(minute_index);
        let day_count = tenant_counters.day.current(day_index);
        let remaining = |extra: u32| Remaining {
            day: settings.per_day.saturating_sub(day_count + extra),
            minute: settings.per_minute.saturating_sub(minute_count + extra),
            app_minute: settings.app_per_minute.saturating_sub(app_count + extra),
        };
        if settings.enabled {
            let refusal = if tenant_counters.in_flight >= settings.concurrent {
                Some((LimitProblem::Concurrent, None))
            } else if minute_count >= settings.per_minute {
                Some((LimitProblem::Minute, Some((minute_index + 1) * MINUTE + minute_offset - seconds)))
            } else if day_count >= settings.per_day {
                Some((LimitProblem::Day, Some((day_index + 1) * DAY + day_offset - seconds)))
            } else if app_count >= settings.app_per_minute {
                let retry = settings.retry_after_on_app_limit.then_some((app_index + 1) * MINUTE - seconds);
                Some((LimitProblem::AppMinute, retry))
            } else {
                None
            };
            if let Some((problem, retry_after)) = refusal {
                return Err(Limited { problem, retry_after, remaining: remaining(0) });
            }
        }
        tenant_counters.in_flight += 1;
        tenant_counters.minute.count += 1;
        tenant_counters.day.count += 1;
        if let Some(app) = state.apps.get_mut(client_id) {
            app.count += 1;
        }
        let remaining = settings.enabled.then(|| remaining(1));
        Ok(Permit { remaining, release: Some((Arc::clone(&self.state), key)) })
    }
}

impl RateLimiter {
    /// Counts a tenant-less call (`/connections`) by `client_id` against the app's minute, and
    /// returns what is left of it for `X-AppMinLimit-Remaining`, the one rate header Xero sends
    /// on such calls; `None` with limits off. Such calls are not refused: Xero documents no
    /// limit on them beyond the app's.
    pub(crate) fn count_app_call(&self, client_id: &str, now: DateTime<Utc>) -> Option<u32> {
        let settings = self.settings();
        if !settings.enabled {
            return None;
        }
        let mut state = self.state.lock();
        let window = state.apps.entry(client_id.to_owned()).or_default();
        let count = window.current(now.timestamp().div_euclid(MINUTE)) + 1;
        window.count = count;
        Some(settings.app_per_minute.saturating_sub(count))
    }
}

/// Each tenant's windows start at their own offset, derived from the tenant id so it is stable.
fn window_offsets(tenant: Uuid) -> (i64, i64) {
    let bits = tenant.as_u128();
    let minute = i64::try_from(bits % 60).unwrap_or(0);
    let day = i64::try_from((bits >> 64) % 86_400).unwrap_or(0);
    (minute, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn sixty_a_minute_then_429_with_retry_after_to_the_window_end() {
        let limiter = RateLimiter::new(LimitSettings { offset_windows: false, ..LimitSettings::XERO });
        let tenant = Uuid::from_u128(7);
        for call in 0..60 {
            let permit = limiter.acquire(tenant, "app", at(1_000_020));
            let remaining = permit.as_ref().ok().and_then(|permit| permit.remaining).map(|remaining| remaining.minute);
            assert_eq!(remaining, Some(59 - call));
        }
        let refused = limiter.acquire(tenant, "app", at(1_000_030)).expect_err("61st call in the minute");
        assert_eq!(refused.problem, LimitProblem::Minute);
        assert_eq!(refused.retry_after, Some(1_000_020 / 60 * 60 + 60 - 1_000_030));
        assert!(limiter.acquire(tenant, "app", at(1_000_020 / 60 * 60 + 60)).is_ok(), "a new window opens");
        assert!(limiter.acquire(Uuid::from_u128(8), "app", at(1_000_030)).is_ok(), "tenants are separate");
    }

    #[test]
    fn five_in_flight_then_concurrent_without_retry_after() {
        let limiter = RateLimiter::new(LimitSettings::XERO);
        let tenant = Uuid::from_u128(9);
        let permits: Vec<_> = (0..5).filter_map(|_| limiter.acquire(tenant, "app", at(0)).ok()).collect();
        assert_eq!(permits.len(), 5);
        let refused = limiter.acquire(tenant, "app", at(0)).expect_err("sixth in flight");
        assert_eq!((refused.problem, refused.retry_after), (LimitProblem::Concurrent, None));
        drop(permits);
        assert!(limiter.acquire(tenant, "app", at(0)).is_ok());
    }

    #[test]
    fn day_limit_and_off_switch() {
        let limiter = RateLimiter::new(LimitSettings { per_minute: u32::MAX, per_day: 3, ..LimitSettings::XERO });
        let tenant = Uuid::from_u128(10);
        for _ in 0..3 {
            assert!(limiter.acquire(tenant, "app", at(5)).is_ok());
        }
        let refused = limiter.acquire(tenant, "app", at(5)).expect_err("day spent");
        assert_eq!(refused.problem, LimitProblem::Day);
        assert!(refused.retry_after.is_some_and(|seconds| seconds > 0 && seconds <= DAY));
        limiter.set_settings(LimitSettings::OFF);
        assert!(limiter.acquire(tenant, "app", at(5)).is_ok());
    }
}
