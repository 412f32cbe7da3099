//! `xpmkit call --all`: follow an operation's paging (continuation tokens, page numbers, or date
//! windows under XPM's one-year limit) and hand every item on, so a shell user fetches a whole
//! list without writing a loop.

use chrono::{Months, NaiveDate};
use xpm_api::catalog::{Operation, Paging};

use crate::exit::{CliError, CliResult};

/// XPM wants `from` and `to` less than a year apart (the spec's 400 for `job.api/list`); a
/// window spans twelve months less a day.
const WINDOW_MONTHS: u32 = 12;

/// The next request of a walk: the query parameters to add to (or replace in) the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Send these parameters.
    Send(Vec<(String, String)>),
    /// Everything has been fetched.
    Done,
}

/// Where a walk through the pages stands.
#[derive(Debug, Clone)]
pub(crate) enum Walk {
    /// One request, no paging.
    Once { sent: bool },
    /// Continuation tokens: the next token, once a page named one.
    Token { next: Option<Option<String>> },
    /// Page numbers, from `page`.
    PageNumber { page: u32 },
    /// Date windows still to fetch, oldest first.
    Windows(std::collections::VecDeque<(NaiveDate, NaiveDate)>),
}

impl Walk {
    /// The walk for `operation`, given the user's query parameters (`page`, `from`, `to` are
    /// read here; the rest are sent with every request).
    pub(crate) fn new(operation: &Operation, query: &[(String, String)]) -> CliResult<Self> {
        let given = |name: &str| query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        Ok(match operation.paging {
            Paging::None => Walk::Once { sent: false },
            Paging::Token => Walk::Token { next: None },
            Paging::PageNumber => {
                let page = match given("page") {
                    None => 1,
                    Some(text) => text.parse().map_err(|_| CliError::Usage {
                        message: format!("`page={text}` is not a page number (1, 2, …)"),
                    })?,
                };
                Walk::PageNumber { page }
            }
            Paging::DateWindow => {
                let date = |name: &str| -> CliResult<NaiveDate> {
                    let text = given(name).unwrap_or_default();
                    NaiveDate::parse_from_str(text, "%Y%m%d").map_err(|_| CliError::Usage {
                        message: format!("--all needs `{name}` as a date yyyyMMdd, not `{text}`"),
                    })
                };
                Walk::Windows(windows(date("from")?, date("to")?)?.into())
            }
        })
    }

    /// The parameters of the next request, or `Done`.
    pub(crate) fn next(&mut self) -> Step {
        match self {
            Walk::Once { sent } if !*sent => {
                *sent = true;
                Step::Send(Vec::new())
            }
            Walk::Once { .. } | Walk::Token { next: Some(None) } => Step::Done,
            Walk::Token { next: None } => Step::Send(Vec::new()),
            Walk::Token { next: Some(Some(token)) } => Step::Send(vec![("pageToken".to_owned(), token.clone())]),
            Walk::PageNumber { page } => Step::Send(vec![("page".to_owned(), page.to_string())]),
            Walk::Windows(windows) => match windows.pop_front() {
                Some((from, to)) => Step::Send(vec![
                    ("from".to_owned(), from.format("%Y%m%d").to_string()),
                    ("to".to_owned(), to.format("%Y%m%d").to_string()),
                ]),
                None => Step::Done,
            },
        }
    }

    /// Takes in an answer (in the spec's JSON shape) that held `items` items.
    pub(crate) fn answered(&mut self, answer: &serde_json::Value, items: usize) {
        match self {
            Walk::Token { next } => *next = Some(next_page_token(answer)),
            // XPM answers a page past the end with no items (`Records` 0).
            Walk::PageNumber { page } => {
                if items == 0 {
                    *self = Walk::Once { sent: true };
                } else {
                    *page += 1;
                }
            }
            Walk::Once { .. } | Walk::Windows(_) => {}
        }
    }
}

/// The `pageToken` of the answer's `pagination.links.next`, if there is a next page.
fn next_page_token(answer: &serde_json::Value) -> Option<String> {
    let next = answer["pagination"]["links"]["next"].as_str()?;
    let url = url::Url::parse(next).or_else(|_| url::Url::parse("http://x").and_then(|base| base.join(next))).ok()?;
    url.query_pairs().find(|(name, _)| name == "pageToken").map(|(_, value)| value.into_owned())
}

/// Cuts `from..=to` into windows XPM accepts, oldest first.
fn windows(from: NaiveDate, to: NaiveDate) -> CliResult<Vec<(NaiveDate, NaiveDate)>> {
    if to < from {
        return Err(CliError::Usage { message: format!("`to` ({to}) is before `from` ({from})") });
    }
    let mut windows = Vec::new();
    let mut start = from;
    loop {
        let limit = start.checked_add_months(Months::new(WINDOW_MONTHS)).and_then(|limit| limit.pred_opt());
        let end = limit.map_or(to, |limit| limit.min(to));
        windows.push((start, end));
        match end.succ_opt() {
            Some(next) if end < to => start = next,
            _ => return Ok(windows),
        }
    }
}

/// The items of an answer: the one array among its members (`clients`, `jobs`, …).
pub(crate) fn items(answer: &serde_json::Value) -> Vec<serde_json::Value> {
    answer
        .as_object()
        .and_then(|members| members.values().find_map(serde_json::Value::as_array))
        .cloned()
        .unwrap_or_default()
}

/// An item's identity for de-duplicating overlapping windows: its `uuid`, else the whole item.
pub(crate) fn identity(item: &serde_json::Value) -> String {
    item["uuid"].as_str().map_or_else(|| item.to_string(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y%m%d").expect("a date")
    }

    #[test]
    fn long_ranges_are_cut_into_windows_under_a_year() {
        let cut = windows(date("20240101"), date("20260615")).expect("windows");
        assert_eq!(
            cut,
            [
                (date("20240101"), date("20241231")),
                (date("20250101"), date("20251231")),
                (date("20260101"), date("20260615"))
            ]
        );
        assert!(windows(date("20260102"), date("20260101")).is_err());
    }

    #[test]
    fn token_walks_follow_next_links_until_there_is_none() {
        let operation = xpm_api::catalog::lookup("ClientV31_PagedList").expect("known");
        let mut walk = Walk::new(operation, &[]).expect("a walk");
        assert_eq!(walk.next(), Step::Send(Vec::new()));
        let page = serde_json::json!({"clients": [{}], "pagination": {"links": {"next": "https://api.xero.com/practicemanager/3.1/client.api/paged-list?pageSize=5&pageToken=abc%3D"}}});
        walk.answered(&page, 1);
        assert_eq!(walk.next(), Step::Send(vec![("pageToken".into(), "abc=".into())]));
        walk.answered(&serde_json::json!({"clients": [{}], "pagination": {"links": {}}}), 1);
        assert_eq!(walk.next(), Step::Done);
    }

    #[test]
    fn page_number_walks_stop_at_an_empty_page() {
        let operation = xpm_api::catalog::lookup("CostV31_List").expect("known");
        let mut walk = Walk::new(operation, &[]).expect("a walk");
        assert_eq!(walk.next(), Step::Send(vec![("page".into(), "1".into())]));
        walk.answered(&serde_json::json!({}), 3);
        assert_eq!(walk.next(), Step::Send(vec![("page".into(), "2".into())]));
        walk.answered(&serde_json::json!({}), 0);
        assert_eq!(walk.next(), Step::Done);
    }
}
