//! Exit codes, documented in README.md ("Exit codes"), and how errors are printed.

use std::process::ExitCode;

use xpm_api::response::ResponseError;

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

/// An error that says which exit code it deserves.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct UsageError {
    pub(crate) message: String,
}

/// Nothing usable is connected: no stored connection, or none that matches.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct NotConnectedError {
    pub(crate) message: String,
}

/// A failed XPM call, with advice on what to do next, printed after the causes as `hint: …`.
///
/// It prints as the client error itself and hands on that error's causes, so the chain shows
/// each message once.
#[derive(Debug)]
pub(crate) struct CallError {
    pub(crate) error: xpm_client::Error,
    pub(crate) hint: Option<String>,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(formatter)
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// Prints `error` with its causes and picks the exit code.
pub(crate) fn report(error: &anyhow::Error) -> ExitCode {
    if let Some(io) = error.downcast_ref::<std::io::Error>() {
        if io.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`xpmkit decode … | head`): not an error worth a message.
            return ExitCode::SUCCESS;
        }
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    let hint = error.downcast_ref::<CallError>().and_then(|call| call.hint.as_deref());
    if let Some(hint) = hint {
        eprintln!("hint: {hint}");
    }
    let code = if error.downcast_ref::<UsageError>().is_some() {
        USAGE
    } else if error.downcast_ref::<NotConnectedError>().is_some() {
        CONNECTION
    } else if let Some(call) = error.downcast_ref::<CallError>() {
        client_code(&call.error)
    } else if let Some(client) = error.downcast_ref::<xpm_client::Error>() {
        client_code(client)
    } else if let Some(response) = error.downcast_ref::<ResponseError>() {
        match response {
            ResponseError::Xpm(_) => XPM_ERROR,
            _ => DECODE,
        }
    } else {
        FAILURE
    };
    ExitCode::from(code)
}

/// The exit code for a client error: what the caller does next decides it.
fn client_code(error: &xpm_client::Error) -> u8 {
    use xpm_client::ErrorKind;
    match error.kind() {
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
