//! Fault injection: make chosen operations slow, fail, reset, truncate or lie.
//!
//! Rules match an operation id or a path prefix and fire on a deterministic schedule (every call,
//! the first N calls, or a seeded fraction), so a test that injects faults sees the same sequence
//! every run.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use xpm_api::catalog::Operation;

use crate::api::Format;

/// What to do to a matching request, written as JSON with its `kind` beside its fields:
/// `{"kind": "latency", "ms": 2000}`, `{"kind": "status", "code": 503}`,
/// `{"kind": "too_many_requests", "retry_after": 30}`, `{"kind": "reset"}`, `{"kind": "truncate"}`,
/// `{"kind": "malformed"}`, `{"kind": "error200", "description": "…"}`,
/// `{"kind": "apply_then_drop", "hold_ms": 0}`, `{"kind": "drift", "element": "IsArchived", "value": "Maybe"}`.
///
/// A field the kind does not take is refused by name, so a misspelt field is not silently
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Wait this long before handling.
    Latency {
        /// The delay, in milliseconds (`millis` and `milliseconds` are accepted too).
        #[serde(with = "millis", alias = "millis", alias = "milliseconds")]
        ms: Duration,
    },
    /// Answer with this HTTP status and an XPM error body (500, 503 …).
    Status {
        /// The status code.
        code: u16,
    },
    /// Answer 429 as Xero does for a minute-limit breach, with `Retry-After`.
    TooManyRequests {
        /// Seconds for `Retry-After`.
        retry_after: u64,
    },
    /// Drop the connection without a response body.
    Reset,
    /// Send the real response cut to half its length, then drop the connection.
    Truncate,
    /// Send a body that is not well-formed XML.
    Malformed,
    /// Answer HTTP 200 with `<Status>ERROR</Status>`.
    #[serde(rename = "error200", alias = "error_200")]
    Error200 {
        /// The `ErrorDescription`.
        description: String,
    },
    /// Run the request (a write takes effect), then, after `hold_ms`, drop the connection
    /// without the answer's body: a write whose outcome the client cannot know. The hold lets a
    /// test stop the client while the write is done and the answer not yet sent.
    ApplyThenDrop {
        /// How long to hold the connection open after applying, in milliseconds (default 0).
        #[serde(default, with = "millis", alias = "hold_millis")]
        hold_ms: Duration,
    },
    /// The real answer with the text of its first `element` replaced by `value` (in JSON, the
    /// first key named as the element with its first letter lowered): a value in a form clients
    /// were not written for, as when XPM's output drifts. An answer without the element passes
    /// unchanged (the journal still records the fault).
    Drift {
        /// The XML element whose text changes, e.g. `IsArchived`.
        element: String,
        /// The text it gets, e.g. `Maybe`.
        value: String,
    },
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_millis)
    }
}

/// When a rule applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// An operation id (`ClientV31_List`) or a path prefix (`/client.api/`); `*` matches all.
    pub matches: String,
    /// The fault.
    pub fault: Fault,
    /// Fire only this many times, then retire.
    #[serde(default)]
    pub times: Option<u32>,
    /// Fire on this fraction of matching calls (0–1), decided by the seeded generator.
    #[serde(default)]
    pub probability: Option<f64>,
}

impl FaultRule {
    fn applies_to(&self, operation: &Operation, path: &str) -> bool {
        self.matches == "*"
            || self.matches.eq_ignore_ascii_case(operation.id.as_str())
            || (self.matches.starts_with('/')
                && path.to_ascii_lowercase().starts_with(&self.matches.to_ascii_lowercase()))
    }
}

/// Why a fault scenario (a rule, or an array of rules, in JSON) was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FaultRulesError {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// A rule does not have the shape of a fault rule; the message names the field.
    #[error("{}: {message}; a rule looks like {RULE_EXAMPLE}", if path.is_empty() { "the rule" } else { path.as_str() })]
    Invalid {
        /// Where in the scenario: `fault.ms`, `[1].fault.kind` …
        path: String,
        /// What is wrong there.
        message: String,
    },
}

/// A rule, as error messages show it.
const RULE_EXAMPLE: &str = r#"{"matches": "ClientV31_List", "fault": {"kind": "latency", "ms": 2000}, "times": 2}"#;

/// Reads a fault scenario: one rule, or an array of rules (`POST /__admin/faults` and the
/// emulator's `--faults` file take the same). A wrong field is named with its path.
pub fn parse_rules(json: &[u8]) -> Result<Vec<FaultRule>, FaultRulesError> {
    let value: serde_json::Value = serde_json::from_slice(json).map_err(FaultRulesError::NotJson)?;
    let parsed = if value.is_array() {
        serde_path_to_error::deserialize::<_, Vec<FaultRule>>(value)
    } else {
        serde_path_to_error::deserialize::<_, FaultRule>(value).map(|rule| vec![rule])
    };
    parsed.map_err(|error| {
        let path = error.path().to_string();
        FaultRulesError::Invalid {
            path: if path == "." { String::new() } else { path },
            message: error.into_inner().to_string(),
        }
    })
}

/// The active fault rules.
#[derive(Debug)]
pub struct Faults {
    state: Mutex<FaultState>,
}

#[derive(Debug)]
struct FaultState {
    rules: Vec<FaultRule>,
    random: ChaCha8Rng,
    seed: u64,
}

impl Faults {
    /// No faults; `seed` drives probabilistic rules.
    pub fn new(seed: u64) -> Self {
        Self { state: Mutex::new(FaultState { rules: Vec::new(), random: ChaCha8Rng::seed_from_u64(seed), seed }) }
    }

    /// Adds a rule. Earlier rules win when several match.
    pub fn add(&self, rule: FaultRule) {
        self.state.lock().rules.push(rule);
    }

    /// Removes every rule and restarts the random sequence.
    pub fn clear(&self) {
        let mut state = self.state.lock();
        state.rules.clear();
        state.random = ChaCha8Rng::seed_from_u64(state.seed);
    }

    /// The active rules.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.state.lock().rules.clone()
    }

    /// The fault for this call, if a rule fires; consumes one use of a counted rule.
    pub(crate) fn pick(&self, operation: &Operation, path: &str, _now: DateTime<Utc>) -> Option<Fault> {
        self.pick_where(|rule| rule.applies_to(operation, path))
    }

    /// The fault for an identity endpoint, by name: `token:refresh_token` or
    /// `token:authorization_code` for one grant, `token` for both. The token endpoint applies it
    /// after issuing (and rotating), so `reset` reproduces a response lost after rotation.
    pub(crate) fn pick_endpoint(&self, endpoint: &str, detail: Option<&str>) -> Option<Fault> {
        let specific = detail.map(|detail| format!("{endpoint}:{detail}"));
        self.pick_where(|rule| {
            rule.matches.eq_ignore_ascii_case(endpoint)
                || specific.as_deref().is_some_and(|specific| rule.matches.eq_ignore_ascii_case(specific))
        })
    }

    fn pick_where(&self, applies: impl Fn(&FaultRule) -> bool) -> Option<Fault> {
        let mut state = self.state.lock();
        let FaultState { rules, random, .. } = &mut *state;
        let index = rules.iter().position(|rule| {
            applies(rule) && rule.probability.is_none_or(|probability| random.random::<f64>() < probability)
        })?;
        let rule = &mut rules[index];
        let fault = rule.fault.clone();
        if let Some(times) = rule.times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                rules.remove(index);
            }
        }
        Some(fault)
    }
}

impl Fault {
    /// A short name for the journal.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Fault::Latency { .. } => "latency",
            Fault::Status { .. } => "status",
            Fault::TooManyRequests { .. } => "too_many_requests",
            Fault::Reset => "reset",
            Fault::Truncate => "truncate",
            Fault::Malformed => "malformed",
            Fault::Error200 { .. } => "error_200",
            Fault::ApplyThenDrop { .. } => "apply_then_drop",
            Fault::Drift { .. } => "drift",
        }
    }

    /// A response that replaces the handler's, for faults that never reach XPM.
    pub(crate) fn replace_response(&self, format: Format, operation: &Operation) -> Option<Response> {
        let response = match self {
            Fault::Latency { .. } | Fault::Truncate | Fault::ApplyThenDrop { .. } | Fault::Drift { .. } => return None,
            Fault::Status { code } => {
                let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let description =
                    format!("injected fault: {} {}", status.as_u16(), status.canonical_reason().unwrap_or(""));
                error_body(status, format, &description, operation)
            }
            Fault::TooManyRequests { retry_after } => {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                let headers = response.headers_mut();
                headers.insert("x-rate-limit-problem", HeaderValue::from_static("minute"));
                if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                    headers.insert(header::RETRY_AFTER, value);
                }
                response
            }
            Fault::Reset => broken_body(Bytes::new(), None),
            Fault::Malformed => {
                let mut response = Response::new(Body::from("<Response><Status>OK</Status><Clients><Client><Name>cut"));
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
                response
            }
            Fault::Error200 { description } => error_body(StatusCode::OK, format, description, operation),
        };
        Some(response)
    }

    /// Alters a real response on its way out: truncation, or the answer of an applied write
    /// dropped.
    pub(crate) async fn mangle_response(&self, response: Response) -> Response {
        if let Fault::ApplyThenDrop { hold_ms } = self {
            if !hold_ms.is_zero() {
                tokio::time::sleep(*hold_ms).await;
            }
            return dropped_connection();
        }
        if let Fault::Drift { element, value } = self {
            return drifted(response, element, value).await;
        }
        if *self != Fault::Truncate {
            return response;
        }
        let (parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return broken_body(Bytes::new(), None);
        };
        let full_length = bytes.len();
        let mut response = broken_body(bytes.slice(..full_length / 2), Some(full_length));
        *response.status_mut() = parts.status;
        if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE) {
            response.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
        }
        response
    }
}

/// `response` with `element`'s text replaced (see [`Fault::Drift`]).
async fn drifted(response: Response, element: &str, value: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return broken_body(Bytes::new(), None);
    };
    let json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    let changed = if json {
        crate::drift::drift_json(&bytes, &crate::drift::json_key(element), value)
    } else {
        crate::drift::drift_xml(&bytes, element, value)
    };
    let body = changed.map_or(bytes, Bytes::from);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

fn error_body(status: StatusCode, format: Format, description: &str, operation: &Operation) -> Response {
    let body = match format {
        Format::Xml => xpm_api::response::encode_error_xml(description, Some(operation.id.as_str())),
        Format::Json => xpm_api::response::encode_error_json(description),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    response
}

/// A response that ends the connection without a complete message.
pub(crate) fn dropped_connection() -> Response {
    broken_body(Bytes::new(), None)
}

/// A response whose body yields `prefix` and then fails, so the server drops the connection
/// mid-message; with `announced` the `Content-Length` promises more than arrives.
fn broken_body(prefix: Bytes, announced: Option<usize>) -> Response {
    // The pause lets the server flush the headers and the partial body before the failure
    // aborts the connection, so clients see a cut body rather than no response at all.
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let prefix = prefix.clone();
        async move {
            match step {
                0 => Some((Ok(prefix), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected connection reset");
                    Some((Err(reset), 2))
                }
                _ => None,
            }
        }
    });
    let mut response = Response::new(Body::from_stream(stream));
    if let Some(length) = announced.and_then(|length| HeaderValue::from_str(&length.to_string()).ok()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, length);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{"kind": …}` examples README.md gives, one per fault kind.
    fn readme_examples() -> Vec<&'static str> {
        include_str!("../../../README.md").split('`').filter(|snippet| snippet.starts_with(r#"{"kind": "#)).collect()
    }

    #[test]
    fn every_fault_kind_is_writable_as_the_readme_documents_it() {
        let mut kinds: Vec<&'static str> = Vec::new();
        for example in readme_examples() {
            let fault: Fault = serde_json::from_str(example).unwrap_or_else(|error| panic!("{example}: {error}"));
            kinds.push(fault.name());
        }
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(
            kinds,
            [
                "apply_then_drop",
                "drift",
                "error_200",
                "latency",
                "malformed",
                "reset",
                "status",
                "too_many_requests",
                "truncate"
            ]
        );
    }

    #[test]
    fn apply_then_drop_holds_for_nothing_unless_told() {
        let rules = parse_rules(br#"{"matches": "ClientV31_Add", "fault": {"kind": "apply_then_drop"}}"#)
            .map_err(|error| error.to_string());
        assert!(rules.as_ref().is_ok_and(|rules| rules[0].fault == Fault::ApplyThenDrop { hold_ms: Duration::ZERO }));
        let rules = parse_rules(br#"{"matches": "*", "fault": {"kind": "apply_then_drop", "hold_ms": 250}}"#)
            .map_err(|error| error.to_string());
        let expected = Fault::ApplyThenDrop { hold_ms: Duration::from_millis(250) };
        assert!(rules.as_ref().is_ok_and(|rules| rules[0].fault == expected), "{rules:?}");
        let held = Fault::ApplyThenDrop { hold_ms: Duration::ZERO };
        assert!(held.replace_response(Format::Xml, xpm_api::catalog::OperationId::ClientAdd.operation()).is_none());
    }

    #[test]
    fn latency_takes_milliseconds_under_any_of_its_names() {
        for field in ["ms", "millis", "milliseconds"] {
            let json = format!(r#"{{"matches": "*", "fault": {{"kind": "latency", "{field}": 2000}}}}"#);
            let rules = parse_rules(json.as_bytes()).map_err(|error| error.to_string());
            let expected = Fault::Latency { ms: Duration::from_millis(2000) };
            assert!(rules.as_ref().is_ok_and(|rules| rules[0].fault == expected), "{field}: {rules:?}");
        }
    }

    fn refusal(json: &str) -> String {
        match parse_rules(json.as_bytes()) {
            Ok(rules) => panic!("{json} was accepted: {rules:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_wrong_field_is_named_with_its_path() {
        let message = refusal(r#"{"matches": "*", "fault": {"kind": "latency", "seconds": 2}}"#);
        assert!(message.starts_with("fault: unknown field `seconds`"), "{message}");
        let message =
            refusal(r#"[{"matches": "*", "fault": {"kind": "reset"}}, {"matches": "*", "fault": {"kind": "status"}}]"#);
        assert!(message.starts_with("[1].fault: missing field `code`"), "{message}");
        let message = refusal(r#"{"matches": "*", "fault": {"kind": "slow"}}"#);
        assert!(message.contains("unknown variant `slow`") && message.contains("`latency`"), "{message}");
        let message = refusal(r#"{"match": "*", "fault": {"kind": "reset"}}"#);
        assert!(message.contains("unknown field `match`"), "{message}");
        assert!(refusal("{").starts_with("not JSON"));
    }
}
