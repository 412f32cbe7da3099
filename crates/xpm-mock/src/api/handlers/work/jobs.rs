//! Reading jobs: `current`, `list`, `client`, `staff`, `get`, `tasks`, `documents`, `costs`.

use std::sync::Arc;

use chrono::NaiveDate;
use parking_lot::RwLock;
use xpm_api::model::{Job, JobTask};
use xpm_api::response::Envelope;

use super::support::{job_for_staff, job_summary, number_param};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::work::JobRecord;

/// A list of jobs, detailed or short as `detailed=true` asks.
fn job_list(request: &ApiRequest, jobs: Vec<Arc<Job>>) -> Reply {
    let view: Option<fn(&Job) -> Job> = if request.flag("detailed") { None } else { Some(job_summary) };
    Reply::list(jobs, Envelope::default(), view)
}

/// `GET job.api/current`: jobs not completed or cancelled.
pub(in crate::api::handlers) fn current(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let practice = practice.read();
    let jobs = practice.work.jobs.iter().filter(|record| record.is_current()).map(|record| Arc::clone(&record.job));
    Ok(job_list(request, jobs.collect()))
}

/// `GET job.api/list?from&to`: jobs created in the window.
pub(in crate::api::handlers) fn list(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let (from, to) = request.date_window()?;
    let practice = practice.read();
    let jobs = practice
        .work
        .jobs
        .iter()
        .filter(|record| (from..=to).contains(&record.created))
        .map(|record| Arc::clone(&record.job));
    Ok(job_list(request, jobs.collect()))
}

/// `GET job.api/client/{uuid}`: every job of a client.
pub(in crate::api::handlers) fn client(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let client = request.identifier_uuid()?;
    let practice = practice.read();
    if practice.directory.client(client).is_none() {
        return Err(ApiError::not_found(format!("client {client} not found")));
    }
    let jobs = practice
        .work
        .jobs
        .iter()
        .filter(|record| record.job.client.as_ref().and_then(|client| client.uuid) == Some(client))
        .map(|record| Arc::clone(&record.job));
    Ok(job_list(request, jobs.collect()))
}

/// `GET job.api/staff/{uuid}`: current jobs the staff member works on (assigned to the job or
/// one of its tasks, or its manager), in the `Job2Dto` shape.
pub(in crate::api::handlers) fn staff(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let staff = request.identifier_uuid()?;
    let practice = practice.read();
    if practice.directory.staff_member(staff).is_none() {
        return Err(ApiError::not_found(format!("staff member {staff} not found")));
    }
    let works_on = |record: &&JobRecord| {
        let job = &record.job;
        let on_job = job.assigned.iter().flatten().any(|member| member.uuid == Some(staff));
        let manages = job.manager.as_ref().is_some_and(|manager| manager.uuid == Some(staff));
        let on_task = record
            .tasks()
            .iter()
            .flat_map(|task| task.assigned.iter().flatten())
            .any(|member| member.uuid == Some(staff));
        on_job || manages || on_task
    };
    let jobs: Vec<Arc<Job>> = practice
        .work
        .jobs
        .iter()
        .filter(|record| record.is_current())
        .filter(works_on)
        .map(|record| Arc::clone(&record.job))
        .collect();
    Ok(Reply::list(jobs, Envelope::default(), Some(job_for_staff)))
}

/// `GET job.api/get/{jobNumber}`: the detailed job, with its `WebUrl` also beside it.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "jobNumber")?;
    let practice = practice.read();
    let record = practice.work.jobs.require(number)?;
    let envelope = Envelope { web_url: record.job.web_url.clone(), ..Envelope::default() };
    Ok(Reply::single_with((*record.job).clone(), envelope))
}

/// The task filters of `job.api/tasks`.
struct TaskFilter {
    complete: Option<bool>,
    due: Option<NaiveDate>,
    start: Option<NaiveDate>,
}

impl TaskFilter {
    fn from_request(request: &ApiRequest) -> Result<Self, ApiError> {
        let complete = match request.query("complete").map(str::trim).filter(|text| !text.is_empty()) {
            None => None,
            Some(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Some(text) if text.eq_ignore_ascii_case("false") => Some(false),
            Some(text) => return Err(ApiError::bad_request(format!("complete '{text}' must be true or false"))),
        };
        Ok(Self { complete, due: request.query_date("due")?, start: request.query_date("start")? })
    }

    /// Tasks due on or before `due`, starting on or after `start`, complete or not.
    fn keeps(&self, task: &JobTask) -> bool {
        let complete = self.complete.is_none_or(|complete| task.completed.unwrap_or(false) == complete);
        let due = self.due.is_none_or(|due| task.due_date.is_some_and(|date| date.naive_date() <= due));
        let start = self.start.is_none_or(|start| task.start_date.is_some_and(|date| date.naive_date() >= start));
        complete && due && start
    }
}

/// `GET job.api/tasks?complete&due&start`: current jobs with the tasks that match; jobs with
/// none are left out.
pub(in crate::api::handlers) fn tasks(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let filter = TaskFilter::from_request(request)?;
    let practice = practice.read();
    let jobs: Vec<Arc<Job>> = practice
        .work
        .jobs
        .iter()
        .filter(|record| record.is_current())
        .filter_map(|record| {
            let tasks: Vec<JobTask> = record.tasks().iter().filter(|task| filter.keeps(task)).cloned().collect();
            if tasks.is_empty() {
                return None;
            }
            let mut job = job_summary(&record.job);
            job.tasks = Some(tasks);
            Some(Arc::new(job))
        })
        .collect();
    Ok(Reply::list(jobs, Envelope::default(), None))
}

/// `GET job.api/documents/{id}`.
pub(in crate::api::handlers) fn documents(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let number = number_param(request, "id")?;
    let practice = practice.read();
    let record = practice.work.jobs.require(number)?;
    Ok(Reply::list(record.documents.clone(), Envelope::default(), None))
}

/// `GET job.api/costs/{jobNumber}`.
pub(in crate::api::handlers) fn costs(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "jobNumber")?;
    let practice = practice.read();
    let record = practice.work.jobs.require(number)?;
    Ok(Reply::list(record.costs.clone(), Envelope::default(), None))
}
