//! `client.api` client operations: list, paged-list, search, get, add, update, archive, delete.

use chrono::{DateTime, Utc};
use parking_lot::RwLock;
use xpm_api::request::{ClientAddRequest, ClientArchiveRequest, ClientDeleteRequest, ClientUpdateRequest};
use xpm_api::response::Envelope;
use xpm_api::value::XpmDate;

use super::paging::{Listing, page_request, pagination};
use super::support::required;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::directory::paged_shape;

/// `GET client.api/list[?detailed=true][&modifiedsince=…]`: every client, archived and deleted
/// ones included.
pub(in crate::api::handlers) fn list(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let since = modified_since(request)?;
    let clients = practice.read().directory.client_list(request.flag("detailed"), since);
    Ok(Reply::list(clients, Envelope::default(), None))
}

/// `GET client.api/paged-list[?pageSize=…][&pageToken=…]`: active clients, reduced shape.
pub(in crate::api::handlers) fn paged_list(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let page = page_request(request, Listing::Clients)?;
    let found = practice.read().directory.active_client_page(page.start, page.size);
    let envelope = Envelope {
        pagination: Some(pagination(request, Listing::Clients, page.size, found.next)),
        ..Envelope::default()
    };
    Ok(Reply::list(found.items, envelope, Some(paged_shape)))
}

/// `GET client.api/search?query=…[&detailed=true]`.
pub(in crate::api::handlers) fn search(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let query = request.query("query").unwrap_or_default();
    let clients = practice.read().directory.search(query, request.flag("detailed"));
    Ok(Reply::list(clients, Envelope::default(), None))
}

/// `GET client.api/get/{uuid}`: the detailed client.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let client = practice.read().directory.detailed_client(uuid);
    let client = client.ok_or_else(|| ApiError::not_found(format!("client {uuid} not found")))?;
    Ok(Reply::single(client))
}

/// `POST client.api/add`.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientAddRequest = request.decode_body()?;
    let client = practice.write().directory.add_client(body, request.now)?;
    Ok(Reply::single(client))
}

/// `PUT client.api/update`.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientUpdateRequest = request.decode_body()?;
    let client = practice.write().directory.update_client(body, request.now)?;
    Ok(Reply::single(client))
}

/// `PUT client.api/archive`.
pub(in crate::api::handlers) fn archive(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientArchiveRequest = request.decode_body()?;
    let uuid = required(body.uuid, "UUID")?;
    let client = practice.write().directory.archive_client(uuid, request.now)?;
    Ok(Reply::single(client))
}

/// `POST client.api/delete`.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ClientDeleteRequest = request.decode_body()?;
    let uuid = required(body.uuid, "UUID")?;
    practice.write().directory.delete_client(uuid, request.now)?;
    Ok(Reply::status())
}

/// `modifiedsince` (any letter case): a UTC time, `yyyy-MM-ddTHH:mm:ss`.
fn modified_since(request: &ApiRequest) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(text) = request.query("modifiedsince").map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let parsed: XpmDate = text.parse().map_err(|_| {
        ApiError::bad_request(format!("modifiedsince must be a UTC time like 2024-07-01T09:30:00, not '{text}'"))
    })?;
    Ok(Some(parsed.value().and_utc()))
}
