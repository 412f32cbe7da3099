//! XPM operations, by area. Each area answers the operations it owns and passes on the rest.

mod directory;
#[cfg(test)]
mod test_support;
mod work;

use parking_lot::RwLock;

use super::reply::{ApiError, Reply};
use super::request::ApiRequest;
use crate::practice::Practice;

/// Runs the operation against the practice. Every catalog operation reaches an area or gets a
/// clear 501 naming it, never a silent 404.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    if let Some(outcome) = directory::handle(request, practice) {
        return outcome;
    }
    if let Some(outcome) = work::handle(request, practice) {
        return outcome;
    }
    Err(ApiError::not_implemented(request.operation.id))
}
