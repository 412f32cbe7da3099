//! What every `/__admin` request must show before it reaches a handler.
//!
//! The admin API changes what the emulator answers, so a web page the developer happens to open
//! must not be able to use it:
//!
//! - **No simple cross-site requests.** A page can POST a form or `text/plain` to any URL without
//!   asking (the CORS "simple request" of the Fetch standard), but a body of type
//!   `application/json` needs a preflight the emulator never grants. So every call that changes
//!   state carries a JSON body (`{}` when there is nothing to say).
//! - **No DNS rebinding.** A hostile name re-pointed at 127.0.0.1 reaches the emulator with that
//!   name in `Host`; only an IP literal or `localhost`, on the port the emulator listens on, is
//!   accepted.
//! - **An optional admin token** (`Authorization: Bearer …`) for an emulator others can reach.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::identity::secrets_match;
use crate::shared::Shared;

/// The largest admin body read: fault scenarios and app registrations are far smaller.
const MAX_ADMIN_BODY: usize = 1024 * 1024;

/// The prefix of every admin route.
const ADMIN_PREFIX: &str = "/__admin";

/// Checks admin requests and lets every other request through untouched.
pub(crate) async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path != ADMIN_PREFIX && !path.starts_with("/__admin/") {
        return next.run(request).await;
    }
    if let Err(refusal) = check_host(request.headers(), shared.bound_address()) {
        return refusal.into_response();
    }
    if let Some(expected) = &shared.config.admin_token {
        let presented = bearer(request.headers()).unwrap_or_default();
        if !secrets_match(presented, expected) {
            return Refusal::Token.into_response();
        }
    }
    if changes_state(request.method()) {
        return match json_body(request).await {
            Ok(request) => next.run(request).await,
            Err(refusal) => refusal.into_response(),
        };
    }
    next.run(request).await
}

/// Why an admin request was refused; each message names the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error(
        "the admin API answers only requests addressed to the emulator itself (an IP address or \
         localhost, on the port it listens on); Host `{host}` is refused as possible DNS rebinding"
    )]
    Host { host: String },
    #[error(
        "this emulator's admin API needs `Authorization: Bearer <admin token>`, the token it was \
         started with (XPMKIT_MOCK_ADMIN_TOKEN for `xpmkit mock`)"
    )]
    Token,
    #[error(
        "admin calls that change state need a JSON body with `Content-Type: application/json` \
         (send `{{}}` when there is nothing to say), so that no web page can make them; {problem}"
    )]
    NotJson { problem: &'static str },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = match self {
            Self::Host { .. } => StatusCode::FORBIDDEN,
            Self::Token => StatusCode::UNAUTHORIZED,
            Self::NotJson { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        };
        (status, self.to_string()).into_response()
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `Host` must name the emulator by address (or `localhost`) and port.
pub(crate) fn check_host(headers: &HeaderMap, bound: Option<SocketAddr>) -> Result<(), Refusal> {
    let text = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let refused = || Refusal::Host { host: text.chars().take(200).collect() };
    let authority = text.parse::<axum::http::uri::Authority>().map_err(|_| refused())?;
    let host = authority.host();
    let address = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    let is_localhost = host.eq_ignore_ascii_case("localhost");
    if address.is_none() && !is_localhost {
        return Err(refused());
    }
    let Some(bound) = bound else { return Ok(()) };
    let same_port = authority.port_u16() == Some(bound.port());
    let same_address = match address {
        Some(address) => bound.ip().is_unspecified() || address == bound.ip(),
        None => bound.ip().is_loopback() || bound.ip().is_unspecified(),
    };
    if same_port && same_address { Ok(()) } else { Err(refused()) }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Reads the body, checks it is JSON, and hands the request on with the same bytes.
async fn json_body(request: Request) -> Result<Request, Refusal> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let media_type = content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(Refusal::NotJson { problem: "the Content-Type is not application/json" });
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_ADMIN_BODY)
        .await
        .map_err(|_| Refusal::NotJson { problem: "the body could not be read or is over 1 MiB" })?;
    if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err() {
        return Err(Refusal::NotJson { problem: "the body is not JSON" });
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A warning to show when the emulator listens beyond loopback, where anyone who can reach the
/// port can sign in as the demo user and drive the admin API.
pub fn exposure_warning(address: SocketAddr, admin_token: bool) -> Option<String> {
    if address.ip().is_loopback() {
        return None;
    }
    let token = if admin_token {
        "the admin API needs the admin token"
    } else {
        "the admin API is open to them too: set XPMKIT_MOCK_ADMIN_TOKEN"
    };
    Some(format!(
        "WARNING: the emulator listens on {address}, beyond this machine's loopback: anyone who can \
         reach it can sign in as the demo user with the published demo secret, and {token}. \
         Listen on 127.0.0.1 unless other machines must reach it"
    ))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(header::HOST, value);
        }
        headers
    }

    #[test]
    fn only_the_emulators_own_address_is_a_host() {
        let loopback: SocketAddr = ([127, 0, 0, 1], 8700).into();
        let everywhere: SocketAddr = ([0, 0, 0, 0], 8700).into();
        let check = |value: &str, bound| check_host(&host(value), Some(bound)).is_ok();
        assert!(check("127.0.0.1:8700", loopback));
        assert!(check("localhost:8700", loopback));
        assert!(check("LOCALHOST:8700", loopback));
        assert!(!check("127.0.0.1:8701", loopback), "another port");
        assert!(!check("127.0.0.1", loopback), "no port");
        assert!(!check("10.0.0.5:8700", loopback), "another address");
        assert!(!check("attacker.example:8700", loopback), "a name: DNS rebinding");
        assert!(!check("localhost.attacker.example:8700", loopback));
        assert!(!check("", loopback), "no Host");
        assert!(check("10.0.0.5:8700", everywhere));
        assert!(check("[::1]:8700", everywhere));
        assert!(!check("attacker.example:8700", everywhere));
    }

    #[test]
    fn listening_beyond_loopback_is_warned_about() {
        assert_eq!(exposure_warning(([127, 0, 0, 1], 8700).into(), false), None);
        assert_eq!(exposure_warning("[::1]:8700".parse().unwrap_or(([127, 0, 0, 1], 0).into()), false), None);
        let open = exposure_warning(([0, 0, 0, 0], 8700).into(), false).unwrap_or_default();
        assert!(open.contains("0.0.0.0:8700") && open.contains("XPMKIT_MOCK_ADMIN_TOKEN"), "{open}");
        let guarded = exposure_warning(([192, 168, 1, 2], 8700).into(), true).unwrap_or_default();
        assert!(guarded.starts_with("WARNING") && guarded.contains("needs the admin token"), "{guarded}");
    }
}
