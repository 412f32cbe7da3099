//! The rate governor: keeps every call within Xero's limits before it is sent, so 429s are the
//! exception (another process sharing the tenant) rather than the rule.
//!
//! Per tenant: at most 5 calls in flight, 60 in any minute, 5,000 in any day; per app: 10,000 in
//! any minute across tenants. Xero counts in fixed windows that start at an offset we cannot see;
//! counting our own calls in *sliding* windows is safe against any fixed window of the same span,
//! since every call in a fixed window falls inside the span that ends at its last call. The
//! `X-*-Remaining` headers then correct for calls we did not make (another process, another
//! machine): after Xero says `r` remain, at most `r` more go out until that window must have
//! reset. A 429's `Retry-After` blocks the tenant (or the app) until then.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;
use reqwest::header::HeaderMap;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::clock::Clock;

/// The limits to keep to. [`Limits::XERO`] by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Calls in flight per tenant.
    pub concurrent: u32,
    /// Calls per minute per tenant.
    pub per_minute: u32,
    /// Calls per day per tenant (1,000 for Starter-tier apps).
    pub per_day: u32,
    /// Calls per minute per app, across tenants.
    pub app_per_minute: u32,
}

impl Limits {
    /// Xero's published limits for XPM apps (Advanced tier).
    pub const XERO: Self = Self { concurrent: 5, per_minute: 60, per_day: 5_000, app_per_minute: 10_000 };
}

impl Default for Limits {
    fn default() -> Self {
        Self::XERO
    }
}

/// What the last response said about the remaining calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remaining {
    /// `X-MinLimit-Remaining`.
    pub minute: Option<u32>,
    /// `X-DayLimit-Remaining`.
    pub day: Option<u32>,
    /// `X-AppMinLimit-Remaining`.
    pub app_minute: Option<u32>,
}

impl Remaining {
    /// Reads the `X-*-Remaining` headers.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let read = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Self {
            minute: read("x-minlimit-remaining"),
            day: read("x-daylimit-remaining"),
            app_minute: read("x-appminlimit-remaining"),
        }
    }
}

/// One limit over a span: our own calls in a sliding window, corrected by the server's count.
#[derive(Debug)]
struct Budget {
    limit: u32,
    span: Duration,
    /// Our calls within the last `span`, oldest first.
    calls: VecDeque<DateTime<Utc>>,
    reported: Option<Reported>,
}

/// The server said `remaining` calls were left at `at`; `spent` of ours may have gone since.
#[derive(Debug, Clone, Copy)]
struct Reported {
    remaining: u32,
    at: DateTime<Utc>,
    spent: u32,
}

impl Budget {
    fn new(limit: u32, span: Duration) -> Self {
        Self { limit, span, calls: VecDeque::new(), reported: None }
    }

    /// The earliest time at or after `now` when one more call fits.
    fn earliest(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        while self.calls.front().is_some_and(|call| *call + self.span <= now) {
            self.calls.pop_front();
        }
        let mut earliest = now;
        let limit = usize::try_from(self.limit.max(1)).unwrap_or(usize::MAX);
        if self.calls.len() >= limit {
            // The call that must leave the window before another may enter.
            if let Some(call) = self.calls.get(self.calls.len() - limit) {
                earliest = earliest.max(*call + self.span);
            }
        }
        if let Some(reported) = self.reported {
            if reported.at + self.span <= now {
                // Whatever window the server counted in has reset since.
                self.reported = None;
            } else if reported.spent >= reported.remaining {
                earliest = earliest.max(reported.at + self.span);
            }
        }
        earliest
    }

    fn record(&mut self, now: DateTime<Utc>) {
        self.calls.push_back(now);
        if let Some(reported) = &mut self.reported {
            reported.spent += 1;
        }
    }

    /// Takes in the server's count. Calls still outstanding may or may not be in it; counting
    /// them as spent errs on the safe side.
    fn observe(&mut self, remaining: Option<u32>, now: DateTime<Utc>, outstanding: u32) {
        if let Some(remaining) = remaining {
            self.reported = Some(Reported { remaining, at: now, spent: outstanding });
        }
    }
}

/// A tenant's (or the app's) windows and block.
#[derive(Debug)]
struct Windows {
    minute: Budget,
    day: Option<Budget>,
    blocked_until: Option<DateTime<Utc>>,
    /// Admitted calls whose answer has not been observed yet.
    outstanding: u32,
}

/// Which limit holds a call back, for the log: a person watching a command that waits wants to
/// know why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Minute,
    Day,
    RetryAfter,
}

impl Holder {
    /// `whom` is `practice` or `app`.
    fn describe(self, whom: &str) -> String {
        match self {
            Self::Minute => format!("the {whom}'s minute limit"),
            Self::Day => format!("the {whom}'s day limit"),
            Self::RetryAfter => format!("the Retry-After of a 429 for the {whom}"),
        }
    }
}

impl Windows {
    fn earliest(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.earliest_and_holder(now).0
    }

    /// The earliest time a call fits, and the limit that decides it.
    fn earliest_and_holder(&mut self, now: DateTime<Utc>) -> (DateTime<Utc>, Holder) {
        let mut earliest = (self.minute.earliest(now), Holder::Minute);
        if let Some(day) = &mut self.day {
            let day = day.earliest(now);
            if day > earliest.0 {
                earliest = (day, Holder::Day);
            }
        }
        if let Some(until) = self.blocked_until {
            if until <= now {
                self.blocked_until = None;
            } else if until > earliest.0 {
                earliest = (until, Holder::RetryAfter);
            }
        }
        earliest
    }

    /// What the server last said was left in the minute and day windows.
    fn reported_remaining(&self) -> (Option<u32>, Option<u32>) {
        let remaining =
            |budget: &Budget| budget.reported.map(|reported| reported.remaining.saturating_sub(reported.spent));
        (remaining(&self.minute), self.day.as_ref().and_then(remaining))
    }

    fn record(&mut self, now: DateTime<Utc>) {
        self.minute.record(now);
        if let Some(day) = &mut self.day {
            day.record(now);
        }
        self.outstanding += 1;
    }

    fn block_until(&mut self, until: DateTime<Utc>) {
        self.blocked_until = Some(self.blocked_until.map_or(until, |current| current.max(until)));
    }
}

#[derive(Debug)]
struct TenantGate {
    slots: Arc<Semaphore>,
    windows: Mutex<Windows>,
}

/// Admits calls within the limits. One per app (share it between the clients of one app).
#[derive(Debug)]
pub struct Governor {
    limits: Limits,
    clock: Arc<dyn Clock>,
    app: Arc<Mutex<Windows>>,
    tenants: Mutex<HashMap<Uuid, Arc<TenantGate>>>,
}

/// Which limit a 429 named (`X-Rate-Limit-Problem`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitProblem {
    /// Too many calls in flight.
    Concurrent,
    /// The tenant's minute window.
    Minute,
    /// The tenant's day window.
    Day,
    /// The app's minute window across tenants.
    AppMinute,
    /// A value Xero has not documented (kept as sent).
    Other(String),
}

impl LimitProblem {
    /// Reads `X-Rate-Limit-Problem`, case-insensitively; `daily` is `day`.
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "concurrent" => Self::Concurrent,
            "minute" => Self::Minute,
            "day" | "daily" => Self::Day,
            "appminute" => Self::AppMinute,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl std::fmt::Display for LimitProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Concurrent => f.write_str("concurrent"),
            Self::Minute => f.write_str("minute"),
            Self::Day => f.write_str("day"),
            Self::AppMinute => f.write_str("appminute"),
            Self::Other(other) => f.write_str(other),
        }
    }
}

/// An admitted call: it holds one of the tenant's in-flight slots until dropped.
#[derive(Debug)]
pub(crate) struct Admission {
    app: Arc<Mutex<Windows>>,
    gate: Arc<TenantGate>,
    _slot: OwnedSemaphorePermit,
    observed: bool,
    /// When it was admitted.
    #[cfg_attr(not(test), expect(dead_code, reason = "the governor's tests read when each call was admitted"))]
    pub(crate) admitted_at: DateTime<Utc>,
}

impl Governor {
    /// A governor keeping to `limits`, on `clock`.
    pub fn new(limits: Limits, clock: Arc<dyn Clock>) -> Self {
        let app = Windows {
            minute: Budget::new(limits.app_per_minute, Duration::minutes(1)),
            day: None,
            blocked_until: None,
            outstanding: 0,
        };
        Self { limits, clock, app: Arc::new(Mutex::new(app)), tenants: Mutex::new(HashMap::new()) }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn gate(&self, tenant: Uuid) -> Arc<TenantGate> {
        let mut tenants = self.tenants.lock();
        let gate = tenants.entry(tenant).or_insert_with(|| {
            Arc::new(TenantGate {
                slots: Arc::new(Semaphore::new(usize::try_from(self.limits.concurrent.max(1)).unwrap_or(1))),
                windows: Mutex::new(Windows {
                    minute: Budget::new(self.limits.per_minute, Duration::minutes(1)),
                    day: Some(Budget::new(self.limits.per_day, Duration::days(1))),
                    blocked_until: None,
                    outstanding: 0,
                }),
            })
        });
        Arc::clone(gate)
    }

    /// Says what a call waits for and why: the limit, how long, and what Xero last said was left.
    fn log_wait(&self, gate: &TenantGate, tenant: Uuid, now: DateTime<Utc>, until: DateTime<Utc>) {
        let (app_until, app_holder) = self.app.lock().earliest_and_holder(now);
        let mut windows = gate.windows.lock();
        let (tenant_until, tenant_holder) = windows.earliest_and_holder(now);
        let (minute_remaining, day_remaining) = windows.reported_remaining();
        drop(windows);
        let limit =
            if app_until > tenant_until { app_holder.describe("app") } else { tenant_holder.describe("practice") };
        let limit = match tenant_holder {
            Holder::Minute if tenant_until >= app_until => format!("{limit} ({} calls)", self.limits.per_minute),
            Holder::Day if tenant_until >= app_until => format!("{limit} ({} calls)", self.limits.per_day),
            _ => limit,
        };
        let wait_s = (until - now).num_milliseconds() as f64 / 1000.0;
        tracing::info!(%tenant, limit, wait_s, minute_remaining, day_remaining, "waiting for the rate limit");
    }

    /// When a call could go, if not now; a call that can go now is counted when `count` is set.
    fn earliest_or_count(&self, gate: &TenantGate, now: DateTime<Utc>, count: bool) -> Option<DateTime<Utc>> {
        let mut app = self.app.lock();
        let mut windows = gate.windows.lock();
        let earliest = app.earliest(now).max(windows.earliest(now));
        if earliest > now {
            return Some(earliest);
        }
        if count {
            app.record(now);
            windows.record(now);
        }
        None
    }

    /// Waits until a call for `tenant` fits every limit and a slot is free, then counts it.
    ///
    /// Waiting for time happens without a slot held, and the call is counted only once the slot
    /// is taken, so the count is stamped with the moment the call really goes out.
    pub(crate) async fn admit(&self, tenant: Uuid) -> Admission {
        let gate = self.gate(tenant);
        loop {
            let now = self.clock.now();
            if let Some(until) = self.earliest_or_count(&gate, now, false) {
                self.log_wait(&gate, tenant, now, until);
                self.clock.sleep_until(until).await;
                continue;
            }
            // The semaphore is never closed, so this only ever waits for a slot.
            let Ok(slot) = Arc::clone(&gate.slots).acquire_owned().await else { continue };
            let now = self.clock.now();
            if self.earliest_or_count(&gate, now, true).is_none() {
                return Admission {
                    app: Arc::clone(&self.app),
                    gate: Arc::clone(&gate),
                    _slot: slot,
                    observed: false,
                    admitted_at: now,
                };
            }
            // Someone took the budget while we waited for the slot: give it back and wait.
        }
    }

    /// Takes in a response's `X-*-Remaining` headers and ends the admission's count.
    pub(crate) fn observe(&self, admission: &mut Admission, remaining: Remaining) {
        let now = self.clock.now();
        {
            let mut app = self.app.lock();
            let others = app.outstanding.saturating_sub(1);
            app.minute.observe(remaining.app_minute, now, others);
            app.outstanding = others;
        }
        let mut windows = admission.gate.windows.lock();
        let others = windows.outstanding.saturating_sub(1);
        windows.minute.observe(remaining.minute, now, others);
        if let Some(day) = &mut windows.day {
            day.observe(remaining.day, now, others);
        }
        windows.outstanding = others;
        admission.observed = true;
    }

    /// A 429 said to wait until `until`: blocks the tenant (or the whole app, for the app-wide
    /// limit) until then. `Retry-After` is exact where the remaining headers only bound the
    /// reset, so it replaces what they said about that window.
    pub(crate) fn block(&self, tenant: Uuid, problem: &LimitProblem, until: DateTime<Utc>) {
        if *problem == LimitProblem::AppMinute {
            let mut app = self.app.lock();
            app.minute.reported = None;
            app.block_until(until);
            return;
        }
        let gate = self.gate(tenant);
        let mut windows = gate.windows.lock();
        match problem {
            LimitProblem::Minute => windows.minute.reported = None,
            LimitProblem::Day => {
                if let Some(day) = &mut windows.day {
                    day.reported = None;
                }
            }
            _ => {}
        }
        windows.block_until(until);
    }
}

impl Drop for Admission {
    /// A call that got no answer (sent or not, it may have counted) stops being outstanding.
    fn drop(&mut self) {
        if self.observed {
            return;
        }
        let mut app = self.app.lock();
        app.outstanding = app.outstanding.saturating_sub(1);
        drop(app);
        let mut windows = self.gate.windows.lock();
        windows.outstanding = windows.outstanding.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap_or_default()
    }

    #[test]
    fn a_full_sliding_window_opens_when_its_oldest_call_leaves() {
        let mut budget = Budget::new(3, Duration::minutes(1));
        for second in [0, 10, 20] {
            assert_eq!(budget.earliest(at(second)), at(second));
            budget.record(at(second));
        }
        assert_eq!(budget.earliest(at(30)), at(60));
        assert_eq!(budget.earliest(at(60)), at(60), "the call at 0 has left (t-60, t]");
        budget.record(at(60));
        assert_eq!(budget.earliest(at(61)), at(70));
    }

    #[test]
    fn the_servers_count_holds_calls_back_until_its_window_must_have_reset() {
        let mut budget = Budget::new(60, Duration::minutes(1));
        budget.record(at(0));
        // Another process used 58 more: the server says 1 remains.
        budget.observe(Some(1), at(1), 0);
        assert_eq!(budget.earliest(at(2)), at(2));
        budget.record(at(2));
        assert_eq!(budget.earliest(at(3)), at(61), "the reported window may last until 61");
        assert_eq!(budget.earliest(at(61)), at(61));
    }

    #[test]
    fn outstanding_calls_count_against_the_reported_remainder() {
        let mut budget = Budget::new(60, Duration::minutes(1));
        budget.observe(Some(2), at(0), 2);
        assert_eq!(budget.earliest(at(0)), at(60));
    }

    #[test]
    fn problems_parse_case_insensitively() {
        assert_eq!(LimitProblem::parse("Minute"), LimitProblem::Minute);
        assert_eq!(LimitProblem::parse("daily"), LimitProblem::Day);
        assert_eq!(LimitProblem::parse("AppMinute"), LimitProblem::AppMinute);
        assert_eq!(LimitProblem::parse("weird"), LimitProblem::Other("weird".into()));
    }

    #[tokio::test]
    async fn admissions_respect_the_concurrency_limit() {
        let clock = Arc::new(crate::clock::SimulatedClock::new(at(0)));
        let governor = Arc::new(Governor::new(Limits { concurrent: 2, ..Limits::XERO }, clock));
        let tenant = Uuid::from_u128(7);
        let first = governor.admit(tenant).await;
        let _second = governor.admit(tenant).await;
        let third = {
            let governor = Arc::clone(&governor);
            tokio::spawn(async move { governor.admit(tenant).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(!third.is_finished(), "a third call went out with two in flight");
        drop(first);
        assert!(third.await.is_ok());
    }

    /// Admits `count` calls for `tenant` on a lone participant, returning when each went.
    async fn admit_many(
        clock: &crate::clock::SimulatedClock,
        governor: &Governor,
        tenant: Uuid,
        count: usize,
    ) -> Vec<i64> {
        let mut times = Vec::new();
        for _ in 0..count {
            let mut admission = clock.participate(governor.admit(tenant)).await;
            governor.observe(&mut admission, Remaining::default());
            times.push((admission.admitted_at - at(0)).num_seconds());
        }
        times
    }

    #[tokio::test]
    async fn the_day_limit_holds_the_call_after_the_last_one_for_a_day() {
        let clock = crate::clock::SimulatedClock::new(at(0));
        let limits = Limits { per_day: 3, ..Limits::XERO };
        let governor = Governor::new(limits, Arc::new(clock.clone()));
        let times = admit_many(&clock, &governor, Uuid::from_u128(1), 4).await;
        assert_eq!(times, [0, 0, 0, 86_400]);
    }

    #[tokio::test]
    async fn the_app_limit_spans_tenants_and_a_429_blocks_only_its_tenant() {
        let clock = crate::clock::SimulatedClock::new(at(0));
        let limits = Limits { app_per_minute: 4, ..Limits::XERO };
        let governor = Governor::new(limits, Arc::new(clock.clone()));
        let (first, second) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(admit_many(&clock, &governor, first, 3).await, [0, 0, 0]);
        assert_eq!(admit_many(&clock, &governor, second, 2).await, [0, 60]);
        governor.block(first, &LimitProblem::Minute, at(90));
        assert_eq!(admit_many(&clock, &governor, second, 1).await, [60]);
        assert_eq!(admit_many(&clock, &governor, first, 1).await, [90]);
    }
}
