//! The price list (`cost.api`).

use parking_lot::RwLock;
use xpm_api::request::{CostAddRequest, CostDeleteAllRequest, CostDeleteRequest, CostUpdateRequest};
use xpm_api::response::Envelope;

use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET cost.api/list?page=N`: up to 1,000 items with `<Records>`, the count on this page; a
/// page past the end has none.
pub(in crate::api::handlers) fn list(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let text = request
        .query("page")
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .ok_or_else(|| ApiError::bad_request("the page parameter is required (1 for the first page)"))?;
    let page = text
        .parse::<usize>()
        .ok()
        .filter(|page| *page >= 1)
        .ok_or_else(|| ApiError::bad_request(format!("page '{text}' must be a whole number from 1")))?;
    let items = practice.read().work.price_list.page(page);
    let records = i32::try_from(items.len()).unwrap_or(i32::MAX);
    Ok(Reply::list(items, Envelope { records: Some(records), ..Envelope::default() }, None))
}

/// `GET cost.api/get/{uuid}`.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let practice = practice.read();
    let cost = practice.work.price_list.get(uuid)?;
    Ok(Reply::single((**cost).clone()))
}

/// `POST cost.api/add`: the new item.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: CostAddRequest = request.decode_body()?;
    let cost = practice.write().work.price_list.add(&body)?;
    Ok(Reply::single((*cost).clone()))
}

/// `PUT cost.api/update`: the changed item.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: CostUpdateRequest = request.decode_body()?;
    let cost = practice.write().work.price_list.update(&body)?;
    Ok(Reply::single((*cost).clone()))
}

/// `POST cost.api/delete`: status only.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: CostDeleteRequest = request.decode_body()?;
    let uuid = body.uuid.ok_or_else(|| ApiError::bad_request("UUID is required"))?;
    practice.write().work.price_list.delete(uuid)?;
    Ok(Reply::status())
}

/// `POST cost.api/deleteall`: empties the price list; status only.
pub(in crate::api::handlers) fn delete_all(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let _: CostDeleteAllRequest = request.decode_body()?;
    practice.write().work.price_list.delete_all();
    Ok(Reply::status())
}
