//! Gateway error bodies from api.xero.com: JSON "problem" objects, not XPM envelopes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::catalog::OperationId;

/// A gateway rejection, before XPM itself sees the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// No usable bearer token.
    Unauthorized { detail: String },
    /// The token expired (Xero's detail text: `TokenExpired: token expired at MM/dd/yyyy HH:mm:ss`).
    TokenExpired { at: DateTime<Utc> },
    /// Missing, unknown or unconnected tenant, or a connection no longer authorised.
    Forbidden,
    /// The token lacks every scope the operation accepts.
    InsufficientScope { operation: OperationId, accepted: String },
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let (status, title, detail) = match &self {
            Problem::Unauthorized { detail } => (StatusCode::UNAUTHORIZED, "Unauthorized", detail.clone()),
            Problem::TokenExpired { at } => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                format!("TokenExpired: token expired at {}", at.format("%m/%d/%Y %H:%M:%S")),
            ),
            Problem::Forbidden => (StatusCode::FORBIDDEN, "Forbidden", "AuthenticationUnsuccessful".to_owned()),
            Problem::InsufficientScope { operation, accepted } => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                format!("insufficient_scope: {operation} needs one of: {accepted}"),
            ),
        };
        let body = serde_json::json!({
            "Type": null,
            "Title": title,
            "Status": status.as_u16(),
            "Detail": detail,
            "Instance": Uuid::new_v4().to_string(),
            "Extensions": {},
        });
        let mut response =
            (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], body.to_string()).into_response();
        let challenge = match &self {
            Problem::InsufficientScope { accepted, .. } => {
                Some(format!("Bearer error=\"insufficient_scope\", scope=\"{accepted}\""))
            }
            Problem::TokenExpired { .. } => Some("Bearer error=\"invalid_token\"".to_owned()),
            Problem::Unauthorized { .. } => Some("Bearer".to_owned()),
            Problem::Forbidden => None,
        };
        if let Some(value) = challenge.and_then(|value| HeaderValue::from_str(&value).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}
