//! `clientgroup.api`: list, get, add, members, delete.

use parking_lot::RwLock;
use xpm_api::request::{ClientGroupAddRequest, ClientGroupDeleteRequest, ClientGroupMembersRequest};
use xpm_api::response::Envelope;

use super::support::required;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET clientgroup.api/list`: groups without members.
pub(in crate::api::handlers) fn list(_request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let groups = practice.read().directory.groups().to_vec();
    Ok(Reply::list(groups, Envelope::default(), None))
}

/// `GET clientgroup.api/get/{uuid}`: the group with its clients.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let group = practice.read().directory.group_detail(uuid);
    let group = group.ok_or_else(|| ApiError::not_found(format!("group {uuid} not found")))?;
    Ok(Reply::single(group))
}

/// `POST clientgroup.api/add`.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientGroupAddRequest = request.decode_body()?;
    let group = practice.write().directory.add_group(body, request.now)?;
    Ok(Reply::single(group))
}

/// `PUT clientgroup.api/members`.
pub(in crate::api::handlers) fn members(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientGroupMembersRequest = request.decode_body()?;
    let group = practice.write().directory.change_members(body, request.now)?;
    Ok(Reply::single(group))
}

/// `POST clientgroup.api/delete`.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientGroupDeleteRequest = request.decode_body()?;
    let uuid = required(body.uuid, "UUID")?;
    practice.write().directory.delete_group(uuid, request.now)?;
    Ok(Reply::status())
}
