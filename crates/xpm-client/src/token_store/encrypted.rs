//! A token store of sealed files, one per connection.
//!
//! Records live in `<data dir>/tokens/<connection id>.sealed`. Each is sealed with
//! XChaCha20-Poly1305 under the [`MasterKey`], with a fresh random 24-byte nonce per write:
//!
//! ```text
//! offset  size  field
//!      0     4  magic "XPMT"
//!      4     1  format version (1)
//!      5     4  key id (first 4 bytes of the key's fingerprint)
//!      9    24  nonce
//!     33     …  ciphertext of the JSON token fields, then the 16-byte Poly1305 tag
//! ```
//!
//! The associated data is the 9-byte header followed by the connection id's 16 bytes, so a record
//! copied into another connection's file, or with its version or key id edited, does not open.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chacha20poly1305::aead::{Aead as _, AeadCore as _, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use parking_lot::RwLock;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::keys::{KeyId, MasterKey};
use super::{ConnectionId, RefreshLock, StoredTokens, TokenBinding, TokenStore, TokenStoreError, files};
use crate::secret::{AccessToken, RefreshToken};

/// The AEAD every sealed record uses, for reports that say how tokens are kept
/// (`xpmkit evidence`): XChaCha20-Poly1305 (RFC 8439's ChaCha20-Poly1305 with a 24-byte nonce).
pub const SEAL_ALGORITHM: &str = "XChaCha20-Poly1305";

const MAGIC: &[u8; 4] = b"XPMT";
const VERSION: u8 = 1;
const HEADER_LEN: usize = 9;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const RECORDS_DIR: &str = "tokens";
const RECORD_EXTENSION: &str = "sealed";
/// The largest record read: a sealed record of Xero's tokens and a binding is a few KiB.
const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// Tokens sealed with XChaCha20-Poly1305 in owner-only files under a data directory.
///
/// Writes are atomic (temporary file, `fsync`, rename). One process may rotate the key with
/// [`rotate`](Self::rotate) while no other process writes to the same directory.
pub struct EncryptedFileStore {
    records_dir: PathBuf,
    keys: RwLock<Keys>,
}

struct Keys {
    /// Seals new records, and opens records it sealed.
    current: MasterKey,
    /// Open records only: older keys during a rotation.
    previous: Vec<MasterKey>,
}

impl Keys {
    fn for_id(&self, id: KeyId) -> Option<&MasterKey> {
        std::iter::once(&self.current).chain(&self.previous).find(|key| key.id() == id)
    }
}

/// What a key rotation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationReport {
    /// Records sealed again with the new key.
    pub resealed: usize,
    /// The key that sealed them before.
    pub old_key: KeyId,
    /// The key that seals them now.
    pub new_key: KeyId,
}

impl EncryptedFileStore {
    /// A store in `data_dir` sealing with `key`; creates `data_dir/tokens` with mode 0700.
    ///
    /// A data directory (or `tokens` directory) that group or others can write is refused: whoever
    /// can write there can replace the files that say where tokens go.
    pub fn open(data_dir: impl AsRef<Path>, key: MasterKey) -> Result<Self, TokenStoreError> {
        let records_dir = data_dir.as_ref().join(RECORDS_DIR);
        files::create_private_dir(&records_dir)
            .map_err(|source| TokenStoreError::Io { path: records_dir.clone(), source })?;
        for dir in [data_dir.as_ref(), records_dir.as_path()] {
            if let Some(mode) =
                files::writable_by_others(dir).map_err(|source| TokenStoreError::Io { path: dir.to_owned(), source })?
            {
                return Err(TokenStoreError::InsecureDirectory { path: dir.to_owned(), mode });
            }
        }
        Ok(Self { records_dir, keys: RwLock::new(Keys { current: key, previous: Vec::new() }) })
    }

    /// Also opens records sealed with `key` (for example the key before an interrupted rotation).
    /// New records are still sealed with the current key.
    #[must_use]
    pub fn with_previous_key(self, key: MasterKey) -> Self {
        self.keys.write().previous.push(key);
        self
    }

    /// The id of the key that seals new records.
    pub fn key_id(&self) -> KeyId {
        self.keys.read().current.id()
    }

    /// The file that holds a connection's record.
    pub fn record_path(&self, connection: ConnectionId) -> PathBuf {
        self.records_dir.join(format!("{}.{RECORD_EXTENSION}", connection.0))
    }

    /// The id of the key each stored record was sealed with, read from the headers without
    /// opening the records.
    pub fn record_keys(&self) -> Result<Vec<(ConnectionId, KeyId)>, TokenStoreError> {
        self.connections()?
            .into_iter()
            .filter_map(|connection| match self.read_record(connection) {
                Ok(Some(bytes)) => Some(parse_header(connection, &bytes).map(|(key_id, _)| (connection, key_id))),
                Ok(None) => None,
                Err(error) => Some(Err(error)),
            })
            .collect()
    }

    /// Seals every record with `new_key` and makes it the current key.
    ///
    /// All records are opened first, so a record the store cannot open stops the rotation before
    /// anything is written. Each record is then replaced atomically. Afterwards the old key opens
    /// none of them. The caller keeps `new_key` safe before calling: an interrupted rotation
    /// leaves records under both keys (open the store with one and
    /// [`with_previous_key`](Self::with_previous_key) the other, then rotate again).
    pub fn rotate(&self, new_key: MasterKey) -> Result<RotationReport, TokenStoreError> {
        let mut keys = self.keys.write();
        let old_key = keys.current.id();
        let mut opened = Vec::new();
        for connection in self.connections()? {
            if let Some(bytes) = self.read_record(connection)? {
                opened.push((connection, open_record(&keys, connection, &bytes)?));
            }
        }
        for (connection, plaintext) in &opened {
            let sealed = seal_record(&new_key, *connection, plaintext)?;
            self.write_record(*connection, &sealed)?;
        }
        let report = RotationReport { resealed: opened.len(), old_key, new_key: new_key.id() };
        *keys = Keys { current: new_key, previous: Vec::new() };
        tracing::info!(resealed = report.resealed, old_key = %report.old_key, new_key = %report.new_key, "token records resealed");
        Ok(report)
    }

    fn read_record(&self, connection: ConnectionId) -> Result<Option<Vec<u8>>, TokenStoreError> {
        let path = self.record_path(connection);
        let corrupt = |reason: String| TokenStoreError::Corrupt { connection, reason };
        match files::read_regular_file(&path, MAX_RECORD_BYTES) {
            Ok(files::Capped::Read(bytes)) => Ok(Some(bytes)),
            Ok(files::Capped::Missing) => Ok(None),
            Ok(files::Capped::NotRegular) => Err(corrupt(format!(
                "{} is not a regular file (a link, device or directory); remove it and connect again",
                path.display()
            ))),
            Ok(files::Capped::TooLarge) => Err(corrupt(format!(
                "{} is larger than any token record ({} KiB); remove it and connect again",
                path.display(),
                MAX_RECORD_BYTES / 1024
            ))),
            Err(source) => Err(TokenStoreError::Io { path, source }),
        }
    }

    fn write_record(&self, connection: ConnectionId, sealed: &[u8]) -> Result<(), TokenStoreError> {
        let path = self.record_path(connection);
        files::write_atomically(&path, sealed).map_err(|source| TokenStoreError::Io { path, source })
    }
}

impl std::fmt::Debug for EncryptedFileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptedFileStore")
            .field("records_dir", &self.records_dir)
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl TokenStore for EncryptedFileStore {
    fn load(&self, connection: ConnectionId) -> Result<Option<StoredTokens>, TokenStoreError> {
        let Some(bytes) = self.read_record(connection)? else {
            return Ok(None);
        };
        let plaintext = open_record(&self.keys.read(), connection, &bytes)?;
        decode_tokens(connection, &plaintext).map(Some)
    }

    fn save(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<(), TokenStoreError> {
        let keys = self.keys.read();
        let sealed = seal_record(&keys.current, connection, &encode_tokens(connection, tokens)?)?;
        self.write_record(connection, &sealed)
    }

    /// Removes the sealed record and the connection's refresh lock file: a forgotten connection
    /// leaves nothing behind.
    fn delete(&self, connection: ConnectionId) -> Result<(), TokenStoreError> {
        let lock = self.records_dir.join(format!("{}.lock", connection.0));
        for path in [self.record_path(connection), lock] {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(source) => return Err(TokenStoreError::Io { path, source }),
            }
        }
        Ok(())
    }

    /// Locks `<connection id>.lock` beside the record with `flock` (Unix); the operating system
    /// releases it if the holding process dies.
    fn lock_refresh(&self, connection: ConnectionId, timeout: Duration) -> Result<RefreshLock, TokenStoreError> {
        let path = self.records_dir.join(format!("{}.lock", connection.0));
        match RefreshLock::acquire_file(&path, timeout) {
            Ok(Some(lock)) => Ok(lock),
            Ok(None) => Err(TokenStoreError::LockTimeout { connection, waited: timeout }),
            Err(source) => Err(TokenStoreError::Io { path, source }),
        }
    }

    fn connections(&self) -> Result<Vec<ConnectionId>, TokenStoreError> {
        let io_error = |source| TokenStoreError::Io { path: self.records_dir.clone(), source };
        let mut connections = Vec::new();
        for entry in fs::read_dir(&self.records_dir).map_err(io_error)? {
            let path = entry.map_err(io_error)?.path();
            // Temporary files start with a dot and end in `.tmp`, so they never parse here.
            if path.extension().is_some_and(|extension| extension == RECORD_EXTENSION) {
                let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
                if let Ok(id) = Uuid::parse_str(stem) {
                    connections.push(ConnectionId(id));
                }
            }
        }
        connections.sort();
        Ok(connections)
    }
}

/// Seals and opens token records in the format above, for stores that keep them somewhere other
/// than files (a database): the same bytes, bound to the connection id the same way, so a record
/// moved to another connection's row does not open either.
pub struct TokenSealer {
    keys: Keys,
}

impl TokenSealer {
    /// A sealer that seals with `key`.
    pub fn new(key: MasterKey) -> Self {
        Self { keys: Keys { current: key, previous: Vec::new() } }
    }

    /// Also opens records sealed with `key`; new records are still sealed with the current key.
    #[must_use]
    pub fn with_previous_key(mut self, key: MasterKey) -> Self {
        self.keys.previous.push(key);
        self
    }

    /// The id of the key that seals new records.
    pub fn key_id(&self) -> KeyId {
        self.keys.current.id()
    }

    /// Seals `tokens` for `connection` under the current key, with a fresh nonce.
    pub fn seal(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<Vec<u8>, TokenStoreError> {
        seal_record(&self.keys.current, connection, &encode_tokens(connection, tokens)?)
    }

    /// Opens a record sealed for `connection` by this sealer's current or previous keys.
    pub fn open(&self, connection: ConnectionId, sealed: &[u8]) -> Result<StoredTokens, TokenStoreError> {
        decode_tokens(connection, &open_record(&self.keys, connection, sealed)?)
    }

    /// The id of the key a record was sealed with, read from its header without opening it.
    pub fn record_key(connection: ConnectionId, sealed: &[u8]) -> Result<KeyId, TokenStoreError> {
        parse_header(connection, sealed).map(|(key_id, _)| key_id)
    }
}

impl std::fmt::Debug for TokenSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSealer").field("key_id", &self.key_id()).finish_non_exhaustive()
    }
}

/// The token fields as sealed: plain strings, wiped when dropped.
#[derive(serde::Serialize, serde::Deserialize, Zeroize, ZeroizeOnDrop)]
struct SealedTokens {
    access_token: String,
    #[zeroize(skip)]
    access_expires_at: DateTime<Utc>,
    refresh_token: Option<String>,
    scope: String,
    needs_reauth: bool,
    /// Absent in records sealed before bindings existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[zeroize(skip)]
    binding: Option<TokenBinding>,
}

fn encode_tokens(connection: ConnectionId, tokens: &StoredTokens) -> Result<Zeroizing<Vec<u8>>, TokenStoreError> {
    let wire = SealedTokens {
        access_token: tokens.access_token.secret().to_owned(),
        access_expires_at: tokens.access_expires_at,
        refresh_token: tokens.refresh_token.as_ref().map(|token| token.secret().to_owned()),
        scope: tokens.scope.clone(),
        needs_reauth: tokens.needs_reauth,
        binding: tokens.binding.clone(),
    };
    // Sized up front so that the buffer holding the tokens is not reallocated (and copied) while
    // being written.
    let capacity = 128
        + wire.access_token.len()
        + wire.refresh_token.as_ref().map_or(0, String::len)
        + wire.scope.len() * 2
        + wire.binding.as_ref().map_or(0, |binding| 1024 + 40 * binding.tenants.len());
    let mut plaintext = Zeroizing::new(Vec::with_capacity(capacity));
    serde_json::to_writer(&mut *plaintext, &wire).map_err(|error| TokenStoreError::Corrupt {
        connection,
        reason: format!("cannot encode the tokens: {error}"),
    })?;
    Ok(plaintext)
}

fn decode_tokens(connection: ConnectionId, plaintext: &[u8]) -> Result<StoredTokens, TokenStoreError> {
    // serde_json's messages name the position and the expected type, never the text of a value.
    let mut wire: SealedTokens = serde_json::from_slice(plaintext).map_err(|error| TokenStoreError::Corrupt {
        connection,
        reason: format!("the opened record is not token JSON: {error}"),
    })?;
    Ok(StoredTokens {
        access_token: AccessToken::new(std::mem::take(&mut wire.access_token)),
        access_expires_at: wire.access_expires_at,
        refresh_token: wire.refresh_token.take().map(RefreshToken::new),
        scope: wire.scope.clone(),
        needs_reauth: wire.needs_reauth,
        binding: wire.binding.take(),
    })
}

fn header(key_id: KeyId) -> [u8; HEADER_LEN] {
    let mut header = [0_u8; HEADER_LEN];
    header[..4].copy_from_slice(MAGIC);
    header[4] = VERSION;
    header[5..].copy_from_slice(&key_id.0);
    header
}

fn associated_data(header: &[u8], connection: ConnectionId) -> Vec<u8> {
    [header, connection.0.as_bytes().as_slice()].concat()
}

/// Checks the header, returning the key id and the rest (nonce, ciphertext, tag).
fn parse_header(connection: ConnectionId, bytes: &[u8]) -> Result<(KeyId, &[u8]), TokenStoreError> {
    let corrupt = |reason: &str| TokenStoreError::Corrupt { connection, reason: reason.to_owned() };
    if bytes.len() < 5 || &bytes[..4] != MAGIC {
        return Err(corrupt("not an xpmkit sealed token record"));
    }
    if bytes[4] != VERSION {
        return Err(TokenStoreError::Corrupt {
            connection,
            reason: format!("record format version {} is not supported by this xpmkit (it reads {VERSION})", bytes[4]),
        });
    }
    if bytes.len() < HEADER_LEN + NONCE_LEN + TAG_LEN {
        return Err(corrupt("the record is truncated"));
    }
    let key_id = KeyId([bytes[5], bytes[6], bytes[7], bytes[8]]);
    Ok((key_id, &bytes[HEADER_LEN..]))
}

fn seal_record(key: &MasterKey, connection: ConnectionId, plaintext: &[u8]) -> Result<Vec<u8>, TokenStoreError> {
    let header = header(key.id());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = associated_data(&header, connection);
    let ciphertext = key.cipher().encrypt(&nonce, Payload { msg: plaintext, aad: &aad }).map_err(|_| {
        TokenStoreError::Corrupt { connection, reason: "sealing failed: the tokens are too large".to_owned() }
    })?;
    Ok([header.as_slice(), nonce.as_slice(), &ciphertext].concat())
}

fn open_record(keys: &Keys, connection: ConnectionId, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, TokenStoreError> {
    let (record_key, rest) = parse_header(connection, bytes)?;
    let Some(key) = keys.for_id(record_key) else {
        return Err(TokenStoreError::WrongKey { connection, record_key, current_key: keys.current.id() });
    };
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let aad = associated_data(&bytes[..HEADER_LEN], connection);
    key.cipher()
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad })
        .map(Zeroizing::new)
        .map_err(|_| TokenStoreError::Tampered { connection })
}
