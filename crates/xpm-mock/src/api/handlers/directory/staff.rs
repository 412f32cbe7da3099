//! `staff.api`: list, get, add, update, delete, enable, disable, forgottenpassword.

use parking_lot::RwLock;
use xpm_api::request::{StaffAddRequest, StaffIdentifierRequest, StaffUpdateRequest};
use xpm_api::response::Envelope;

use super::support::required;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET staff.api/list`.
pub(in crate::api::handlers) fn list(_request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let staff = practice.read().directory.staff().to_vec();
    Ok(Reply::list(staff, Envelope::default(), None))
}

/// `GET staff.api/get/{uuid}`.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let staff = practice.read().directory.staff_member(uuid).map(|staff| (**staff).clone());
    let staff = staff.ok_or_else(|| ApiError::not_found(format!("staff member {uuid} not found")))?;
    Ok(Reply::single(staff))
}

/// `POST staff.api/add`.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: StaffAddRequest = request.decode_body()?;
    let staff = practice.write().directory.add_staff(body)?;
    Ok(Reply::single(staff))
}

/// `PUT staff.api/update`.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: StaffUpdateRequest = request.decode_body()?;
    let staff = practice.write().directory.update_staff(body)?;
    Ok(Reply::single(staff))
}

/// `POST staff.api/delete`.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.delete_staff(uuid)?;
    Ok(Reply::status())
}

/// `POST staff.api/enable` (the undocumented `<Security>` element is accepted and ignored).
pub(in crate::api::handlers) fn enable(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.set_staff_enabled(uuid, true)?;
    Ok(Reply::status())
}

/// `POST staff.api/disable`.
pub(in crate::api::handlers) fn disable(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.write().directory.set_staff_enabled(uuid, false)?;
    Ok(Reply::status())
}

/// `POST staff.api/forgottenpassword`: XPM would email a reset link; the emulator only checks
/// that it could.
pub(in crate::api::handlers) fn forgotten_password(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let uuid = identified(request)?;
    practice.read().directory.forgotten_password(uuid)?;
    Ok(Reply::status())
}

fn identified(request: &ApiRequest) -> Result<uuid::Uuid, ApiError> {
    let body: StaffIdentifierRequest = request.decode_body()?;
    required(body.uuid, "UUID")
}
