//! Jobs (`job.api`): current jobs, a client's jobs, jobs created in a date range, get, add,
//! update, state change, delete.

use chrono::NaiveDate;
use xpm_api::catalog::OperationId;
use xpm_api::ids::{ClientId, JobNumber};
use xpm_api::model::Job;
use xpm_api::request::{JobAddRequest, JobDeleteRequest, JobStateRequest, JobUpdateRequest};

use super::date_window::DateWindowBuilder;
use super::list::ListBuilder;
use crate::error::Error;

const CURRENT: OperationId = OperationId::JobCurrent;
const LIST: OperationId = OperationId::JobList;
const CLIENT: OperationId = OperationId::JobClientByIdentifier;
const GET: OperationId = OperationId::JobGet;
const ADD: OperationId = OperationId::JobAdd;
const UPDATE: OperationId = OperationId::JobUpdate;
const STATE: OperationId = OperationId::JobState;
const DELETE: OperationId = OperationId::JobDelete;

handler! {
    /// The jobs of one tenant, from [`XpmClient::jobs`](crate::XpmClient::jobs). Jobs are named by
    /// [`JobNumber`] (`J000309`).
    JobsHandler
}

impl JobsHandler {
    /// Jobs neither completed nor cancelled (`JobV31_Current`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let current = client.jobs(tenant).current().detailed(true).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn current(&self) -> ListBuilder<Job> {
        ListBuilder::new(self.target.clone(), self.target.call(CURRENT))
    }

    /// Every job of `client` (`JobV31_ClientByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// let theirs = client.jobs(tenant).for_client(id).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn for_client(&self, client: ClientId) -> ListBuilder<Job> {
        let call = self.target.call(CLIENT).path_param("identifier", client.to_string());
        ListBuilder::new(self.target.clone(), call)
    }

    /// Jobs created from `from` to `to`, both days included (`JobV31_List`): one call for a
    /// range under a year with [`send`](DateWindowBuilder::send), any range with
    /// [`stream`](DateWindowBuilder::stream).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use chrono::NaiveDate;
    /// use futures_util::TryStreamExt;
    /// use xpm_api::model::Job;
    ///
    /// let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(2016, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31)) else {
    ///     return Ok(());
    /// };
    /// let ten_years: Vec<Job> = client.jobs(tenant).list(from, to).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, from: NaiveDate, to: NaiveDate) -> DateWindowBuilder<Job> {
        DateWindowBuilder::new(self.target.clone(), LIST, (from, to), job_key)
    }

    /// One job in the detailed shape (`JobV31_Get`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
    /// let job = client.jobs(tenant).get(&"J000309".parse()?).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, number: &JobNumber) -> Result<Job, Error> {
        let call = self.target.call(GET).path_param("jobNumber", number.as_str());
        self.target.single(call).await
    }

    /// Creates a job and returns it, detailed, with its number (`JobV31_Add`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, owner: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// use chrono::NaiveDate;
    /// use xpm_api::request::JobAddRequest;
    /// use xpm_api::value::XpmDate;
    ///
    /// let (Some(start), Some(due)) = (NaiveDate::from_ymd_opt(2025, 7, 1), NaiveDate::from_ymd_opt(2025, 9, 30)) else {
    ///     return Ok(());
    /// };
    /// let request = JobAddRequest::new(owner)
    ///     .name("Year-end accounts")
    ///     .start_date(XpmDate::compact(start))
    ///     .due_date(XpmDate::compact(due));
    /// let job = client.jobs(tenant).add(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, job: &JobAddRequest) -> Result<Job, Error> {
        self.target.write(ADD, job).await
    }

    /// Changes the fields the request sets and returns the job (`JobV31_Update`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, number: xpm_api::ids::JobNumber) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::JobUpdateRequest;
    ///
    /// client.jobs(tenant).update(&JobUpdateRequest::new(&number).name("Year-end accounts FY25")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, job: &JobUpdateRequest) -> Result<Job, Error> {
        self.target.write(UPDATE, job).await
    }

    /// Moves job `number` to the state whose **interface code** (set in XPM admin, e.g.
    /// `COMPLETED`) is `state_code`, and returns the job (`JobV31_State`). The display names of
    /// [`job_states`](crate::XpmClient::job_states) are not codes.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, number: xpm_api::ids::JobNumber) -> Result<(), xpm_client::Error> {
    /// let completed = client.jobs(tenant).set_state(&number, "COMPLETED").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_state(&self, number: &JobNumber, state_code: &str) -> Result<Job, Error> {
        let call = self.target.call(STATE).body(&JobStateRequest::new(number, state_code))?;
        self.target.single(call).await
    }

    /// Deletes job `number` with its time entries (`JobV31_Delete`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, number: xpm_api::ids::JobNumber) -> Result<(), xpm_client::Error> {
    /// client.jobs(tenant).delete(&number).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, number: &JobNumber) -> Result<(), Error> {
        let call = self.target.call(DELETE).body(&JobDeleteRequest::new(number))?;
        self.target.single_opt::<Job>(call).await.map(drop)
    }
}

/// A job's identity: its UUID, or its number when the shape leaves the UUID out.
fn job_key(job: &Job) -> Option<String> {
    job.uuid.map(|uuid| uuid.to_string()).or_else(|| job.id.clone())
}

#[cfg(test)]
mod tests {
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[
            (CURRENT, None),
            (LIST, None),
            (CLIENT, None),
            (GET, None),
            (ADD, Some(JobAddRequest::JSON_SCHEMA)),
            (UPDATE, Some(JobUpdateRequest::JSON_SCHEMA)),
            (STATE, Some(JobStateRequest::JSON_SCHEMA)),
            (DELETE, Some(JobDeleteRequest::JSON_SCHEMA)),
        ]);
    }

    #[test]
    fn jobs_are_known_by_uuid_then_by_number() {
        let mut job = Job::default();
        assert_eq!(job_key(&job), None);
        job.id = Some("J000001".into());
        assert_eq!(job_key(&job).as_deref(), Some("J000001"));
        job.uuid = Some(uuid::Uuid::nil());
        assert_eq!(job_key(&job).as_deref(), Some("00000000-0000-0000-0000-000000000000"));
    }
}
