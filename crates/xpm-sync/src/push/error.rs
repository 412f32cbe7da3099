//! Why queueing or pushing failed as a whole (one entry's failure is an [`Outcome`](super::Outcome)).

use xpm_store::{OutboxId, StoreError};

/// A failure of [`queue`](super::queue) or [`push`](super::push).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An update names a record the store does not hold, so there is no stored copy to detect a
    /// conflicting edit against.
    #[error(
        "the store holds no {entity} {key}: sync the practice first, so the update can be checked against the stored copy"
    )]
    NotStored {
        /// The kind of record.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// A change lacks a field XPM requires.
    #[error("{change}: the request lacks the required field `{field}`")]
    MissingField {
        /// What the change does.
        change: String,
        /// The field's JSON name.
        field: &'static str,
    },
    /// A queued entry cannot be read back as a change (edited by hand, or written by another
    /// program).
    #[error("outbox entry {} cannot be read: {reason}", .id.0)]
    Unreadable {
        /// The entry.
        id: OutboxId,
        /// What is wrong.
        reason: String,
    },
    /// Another push of the same practice is running (it holds the outbox lock).
    #[error(
        "another push of practice {tenant} is running; wait for it to finish (a push that was killed releases \
         the lock when its process ends)"
    )]
    Busy {
        /// The practice.
        tenant: uuid::Uuid,
    },
}
