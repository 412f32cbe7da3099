//! What can go wrong calling XPM, in terms of what the caller does next.

use std::time::Duration;

use chrono::NaiveDate;
use uuid::Uuid;
use xpm_api::catalog::{CatalogError, OperationId, ScopeSet};

use crate::governor::LimitProblem;
use crate::oauth::OAuthError;
use crate::token_store::{BindingError, ConnectionId, TokenStoreError};

/// Why a call failed. No variant carries a token or secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token does not carry a scope the operation accepts.
    #[error("{operation} needs one of the scopes [{needed}], but the connection was granted [{granted}]")]
    ScopeNotGranted {
        /// The operation.
        operation: OperationId,
        /// The scopes that would grant it (any one suffices).
        needed: ScopeSet,
        /// The XPM scopes the connection holds.
        granted: ScopeSet,
    },
    /// The connection's refresh token is dead (`invalid_grant`, expired, or never issued): the
    /// user must connect again. The connection is marked `needs_reauth` in the store.
    #[error("connection {connection} needs to be authorised again ({reason}): the user must sign in and consent again")]
    NeedsReauth {
        /// The connection.
        connection: ConnectionId,
        /// Why.
        reason: String,
    },
    /// The store holds no tokens for the connection.
    #[error("no tokens are stored for connection {connection}; connect it first")]
    NotConnected {
        /// The connection.
        connection: ConnectionId,
    },
    /// Xero refused the tenant (403 `AuthenticationUnsuccessful`): it is not connected to this
    /// app, was disconnected, or the app's XPM approval was withdrawn. Xero answers all three
    /// alike, and connecting again helps only the first two.
    #[error(
        "{operation}: xero refused tenant {tenant} ({detail}): either the practice is no longer connected \
         to this app (connecting again restores it), or Xero withdrew the app's approval of its XPM scopes \
         (connecting again does not help until Xero approves them again)"
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
        if *.retry_safe { "" } else if .source.is_connect() {
            // No connection was made, so the server never saw the write.
            "; the server could not be reached, so nothing was sent"
        } else {
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
    /// The answer is longer than the client reads whole
    /// ([`XpmClientBuilder::max_body_bytes`](crate::XpmClientBuilder::max_body_bytes)).
    #[error(
        "{operation}: the answer is over {limit} bytes, the most this client reads whole; stream the \
         list (send_stream, or .stream() on a typed list), or raise XpmClientBuilder::max_body_bytes"
    )]
    BodyTooLarge {
        /// The operation id.
        operation: OperationId,
        /// The limit in bytes.
        limit: u64,
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
    /// No operation has this id (an id given as text, [`Call::by_id`](crate::Call::by_id)).
    #[error("unknown operation `{id}`{}", .suggestion.map(|id| format!("; did you mean `{id}`?")).unwrap_or_default())]
    UnknownOperation {
        /// The id asked for.
        id: String,
        /// The nearest operation, if one is close.
        suggestion: Option<OperationId>,
    },
    /// A path placeholder or a required query parameter got no value.
    #[error("{operation} needs the {location} parameter `{name}`")]
    MissingParameter {
        /// The operation.
        operation: OperationId,
        /// Where the parameter goes.
        location: ParameterLocation,
        /// The parameter's name as the spec spells it.
        name: &'static str,
    },
    /// A path parameter the operation's path does not have.
    #[error("{operation} has no path parameter `{name}`; its path is `{}`", .operation.operation().path)]
    UnknownParameter {
        /// The operation.
        operation: OperationId,
        /// The name given.
        name: String,
    },
    /// A path parameter given an empty value, which would make another path.
    #[error("{operation}: the path parameter `{name}` is empty")]
    EmptyParameter {
        /// The operation.
        operation: OperationId,
        /// The placeholder's name.
        name: &'static str,
    },
    /// The request body is not the one the operation takes.
    #[error("{operation} takes {}, not {got}", .expected.unwrap_or("no body"))]
    WrongBody {
        /// The operation.
        operation: OperationId,
        /// The JSON schema of the body the operation takes, if it takes one.
        expected: Option<&'static str>,
        /// The JSON schema of the body given.
        got: &'static str,
    },
    /// The request body lacks a field the operation requires.
    #[error("{operation}: the {body} body lacks the required {element} (JSON `{key}`)")]
    MissingField {
        /// The operation.
        operation: OperationId,
        /// The body's root element, e.g. `Client`.
        body: &'static str,
        /// The missing element, e.g. `Name`.
        element: &'static str,
        /// The same field's JSON key, e.g. `name`.
        key: &'static str,
    },
    /// A page size outside what XPM accepts.
    #[error("{operation}: the page size must be between {} and {}, not {size}", .allowed.start(), .allowed.end())]
    InvalidPageSize {
        /// The operation.
        operation: OperationId,
        /// The size asked for.
        size: u32,
        /// The sizes XPM accepts.
        allowed: std::ops::RangeInclusive<u32>,
    },
    /// A date range that ends before it starts.
    #[error("the date range ends ({to}) before it starts ({from})")]
    InvalidDateRange {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
    /// A date window longer than XPM allows, or empty.
    #[error("a date window spans 1 to {max} months, not {months}")]
    InvalidWindow {
        /// The months asked for.
        months: u32,
        /// The most XPM allows (a window must be shorter than a year).
        max: u32,
    },
    /// The request names a different record than the call does (e.g. a contact whose body names
    /// another client than the one it is added to).
    #[error("{operation}: the request body names {in_body}, but the call is for {in_call}")]
    ConflictingTarget {
        /// The operation.
        operation: OperationId,
        /// The identifier in the body.
        in_body: Uuid,
        /// The identifier the call was made with.
        in_call: Uuid,
    },
    /// The operation's answer has no model to decode it into (yet); read the body as it is.
    #[error("{operation} answers {dto}, which has no model yet; read the body with Response::body")]
    NoModel {
        /// The operation.
        operation: OperationId,
        /// The spec's response schema.
        dto: &'static str,
    },
    /// The HTTP client could not be built (TLS initialisation).
    #[error("cannot set up the http client")]
    HttpClient(#[source] reqwest::Error),
    /// A failure inside the library that no input should cause (a task that panicked, a broken
    /// invariant). Worth a bug report.
    #[error("internal error: {what}")]
    Internal {
        /// What failed.
        what: String,
    },
    /// Refreshing the tokens failed for another reason than `invalid_grant`.
    #[error("refreshing the access token failed")]
    OAuth(#[source] OAuthError),
    /// The token store failed.
    #[error(transparent)]
    TokenStore(#[from] TokenStoreError),
    /// The sealed tokens were issued for other endpoints, another app or other practices than
    /// this call would use them with; nothing was sent.
    #[error(transparent)]
    Binding(#[from] BindingError),
}

/// What kind of failure an [`Error`] is, by what the caller does next. Not `non_exhaustive` on
/// purpose: a new kind is a change every caller's `match` must see (the CLI's exit codes do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The call itself is wrong (operation, parameters, body, page size, date range): fix the
    /// code or the input; retrying does not help.
    InvalidCall,
    /// The connection cannot make the call (no tokens, sign-in needed again, a scope not
    /// granted, the tenant refused, the token refused): the user must connect again.
    Connection,
    /// XPM answered that the request failed (`<Status>ERROR</Status>`).
    Xpm,
    /// The answer could not be decoded.
    Decode,
    /// A rate limit left no room within the wait allowed: try later.
    RateLimited,
    /// The network or Xero failed (transport errors, unexpected HTTP statuses, a failed refresh):
    /// possibly transient.
    Transport,
    /// The token store failed (files, keys).
    TokenStore,
    /// The client could not be set up (TLS).
    Setup,
    /// A bug in the library.
    Internal,
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// A `{placeholder}` of the path.
    Path,
    /// The query string.
    Query,
}

impl std::fmt::Display for ParameterLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Path => "path",
            Self::Query => "query",
        })
    }
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::UnknownOperation { .. }
            | Self::MissingParameter { .. }
            | Self::UnknownParameter { .. }
            | Self::EmptyParameter { .. }
            | Self::WrongBody { .. }
            | Self::MissingField { .. }
            | Self::InvalidPageSize { .. }
            | Self::InvalidDateRange { .. }
            | Self::InvalidWindow { .. }
            | Self::ConflictingTarget { .. }
            | Self::NoModel { .. } => ErrorKind::InvalidCall,
            Self::ScopeNotGranted { .. }
            | Self::NeedsReauth { .. }
            | Self::NotConnected { .. }
            | Self::TenantNotConnected { .. }
            | Self::Unauthorized { .. }
            | Self::Binding(_) => ErrorKind::Connection,
            Self::Xpm { .. } => ErrorKind::Xpm,
            Self::Decode { .. } | Self::DecodeJson { .. } | Self::BodyTooLarge { .. } => ErrorKind::Decode,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Status { .. } | Self::Transport { .. } | Self::OAuth(_) => ErrorKind::Transport,
            Self::TokenStore(_) => ErrorKind::TokenStore,
            Self::HttpClient(_) => ErrorKind::Setup,
            Self::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The error for a catalog lookup or path that failed.
    pub(crate) fn from_catalog(error: CatalogError) -> Self {
        match error {
            CatalogError::UnknownOperation { id, suggestion } => {
                Self::UnknownOperation { id, suggestion: suggestion.and_then(|suggestion| suggestion.parse().ok()) }
            }
            CatalogError::MissingPathParam { operation, name } => {
                Self::MissingParameter { operation, location: ParameterLocation::Path, name }
            }
            CatalogError::UnexpectedPathParam { operation, name, .. } => Self::UnknownParameter { operation, name },
            CatalogError::EmptyPathParam { operation, name } => Self::EmptyParameter { operation, name },
            other => Self::Internal { what: format!("an unexpected kind of catalog error: {other}") },
        }
    }

    /// The XPM error description, when XPM said the request failed.
    pub fn xpm_description(&self) -> Option<&str> {
        match self {
            Self::Xpm { description, .. } => Some(description),
            _ => None,
        }
    }
}
