//! What the token and revocation endpoints share: form bodies, client authentication and
//! RFC 6749 error responses.

use std::collections::HashMap;
use std::fmt;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::SecretString;
use serde_json::json;

use super::apps::{AppRegistry, ClientAuthentication};

/// An OAuth error body: `{"error": "...", "error_description": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: Option<String>,
}

impl OAuthError {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, error: "invalid_request", description: Some(description.into()) }
    }

    /// `invalid_client`, with no hint about which part was wrong. 401 (with a `Basic` challenge)
    /// when the client tried HTTP Basic, 400 otherwise.
    pub(crate) fn invalid_client(via_basic: bool) -> Self {
        let status = if via_basic { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
        Self { status, error: "invalid_client", description: None }
    }

    /// `invalid_grant`: a code or refresh token that cannot be used.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, error: "invalid_grant", description: Some(description.into()) }
    }

    /// `unsupported_grant_type`, for a missing grant type too (Xero's troubleshooting page).
    pub(crate) fn unsupported_grant_type() -> Self {
        Self { status: StatusCode::BAD_REQUEST, error: "unsupported_grant_type", description: None }
    }

    /// `server_error`: the emulator failed to sign a token.
    pub(crate) fn server_error() -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, error: "server_error", description: None }
    }

    /// The HTTP status.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.error });
        if let Some(description) = &self.description {
            body["error_description"] = json!(description);
        }
        let mut response = (self.status, no_store(), Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        }
        response
    }
}

/// `Cache-Control: no-store` and `Pragma: no-cache`, which token responses must carry.
pub(crate) fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

/// The fields of a form-encoded request body. Its `Debug` lists names only, since values
/// include codes, verifiers, refresh tokens and client secrets.
pub(crate) struct FormFields(HashMap<String, String>);

impl fmt::Debug for FormFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl FormFields {
    /// Parses an `application/x-www-form-urlencoded` body; a repeated field is an error
    /// (RFC 6749 §3.2).
    pub(crate) fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Self, OAuthError> {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(OAuthError::invalid_request("the body must be application/x-www-form-urlencoded"));
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|_| OAuthError::invalid_request("the body is not valid form encoding"))?;
        let mut fields = HashMap::with_capacity(pairs.len());
        for (name, value) in pairs {
            if fields.contains_key(&name) {
                return Err(OAuthError::invalid_request(format!("parameter `{name}` is repeated")));
            }
            fields.insert(name, value);
        }
        Ok(Self(fields))
    }

    /// Takes a non-secret field; an empty value counts as missing.
    pub(crate) fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name).filter(|value| !value.is_empty())
    }

    /// Takes a secret field (code, verifier, token, client secret).
    pub(crate) fn take_secret(&mut self, name: &str) -> Option<SecretString> {
        self.take(name).map(SecretString::from)
    }
}

/// A client that proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthenticatedClient {
    pub(crate) client_id: String,
    pub(crate) kind: ClientAuthentication,
}

/// Authenticates the client by HTTP Basic (`client_secret_basic`) or by `client_id` and
/// `client_secret` form fields (`client_secret_post`, or `none` for public PKCE apps).
pub(crate) fn authenticate_client(
    apps: &AppRegistry,
    headers: &HeaderMap,
    form: &mut FormFields,
) -> Result<AuthenticatedClient, OAuthError> {
    let form_client_id = form.take("client_id");
    let form_secret = form.take_secret("client_secret");
    let basic = basic_credentials(headers)?;
    let via_basic = basic.is_some();
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request.
    // Accepting both would let a wrong body secret pass beside a right Basic one.
    if via_basic && form_secret.is_some() {
        return Err(OAuthError::invalid_request(
            "the client authenticated twice (HTTP Basic and client_secret in the body); use one method",
        ));
    }
    let (client_id, secret) = match basic {
        Some((client_id, secret)) => {
            if form_client_id.as_ref().is_some_and(|form_id| *form_id != client_id) {
                return Err(OAuthError::invalid_client(true));
            }
            (client_id, Some(secret))
        }
        None => (form_client_id.ok_or(OAuthError::invalid_client(false))?, form_secret),
    };
    match apps.authenticate(&client_id, secret.as_ref()) {
        Some(kind) => Ok(AuthenticatedClient { client_id, kind }),
        None => Err(OAuthError::invalid_client(via_basic)),
    }
}

/// `Authorization: Basic base64(form-encoded id ":" form-encoded secret)`, RFC 6749 §2.3.1.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, SecretString)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| OAuthError::invalid_client(true))?;
    let Some((scheme, encoded)) = value.split_once(' ') else { return Err(OAuthError::invalid_client(true)) };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(OAuthError::invalid_client(true));
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| OAuthError::invalid_client(true))?;
    let decoded = String::from_utf8(decoded).map_err(|_| OAuthError::invalid_client(true))?;
    let (id, secret) = decoded.split_once(':').ok_or(OAuthError::invalid_client(true))?;
    let unescape = |part: &str| -> Option<String> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={part}"))
            .ok()
            .and_then(|mut pairs| pairs.pop())
            .map(|(_, value)| value)
    };
    let id = unescape(id).filter(|id| !id.is_empty()).ok_or(OAuthError::invalid_client(true))?;
    let secret = unescape(secret).ok_or(OAuthError::invalid_client(true))?;
    Ok(Some((id, SecretString::from(secret))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

    fn form(body: &str) -> FormFields {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        FormFields::parse(&headers, body.as_bytes()).unwrap_or(FormFields(HashMap::new()))
    }

    #[test]
    fn form_debug_shows_names_not_values() {
        let fields = form("client_secret=planted-secret-value&code=planted-code");
        let debug = format!("{fields:?}");
        assert!(debug.contains("client_secret"), "{debug}");
        assert!(!debug.contains("planted"), "{debug}");
    }

    #[test]
    fn basic_and_post_credentials_both_work() {
        let apps = AppRegistry::new(vec![AppRegistration::demo()]);
        let mut headers = HeaderMap::new();
        let basic = STANDARD.encode(format!("{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {basic}")).unwrap_or(HeaderValue::from_static("")),
        );
        let client = authenticate_client(&apps, &headers, &mut form("grant_type=x"));
        assert_eq!(client.map(|client| client.kind), Ok(ClientAuthentication::Secret));

        let post = format!("client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}");
        let client = authenticate_client(&apps, &HeaderMap::new(), &mut form(&post));
        assert_eq!(client.map(|client| client.client_id), Ok(DEMO_CLIENT_ID.to_owned()));

        let wrong = authenticate_client(&apps, &HeaderMap::new(), &mut form("client_id=xpmkit-demo&client_secret=no"));
        assert_eq!(wrong.map_err(|error| error.status()), Err(StatusCode::BAD_REQUEST));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic eHBta2l0LWRlbW86bm8="));
        let wrong = authenticate_client(&apps, &headers, &mut form(""));
        assert_eq!(wrong.map_err(|error| error.status()), Err(StatusCode::UNAUTHORIZED));
    }

    #[test]
    fn two_authentication_methods_are_refused_whatever_the_body_secret() {
        let apps = AppRegistry::new(vec![AppRegistration::demo()]);
        let mut headers = HeaderMap::new();
        let basic = STANDARD.encode(format!("{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {basic}")).unwrap_or(HeaderValue::from_static("")),
        );
        for body_secret in ["wrong", DEMO_CLIENT_SECRET] {
            let twice = authenticate_client(&apps, &headers, &mut form(&format!("client_secret={body_secret}")));
            assert_eq!(
                twice.map_err(|error| (error.status(), error.error)),
                Err((StatusCode::BAD_REQUEST, "invalid_request"))
            );
        }
    }

    #[test]
    fn repeated_parameters_are_rejected() {
        let mut headers = HeaderMap::new();
        headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"));
        assert!(FormFields::parse(&headers, b"code=a&code=b").is_err());
        assert!(FormFields::parse(&HeaderMap::new(), b"code=a").is_err());
    }
}
