//! [`DateWindowBuilder`]: the date-range lists of jobs and time, one builder for both.

use std::fmt;

use chrono::NaiveDate;
use futures_util::Stream;
use xpm_api::catalog::OperationId;
use xpm_api::ids::StaffId;
use xpm_api::model::{Job, Time};
use xpm_api::response::Resource;

use super::target::Target;
use super::window::{self, MAX_WINDOW_MONTHS, Range, Window};
use crate::call::Call;
use crate::error::Error;

/// Items dated from `from` to `to`, both days included: jobs by creation
/// ([`JobsHandler::list`](super::JobsHandler::list)) and time entries by date
/// ([`TimeHandler::list`](super::TimeHandler::list)).
///
/// XPM answers a range of less than a year in one call, which [`send`](Self::send) makes.
/// [`stream`](Self::stream) takes any range: it cuts it into windows of
/// [`window_months`](Self::window_months) and fetches each only once the items before it have
/// been taken, yielding each item once even if it moves between windows meanwhile.
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct DateWindowBuilder<T> {
    target: Target,
    operation: OperationId,
    /// The `{identifier}` path parameter of a filtered operation (`time.api/staff/{uuid}`).
    identifier: Option<String>,
    detailed: Option<bool>,
    /// Decode each window's answer tolerantly (see [`Call::tolerant`]).
    tolerant: bool,
    from: NaiveDate,
    to: NaiveDate,
    window_months: u32,
    /// Names an item, to yield it once across windows.
    key: fn(&T) -> Option<String>,
}

impl<T: Resource + Send + 'static> DateWindowBuilder<T> {
    /// `operation` over `from..=to`, each item named by `key` (items without a name are all kept).
    pub(crate) fn new(
        target: Target,
        operation: OperationId,
        (from, to): (NaiveDate, NaiveDate),
        key: fn(&T) -> Option<String>,
    ) -> Self {
        let window_months = MAX_WINDOW_MONTHS;
        Self { target, operation, identifier: None, detailed: None, tolerant: false, from, to, window_months, key }
    }

    /// The longest window [`stream`](Self::stream) asks for, in months less a day: 1 to 12
    /// (the default, the most XPM allows).
    pub fn window_months(mut self, months: u32) -> Self {
        self.window_months = months;
        self
    }

    /// Decodes each answer tolerantly (XML): a value in a form the model does not expect leaves
    /// its field unset and is kept on the item (`unparsed()`) instead of failing the window
    /// (see [`Call::tolerant`]).
    pub fn tolerant(mut self, tolerant: bool) -> Self {
        self.tolerant = tolerant;
        self
    }

    /// Fetches the range in one call; XPM refuses a range of a year or more.
    pub async fn send(self) -> Result<Vec<T>, Error> {
        let call = Window { from: self.from, to: self.to }.apply(self.base());
        Ok(self.target.list(call).await?.0)
    }

    /// Every item of the range, window by window, each once. A window is fetched only once the
    /// items before it have been taken; a backwards range or a window size outside 1–12 is the
    /// stream's only item, before any call. The stream ends after the first error.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        let range = Range { from: self.from, to: self.to, window_months: self.window_months };
        let base = self.base();
        window::stream(self.target, base, range, self.key)
    }

    /// The call without its window.
    fn base(&self) -> Call {
        let call = self.target.call(self.operation);
        let call = match &self.identifier {
            Some(identifier) => call.path_param("identifier", identifier.clone()),
            None => call,
        };
        call.query_opt("detailed", self.detailed.map(|detailed| detailed.to_string())).tolerant(self.tolerant)
    }
}

impl DateWindowBuilder<Job> {
    /// Whether to return the detailed shape (tasks, milestones, notes).
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = Some(detailed);
        self
    }
}

impl DateWindowBuilder<Time> {
    /// Only the entries of `staff` (`TimeV31_Staff`).
    pub fn staff(mut self, staff: StaffId) -> Self {
        self.operation = OperationId::TimeStaff;
        self.identifier = Some(staff.to_string());
        self
    }
}

impl<T> Clone for DateWindowBuilder<T> {
    fn clone(&self) -> Self {
        Self { target: self.target.clone(), identifier: self.identifier.clone(), ..*self }
    }
}

impl<T> fmt::Debug for DateWindowBuilder<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("DateWindowBuilder")
            .field("operation", &self.operation)
            .field("identifier", &self.identifier)
            .field("detailed", &self.detailed)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("window_months", &self.window_months)
            .finish_non_exhaustive()
    }
}
