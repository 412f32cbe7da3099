//! The master key that seals tokens at rest, and where it comes from.
//!
//! A [`KeyResolver`] looks, in order, at an environment variable (32 bytes as base64 or hex;
//! `XPMKIT_MASTER_KEY` unless the caller names another), then at the key file `<data dir>/master.key` (created with mode 0600 on first
//! use, refused if group or others can read it). The OS keyring is not used: on Linux it needs a
//! running Secret Service (D-Bus), which servers and CI do not have.
//!
//! Every key has a [`KeyId`], a fingerprint stored in each record's header, so that a record
//! sealed with another key is reported as [`WrongKey`](super::TokenStoreError::WrongKey) naming
//! both ids, rather than failing as if it were damaged.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore as _;
use chacha20poly1305::{Key, KeyInit as _, XChaCha20Poly1305};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::files;

/// The name of the key file in the data directory.
pub const KEY_FILE_NAME: &str = "master.key";

/// What a valid key looks like, for error messages.
const EXPECTED_FORMAT: &str =
    "32 random bytes as base64 (44 characters) or hex (64 characters), e.g. from `openssl rand -base64 32`";

/// A 256-bit key that seals token records. Its bytes are wiped from memory when dropped and
/// never printed: `Debug` shows only the [`KeyId`].
#[derive(Clone)]
pub struct MasterKey {
    bytes: Zeroizing<[u8; 32]>,
    id: KeyId,
}

impl MasterKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0_u8; 32]);
        OsRng.fill_bytes(bytes.as_mut_slice());
        Self::from_bytes(bytes)
    }

    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        let id = KeyId::of(&bytes);
        Self { bytes, id }
    }

    /// Reads a key written as base64 (standard or URL-safe, padded or not) or hex; surrounding
    /// whitespace is ignored. The error never repeats the text.
    pub fn parse(text: &str) -> Result<Self, KeyFormatError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyFormatError::Empty);
        }
        // Base64 of 32 bytes has 43 or 44 characters, so an even run of hex digits is hex.
        let decoded = if text.len().is_multiple_of(2) && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            decode_hex(text)
        } else {
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|engine| engine.decode(text).ok())
                .map(Zeroizing::new)
                .ok_or(KeyFormatError::NotBase64OrHex)?
        };
        let bytes: [u8; 32] =
            decoded.as_slice().try_into().map_err(|_| KeyFormatError::WrongLength { bytes: decoded.len() })?;
        Ok(Self::from_bytes(Zeroizing::new(bytes)))
    }

    /// The key's fingerprint, safe to show and store.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The key as standard base64, for the one place that must show it to its owner
    /// (a key rotation with a key from the environment) or write it to the key file.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.bytes.as_slice()))
    }

    /// The AEAD keyed with this key.
    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(self.bytes.as_slice()))
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Decodes hex digits already checked to be hex.
fn decode_hex(text: &str) -> Zeroizing<Vec<u8>> {
    let value = |digit: u8| char::from(digit).to_digit(16).map_or(0, |value| value as u8);
    Zeroizing::new(text.as_bytes().chunks_exact(2).map(|pair| (value(pair[0]) << 4) | value(pair[1])).collect())
}

/// A key's fingerprint: the first 4 bytes of SHA-256 over a label and the key, shown as 8 hex
/// digits. It tells keys apart; it does not help guess one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 4]);

impl KeyId {
    fn of(key: &[u8; 32]) -> Self {
        let digest = Sha256::new().chain_update(b"xpmkit master key id v1\0").chain_update(key).finalize();
        Self([digest[0], digest[1], digest[2], digest[3]])
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// Where the master key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// An environment variable (the [`KeyResolver`]'s, named here).
    Env {
        /// The variable's name.
        variable: String,
    },
    /// An existing key file.
    File(PathBuf),
    /// A key file created just now, because there was no key yet.
    Created(PathBuf),
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env { variable } => write!(f, "the {variable} environment variable"),
            Self::File(path) => write!(f, "the key file {}", path.display()),
            Self::Created(path) => write!(f, "the key file {} (created now)", path.display()),
        }
    }
}

/// A key and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedKey {
    /// The key.
    pub key: MasterKey,
    /// Where it came from.
    pub source: KeySource,
}

/// Why a key text is not a key. Never includes the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFormatError {
    /// Nothing but whitespace.
    #[error("it is empty")]
    Empty,
    /// Neither base64 nor 64 hex digits.
    #[error("it is neither base64 nor hex")]
    NotBase64OrHex,
    /// Decoded, but not 32 bytes.
    #[error("it decodes to {bytes} bytes, not 32")]
    WrongLength {
        /// How many bytes it decoded to.
        bytes: usize,
    },
    /// The key file is a link, device, pipe or directory, which is never read.
    #[error("it is not a regular file (a link, device or directory)")]
    NotRegularFile,
    /// The key file is far longer than any key.
    #[error("it is over {MAX_KEY_FILE_BYTES} bytes, far longer than a key")]
    TooLong,
}

/// The longest key file read: a key is 44 base64 or 64 hex characters.
const MAX_KEY_FILE_BYTES: u64 = 1024;

/// Why no master key could be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The environment variable is set but is not a key.
    #[error("{variable} is not a valid master key (expected {EXPECTED_FORMAT})")]
    MalformedEnv {
        /// The variable's name.
        variable: String,
        /// What is wrong with it.
        #[source]
        reason: KeyFormatError,
    },
    /// The key file does not hold a key.
    #[error("the key file {} is not a valid master key (expected {EXPECTED_FORMAT})", path.display())]
    MalformedFile {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        reason: KeyFormatError,
    },
    /// Group or others may read the key file.
    #[error(
        "the key file {path} can be read by group or others (mode {mode:03o}); refusing to use it: \
         run `chmod 600 {path}`",
        path = path.display()
    )]
    InsecureFile {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Reading or writing the key file failed.
    #[error("cannot access the key file {}", path.display())]
    Io {
        /// The key file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// The key file of a data directory.
pub fn key_file_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEY_FILE_NAME)
}

/// Where a key rotation keeps the new key until every record is sealed with it, so that an
/// interrupted rotation can be resumed.
pub fn pending_key_file_path(data_dir: &Path) -> PathBuf {
    data_dir.join(format!("{KEY_FILE_NAME}.new"))
}

/// The conventional data directory of an application called `app_name`:
/// `$XDG_DATA_HOME/<app_name>`, else `$HOME/.local/share/<app_name>` (the XDG Base Directory
/// Specification's default).
pub fn default_data_dir(app_name: &str) -> Option<PathBuf> {
    let non_empty = |name| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    non_empty("XDG_DATA_HOME")
        .or_else(|| non_empty("HOME").map(|home| home.join(".local").join("share")))
        .map(|base| base.join(app_name))
}

/// Finds the master key of a data directory: from an environment variable when one is set,
/// else from the key file, else (for [`resolve`](Self::resolve)) a new key in a new key file.
///
/// ```no_run
/// # fn example() -> Result<(), xpm_client::token_store::KeyError> {
/// use xpm_client::token_store::keys::KeyResolver;
///
/// let resolver = KeyResolver::new("/var/lib/my-app").env_var("MY_APP_MASTER_KEY");
/// let loaded = resolver.resolve()?;
/// println!("key {} from {}", loaded.key.id(), loaded.source);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyResolver {
    data_dir: PathBuf,
    env_var: Option<String>,
}

impl KeyResolver {
    /// The environment variable consulted unless [`env_var`](Self::env_var) names another: the
    /// one the toolkit's CLI documents, so a program embedding the library opens the same store.
    pub const DEFAULT_ENV_VAR: &'static str = "XPMKIT_MASTER_KEY";

    /// A resolver for the key file in `data_dir`, consulting [`DEFAULT_ENV_VAR`](Self::DEFAULT_ENV_VAR)
    /// first.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self { data_dir: data_dir.into(), env_var: Some(Self::DEFAULT_ENV_VAR.to_owned()) }
    }

    /// Consults the environment variable `name` (base64 or hex of 32 bytes) before the key file.
    #[must_use]
    pub fn env_var(mut self, name: impl Into<String>) -> Self {
        self.env_var = Some(name.into());
        self
    }

    /// Consults no environment variable: the key file only.
    #[must_use]
    pub fn without_env_var(mut self) -> Self {
        self.env_var = None;
        self
    }

    /// The environment variable consulted, if any.
    pub fn env_var_name(&self) -> Option<&str> {
        self.env_var.as_deref()
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The key file.
    pub fn key_file(&self) -> PathBuf {
        key_file_path(&self.data_dir)
    }

    /// Where a rotation keeps the new key (see [`pending_key_file_path`]).
    pub fn pending_key_file(&self) -> PathBuf {
        pending_key_file_path(&self.data_dir)
    }

    /// The master key: from the environment variable, else from the key file, else a new key
    /// written to a new key file.
    pub fn resolve(&self) -> Result<LoadedKey, KeyError> {
        self.resolve_with(self.env_value().as_deref())
    }

    /// The master key if there is one already (never creates a key file).
    pub fn find(&self) -> Result<Option<LoadedKey>, KeyError> {
        self.find_with(self.env_value().as_deref())
    }

    /// [`resolve`](Self::resolve), with the environment variable's value given (for tests and
    /// for programs that read their settings elsewhere).
    pub fn resolve_with(&self, env_value: Option<&OsStr>) -> Result<LoadedKey, KeyError> {
        if let Some(found) = self.find_with(env_value)? {
            return Ok(found);
        }
        let data_dir = &self.data_dir;
        let path = self.key_file();
        let key = MasterKey::generate();
        files::create_private_dir(data_dir).map_err(|source| KeyError::Io { path: path.clone(), source })?;
        let created = files::create_atomically(&path, key_file_text(&key).as_bytes())
            .map_err(|source| KeyError::Io { path: path.clone(), source })?;
        if created {
            return Ok(LoadedKey { key, source: KeySource::Created(path) });
        }
        // Another process created the key file between our look and our write: use theirs.
        let key = read_key_file(&path)?.ok_or_else(|| KeyError::Io {
            path: path.clone(),
            source: io::Error::new(io::ErrorKind::NotFound, "the key file vanished while being created"),
        })?;
        Ok(LoadedKey { key, source: KeySource::File(path) })
    }

    /// [`find`](Self::find), with the environment variable's value given.
    pub fn find_with(&self, env_value: Option<&OsStr>) -> Result<Option<LoadedKey>, KeyError> {
        if let Some(value) = env_value {
            let variable = self.env_var.clone().unwrap_or_default();
            let malformed = |reason| KeyError::MalformedEnv { variable: variable.clone(), reason };
            let text = value.to_str().ok_or_else(|| malformed(KeyFormatError::NotBase64OrHex))?;
            let key = MasterKey::parse(text).map_err(malformed)?;
            return Ok(Some(LoadedKey { key, source: KeySource::Env { variable } }));
        }
        let path = self.key_file();
        Ok(read_key_file(&path)?.map(|key| LoadedKey { key, source: KeySource::File(path) }))
    }

    fn env_value(&self) -> Option<std::ffi::OsString> {
        self.env_var.as_deref().and_then(std::env::var_os)
    }
}

/// Reads a key file, or `None` if it does not exist. Refuses a file that group or others can
/// read.
pub fn read_key_file(path: &Path) -> Result<Option<MasterKey>, KeyError> {
    let io_error = |source| KeyError::Io { path: path.to_owned(), source };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = match std::fs::metadata(path) {
            Ok(metadata) => metadata.permissions().mode() & 0o777,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io_error(error)),
        };
        if mode & 0o077 != 0 {
            return Err(KeyError::InsecureFile { path: path.to_owned(), mode });
        }
    }
    let malformed = |reason| KeyError::MalformedFile { path: path.to_owned(), reason };
    let bytes = match files::read_regular_file(path, MAX_KEY_FILE_BYTES).map_err(io_error)? {
        files::Capped::Read(bytes) => Zeroizing::new(bytes),
        files::Capped::Missing => return Ok(None),
        files::Capped::NotRegular => return Err(malformed(KeyFormatError::NotRegularFile)),
        files::Capped::TooLarge => return Err(malformed(KeyFormatError::TooLong)),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| malformed(KeyFormatError::NotBase64OrHex))?;
    MasterKey::parse(text).map(Some).map_err(|reason| KeyError::MalformedFile { path: path.to_owned(), reason })
}

/// Replaces (or creates) a key file with `key`, atomically and with mode 0600.
pub fn write_key_file(path: &Path, key: &MasterKey) -> Result<(), KeyError> {
    files::write_atomically(path, key_file_text(key).as_bytes())
        .map_err(|source| KeyError::Io { path: path.to_owned(), source })
}

fn key_file_text(key: &MasterKey) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(45));
    text.push_str(&key.to_base64());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_hex_of_the_same_bytes_are_the_same_key() {
        let bytes: Vec<u8> = (0..32).collect();
        let hex: String = bytes.iter().map(|byte| format!("{byte:02X}")).collect();
        let from_hex = MasterKey::parse(&hex).expect("hex");
        let from_base64 = MasterKey::parse(&format!("  {}\n", STANDARD.encode(&bytes))).expect("base64");
        let from_url_safe = MasterKey::parse(&URL_SAFE_NO_PAD.encode(&bytes)).expect("base64url");
        assert_eq!(from_hex.id(), from_base64.id());
        assert_eq!(from_hex.id(), from_url_safe.id());
        assert_eq!(*from_hex.to_base64(), STANDARD.encode(&bytes));
    }

    #[test]
    fn malformed_keys_say_why_without_echoing() {
        let check = |text: &str, expected: KeyFormatError| {
            assert_eq!(MasterKey::parse(text).map(|key| key.id()).expect_err("malformed"), expected, "{text}");
        };
        check("", KeyFormatError::Empty);
        check("not a key!", KeyFormatError::NotBase64OrHex);
        check(&STANDARD.encode([7_u8; 16]), KeyFormatError::WrongLength { bytes: 16 });
        check(&"ab".repeat(31), KeyFormatError::WrongLength { bytes: 31 });
    }

    #[test]
    fn debug_shows_the_id_only() {
        let key = MasterKey::generate();
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.to_base64().as_str()), "{shown}");
        assert_eq!(shown, format!("MasterKey {{ id: KeyId({}), .. }}", key.id()));
        assert_eq!(key.id().to_string().len(), 8);
        assert_ne!(key.id(), MasterKey::generate().id());
    }
}
