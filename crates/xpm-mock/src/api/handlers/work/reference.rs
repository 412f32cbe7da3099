//! The practice's lists: task types (`task.api`), categories, job states and templates.

use std::sync::Arc;

use parking_lot::RwLock;
use xpm_api::model::{JobState, Template};
use xpm_api::response::Envelope;

use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET task.api/list`.
pub(in crate::api::handlers) fn task_types(
    _request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let task_types = practice.read().work.reference.task_types.clone();
    Ok(Reply::list(task_types, Envelope::default(), None))
}

/// `GET task.api/get/{uuid}`.
pub(in crate::api::handlers) fn task_type(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let practice = practice.read();
    let task =
        practice.work.reference.task_type(uuid).ok_or_else(|| ApiError::not_found(format!("task {uuid} not found")))?;
    Ok(Reply::single((**task).clone()))
}

/// `GET category.api/list`.
pub(in crate::api::handlers) fn categories(
    _request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let categories = practice.read().work.reference.categories.clone();
    Ok(Reply::list(categories, Envelope::default(), None))
}

/// `GET jobstate.api/list`: names only; the interface codes `job.api/state` takes are not shown.
pub(in crate::api::handlers) fn job_states(
    _request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let states: Vec<Arc<JobState>> =
        practice.read().work.reference.job_states.iter().map(|state| Arc::clone(&state.state)).collect();
    Ok(Reply::list(states, Envelope::default(), None))
}

/// `GET template.api/list`.
pub(in crate::api::handlers) fn templates(
    _request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let templates: Vec<Arc<Template>> =
        practice.read().work.reference.templates.iter().map(|entry| Arc::clone(&entry.template)).collect();
    Ok(Reply::list(templates, Envelope::default(), None))
}
