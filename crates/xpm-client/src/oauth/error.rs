//! What can go wrong between the app, the browser and Xero identity.

use std::time::Duration;

use super::id_token::IdTokenError;

/// Why an OAuth step failed. Variants follow what the caller does next: connect again
/// ([`InvalidGrant`](Self::InvalidGrant)), apply for access
/// ([`ApprovalRequired`](Self::ApprovalRequired)), retry ([`Transport`](Self::Transport)), or
/// fix the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// The code or refresh token is no longer usable (expired, revoked, rotated out, or used
    /// twice). Mark the connection `needs_reauth`: the user must connect again.
    #[error("xero answered invalid_grant{}: the user must connect again", detail(.description))]
    InvalidGrant {
        /// Xero's `error_description`, if any.
        description: Option<String>,
    },
    /// Xero refused the XPM scopes because it has not approved the app for them.
    #[error(
        "xero refused the requested scopes ({error}: {description}). Practice Manager scopes need \
         Xero's approval before an app may request them: submit an XPM API access request and the \
         security self-assessment for this app, asking for these scopes: {scopes}"
    )]
    ApprovalRequired {
        /// The OAuth error code (`unauthorized_client` or `invalid_scope`).
        error: String,
        /// Xero's description, e.g. "Invalid scope for client".
        description: String,
        /// The scope set to ask Xero to approve, space-separated.
        scopes: String,
    },
    /// The authorisation server sent the browser back with another `error=` (e.g. the user
    /// pressed Cancel: `access_denied`).
    #[error("authorisation failed: {error}{}", detail(.description))]
    AuthorizeFailed {
        /// The OAuth error code.
        error: String,
        /// Its description, if any.
        description: Option<String>,
    },
    /// The callback's `state` is not the one this flow sent: the callback belongs to another
    /// sign-in, or was forged.
    #[error("the callback's state does not match this sign-in; start again")]
    StateMismatch,
    /// No callback reached the loopback listener in time.
    #[error(
        "no authorisation callback within {} s. If the browser shows a Xero error page saying \
         `unauthorized_client` or \"Invalid scope for client\", the app is not approved for Practice \
         Manager scopes yet: request XPM API access from Xero (access request and security \
         self-assessment) for: {scopes}; meanwhile use an emulator",
        .waited.as_secs()
    )]
    CallbackTimeout {
        /// How long the listener waited.
        waited: Duration,
        /// The scopes that were requested, space-separated.
        scopes: String,
    },
    /// The callback request is not a usable redirect (no code, malformed query).
    #[error("the authorisation callback is malformed: {reason}")]
    MalformedCallback {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The loopback listener could not start or read its connection.
    #[error("the loopback listener on port {port} failed")]
    Listener {
        /// The port.
        port: u16,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The token or revocation endpoint answered with another OAuth error.
    #[error("the token endpoint refused the request: {error}{}", detail(.description))]
    Rejected {
        /// The OAuth error code, e.g. `invalid_client`.
        error: String,
        /// Its description, if any.
        description: Option<String>,
    },
    /// An endpoint URL in the configuration is not a URL.
    #[error("`{url}` is not a valid endpoint url")]
    InvalidEndpoint {
        /// The URL.
        url: String,
        /// The cause.
        #[source]
        source: url::ParseError,
    },
    /// The request could not be sent or its answer not read.
    #[error("request to xero identity failed")]
    Transport(#[source] oauth2::HttpClientError<reqwest::Error>),
    /// The token endpoint's answer is not a token response.
    #[error("the token endpoint's answer is not a token response")]
    Malformed(#[source] serde_path_to_error::Error<serde_json::Error>),
    /// The token response's `expires_in` puts the expiry beyond the last date a timestamp can
    /// hold: the server is misconfigured or is not an OAuth 2.0 token endpoint.
    #[error(
        "the token endpoint answered expires_in {seconds} s, an expiry beyond any date; check that \
         the token endpoint url is the authorisation server's"
    )]
    TokenLifetime {
        /// The `expires_in` the server sent, in seconds.
        seconds: u64,
    },
    /// Xero identity's answer is longer than any token, key set or connection list: the
    /// endpoint is misconfigured or hostile. Not retried.
    #[error(
        "the identity endpoint's answer is over {limit} bytes, far more than any token answer; check \
         that the endpoint urls are the authorisation server's"
    )]
    AnswerTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The answer was unexpected in another way (status, content type).
    #[error("unexpected answer from xero identity: {0}")]
    Unexpected(String),
    /// The HTTP client could not be built.
    #[error("cannot build the http client")]
    HttpClient(#[source] reqwest::Error),
    /// The token response carried an id_token that failed validation, or none although
    /// `openid` was requested.
    #[error(transparent)]
    IdToken(#[from] IdTokenError),
}

impl OAuthError {
    /// Whether the user has to connect again (the stored connection is `needs_reauth`).
    pub fn needs_reauth(&self) -> bool {
        matches!(self, Self::InvalidGrant { .. })
    }

    /// The approval-gate error for `error` / `description` from an authorize page or redirect,
    /// if that is what it is: `unauthorized_client`, `invalid_scope`, or the text "Invalid scope
    /// for client".
    pub fn from_authorize_error(error: &str, description: Option<&str>, scopes: &str) -> Self {
        let description_text = description.unwrap_or_default();
        let gate = error == "unauthorized_client"
            || error == "invalid_scope"
            || description_text.to_ascii_lowercase().contains("invalid scope for client");
        if gate {
            Self::ApprovalRequired {
                error: error.to_owned(),
                description: description_text.to_owned(),
                scopes: scopes.to_owned(),
            }
        } else {
            Self::AuthorizeFailed { error: error.to_owned(), description: description.map(str::to_owned) }
        }
    }
}

fn detail(description: &Option<String>) -> String {
    description.as_deref().map(|text| format!(" ({text})")).unwrap_or_default()
}
