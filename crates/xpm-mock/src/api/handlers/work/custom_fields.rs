//! Custom field definitions (`customfield.api`) and the values on clients, contacts, jobs, job
//! tasks, job costs and time entries.

use parking_lot::RwLock;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::request::{
    AddCustomFieldDefinitionRequest, CustomFieldValuesUpdateRequest, DeleteCustomFieldDefinitionRequest,
    UpdateCustomFieldDefinitionRequest,
};
use xpm_api::response::Envelope;

use super::support::{number_param, uuid_reply};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::work::ValueOwner;

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

/// The entity a value endpoint names, checked to exist. Deleted clients and contacts keep
/// their values, so they are still found.
fn owner(request: &ApiRequest, practice: &Practice) -> Result<ValueOwner, ApiError> {
    let id = request.operation.id;
    let kind = CustomFieldOwnerKind::of(id)
        .ok_or_else(|| ApiError::not_found(format!("{} holds no custom field values", id.as_str())))?;
    let owner = match kind {
        CustomFieldOwnerKind::Client => {
            let uuid = request.identifier_uuid()?;
            practice.directory.client(uuid).ok_or_else(|| ApiError::not_found(format!("client {uuid} not found")))?;
            ValueOwner::Client(uuid)
        }
        CustomFieldOwnerKind::Contact => {
            let uuid = request.identifier_uuid()?;
            practice.directory.contact(uuid).ok_or_else(|| ApiError::not_found(format!("contact {uuid} not found")))?;
            ValueOwner::Contact(uuid)
        }
        CustomFieldOwnerKind::Job => {
            let record = practice.work.jobs.require(number_param(request, kind.path_param())?)?;
            ValueOwner::job(record.number())
        }
        CustomFieldOwnerKind::JobTask => {
            let uuid = request.identifier_uuid()?;
            practice
                .work
                .jobs
                .by_task(uuid)
                .ok_or_else(|| ApiError::not_found(format!("job task {uuid} not found")))?;
            ValueOwner::JobTask(uuid)
        }
        CustomFieldOwnerKind::JobCost => {
            let uuid = request.identifier_uuid()?;
            practice
                .work
                .jobs
                .by_cost(uuid)
                .ok_or_else(|| ApiError::not_found(format!("job cost {uuid} not found")))?;
            ValueOwner::JobCost(uuid)
        }
        CustomFieldOwnerKind::Time => {
            let uuid = request.identifier_uuid()?;
            practice.work.times.get(uuid).ok_or_else(|| ApiError::not_found(format!("time entry {uuid} not found")))?;
            ValueOwner::Time(uuid)
        }
    };
    Ok(owner)
}

/// `GET …/customfield` on a client, contact, job, job task, job cost or time entry: the fields
/// holding a value.
pub(in crate::api::handlers) fn values(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let practice = practice.read();
    let owner = owner(request, &practice)?;
    Ok(Reply::list(practice.work.custom_fields.read(&owner), Envelope::default(), None))
}

/// `PUT …/customfield` on a client, contact, job, job task, job cost or time entry: status only.
///
/// Every entity's values live in the work book's store, checked against the definitions there
/// (the `Use…` flag, the value element, dropdown options). Setting a client's values counts as
/// a change to the client.
pub(in crate::api::handlers) fn update_values(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: CustomFieldValuesUpdateRequest = request.decode_body()?;
    let mut practice = practice.write();
    let owner = owner(request, &practice)?;
    practice.work.custom_fields.update(&owner, &body)?;
    if let ValueOwner::Client(client) = owner {
        practice.directory.touch(client, request.now);
    }
    Ok(Reply::status())
}
