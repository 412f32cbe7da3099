//! What the work handlers share: error mapping, the `{status, uuid}` and `{status, id}` replies,
//! identifiers from paths, and the job shapes of the list endpoints.

use serde_json::{Map, Value};
use uuid::Uuid;
use xpm_api::model::Job;
use xpm_api::xml::XmlWriter;

use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::work::WorkError;

impl From<WorkError> for ApiError {
    fn from(error: WorkError) -> Self {
        let description = error.to_string();
        match error {
            WorkError::NotFound(_) => ApiError::not_found(description),
            WorkError::Invalid(_) => ApiError::bad_request(description),
            WorkError::Conflict(_) => ApiError::conflict(description),
        }
    }
}

/// `{status, uuid}` (`UuidResponseDto`): what task, cost and custom field definition writes
/// return.
pub(super) fn uuid_reply(uuid: Uuid) -> Reply {
    let mut xml = XmlWriter::new();
    xml.text_element("UUID", &uuid.to_string());
    let mut json = Map::new();
    json.insert("uuid".into(), Value::String(uuid.to_string()));
    Reply::fields(xml.into_string(), json)
}

/// `{status, id}` (`CreateQuoteResponseDto`): the number of a quote drafted from a job.
pub(super) fn id_reply(id: &str) -> Reply {
    let mut xml = XmlWriter::new();
    xml.text_element("ID", id);
    let mut json = Map::new();
    json.insert("id".into(), Value::String(id.to_owned()));
    Reply::fields(xml.into_string(), json)
}

/// A number path parameter (`{jobNumber}`, `{invoiceNumber}`, `{id}` …).
pub(super) fn number_param<'a>(request: &'a ApiRequest, name: &str) -> Result<&'a str, ApiError> {
    let number = request.param(name)?.trim();
    if number.is_empty() {
        return Err(ApiError::bad_request(format!("{name} must not be empty")));
    }
    Ok(number)
}

/// The short job shape of `current`, `list` and `client` without `detailed=true`: no tasks,
/// milestones or notes.
pub(super) fn job_summary(job: &Job) -> Job {
    let mut summary = Job::default();
    summary.id.clone_from(&job.id);
    summary.uuid = job.uuid;
    summary.name.clone_from(&job.name);
    summary.description.clone_from(&job.description);
    summary.state.clone_from(&job.state);
    summary.client_order_number.clone_from(&job.client_order_number);
    summary.budget = job.budget;
    summary.job_type.clone_from(&job.job_type);
    summary.start_date = job.start_date;
    summary.due_date = job.due_date;
    summary.completed_date = job.completed_date;
    summary.client.clone_from(&job.client);
    summary.contact.clone_from(&job.contact);
    summary.manager.clone_from(&job.manager);
    summary.partner.clone_from(&job.partner);
    summary.internal_id.clone_from(&job.internal_id);
    summary.assigned.clone_from(&job.assigned);
    summary.web_url.clone_from(&job.web_url);
    summary
}

/// The `Job2Dto` shape of `job.api/staff/{uuid}`: tasks, but no partner, milestones, notes,
/// internal id or web address.
pub(super) fn job_for_staff(job: &Job) -> Job {
    let mut shape = job_summary(job);
    shape.partner = None;
    shape.internal_id = None;
    shape.web_url = None;
    shape.tasks.clone_from(&job.tasks);
    shape
}
