//! Changing jobs: add, update, state, delete, note, document, template, task order, assign,
//! tasks and costs on a job, and quotes drafted from a job.

use parking_lot::RwLock;
use xpm_api::request::{
    JobAddRequest, JobApplyTemplateRequest, JobAssignRequest, JobCostAddRequest, JobCostUpdateRequest,
    JobDeleteRequest, JobDocumentRequest, JobNoteRequest, JobReorderTasksRequest, JobStateRequest, JobTaskAddRequest,
    JobTaskUpdateRequest, JobUpdateRequest,
};

use super::support::{id_reply, number_param, uuid_reply};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `POST job.api/add`: the new job, detailed.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobAddRequest = request.decode_body()?;
    let mut guard = practice.write();
    let Practice { directory, work, .. } = &mut *guard;
    let job = work.add_job(&*directory, &body, request.now.naive_utc())?;
    Ok(Reply::single((*job).clone()))
}

/// `PUT job.api/update`.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobUpdateRequest = request.decode_body()?;
    let job = practice.write().work.update_job(&body)?;
    Ok(Reply::single((*job).clone()))
}

/// `PUT job.api/state`: by the state's interface code.
pub(in crate::api::handlers) fn state(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobStateRequest = request.decode_body()?;
    let job = practice.write().work.set_state(&body, request.now.date_naive())?;
    Ok(Reply::single((*job).clone()))
}

/// `POST job.api/delete`: status only.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobDeleteRequest = request.decode_body()?;
    let id = body.id.as_deref().unwrap_or_default();
    practice.write().work.delete_job(id)?;
    Ok(Reply::status())
}

/// `POST job.api/note`.
pub(in crate::api::handlers) fn note(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobNoteRequest = request.decode_body()?;
    let job = practice.write().work.add_note(&body, request.now.naive_utc())?;
    Ok(Reply::single((*job).clone()))
}

/// `POST job.api/document`.
pub(in crate::api::handlers) fn document(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobDocumentRequest = request.decode_body()?;
    let job = practice.write().work.add_document(&body, request.now.naive_utc())?;
    Ok(Reply::single((*job).clone()))
}

/// `POST job.api/applytemplate`.
pub(in crate::api::handlers) fn apply_template(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: JobApplyTemplateRequest = request.decode_body()?;
    let job = practice.write().work.apply_template(&body)?;
    Ok(Reply::single((*job).clone()))
}

/// `PUT job.api/reordertasks`.
pub(in crate::api::handlers) fn reorder_tasks(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: JobReorderTasksRequest = request.decode_body()?;
    let job = practice.write().work.reorder_tasks(&body)?;
    Ok(Reply::single((*job).clone()))
}

/// `PUT job.api/assign`.
pub(in crate::api::handlers) fn assign(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobAssignRequest = request.decode_body()?;
    let mut guard = practice.write();
    let Practice { directory, work, .. } = &mut *guard;
    let job = work.assign(&*directory, &body)?;
    Ok(Reply::single((*job).clone()))
}

/// `POST job.api/task`: `{status, uuid}` of the new job task.
pub(in crate::api::handlers) fn add_task(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobTaskAddRequest = request.decode_body()?;
    let uuid = practice.write().work.add_task(&body)?;
    Ok(uuid_reply(uuid))
}

/// `PUT job.api/task`: `{status, uuid}`.
pub(in crate::api::handlers) fn update_task(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: JobTaskUpdateRequest = request.decode_body()?;
    let uuid = practice.write().work.update_task(&body)?;
    Ok(uuid_reply(uuid))
}

/// `PUT job.api/task/{uuid}/complete`.
pub(in crate::api::handlers) fn complete_task(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let task = request.identifier_uuid()?;
    let job = practice.write().work.set_task_completed(task, true)?;
    Ok(Reply::single((*job).clone()))
}

/// `PUT job.api/task/{uuid}/reopen`.
pub(in crate::api::handlers) fn reopen_task(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let task = request.identifier_uuid()?;
    let job = practice.write().work.set_task_completed(task, false)?;
    Ok(Reply::single((*job).clone()))
}

/// `POST job.api/cost`: `{status, uuid}` of the new job cost.
pub(in crate::api::handlers) fn add_cost(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: JobCostAddRequest = request.decode_body()?;
    let uuid = practice.write().work.add_job_cost(&body, request.now.date_naive())?;
    Ok(uuid_reply(uuid))
}

/// `PUT job.api/cost`: `{status, uuid}`.
pub(in crate::api::handlers) fn update_cost(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: JobCostUpdateRequest = request.decode_body()?;
    let uuid = practice.write().work.update_job_cost(&body)?;
    Ok(uuid_reply(uuid))
}

/// `POST job.api/createquote/{jobNumber}`: `<ID>` of the new quote.
pub(in crate::api::handlers) fn create_quote(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    draft(request, practice, "Quote")
}

/// `POST job.api/createestimate/{jobNumber}`: `<ID>` of the new estimate.
pub(in crate::api::handlers) fn create_estimate(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    draft(request, practice, "Estimate")
}

fn draft(request: &ApiRequest, practice: &RwLock<Practice>, kind: &str) -> Result<Reply, ApiError> {
    let number = number_param(request, "jobNumber")?;
    let id = practice.write().work.draft_quote(number, kind, request.now.date_naive())?;
    Ok(id_reply(&id))
}
