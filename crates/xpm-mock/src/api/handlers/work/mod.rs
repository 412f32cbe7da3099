//! Jobs, job tasks, notes, documents and costs, task types, time, categories, job states,
//! templates, the cost list, invoices, quotes, custom field definitions, and job, task, cost and
//! time custom field values.

use parking_lot::RwLock;

use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// Answers the work book's operations; `None` for operations of other areas.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Option<Result<Reply, ApiError>> {
    let _ = (request, practice);
    None
}
