//! Why a sync run stopped.

use xpm_store::StoreError;

/// Why a sync run stopped. The run is recorded as failed with this error's text; what it had
/// committed stays, and the next run resumes from the cursors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// An XPM call failed (after the client's own retries).
    #[error("{step}: {source}")]
    Client {
        /// The step that made the call (`clients`, `staff`, `groups`, `jobs.current`, `jobs`,
        /// `time`, `custom fields`).
        step: &'static str,
        /// What the client reported; its [`kind`](xpm_client::Error::kind) says what to do.
        #[source]
        source: xpm_client::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A cursor holds something this version cannot read (edited by hand, or written by a newer
    /// version): forget it with `--full`, or delete the row.
    #[error("the stored cursor {name} holds {value:?}, which is not {expected}")]
    Cursor {
        /// The cursor's name.
        name: &'static str,
        /// What it holds.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
}

impl SyncError {
    /// The client's error, when an XPM call failed.
    pub fn client_error(&self) -> Option<&xpm_client::Error> {
        match self {
            Self::Client { source, .. } => Some(source),
            _ => None,
        }
    }
}
