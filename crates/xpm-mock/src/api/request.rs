//! One XPM call as a handler sees it: the operation, its parameters, the body, the tenant.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::catalog::{Operation, PathParams};

use super::reply::{ApiError, Format};

/// A routed, authenticated, authorised XPM request.
#[derive(Debug)]
pub(crate) struct ApiRequest {
    /// The catalog operation.
    pub(crate) operation: &'static Operation,
    /// Path parameters (`identifier`, `id` …).
    pub(crate) params: PathParams,
    /// Query pairs, as sent.
    pub(crate) query: Vec<(String, String)>,
    /// The request body.
    pub(crate) body: Bytes,
    /// The request body's format (JSON only in strict content-type mode).
    pub(crate) body_format: Format,
    /// The `Xero-Tenant-Id`.
    pub(crate) tenant: Uuid,
    /// The emulator clock's time for this request.
    pub(crate) now: DateTime<Utc>,
    /// The emulator's base URL, for paging links and web URLs.
    pub(crate) base_url: String,
}

impl ApiRequest {
    /// A query parameter, matched case-insensitively (the docs write `modifiedsince`, the spec
    /// `modifiedSince`; XPM's server accepts both).
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// A required path parameter.
    pub(crate) fn param(&self, name: &str) -> Result<&str, ApiError> {
        self.params.get(name).ok_or_else(|| ApiError::bad_request(format!("missing path parameter {name}")))
    }

    /// The `{identifier}` path parameter as a UUID.
    pub(crate) fn identifier_uuid(&self) -> Result<Uuid, ApiError> {
        let text = self.param("identifier")?;
        Uuid::try_parse(text).map_err(|_| ApiError::bad_request(format!("'{text}' is not a valid identifier")))
    }

    /// A boolean query flag such as `detailed=true`.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.query(name).is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }
}
