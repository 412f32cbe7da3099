//! The admin API under `/__admin`, for tests and scripts in any language. Its routes, with what
//! each does, are [`ADMIN_ROUTES`](crate::admin_index::ADMIN_ROUTES), which `GET /__admin` serves.
//!
//! Every admin request passes [`crate::admin_guard`] first: its `Host` must be the emulator's own
//! address, calls that change state need a JSON body (`{}` will do), and an admin token is
//! required when one is configured.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::LimitSettings;
use crate::faults::{FaultRule, parse_rules};
use crate::shared::Shared;

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__admin", get(crate::admin_index::index))
        .route("/__admin/", get(crate::admin_index::index))
        .route("/__admin/journal", get(journal).delete(clear_journal))
        .route("/__admin/reset", axum::routing::post(reset))
        .route("/__admin/clock", get(clock).post(set_clock))
        .route("/__admin/faults", get(faults).post(add_faults).delete(clear_faults))
        .route("/__admin/limits", get(limits).put(set_limits))
        .route("/__admin/tenants", get(tenants))
}

#[derive(Debug, Deserialize)]
struct JournalQuery {
    operation: Option<String>,
}

async fn journal(State(shared): State<Arc<Shared>>, Query(query): Query<JournalQuery>) -> Response {
    let entries: Vec<_> = shared
        .journal
        .entries()
        .into_iter()
        .filter(|entry| {
            query
                .operation
                .as_deref()
                .is_none_or(|wanted| entry.operation.is_some_and(|op| op.eq_ignore_ascii_case(wanted)))
        })
        .collect();
    Json(entries).into_response()
}

async fn clear_journal(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.journal.clear();
    StatusCode::NO_CONTENT
}

async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.journal.clear();
    shared.faults.clear();
    shared.limits.reset();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Serialize)]
struct ClockView {
    now: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockChange {
    now: Option<DateTime<Utc>>,
    advance_seconds: Option<i64>,
}

async fn clock(State(shared): State<Arc<Shared>>) -> Json<ClockView> {
    Json(ClockView { now: shared.clock.now() })
}

async fn set_clock(State(shared): State<Arc<Shared>>, Json(change): Json<ClockChange>) -> Response {
    let moved = match (change.now, change.advance_seconds) {
        (Some(now), None) => shared.clock.try_set(now),
        (None, Some(seconds)) => shared.clock.try_advance_seconds(seconds),
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "send exactly one of {\"now\": \"2026-01-01T00:00:00Z\"} or {\"advanceSeconds\": 60}",
            )
                .into_response();
        }
    };
    match moved {
        Ok(now) => Json(ClockView { now }).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    }
}

async fn faults(State(shared): State<Arc<Shared>>) -> Json<Vec<FaultRule>> {
    Json(shared.faults.rules())
}

/// Adds one rule or an array of them; a malformed rule is a 400 naming the wrong field.
async fn add_faults(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let rules = match parse_rules(&body) {
        Ok(rules) => rules,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    for rule in rules {
        shared.faults.add(rule);
    }
    (StatusCode::CREATED, Json(shared.faults.rules())).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LimitsView {
    enabled: bool,
    concurrent: u32,
    per_minute: u32,
    per_day: u32,
    app_per_minute: u32,
    offset_windows: bool,
    retry_after_on_app_limit: bool,
}

impl From<LimitSettings> for LimitsView {
    fn from(settings: LimitSettings) -> Self {
        Self {
            enabled: settings.enabled,
            concurrent: settings.concurrent,
            per_minute: settings.per_minute,
            per_day: settings.per_day,
            app_per_minute: settings.app_per_minute,
            offset_windows: settings.offset_windows,
            retry_after_on_app_limit: settings.retry_after_on_app_limit,
        }
    }
}

async fn limits(State(shared): State<Arc<Shared>>) -> Json<LimitsView> {
    Json(shared.limits.settings().into())
}

async fn set_limits(State(shared): State<Arc<Shared>>, Json(view): Json<LimitsView>) -> Json<LimitsView> {
    shared.limits.set_settings(LimitSettings {
        enabled: view.enabled,
        concurrent: view.concurrent,
        per_minute: view.per_minute,
        per_day: view.per_day,
        app_per_minute: view.app_per_minute,
        offset_windows: view.offset_windows,
        retry_after_on_app_limit: view.retry_after_on_app_limit,
    });
    Json(shared.limits.settings().into())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TenantView {
    tenant_id: uuid::Uuid,
    tenant_name: String,
}

async fn tenants(State(shared): State<Arc<Shared>>) -> Json<Vec<TenantView>> {
    Json(
        shared
            .practices
            .tenants()
            .into_iter()
            .map(|(tenant_id, tenant_name)| TenantView { tenant_id, tenant_name })
            .collect(),
    )
}
