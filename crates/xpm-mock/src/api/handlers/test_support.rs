//! Calling an area's handler directly, without the gateway, for the areas' unit tests.

use axum::http::StatusCode;
use bytes::Bytes;
use chrono::{TimeZone, Utc};
use parking_lot::RwLock;
use xpm_api::catalog::{self, Method};

use crate::api::{ApiRequest, Format};
use crate::practice::Practice;

/// Calls `method target` (path and query) with `body` in `format` through the handlers, at a
/// fixed time: the status and the body text.
pub(crate) async fn call_handler(
    practice: &RwLock<Practice>,
    method: Method,
    target: &str,
    body: &str,
    format: Format,
) -> (StatusCode, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some((operation, params)) = catalog::find(method, path) else {
        panic!("no operation at {method:?} {path}");
    };
    let request = ApiRequest {
        operation,
        params,
        query: serde_urlencoded::from_str(query).unwrap_or_default(),
        body: Bytes::from(body.to_owned()),
        body_format: format,
        now: Utc.with_ymd_and_hms(2026, 3, 15, 9, 30, 0).single().unwrap_or_default(),
        base_url: "http://emulator.test".into(),
    };
    match super::handle(&request, practice) {
        Ok(reply) => {
            let bytes = axum::body::to_bytes(reply.into_body(format, "Test"), usize::MAX).await.unwrap_or_default();
            (StatusCode::OK, String::from_utf8_lossy(&bytes).into_owned())
        }
        Err(error) => (error.status, error.description),
    }
}
