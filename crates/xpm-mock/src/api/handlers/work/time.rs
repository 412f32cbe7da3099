//! Time entries (`time.api`).

use std::sync::Arc;

use parking_lot::RwLock;
use xpm_api::model::Time;
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};
use xpm_api::response::Envelope;

use super::support::number_param;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET time.api/list?from&to`: entries dated in the window.
pub(in crate::api::handlers) fn list(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let (from, to) = request.date_window()?;
    let practice = practice.read();
    let times: Vec<Arc<Time>> = practice.work.times.window(from, to).cloned().collect();
    Ok(Reply::list(times, Envelope::default(), None))
}

/// `GET time.api/job/{jobNumber}`: every entry on the job; the documented example also sends
/// `from` and `to`, which narrow the list when given.
pub(in crate::api::handlers) fn job(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "jobNumber")?;
    let from = request.query_date("from")?;
    let to = request.query_date("to")?;
    let practice = practice.read();
    let record = practice.work.jobs.require(number)?;
    let id = record.number();
    let times: Vec<Arc<Time>> = practice
        .work
        .times
        .iter()
        .filter(|time| time.job.as_ref().and_then(|job| job.id.as_deref()) == Some(id))
        .filter(|time| {
            let date = time.date.map(|date| date.naive_date());
            from.is_none_or(|from| date.is_some_and(|date| date >= from))
                && to.is_none_or(|to| date.is_some_and(|date| date <= to))
        })
        .cloned()
        .collect();
    Ok(Reply::list(times, Envelope::default(), None))
}

/// `GET time.api/staff/{uuid}?from&to`: a staff member's entries in the window.
pub(in crate::api::handlers) fn staff(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let staff = request.identifier_uuid()?;
    let (from, to) = request.date_window()?;
    let practice = practice.read();
    if practice.directory.staff_member(staff).is_none() {
        return Err(ApiError::not_found(format!("staff member {staff} not found")));
    }
    let times: Vec<Arc<Time>> = practice
        .work
        .times
        .window(from, to)
        .filter(|time| time.staff.as_ref().and_then(|staff| staff.uuid) == Some(staff))
        .cloned()
        .collect();
    Ok(Reply::list(times, Envelope::default(), None))
}

/// `GET time.api/get/{uuid}`.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let practice = practice.read();
    let time =
        practice.work.times.get(uuid).ok_or_else(|| ApiError::not_found(format!("time entry {uuid} not found")))?;
    Ok(Reply::single((**time).clone()))
}

/// `POST time.api/add`: the new entry.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: TimeAddRequest = request.decode_body()?;
    let mut guard = practice.write();
    let Practice { directory, work, .. } = &mut *guard;
    let time = work.add_time(&*directory, &body)?;
    Ok(Reply::single((*time).clone()))
}

/// `PUT time.api/update`: the changed entry.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: TimeUpdateRequest = request.decode_body()?;
    let mut guard = practice.write();
    let Practice { directory, work, .. } = &mut *guard;
    let time = work.update_time(&*directory, &body)?;
    Ok(Reply::single((*time).clone()))
}

/// `DELETE time.api/delete/{uuid}`: status only.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    practice.write().work.delete_time(uuid)?;
    Ok(Reply::status())
}
