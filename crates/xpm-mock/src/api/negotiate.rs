//! Content negotiation: XML unless both `Accept: application/json` and
//! `Xero-Features: practice-strict-content-type` are sent. The OpenAPI spec documents the
//! `Xero-Features` header on every v3.1 operation ("enables strict Accept/Content-Type
//! negotiation"); that v3.1 answers XML without it is how live tenants behave, which Xero's
//! pages do not spell out.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::reply::Format;

/// The formats of the response and of the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Negotiated {
    /// What to answer in.
    pub(crate) response: Format,
    /// What the request body is in.
    pub(crate) body: Format,
}

const STRICT_FEATURE: &str = "practice-strict-content-type";

/// Decides the formats, or answers 406/415 in strict mode when `reject_mismatch` is set.
pub(crate) fn negotiate(
    headers: &HeaderMap,
    has_body: bool,
    reject_mismatch: bool,
) -> Result<Negotiated, Box<Response>> {
    let strict = header_text(headers, "xero-features")
        .is_some_and(|features| features.split(',').any(|feature| feature.trim().eq_ignore_ascii_case(STRICT_FEATURE)));
    if !strict {
        // Without the flag XPM answers XML whatever `Accept` says, and reads XML bodies.
        return Ok(Negotiated { response: Format::Xml, body: Format::Xml });
    }
    let accept = header_text(headers, header::ACCEPT.as_str()).unwrap_or_default().to_ascii_lowercase();
    let response = if accept.contains("application/json") {
        Format::Json
    } else if accept.is_empty() || accept.contains("xml") || accept.contains("*/*") {
        Format::Xml
    } else if reject_mismatch {
        return Err(Box::new(plain(StatusCode::NOT_ACCEPTABLE, "Accept must allow application/json or text/xml")));
    } else {
        Format::Xml
    };
    let content_type = header_text(headers, header::CONTENT_TYPE.as_str()).unwrap_or_default().to_ascii_lowercase();
    let body = if content_type.contains("json") {
        Format::Json
    } else if content_type.contains("xml") {
        Format::Xml
    } else if has_body && reject_mismatch {
        return Err(Box::new(plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json or text/xml in strict content-type mode",
        )));
    } else {
        response
    };
    Ok(Negotiated { response, body })
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn json_needs_both_headers() {
        let accept_only = negotiate(&headers(&[("accept", "application/json")]), false, true);
        assert_eq!(accept_only.ok().map(|n| n.response), Some(Format::Xml));
        let both = negotiate(
            &headers(&[("accept", "application/json"), ("xero-features", "other, practice-strict-content-type")]),
            false,
            true,
        );
        assert_eq!(both.ok().map(|n| n.response), Some(Format::Json));
    }

    #[test]
    fn strict_mode_rejects_what_it_cannot_serve() {
        let strict = ("xero-features", "practice-strict-content-type");
        let not_acceptable = negotiate(&headers(&[strict, ("accept", "text/csv")]), false, true);
        assert_eq!(not_acceptable.err().map(|r| r.status()), Some(StatusCode::NOT_ACCEPTABLE));
        let unsupported = negotiate(&headers(&[strict, ("content-type", "text/plain")]), true, true);
        assert_eq!(unsupported.err().map(|r| r.status()), Some(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
}
