//! XPM's date windows: `job.api/list` and `time.api/list` take `from` and `to` at most a year
//! apart and filter by creation date, so history is read window by window.

use chrono::{Days, NaiveDate};

/// The longest window XPM accepts, in days (its error says the span must be less than a year).
pub const MAX_WINDOW_DAYS: u64 = 365;

/// `[from, to]` cut into windows of at most [`MAX_WINDOW_DAYS`] days, newest first, covering
/// every day once. Empty when `from` is after `to`.
pub fn windows_newest_first(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut windows = Vec::new();
    let mut end = to;
    while end >= from {
        let start = end.checked_sub_days(Days::new(MAX_WINDOW_DAYS - 1)).map_or(from, |start| start.max(from));
        windows.push((start, end));
        match start.pred_opt() {
            Some(before) => end = before,
            None => break,
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[track_caller]
    fn check(from: &str, to: &str, expected: &[(&str, &str)]) {
        let expected: Vec<_> = expected.iter().map(|(start, end)| (day(start), day(end))).collect();
        assert_eq!(windows_newest_first(day(from), day(to)), expected);
    }

    #[test]
    fn windows_cover_every_day_once_newest_first() {
        check("2026-01-01", "2026-01-01", &[("2026-01-01", "2026-01-01")]);
        check("2026-01-01", "2026-12-31", &[("2026-01-01", "2026-12-31")]);
        check("2025-01-01", "2026-12-31", &[("2026-01-01", "2026-12-31"), ("2025-01-01", "2025-12-31")]);
        check("2024-06-01", "2026-05-04", &[("2025-05-05", "2026-05-04"), ("2024-06-01", "2025-05-04")]);
        check("2026-05-05", "2026-05-04", &[]);
    }
}
