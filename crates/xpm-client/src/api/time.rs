//! Time entries (`time.api`): entries in a date range (everyone's or one staff member's, one
//! window or any range as a stream), a job's entries, get, add, update, delete.

use chrono::NaiveDate;
use futures_util::Stream;
use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::Time;
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};

use super::target::Target;
use super::window::{self, MAX_WINDOW_MONTHS, Range, Window};
use crate::call::Call;
use crate::error::Error;

const LIST: OperationId = OperationId::TimeList;
const STAFF: OperationId = OperationId::TimeStaff;
const JOB: OperationId = OperationId::TimeJob;
const GET: OperationId = OperationId::TimeGet;
const ADD: OperationId = OperationId::TimeAdd;
const UPDATE: OperationId = OperationId::TimeUpdate;
const DELETE: OperationId = OperationId::TimeDelete;

handler! {
    /// The time entries of one tenant, from [`XpmClient::time`](crate::XpmClient::time).
    TimeHandler
}

impl TimeHandler {
    /// Entries dated from `from` to `to`, both days included (`TimeV31_List`, or
    /// `TimeV31_Staff` once [`staff`](ListTimeBuilder::staff) is set).
    pub fn list(&self, from: NaiveDate, to: NaiveDate) -> ListTimeBuilder {
        ListTimeBuilder { target: self.target.clone(), from, to, staff: None, window_months: MAX_WINDOW_MONTHS }
    }

    /// Every entry on job `number` (`TimeV31_Job`).
    pub async fn for_job(&self, number: &str) -> Result<Vec<Time>, Error> {
        let call = self.target.call(JOB).path_param("jobNumber", number);
        Ok(self.target.list(call).await?.0)
    }

    /// One entry (`TimeV31_Get`).
    pub async fn get(&self, uuid: Uuid) -> Result<Time, Error> {
        self.target.by_identifier(GET, uuid).await
    }

    /// Records time on a job task and returns the entry with its new `uuid` (`TimeV31_Add`).
    pub async fn add(&self, time: &TimeAddRequest) -> Result<Time, Error> {
        self.target.write(ADD, time).await
    }

    /// Changes the fields the request sets and returns the entry (`TimeV31_Update`).
    pub async fn update(&self, time: &TimeUpdateRequest) -> Result<Time, Error> {
        self.target.write(UPDATE, time).await
    }

    /// Deletes an entry (`TimeV31_Delete`).
    pub async fn delete(&self, uuid: Uuid) -> Result<(), Error> {
        let call = self.target.call(DELETE).path_param("identifier", uuid.to_string());
        self.target.status(call).await.map(drop)
    }
}

/// Time entries in a date range ([`TimeHandler::list`]).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct ListTimeBuilder {
    target: Target,
    from: NaiveDate,
    to: NaiveDate,
    staff: Option<Uuid>,
    window_months: u32,
}

impl ListTimeBuilder {
    /// Only the entries of staff member `uuid` (`TimeV31_Staff`).
    pub fn staff(mut self, uuid: Uuid) -> Self {
        self.staff = Some(uuid);
        self
    }

    /// The longest window [`stream`](Self::stream) asks for, in months less a day: 1 to 12
    /// (the default, the most XPM allows).
    pub fn window_months(mut self, months: u32) -> Self {
        self.window_months = months;
        self
    }

    /// Fetches the range in one call; XPM refuses a range of a year or more.
    pub async fn send(self) -> Result<Vec<Time>, Error> {
        let call = Window { from: self.from, to: self.to }.apply(self.base()?);
        Ok(self.target.list(call).await?.0)
    }

    /// Every entry of the range, window by window, each entry once (by UUID). A window is
    /// fetched only once the entries before it have been taken.
    pub fn stream(self) -> impl Stream<Item = Result<Time, Error>> + Send + Unpin + 'static {
        let range = Range { from: self.from, to: self.to, window_months: self.window_months };
        let base = self.base();
        window::stream(self.target, base, range, |time: &Time| time.uuid.map(|uuid| uuid.to_string()))
    }

    /// The call without its window.
    fn base(&self) -> Result<Call, Error> {
        match self.staff {
            Some(staff) => Ok(self.target.call(STAFF).path_param("identifier", staff.to_string())),
            None => Ok(self.target.call(LIST)),
        }
    }
}

#[cfg(test)]
mod tests {
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[
            (LIST, None),
            (STAFF, None),
            (JOB, None),
            (GET, None),
            (ADD, Some(TimeAddRequest::JSON_SCHEMA)),
            (UPDATE, Some(TimeUpdateRequest::JSON_SCHEMA)),
            (DELETE, None),
        ]);
    }
}
