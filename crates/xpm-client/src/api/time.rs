//! Time entries (`time.api`): entries in a date range (everyone's or one staff member's), a job's
//! entries, get, add, update, delete.

use chrono::NaiveDate;
use xpm_api::catalog::OperationId;
use xpm_api::ids::{JobNumber, TimeId};
use xpm_api::model::Time;
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};

use super::date_window::DateWindowBuilder;
use super::list::ListBuilder;
use crate::error::Error;

const LIST: OperationId = OperationId::TimeList;
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
    /// `TimeV31_Staff` once [`staff`](DateWindowBuilder::staff) is set).
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     staff: xpm_api::ids::StaffId,
    /// #     (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    /// # ) -> Result<(), xpm_client::Error> {
    /// let time = client.time(tenant);
    /// let everyone = time.list(from, to).send().await?;
    /// let theirs = time.list(from, to).staff(staff).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, from: NaiveDate, to: NaiveDate) -> DateWindowBuilder<Time> {
        DateWindowBuilder::new(self.target.clone(), LIST, (from, to), |entry: &Time| {
            entry.uuid.map(|uuid| uuid.to_string())
        })
    }

    /// Every entry on job `number` (`TimeV31_Job`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, number: xpm_api::ids::JobNumber) -> Result<(), xpm_client::Error> {
    /// let on_the_job = client.time(tenant).for_job(&number).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn for_job(&self, number: &JobNumber) -> ListBuilder<Time> {
        let call = self.target.call(JOB).path_param("jobNumber", number.as_str());
        ListBuilder::new(self.target.clone(), call)
    }

    /// One entry (`TimeV31_Get`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::TimeId) -> Result<(), xpm_client::Error> {
    /// let entry = client.time(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: TimeId) -> Result<Time, Error> {
        self.target.by_identifier(GET, id.uuid()).await
    }

    /// Records time on a job task and returns the entry with its new `uuid` (`TimeV31_Add`).
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     (job, task, staff): (xpm_api::ids::JobNumber, xpm_api::ids::JobTaskId, xpm_api::ids::StaffId),
    /// #     date: chrono::NaiveDate,
    /// # ) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::TimeAddRequest;
    /// use xpm_api::value::XpmDate;
    ///
    /// let request = TimeAddRequest::new(&job)
    ///     .task_uuid(task) // the job task (Job/Tasks/Task/UUID), not the task type
    ///     .staff_uuid(staff)
    ///     .date(XpmDate::compact(date))
    ///     .minutes(90);
    /// let entry = client.time(tenant).add(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, time: &TimeAddRequest) -> Result<Time, Error> {
        self.target.write(ADD, time).await
    }

    /// Changes the fields the request sets and returns the entry (`TimeV31_Update`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::TimeId) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::TimeUpdateRequest;
    ///
    /// client.time(tenant).update(&TimeUpdateRequest::new(id).minutes(120)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, time: &TimeUpdateRequest) -> Result<Time, Error> {
        self.target.write(UPDATE, time).await
    }

    /// Deletes an entry (`TimeV31_Delete`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::TimeId) -> Result<(), xpm_client::Error> {
    /// client.time(tenant).delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: TimeId) -> Result<(), Error> {
        let call = self.target.call(DELETE).path_param("identifier", id.to_string());
        self.target.status(call).await.map(drop)
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
            (OperationId::TimeStaff, None),
            (JOB, None),
            (GET, None),
            (ADD, Some(TimeAddRequest::JSON_SCHEMA)),
            (UPDATE, Some(TimeUpdateRequest::JSON_SCHEMA)),
            (DELETE, None),
        ]);
    }
}
