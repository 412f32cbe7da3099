//! One XPM call as a handler sees it: the operation, its parameters, the body, the tenant.

use bytes::Bytes;
use chrono::{DateTime, Months, NaiveDate, Utc};
use uuid::Uuid;
use xpm_api::catalog::{Operation, PathParams};
use xpm_api::request::RequestBody;

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

    /// The body decoded in the negotiated format. A missing or undecodable body is a 400 that
    /// names the expected root or schema, and the element path and byte offset of the problem.
    pub(crate) fn decode_body<T: RequestBody>(&self) -> Result<T, ApiError> {
        let form = match self.body_format {
            Format::Xml => format!("<{}> XML", T::ROOT),
            Format::Json => format!("{} JSON", T::JSON_SCHEMA),
        };
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(format!("the request needs a {form} body")));
        }
        let decoded = match self.body_format {
            Format::Xml => T::from_xml(&self.body),
            Format::Json => T::from_json(&self.body),
        };
        decoded.map_err(|error| ApiError::bad_request(format!("invalid {form} body: {error}")))
    }

    /// An optional `yyyyMMdd` query date such as `due` or `start`.
    pub(crate) fn query_date(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        match self.query(name).map(str::trim).filter(|text| !text.is_empty()) {
            None => Ok(None),
            Some(text) => parse_compact_date(text)
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(format!("{name} '{text}' is not a date in the form yyyyMMdd"))),
        }
    }

    /// The required `from` and `to` dates of a date-windowed list, both included. As on XPM, a
    /// missing `from` is reported first, then a missing `to`, then a window of a year or more.
    pub(crate) fn date_window(&self) -> Result<(NaiveDate, NaiveDate), ApiError> {
        let missing = |name: &str| ApiError::bad_request(format!("the {name} parameter is required (yyyyMMdd)"));
        let given = |name: &str| self.query(name).map(str::trim).filter(|text| !text.is_empty());
        given("from").ok_or_else(|| missing("from"))?;
        given("to").ok_or_else(|| missing("to"))?;
        let (Some(from), Some(to)) = (self.query_date("from")?, self.query_date("to")?) else {
            return Err(missing("from"));
        };
        if to < from {
            return Err(ApiError::bad_request("to must not be before from"));
        }
        if from.checked_add_months(Months::new(12)).is_none_or(|limit| to >= limit) {
            return Err(ApiError::bad_request("the range between from and to must be less than one year"));
        }
        Ok((from, to))
    }
}

/// A date written `yyyyMMdd`.
fn parse_compact_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}
