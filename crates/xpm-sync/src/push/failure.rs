//! What a failed write means for its outbox entry: refused, never sent, or of unknown outcome.

use xpm_client::{Error, ErrorKind};

/// What a failed write means for the entry.
pub(super) enum WriteFailure {
    /// XPM refused it: mark it failed.
    Refused(String),
    /// It never reached XPM: back to pending, and stop.
    NotSent(String, ErrorKind),
    /// It may have been applied.
    Unknown(String),
}

/// Sorts a write's error by what it means for its entry. XPM's `<Status>ERROR</Status>` (any
/// HTTP status) and a 4xx are refusals. Connection problems (a scope checked before sending, a
/// token refused by Xero's gateway before XPM runs anything), rate limits, the token store and a
/// connection never made mean nothing reached XPM. A timeout, reset, 5xx or an unreadable answer
/// leave the outcome unknown.
pub(super) fn classify(error: &Error) -> WriteFailure {
    let text = error.to_string();
    match error.kind() {
        ErrorKind::Xpm => WriteFailure::Refused(error.xpm_description().unwrap_or(&text).to_owned()),
        ErrorKind::InvalidCall => WriteFailure::Refused(text),
        kind @ (ErrorKind::Connection | ErrorKind::RateLimited | ErrorKind::TokenStore | ErrorKind::Setup) => {
            WriteFailure::NotSent(text, kind)
        }
        ErrorKind::Transport => match error {
            Error::Transport { source, .. } if source.is_connect() => WriteFailure::NotSent(text, ErrorKind::Transport),
            Error::Status { status, .. } if (400..500).contains(status) => WriteFailure::Refused(text),
            Error::OAuth(_) => WriteFailure::NotSent(text, ErrorKind::Transport),
            _ => WriteFailure::Unknown(text),
        },
        ErrorKind::Decode | ErrorKind::Internal => WriteFailure::Unknown(text),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use xpm_api::catalog::OperationId;

    use uuid::Uuid;

    use super::*;

    fn label(failure: &WriteFailure) -> String {
        match failure {
            WriteFailure::Refused(reason) => format!("refused: {reason}"),
            WriteFailure::NotSent(_, kind) => format!("not sent: {kind:?}"),
            WriteFailure::Unknown(_) => "unknown".to_owned(),
        }
    }

    #[test]
    fn a_failed_write_is_refused_not_sent_or_of_unknown_outcome() {
        let operation = OperationId::ClientAdd;
        let check = |error: Error, expected: &str| assert_eq!(label(&classify(&error)), expected, "{error}");
        check(
            Error::Xpm { operation, status: 200, description: "Client is locked".into() },
            "refused: Client is locked",
        );
        let conflict = Error::Status { operation, status: 409, body: "conflict".into() };
        assert!(label(&classify(&conflict)).starts_with("refused: "));
        check(Error::Status { operation, status: 503, body: String::new() }, "unknown");
        check(
            Error::RateLimited {
                operation,
                problem: xpm_client::LimitProblem::Minute,
                retry_after: None,
                max_wait: Duration::from_secs(60),
            },
            "not sent: RateLimited",
        );
        check(
            Error::NotConnected { connection: xpm_client::token_store::ConnectionId(Uuid::nil()) },
            "not sent: Connection",
        );
        let cut = xpm_api::xml::DecodeError::new(xpm_api::xml::DecodeErrorKind::Truncated, 10);
        check(Error::Decode { operation, source: cut }, "unknown");
        check(Error::Internal { what: "a panic".into() }, "unknown");
    }
}
