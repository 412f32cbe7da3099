//! `GET /connections` and `DELETE /connections/{id}` (api.xero.com; the identity spec spells the
//! path `/Connections`, and both spellings are served).
//!
//! Bearer token only: no `Xero-Tenant-Id`. The list is a bare JSON array.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Timelike as _, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::bearer::bearer_token;
use super::state::AccessGrant;
use super::store::Connection;
use crate::api::Problem;
use crate::journal::JournalEntry;
use crate::shared::Shared;

/// One connection as `/connections` returns it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionView {
    id: Uuid,
    auth_event_id: Uuid,
    tenant_id: Uuid,
    tenant_type: &'static str,
    tenant_name: String,
    created_date_utc: String,
    updated_date_utc: String,
}

impl From<&Connection> for ConnectionView {
    fn from(connection: &Connection) -> Self {
        Self {
            id: connection.id,
            auth_event_id: connection.auth_event_id,
            tenant_id: connection.tenant_id,
            tenant_type: "PRACTICEMANAGER",
            tenant_name: connection.tenant_name.clone(),
            created_date_utc: connection_time(connection.created),
            updated_date_utc: connection_time(connection.updated),
        }
    }
}

/// Xero's connection timestamps: UTC without an offset, seven fractional digits
/// (`2019-12-07T18:46:19.5165400`).
fn connection_time(at: DateTime<Utc>) -> String {
    format!("{}.{:07}", at.format("%Y-%m-%dT%H:%M:%S"), at.nanosecond() % 1_000_000_000 / 100)
}

/// The `authEventId` query parameter (its name matched case-insensitively, as ASP.NET does).
fn auth_event_filter(query: Option<&str>) -> Result<Option<Uuid>, uuid::Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    match pairs.into_iter().find(|(name, _)| name.eq_ignore_ascii_case("authEventId")) {
        None => Ok(None),
        Some((_, value)) if value.trim().is_empty() => Ok(None),
        Some((_, value)) => Uuid::try_parse(value.trim()).map(Some),
    }
}

/// `GET /connections` (`?authEventId=` filters the list to one authorisation).
pub(crate) async fn list(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    journaled(&shared, &Method::GET, &uri, &headers, |grant| {
        let filter = match auth_event_filter(uri.query()) {
            Ok(filter) => filter,
            Err(_) => return (StatusCode::BAD_REQUEST, "authEventId must be a uuid").into_response(),
        };
        let store = shared.identity.store.lock();
        let connections: Vec<ConnectionView> = store
            .connections(grant.user_id, &grant.client_id)
            .filter(|connection| filter.is_none_or(|id| connection.auth_event_id == id))
            .map(ConnectionView::from)
            .collect();
        drop(store);
        let mut response = Json(connections).into_response();
        if let Some(remaining) = shared.limits.count_app_call(&grant.client_id, shared.clock.now()) {
            response.headers_mut().insert("x-appminlimit-remaining", HeaderValue::from(remaining));
        }
        response
    })
}

/// `DELETE /connections/{id}`: 204, or 404 when the id is not one of the user's connections.
pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    journaled(&shared, &Method::DELETE, &uri, &headers, |grant| {
        let now = shared.clock.now();
        let removed = Uuid::try_parse(&id)
            .is_ok_and(|id| shared.identity.store.lock().disconnect(grant.user_id, &grant.client_id, id, now));
        if removed { StatusCode::NO_CONTENT.into_response() } else { StatusCode::NOT_FOUND.into_response() }
    })
}

/// Authenticates the bearer token, runs `handle`, and journals the call as `connections`.
fn journaled(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    handle: impl FnOnce(&AccessGrant) -> Response,
) -> Response {
    let started = Instant::now();
    let now = shared.clock.now();
    let mut entry = JournalEntry::new(now, method.as_str(), uri.path());
    entry.operation = Some("connections");
    let grant = bearer_token(headers)
        .ok_or_else(|| Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() })
        .and_then(|token| shared.identity.authenticate(token, now));
    let response = match grant {
        Ok(grant) => {
            entry.client_id = Some(grant.client_id.clone());
            handle(&grant)
        }
        Err(problem) => problem.into_response(),
    };
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_seven_fractional_digits_and_no_offset() {
        let at = DateTime::from_timestamp(1_575_744_379, 516_540_000).unwrap_or_default();
        assert_eq!(connection_time(at), "2019-12-07T18:46:19.5165400");
        let whole = DateTime::from_timestamp(1_575_744_379, 0).unwrap_or_default();
        assert_eq!(connection_time(whole), "2019-12-07T18:46:19.0000000");
    }
}
