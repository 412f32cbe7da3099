//! Why a change to the directory was refused.

use uuid::Uuid;

/// A directory operation that cannot be carried out, by what the caller should do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DirectoryError {
    /// The entity named in the path or body does not exist.
    #[error("{kind} {id} not found")]
    NotFound {
        /// What was looked for: `client`, `contact`, `group`, `staff member`, `relationship`.
        kind: &'static str,
        /// The identifier given.
        id: Uuid,
    },
    /// The entity exists but its state forbids the change (a deleted client, a deleted contact).
    #[error("{0}")]
    Conflict(String),
    /// The request names something impossible (an unknown staff member as account manager, an
    /// empty name, eleven contacts at once).
    #[error("{0}")]
    Invalid(String),
}

impl DirectoryError {
    /// `kind id not found`.
    pub(crate) fn not_found(kind: &'static str, id: Uuid) -> Self {
        Self::NotFound { kind, id }
    }

    /// A conflict with the current state.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    /// An invalid request.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}
