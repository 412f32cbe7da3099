//! Custom field definitions (`customfield.api`) and the values on jobs, job tasks, job costs and
//! time entries. Client and contact values are the directory's.

use parking_lot::RwLock;
use xpm_api::catalog::OperationId;
use xpm_api::request::{
    AddCustomFieldDefinitionRequest, CustomFieldValuesUpdateRequest, DeleteCustomFieldDefinitionRequest,
    UpdateCustomFieldDefinitionRequest,
};
use xpm_api::response::Envelope;

use super::support::{number_param, uuid_reply};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::work::{ValueOwner, Work};

/// `GET customfield.api/definition`.
pub(in crate::api::handlers) fn definitions(
    _request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let definitions = practice.read().work.custom_fields.definitions.clone();
    Ok(Reply::list(definitions, Envelope::default(), None))
}

/// `GET customfield.api/get/{uuid}`.
pub(in crate::api::handlers) fn definition(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let practice = practice.read();
    let definition = practice.work.custom_fields.definition(uuid)?;
    Ok(Reply::single((**definition).clone()))
}

/// `POST customfield.api/add`: `{status, uuid}`.
pub(in crate::api::handlers) fn add_definition(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: AddCustomFieldDefinitionRequest = request.decode_body()?;
    let uuid = practice.write().work.custom_fields.add_definition(&body)?;
    Ok(uuid_reply(uuid))
}

/// `PUT customfield.api/update`: `{status, uuid}`.
pub(in crate::api::handlers) fn update_definition(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: UpdateCustomFieldDefinitionRequest = request.decode_body()?;
    let uuid = practice.write().work.custom_fields.update_definition(&body)?;
    Ok(uuid_reply(uuid))
}

/// `POST customfield.api/delete`: status only; values held for the field go with it.
pub(in crate::api::handlers) fn delete_definition(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: DeleteCustomFieldDefinitionRequest = request.decode_body()?;
    let uuid = body.uuid.ok_or_else(|| ApiError::bad_request("UUID is required"))?;
    practice.write().work.custom_fields.delete_definition(uuid)?;
    Ok(Reply::status())
}

/// The entity a value endpoint names, checked to exist.
fn owner(request: &ApiRequest, work: &Work) -> Result<ValueOwner, ApiError> {
    let owner = match request.operation.id {
        OperationId::CustomFieldGetJob | OperationId::CustomFieldUpdateJob => {
            let record = work.jobs.require(number_param(request, "jobNumber")?)?;
            ValueOwner::job(record.number())
        }
        OperationId::CustomFieldGetJobTaskByIdentifier | OperationId::CustomFieldUpdateJobTaskByIdentifier => {
            let uuid = request.identifier_uuid()?;
            work.jobs.by_task(uuid).ok_or_else(|| ApiError::not_found(format!("job task {uuid} not found")))?;
            ValueOwner::JobTask(uuid)
        }
        OperationId::CustomFieldGetJobCostByIdentifier | OperationId::CustomFieldUpdateJobCostByIdentifier => {
            let uuid = request.identifier_uuid()?;
            work.jobs.by_cost(uuid).ok_or_else(|| ApiError::not_found(format!("job cost {uuid} not found")))?;
            ValueOwner::JobCost(uuid)
        }
        _ => {
            let uuid = request.identifier_uuid()?;
            work.times.get(uuid).ok_or_else(|| ApiError::not_found(format!("time entry {uuid} not found")))?;
            ValueOwner::Time(uuid)
        }
    };
    Ok(owner)
}

/// `GET …/customfield` on a job, job task, job cost or time entry: the fields holding a value.
pub(in crate::api::handlers) fn values(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let practice = practice.read();
    let owner = owner(request, &practice.work)?;
    Ok(Reply::list(practice.work.custom_fields.read(&owner), Envelope::default(), None))
}

/// `PUT …/customfield` on a job, job task, job cost or time entry: status only.
pub(in crate::api::handlers) fn update_values(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: CustomFieldValuesUpdateRequest = request.decode_body()?;
    let mut practice = practice.write();
    let owner = owner(request, &practice.work)?;
    practice.work.custom_fields.update(&owner, &body)?;
    Ok(Reply::status())
}
