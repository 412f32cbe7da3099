//! Why a change to the work book was refused.

/// A refused change; the handlers turn each kind into XPM's status code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum WorkError {
    /// The thing the request names does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed or refers to something unusable (400).
    #[error("{0}")]
    Invalid(String),
    /// The request clashes with the current state (409).
    #[error("{0}")]
    Conflict(String),
}

impl WorkError {
    /// `what` was not found.
    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// The request is invalid because `why`.
    pub(crate) fn invalid(why: impl Into<String>) -> Self {
        Self::Invalid(why.into())
    }
}

/// The work book's result type.
pub(crate) type WorkResult<T> = Result<T, WorkError>;
