//! Clients, contacts, client groups, relationships, client documents, staff, and client and
//! contact custom field values.

use parking_lot::RwLock;

use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// Answers the directory's operations; `None` for operations of other areas.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Option<Result<Reply, ApiError>> {
    let _ = (request, practice);
    None
}
