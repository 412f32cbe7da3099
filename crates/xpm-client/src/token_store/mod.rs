//! Where a connection's tokens live between runs.
//!
//! The [`TokenStore`] trait is what the client needs: load, save (sealed at rest by
//! implementations that persist), delete, and a per-connection lock so that only one process
//! refreshes a connection at a time. [`MemoryStore`] is for tests and short-lived programs.

mod binding;
mod encrypted;
mod files;
pub mod keys;
mod lock;
mod memory;

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use binding::{BindingError, TokenBinding};
pub use encrypted::{EncryptedFileStore, RotationReport, SEAL_ALGORITHM, TokenSealer};
pub use keys::{KeyError, KeyId, KeyResolver, KeySource, MasterKey};
pub use lock::RefreshLock;
pub use memory::MemoryStore;

use crate::secret::{AccessToken, RefreshToken};

/// Identifies one authorised connection (one Xero user's consent for one app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ConnectionId(pub Uuid);

impl std::fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The tokens of a connection, and what is known about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTokens {
    /// The current access token.
    pub access_token: AccessToken,
    /// When the access token expires.
    pub access_expires_at: DateTime<Utc>,
    /// The current refresh token (rotated on every refresh).
    pub refresh_token: Option<RefreshToken>,
    /// Granted scopes, space-separated as the token endpoint returned them.
    pub scope: String,
    /// Set when Xero answered `invalid_grant`: the user must connect again.
    pub needs_reauth: bool,
    /// The endpoints, app and practices the tokens were issued for, checked before they are
    /// sent; `None` leaves them unchecked (records sealed before bindings existed).
    pub binding: Option<TokenBinding>,
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenStoreError {
    /// Reading or writing the store failed.
    #[error("token store i/o failed at {path}")]
    Io {
        /// The file involved.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The record was sealed with another key than the ones the store has.
    #[error(
        "cannot unseal the tokens of connection {connection}: they were sealed with key {record_key}, \
         but the key in use is {current_key}; provide the key they were sealed with, or connect again"
    )]
    WrongKey {
        /// The connection whose record failed.
        connection: ConnectionId,
        /// The id of the key the record was sealed with.
        record_key: KeyId,
        /// The id of the key in use.
        current_key: KeyId,
    },
    /// The record names the right key but does not authenticate: it was altered, or copied from
    /// another connection's file.
    #[error(
        "the sealed tokens of connection {connection} fail authentication: the record was altered \
         or copied from another connection; connect again"
    )]
    Tampered {
        /// The connection whose record failed.
        connection: ConnectionId,
    },
    /// Another process held the connection's refresh lock for longer than the caller would wait.
    #[error(
        "another process is refreshing the tokens of connection {connection}; gave up waiting after {} ms",
        waited.as_millis()
    )]
    LockTimeout {
        /// The connection.
        connection: ConnectionId,
        /// How long the caller waited.
        waited: std::time::Duration,
    },
    /// The master key could not be loaded or created.
    #[error("cannot load the master key")]
    Key(#[from] KeyError),
    /// No key is available to seal or unseal records.
    #[error("no encryption key: {0}")]
    NoKey(String),
    /// The data directory can be written by group or others, who could then redirect the
    /// tokens; nothing is read from it.
    #[error(
        "the data directory {} can be written by others (mode {mode:o}); run `chmod go-w {}` or use \
         a private directory",
        path.display(),
        path.display()
    )]
    InsecureDirectory {
        /// The directory.
        path: std::path::PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A stored record is not readable.
    #[error("the stored record of connection {connection} is corrupt: {reason}")]
    Corrupt {
        /// The connection.
        connection: ConnectionId,
        /// What is wrong.
        reason: String,
    },
}

/// Persistence for tokens, shared by every client of a process (and, for stores that lock
/// across processes, by every process).
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The tokens of a connection, if stored.
    fn load(&self, connection: ConnectionId) -> Result<Option<StoredTokens>, TokenStoreError>;

    /// Stores (replaces) the tokens of a connection. A rotated refresh token must be saved here
    /// before it is used.
    fn save(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<(), TokenStoreError>;

    /// Forgets a connection.
    fn delete(&self, connection: ConnectionId) -> Result<(), TokenStoreError>;

    /// Every stored connection.
    fn connections(&self) -> Result<Vec<ConnectionId>, TokenStoreError>;

    /// Takes the lock that lets one process at a time refresh `connection`'s tokens, waiting up
    /// to `timeout` ([`TokenStoreError::LockTimeout`] after that). It blocks the thread: call it
    /// from `spawn_blocking`. Once it is held, load the tokens again before refreshing, since
    /// another process may have refreshed them meanwhile.
    ///
    /// The default locks nothing, which is right for stores that live in one process.
    fn lock_refresh(&self, connection: ConnectionId, timeout: Duration) -> Result<RefreshLock, TokenStoreError> {
        let _ = (connection, timeout);
        Ok(RefreshLock::in_process())
    }
}
