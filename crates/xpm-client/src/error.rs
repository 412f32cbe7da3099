//! What can go wrong calling XPM, in terms of what the caller does next.

use std::time::Duration;

use uuid::Uuid;
use xpm_api::catalog::{OperationId, Scope};

use crate::governor::LimitProblem;
use crate::oauth::OAuthError;
use crate::token_store::{ConnectionId, TokenStoreError};

/// Why a call failed. No variant carries a token or secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token does not carry a scope the operation accepts.
    #[error(
        "{operation} needs one of the scopes [{}], but the connection was granted [{}]; connect again \
         asking for one of them (`xpmkit scopes plan {operation}` shows the smallest set)",
        join(.needed), .granted.join(" ")
    )]
    ScopeNotGranted {
        /// The operation id.
        operation: OperationId,
        /// The scopes that would grant it (any one suffices).
        needed: Vec<Scope>,
        /// The scopes the connection holds.
        granted: Vec<String>,
    },
    /// The connection's refresh token is dead (`invalid_grant`, expired, or never issued): the
    /// user must connect again. The connection is marked `needs_reauth` in the store.
    #[error("connection {connection} needs to be authorised again ({reason}); run `xpmkit connect`")]
    NeedsReauth {
        /// The connection.
        connection: ConnectionId,
        /// Why.
        reason: String,
    },
    /// The store holds no tokens for the connection.
    #[error("no tokens are stored for connection {connection}; run `xpmkit connect` first")]
    NotConnected {
        /// The connection.
        connection: ConnectionId,
    },
    /// Xero refused the tenant (403 `AuthenticationUnsuccessful`): it is not connected to this
    /// app, was disconnected, or the app's XPM approval was withdrawn.
    #[error(
        "{operation}: xero refused tenant {tenant} ({detail}); check `xpmkit tenants` for the tenants this \
         connection reaches, or connect again"
    )]
    TenantNotConnected {
        /// The operation id.
        operation: OperationId,
        /// The tenant.
        tenant: Uuid,
        /// Xero's detail text.
        detail: String,
    },
    /// XPM answered `<Status>ERROR</Status>` (with HTTP 200 or an error status).
    #[error("{operation}: xpm returned an error (HTTP {status}): {description}")]
    Xpm {
        /// The operation id.
        operation: OperationId,
        /// The HTTP status it came with.
        status: u16,
        /// XPM's `ErrorDescription`.
        description: String,
    },
    /// A rate limit left no room within the wait the client allows.
    #[error(
        "{operation}: rate limited by xero ({problem} limit){}; the client waits at most {} s for a limit",
        .retry_after.map(|wait| format!(", retry after {} s", wait.as_secs())).unwrap_or_default(),
        .max_wait.as_secs()
    )]
    RateLimited {
        /// The operation id.
        operation: OperationId,
        /// Which limit.
        problem: LimitProblem,
        /// Xero's `Retry-After`, if sent.
        retry_after: Option<Duration>,
        /// The longest wait the client was configured to accept.
        max_wait: Duration,
    },
    /// The access token was refused again after a refresh.
    #[error("{operation}: xero refused the access token even after a refresh ({detail})")]
    Unauthorized {
        /// The operation id.
        operation: OperationId,
        /// Xero's detail text.
        detail: String,
    },
    /// Another HTTP status, with no XPM error body.
    #[error("{operation}: HTTP {status}: {body}")]
    Status {
        /// The operation id.
        operation: OperationId,
        /// The status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The request could not be sent or the answer not read, after the retries allowed.
    #[error(
        "{operation}: the request failed after {attempts} attempt(s){}",
        if *.retry_safe { "" } else {
            "; not retried because the operation writes: check whether it took effect before sending it again"
        }
    )]
    Transport {
        /// The operation id.
        operation: OperationId,
        /// Attempts made.
        attempts: u32,
        /// Whether the operation may be retried blindly.
        retry_safe: bool,
        /// The last failure.
        #[source]
        source: reqwest::Error,
    },
    /// The answer is not what the operation returns.
    #[error("{operation}: cannot read the answer")]
    Decode {
        /// The operation id.
        operation: OperationId,
        /// The decoding failure (with the element path and byte offset).
        #[source]
        source: xpm_api::xml::DecodeError,
    },
    /// A JSON answer could not be read.
    #[error("{operation}: cannot read the JSON answer")]
    DecodeJson {
        /// The operation id.
        operation: OperationId,
        /// The failure.
        #[source]
        source: serde_json::Error,
    },
    /// The call is malformed (unknown operation, missing path parameter, bad body).
    #[error("invalid call: {0}")]
    InvalidCall(String),
    /// Refreshing the tokens failed for another reason than `invalid_grant`.
    #[error("refreshing the access token failed")]
    OAuth(#[source] OAuthError),
    /// The token store failed.
    #[error(transparent)]
    TokenStore(#[from] TokenStoreError),
}

impl Error {
    /// The XPM error description, when XPM said the request failed.
    pub fn xpm_description(&self) -> Option<&str> {
        match self {
            Self::Xpm { description, .. } => Some(description),
            _ => None,
        }
    }
}

fn join(scopes: &[Scope]) -> String {
    scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(" ")
}
