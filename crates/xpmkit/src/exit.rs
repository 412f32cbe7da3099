//! Exit codes, documented in README.md ("Exit codes"), and how errors are printed.
//!
//! Every command fails with one [`CliError`]; its [`exit_code`](CliError::exit_code) is an
//! exhaustive `match`, as cargo-nextest's `ExpectedError::process_exit_code` is, so a new variant
//! (or a new [`xpm_client::ErrorKind`]) does not compile until someone decides its code.

use std::fmt;
use std::process::ExitCode;

use xpm_api::response::ResponseError;
use xpm_client::connections::ConnectionsError;
use xpm_client::oauth::{ConnectError, OAuthError};
use xpm_client::token_store::{KeyError, TokenStoreError};
use xpm_client::{Error as ClientError, ErrorKind};

use crate::commands::connections_file::MASTER_KEY_ENV;

/// Something failed that has no more specific code (for example the input file is unreadable).
pub(crate) const FAILURE: u8 = 1;
/// The arguments are wrong: unknown operation, scope or feature, or bad flags (clap uses 2 too).
pub(crate) const USAGE: u8 = 2;
/// The input is not a valid body for the operation: malformed, truncated or a bad value.
pub(crate) const DECODE: u8 = 3;
/// The input is well formed and says XPM failed (`<Status>ERROR</Status>`).
pub(crate) const XPM_ERROR: u8 = 4;
/// The stored connection cannot make the call: nothing is connected, the tokens need the user to
/// authorise again, a scope was not granted, or Xero refused the tenant. `xpmkit connect` fixes
/// it; retrying does not.
pub(crate) const CONNECTION: u8 = 5;

/// What a command's result is.
pub(crate) type CliResult<T> = Result<T, CliError>;

/// Why a command failed. Each variant has its exit code in [`exit_code`](Self::exit_code).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The arguments are wrong.
    #[error("{message}")]
    Usage { message: String },
    /// Nothing usable is connected: no stored connection, or none that matches.
    #[error("{message}")]
    NotConnected { message: String },
    /// An XPM call (or setting up its client) failed.
    #[error(transparent)]
    Client(Advised<ClientError>),
    /// An OAuth step of `connect` or `disconnect` failed.
    #[error(transparent)]
    OAuth(Advised<OAuthError>),
    /// Revoking a connection at Xero failed; nothing was forgotten.
    #[error("cannot revoke the connection; nothing was forgotten")]
    Revoke(#[source] Advised<OAuthError>),
    /// Listing the practices a sign-in connected failed.
    #[error("cannot list the connected practices")]
    Connections(#[source] ConnectionsError),
    /// The token store failed.
    #[error(transparent)]
    TokenStore(Advised<TokenStoreError>),
    /// The master key could not be had.
    #[error(transparent)]
    Key(KeyError),
    /// A body given to `decode` (or answered to `call`) is not what the operation returns.
    #[error(transparent)]
    Body(ResponseError),
    /// As [`Body`](Self::Body), with what the failure probably means.
    #[error("{meaning}")]
    BodyExplained {
        meaning: &'static str,
        #[source]
        error: ResponseError,
    },
    /// The store (the database of the mirrored practice) failed.
    #[error(transparent)]
    Store(xpm_store::StoreError),
    /// Writing the output failed (a closed pipe among others).
    #[error(transparent)]
    Output(#[from] std::io::Error),
    /// Encoding JSON output failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// Anything else, with context saying what was being done.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl CliError {
    /// The process's exit code (README.md, "Exit codes").
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Usage { .. } => USAGE,
            Self::NotConnected { .. } => CONNECTION,
            Self::Client(advised) => client_code(advised.error.kind()),
            Self::OAuth(advised) => oauth_code(&advised.error),
            Self::Body(error) | Self::BodyExplained { error, .. } => body_code(error),
            Self::Store(xpm_store::StoreError::BadLocation { .. }) => USAGE,
            Self::Revoke(_)
            | Self::Connections(_)
            | Self::TokenStore(_)
            | Self::Key(_)
            | Self::Store(_)
            | Self::Output(_)
            | Self::Json(_)
            | Self::Failed(_) => FAILURE,
        }
    }

    /// Advice printed after the causes, if any.
    pub(crate) fn hint(&self) -> Option<&str> {
        match self {
            Self::Client(advised) => advised.hint.as_deref(),
            Self::OAuth(advised) | Self::Revoke(advised) => advised.hint.as_deref(),
            Self::TokenStore(advised) => advised.hint.as_deref(),
            _ => None,
        }
    }

    /// Whether the reader of the output went away (`xpmkit decode … | head`): not worth a
    /// message. The closed pipe may come straight from a write, from serde_json writing, or
    /// anywhere down a chain of causes.
    fn is_broken_pipe(&self) -> bool {
        let closed = |kind: Option<std::io::ErrorKind>| kind == Some(std::io::ErrorKind::BrokenPipe);
        match self {
            Self::Output(error) => closed(Some(error.kind())),
            Self::Json(error) => closed(error.io_error_kind()),
            Self::Failed(error) => {
                error.chain().any(|cause| closed(cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind)))
            }
            _ => false,
        }
    }
}

/// The exit code for a client error: what the caller does next decides it.
pub(crate) fn client_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Connection => CONNECTION,
        ErrorKind::Xpm => XPM_ERROR,
        ErrorKind::Decode => DECODE,
        ErrorKind::InvalidCall => USAGE,
        ErrorKind::RateLimited
        | ErrorKind::Transport
        | ErrorKind::TokenStore
        | ErrorKind::Setup
        | ErrorKind::Internal => FAILURE,
    }
}

/// The exit code for a failed OAuth step: the approval gate is the connection's problem (5),
/// as a scope not granted is for a call; anything else is a plain failure.
fn oauth_code(error: &OAuthError) -> u8 {
    match error {
        OAuthError::ApprovalRequired { .. } => CONNECTION,
        _ => FAILURE,
    }
}

/// The exit code for a body that is not a valid answer: XPM's own `ERROR`, or a decoding failure.
fn body_code(error: &ResponseError) -> u8 {
    match error {
        ResponseError::Xpm(_) => XPM_ERROR,
        // `ResponseError` is xpm-api's and non-exhaustive: whatever else it grows is a body
        // that did not decode.
        _ => DECODE,
    }
}

/// An error with advice on what to do next, printed after the causes as `hint: …`. It prints
/// as the error itself and hands on that error's causes, so the chain shows each message once.
#[derive(Debug)]
pub(crate) struct Advised<E> {
    pub(crate) error: E,
    pub(crate) hint: Option<String>,
}

impl<E: fmt::Display> fmt::Display for Advised<E> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(formatter)
    }
}

impl<E: std::error::Error> std::error::Error for Advised<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl From<ClientError> for CliError {
    fn from(error: ClientError) -> Self {
        let hint = match &error {
            ClientError::TokenStore(store) => token_store_hint(store),
            _ => None,
        };
        Self::Client(Advised { error, hint })
    }
}

impl From<OAuthError> for CliError {
    fn from(error: OAuthError) -> Self {
        let hint = match &error {
            OAuthError::ApprovalRequired { .. } | OAuthError::CallbackTimeout { .. } => Some(
                "meanwhile, build against the emulator: `xpmkit mock`, then `xpmkit connect --profile mock`".to_owned(),
            ),
            _ => None,
        };
        Self::OAuth(Advised { error, hint })
    }
}

impl From<ConnectError> for CliError {
    fn from(error: ConnectError) -> Self {
        match error {
            ConnectError::OAuth(error) => error.into(),
            ConnectError::Connections(error) => Self::Connections(error),
            // `ConnectError` is non-exhaustive; a new kind of sign-in failure is a plain failure.
            other => Self::Failed(other.into()),
        }
    }
}

impl From<TokenStoreError> for CliError {
    fn from(error: TokenStoreError) -> Self {
        let hint = token_store_hint(&error);
        Self::TokenStore(Advised { error, hint })
    }
}

impl From<KeyError> for CliError {
    fn from(error: KeyError) -> Self {
        Self::Key(error)
    }
}

fn token_store_hint(error: &TokenStoreError) -> Option<String> {
    match error {
        TokenStoreError::WrongKey { .. } => Some(format!(
            "set {MASTER_KEY_ENV} (or restore the master.key file) to the key the tokens were sealed with"
        )),
        _ => None,
    }
}

/// Prints `error` with its causes and hint, and picks the exit code.
pub(crate) fn report(error: &CliError) -> ExitCode {
    if error.is_broken_pipe() {
        return ExitCode::SUCCESS;
    }
    // Messages carry text from servers (an ErrorDescription, an error page): escaped.
    let shown = |text: String| crate::terminal::escape_controls(&text).into_owned();
    eprintln!("error: {}", shown(error.to_string()));
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        eprintln!("  caused by: {}", shown(current.to_string()));
        cause = current.source();
    }
    if let Some(hint) = error.hint() {
        eprintln!("hint: {}", shown(hint.to_string()));
    }
    ExitCode::from(error.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_error_kinds_keep_their_documented_codes() {
        let check = |kind, code| assert_eq!(client_code(kind), code, "{kind:?}");
        check(ErrorKind::Connection, CONNECTION);
        check(ErrorKind::Xpm, XPM_ERROR);
        check(ErrorKind::Decode, DECODE);
        check(ErrorKind::InvalidCall, USAGE);
        // A TLS or HTTP-client setup failure is not the user's arguments.
        check(ErrorKind::Setup, FAILURE);
        for kind in [ErrorKind::RateLimited, ErrorKind::Transport, ErrorKind::TokenStore, ErrorKind::Internal] {
            check(kind, FAILURE);
        }
    }

    #[test]
    fn variants_map_to_their_codes() {
        assert_eq!(CliError::Usage { message: "x".into() }.exit_code(), USAGE);
        assert_eq!(CliError::NotConnected { message: "x".into() }.exit_code(), CONNECTION);
        let setup: CliError = anyhow::anyhow!("cannot start the async runtime").into();
        assert_eq!(setup.exit_code(), FAILURE);
        let unknown = ClientError::UnknownOperation { id: "ClientV31_Lst".into(), suggestion: None };
        assert_eq!(CliError::from(unknown).exit_code(), USAGE);
        let gate = OAuthError::ApprovalRequired { error: "e".into(), description: "d".into(), scopes: "s".into() };
        let gate = CliError::from(gate);
        assert_eq!(gate.exit_code(), CONNECTION);
        assert!(gate.hint().is_some_and(|hint| hint.contains("xpmkit mock")));
        let closed = CliError::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(closed.is_broken_pipe());
    }
}
