//! Jobs (`job.api`): current jobs, a client's jobs, jobs created in a date range (one window or
//! any range as a stream), get, add, update, state change, delete.

use chrono::NaiveDate;
use futures_util::Stream;
use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::Job;
use xpm_api::request::{JobAddRequest, JobDeleteRequest, JobStateRequest, JobUpdateRequest};

use super::target::Target;
use super::window::{self, MAX_WINDOW_MONTHS, Range, Window};
use crate::call::Call;
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
    /// number (`J000309`).
    JobsHandler
}

impl JobsHandler {
    /// Jobs neither completed nor cancelled (`JobV31_Current`).
    pub fn current(&self) -> JobsBuilder {
        JobsBuilder { target: self.target.clone(), operation: CURRENT, client: None, detailed: None }
    }

    /// Every job of client `uuid` (`JobV31_ClientByIdentifier`).
    pub fn for_client(&self, uuid: Uuid) -> JobsBuilder {
        JobsBuilder { target: self.target.clone(), operation: CLIENT, client: Some(uuid), detailed: None }
    }

    /// Jobs created from `from` to `to`, both days included (`JobV31_List`): one call for a
    /// range under a year with [`send`](ListJobsBuilder::send), any range with
    /// [`stream`](ListJobsBuilder::stream).
    pub fn list(&self, from: NaiveDate, to: NaiveDate) -> ListJobsBuilder {
        ListJobsBuilder { target: self.target.clone(), from, to, detailed: None, window_months: MAX_WINDOW_MONTHS }
    }

    /// One job in the detailed shape (`JobV31_Get`).
    pub async fn get(&self, number: &str) -> Result<Job, Error> {
        let call = self.target.call(GET).path_param("jobNumber", number);
        self.target.single(call).await
    }

    /// Creates a job and returns it, detailed, with its number (`JobV31_Add`).
    pub async fn add(&self, job: &JobAddRequest) -> Result<Job, Error> {
        self.target.write(ADD, job).await
    }

    /// Changes the fields the request sets and returns the job (`JobV31_Update`).
    pub async fn update(&self, job: &JobUpdateRequest) -> Result<Job, Error> {
        self.target.write(UPDATE, job).await
    }

    /// Moves job `number` to the state whose **interface code** (set in XPM admin, e.g.
    /// `COMPLETED`) is `state_code`, and returns the job (`JobV31_State`). The display names of
    /// [`job_states`](crate::XpmClient::job_states) are not codes.
    pub async fn set_state(&self, number: &str, state_code: &str) -> Result<Job, Error> {
        let mut body = JobStateRequest::default();
        body.id = Some(number.to_owned());
        body.state = Some(state_code.to_owned());
        let call = self.target.call(STATE).body(&body)?;
        self.target.single(call).await
    }

    /// Deletes job `number` with its time entries (`JobV31_Delete`).
    pub async fn delete(&self, number: &str) -> Result<(), Error> {
        let mut body = JobDeleteRequest::default();
        body.id = Some(number.to_owned());
        let call = self.target.call(DELETE).body(&body)?;
        self.target.single_opt::<Job>(call).await.map(drop)
    }
}

/// A list of jobs in one answer ([`JobsHandler::current`], [`JobsHandler::for_client`]).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` is called"]
pub struct JobsBuilder {
    target: Target,
    operation: OperationId,
    client: Option<Uuid>,
    detailed: Option<bool>,
}

impl JobsBuilder {
    /// Whether to return the detailed shape (tasks, milestones, notes).
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = Some(detailed);
        self
    }

    /// Fetches the list.
    pub async fn send(self) -> Result<Vec<Job>, Error> {
        let mut call = self.target.call(self.operation);
        if let Some(client) = self.client {
            call = call.path_param("identifier", client.to_string());
        }
        let call = call.query_opt("detailed", self.detailed.map(|detailed| detailed.to_string()));
        Ok(self.target.list(call).await?.0)
    }
}

/// Jobs created in a date range ([`JobsHandler::list`]).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct ListJobsBuilder {
    target: Target,
    from: NaiveDate,
    to: NaiveDate,
    detailed: Option<bool>,
    window_months: u32,
}

impl ListJobsBuilder {
    /// Whether to return the detailed shape (tasks, milestones, notes).
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = Some(detailed);
        self
    }

    /// The longest window [`stream`](Self::stream) asks for, in months less a day: 1 to 12
    /// (the default, the most XPM allows).
    pub fn window_months(mut self, months: u32) -> Self {
        self.window_months = months;
        self
    }

    /// Fetches the range in one call; XPM refuses a range of a year or more.
    pub async fn send(self) -> Result<Vec<Job>, Error> {
        let call = Window { from: self.from, to: self.to }.apply(self.base()?);
        Ok(self.target.list(call).await?.0)
    }

    /// Every job of the range, window by window, each job once (by UUID, or by number when XPM
    /// leaves the UUID out). A window is fetched only once the jobs before it have been taken.
    pub fn stream(self) -> impl Stream<Item = Result<Job, Error>> + Send + Unpin + 'static {
        let range = Range { from: self.from, to: self.to, window_months: self.window_months };
        let base = self.base();
        window::stream(self.target, base, range, job_key)
    }

    /// The call without its window.
    fn base(&self) -> Result<Call, Error> {
        Ok(self.target.call(LIST).query_opt("detailed", self.detailed.map(|detailed| detailed.to_string())))
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
        job.uuid = Some(Uuid::nil());
        assert_eq!(job_key(&job).as_deref(), Some("00000000-0000-0000-0000-000000000000"));
    }
}
