//! The admin API under `/__admin`: journal, reset, approvals, clock and faults.

use std::sync::Arc;

use axum::Router;

use crate::shared::Shared;

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
}
