//! The XPM 3.1 API under `/practicemanager/3.1/` (and `/practicemanager/v3.1/`).

mod gateway;
mod handlers;
mod negotiate;
mod problem;
mod reply;
mod request;

use std::sync::Arc;

use axum::Router;
use axum::routing::any;
use xpm_api::catalog::{API_PATH_PREFIX, SPEC_API_PATH_PREFIX};

pub(crate) use problem::Problem;
pub(crate) use reply::{ApiError, Format, Reply};
pub(crate) use request::ApiRequest;

use crate::shared::Shared;

/// The XPM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(&format!("{API_PATH_PREFIX}/{{*rest}}"), any(gateway::handle))
        .route(&format!("{SPEC_API_PATH_PREFIX}/{{*rest}}"), any(gateway::handle))
}
