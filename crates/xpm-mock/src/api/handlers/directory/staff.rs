//! `staff.api`: list, get, add, update, delete, enable, disable, forgottenpassword.

use parking_lot::RwLock;
use xpm_api::request::{StaffAddRequest, StaffIdentifierRequest, StaffUpdateRequest};
use xpm_api::response::Envelope;

use super::support::required;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET staff.api/list`.
pub(super) fn list(_request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let staff = practice.read().directory.staff().to_vec();
    Ok(Reply::list(staff, Envelope::default(), None))
}

/// `GET staff.api/get/{uuid}`.
pub(super) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let staff = practice.read().directory.staff_member(uuid).map(|staff| (**staff).clone());
    let staff = staff.ok_or_else(|| ApiError::not_found(format!("staff member {uuid} not found")))?;
    Ok(Reply::single(staff))
}

/// `POST staff.api/add`.
pub(super) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: StaffAddRequest = request.decode_body()?;
    let staff = practice.write().directory.add_staff(body)?;
    Ok(Reply::single(staff))
}

/// `PUT staff.api/update`.
pub(super) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: StaffUpdateRequest = request.decode_body()?;
    let staff = practice.write().directory.update_staff(body)?;
    Ok(Reply::single(staff))
}

/// `POST staff.api/delete`.
pub(super) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.delete_staff(uuid)?;
    Ok(Reply::status())
}

/// `POST staff.api/enable` (the undocumented `<Security>` element is accepted and ignored).
pub(super) fn enable(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.set_staff_enabled(uuid, true)?;
    Ok(Reply::status())
}

/// `POST staff.api/disable`.
pub(super) fn disable(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.set_staff_enabled(uuid, false)?;
    Ok(Reply::status())
}

/// `POST staff.api/forgottenpassword`: XPM would email a reset link; the emulator only checks
/// that it could.
pub(super) fn forgotten_password(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.read().directory.forgotten_password(uuid)?;
    Ok(Reply::status())
}

fn identified(request: &ApiRequest) -> Result<uuid::Uuid, ApiError> {
    let body: StaffIdentifierRequest = request.decode_body()?;
    required(body.uuid, "UUID")
}
