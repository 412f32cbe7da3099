//! XPM operations, by area. Each area module owns the operations of its spec tags.

use parking_lot::RwLock;

use super::reply::{ApiError, Reply};
use super::request::ApiRequest;
use crate::practice::Practice;

/// Runs the operation against the practice.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let _ = practice;
    Err(ApiError::not_implemented(request.operation.id))
}
