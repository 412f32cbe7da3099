//! Date-window lists (`job.api/list`, `time.api/list`, `time.api/staff/{uuid}`): XPM wants `from`
//! and `to` less than a year apart, so a longer range is cut into windows ([`plan`], pure) and
//! fetched one window at a time ([`stream`]), each item once even if windows see it twice.

use std::collections::{HashSet, VecDeque};

use chrono::{Months, NaiveDate};
use futures_util::{Stream, stream};
use xpm_api::response::Resource;

use super::target::Target;
use crate::call::Call;
use crate::error::Error;

/// The longest window, in calendar months less a day: `to` stays before `from` plus a year.
pub(crate) const MAX_WINDOW_MONTHS: u32 = 12;

/// A `from`–`to` range, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
}

impl Window {
    /// Adds the `from` and `to` query parameters (`yyyyMMdd`).
    pub(crate) fn apply(self, call: Call) -> Call {
        call.query("from", self.from.format("%Y%m%d").to_string()).query("to", self.to.format("%Y%m%d").to_string())
    }
}

/// Cuts `from..=to` into consecutive windows of at most `months` months less a day, oldest
/// first, so that each window's `to` is before its `from` plus `months` months.
pub(crate) fn plan(from: NaiveDate, to: NaiveDate, months: u32) -> Result<Vec<Window>, Error> {
    if to < from {
        return Err(Error::InvalidDateRange { from, to });
    }
    if !(1..=MAX_WINDOW_MONTHS).contains(&months) {
        return Err(Error::InvalidWindow { months, max: MAX_WINDOW_MONTHS });
    }
    let mut windows = Vec::new();
    let mut start = from;
    loop {
        let limit = start.checked_add_months(Months::new(months)).and_then(|limit| limit.pred_opt());
        let end = limit.map_or(to, |limit| limit.min(to));
        windows.push(Window { from: start, to: end });
        match end.succ_opt() {
            Some(next) if end < to => start = next,
            _ => return Ok(windows),
        }
    }
}

/// A date range and the longest window to fetch it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    pub(crate) window_months: u32,
}

/// Every item of every window of `range`, sent as `base` with the window added, fetching a window
/// only once the items before it have been taken. `key` names an item for de-duplication; items
/// without a key are all kept. The stream ends after the first error, and a `range` that cannot
/// be planned is that error.
pub(crate) fn stream<T: Resource + Send + 'static>(
    target: Target,
    base: Call,
    range: Range,
    key: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
    let (base, windows, error) = match plan(range.from, range.to, range.window_months) {
        Ok(windows) => (Some(base), windows.into(), None),
        Err(error) => (None, VecDeque::new(), Some(error)),
    };
    let state = Walk { target, base, windows, error, seen: HashSet::new(), buffered: VecDeque::new(), key };
    Box::pin(stream::try_unfold(state, |mut walk| async move {
        if let Some(error) = walk.error.take() {
            return Err(error);
        }
        loop {
            if let Some(item) = walk.buffered.pop_front() {
                return Ok(Some((item, walk)));
            }
            let (Some(base), Some(window)) = (&walk.base, walk.windows.pop_front()) else { return Ok(None) };
            let (items, _) = walk.target.list::<T>(window.apply(base.clone())).await?;
            walk.buffered.extend(unseen(items, &mut walk.seen, walk.key));
        }
    }))
}

/// The items whose key is not in `seen` yet (and those without a key), recording their keys.
fn unseen<T>(items: Vec<T>, seen: &mut HashSet<String>, key: fn(&T) -> Option<String>) -> impl Iterator<Item = T> {
    items.into_iter().filter(move |item| key(item).is_none_or(|key| seen.insert(key)))
}

/// Where a window stream is.
struct Walk<T> {
    target: Target,
    base: Option<Call>,
    windows: VecDeque<Window>,
    /// A planning error, returned as the stream's only item.
    error: Option<Error>,
    seen: HashSet<String>,
    buffered: VecDeque<T>,
    key: fn(&T) -> Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn check(from: &str, to: &str, months: u32, expect: &[(&str, &str)]) {
        let planned = plan(date(from), date(to), months).expect("a valid range");
        let expect: Vec<Window> = expect.iter().map(|(from, to)| Window { from: date(from), to: date(to) }).collect();
        assert_eq!(planned, expect, "{from}..={to} in {months}-month windows");
    }

    #[test]
    fn ranges_are_cut_into_windows_under_a_year() {
        check("2024-03-15", "2024-03-15", 12, &[("2024-03-15", "2024-03-15")]);
        check("2024-01-01", "2024-12-31", 12, &[("2024-01-01", "2024-12-31")]);
        check(
            "2022-01-01",
            "2024-12-31",
            12,
            &[("2022-01-01", "2022-12-31"), ("2023-01-01", "2023-12-31"), ("2024-01-01", "2024-12-31")],
        );
        check("2022-01-01", "2023-01-01", 12, &[("2022-01-01", "2022-12-31"), ("2023-01-01", "2023-01-01")]);
        // A leap day's year ends on the 27th: the 28th would be `from` plus twelve months.
        check("2024-02-29", "2025-03-01", 12, &[("2024-02-29", "2025-02-27"), ("2025-02-28", "2025-03-01")]);
        check(
            "2024-01-31",
            "2024-04-30",
            1,
            &[
                ("2024-01-31", "2024-02-28"),
                ("2024-02-29", "2024-03-28"),
                ("2024-03-29", "2024-04-28"),
                ("2024-04-29", "2024-04-30"),
            ],
        );
    }

    #[test]
    fn every_window_is_less_than_a_year_and_they_tile_the_range() {
        let windows = plan(date("2015-06-17"), date("2025-06-16"), 12).expect("a valid range");
        assert_eq!(windows.len(), 10);
        for pair in windows.windows(2) {
            assert_eq!(pair[0].to.succ_opt(), Some(pair[1].from));
        }
        for window in &windows {
            assert!(window.to < window.from.checked_add_months(Months::new(12)).expect("in range"), "{window:?}");
        }
    }

    #[test]
    fn backwards_ranges_and_odd_window_sizes_are_refused() {
        let backwards = plan(date("2024-02-01"), date("2024-01-01"), 12).expect_err("backwards");
        assert!(
            matches!(backwards, Error::InvalidDateRange { from, to } if from == date("2024-02-01") && to == date("2024-01-01")),
            "{backwards:?}"
        );
        for months in [0, 13] {
            let error = plan(date("2024-01-01"), date("2024-02-01"), months).expect_err("odd window");
            assert!(matches!(error, Error::InvalidWindow { months: asked, max: 12 } if asked == months), "{error:?}");
        }
    }

    #[test]
    fn items_seen_in_an_earlier_window_are_dropped_and_unnamed_ones_kept() {
        let key: fn(&(Option<&str>, u8)) -> Option<String> = |item| item.0.map(str::to_owned);
        let mut seen = HashSet::new();
        let first: Vec<_> = unseen(vec![(Some("a"), 1), (None, 2), (Some("b"), 3)], &mut seen, key).collect();
        let second: Vec<_> =
            unseen(vec![(Some("b"), 4), (None, 5), (Some("c"), 6), (Some("c"), 7)], &mut seen, key).collect();
        assert_eq!(first, [(Some("a"), 1), (None, 2), (Some("b"), 3)]);
        assert_eq!(second, [(None, 5), (Some("c"), 6)]);
    }

    #[test]
    fn windows_become_compact_query_parameters() {
        let call = Call::by_id("JobV31_List", uuid::Uuid::nil()).expect("known operation");
        let window = Window { from: date("2023-01-01"), to: date("2023-12-31") };
        assert_eq!(
            window.apply(call).path_and_query().ok().as_deref(),
            Some("/job.api/list?from=20230101&to=20231231")
        );
    }
}
