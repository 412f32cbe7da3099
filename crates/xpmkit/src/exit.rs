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

/// An error that says which exit code it deserves.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct UsageError {
    pub(crate) message: String,
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
    let code = if error.downcast_ref::<UsageError>().is_some() {
        USAGE
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
