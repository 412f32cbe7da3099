//! Opaque credentials (authorisation codes, refresh tokens, consent request ids): how they are
//! made, how they are stored and how they are compared.
//!
//! The emulator keeps only the SHA-256 of each credential it hands out, as a real authorisation
//! server would. The state therefore never holds a usable code or token, so no `Debug` output,
//! log line or admin dump can leak one.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::rngs::OsRng;
use rand::{RngCore as _, TryRngCore as _};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// A fresh credential: 32 random bytes, base64url without padding (43 characters).
///
/// Xero's codes and refresh tokens are opaque strings too; clients must not parse them.
pub(crate) fn new_credential() -> SecretString {
    let mut bytes = [0u8; 32];
    // The operating system's generator only fails when the platform has none at all, in which
    // case no credential could be safe; `unwrap_err` stops the emulator then.
    OsRng.unwrap_err().fill_bytes(&mut bytes);
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}

/// A few random bytes for non-secret ids (salts), base64url.
pub(crate) fn random_salt() -> String {
    let mut bytes = [0u8; 12];
    OsRng.unwrap_err().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a credential: what the state keys codes, refresh tokens and consent requests by.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CredentialHash([u8; 32]);

impl CredentialHash {
    /// Hashes a credential as presented by a client.
    pub(crate) fn of(credential: &str) -> Self {
        Self(Sha256::digest(credential.as_bytes()).into())
    }

    /// Hashes a credential the emulator just made.
    pub(crate) fn of_secret(credential: &SecretString) -> Self {
        Self::of(credential.expose_secret())
    }
}

impl fmt::Debug for CredentialHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Even a hash is left out: it identifies a credential in logs for no benefit.
        f.write_str("CredentialHash(..)")
    }
}

/// In the state file a hash is 64 hex digits: it is the map key of the credential's record, and
/// a hash of 32 random bytes tells nothing about the credential.
impl serde::Serialize for CredentialHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hex: String = self.0.iter().map(|byte| format!("{byte:02x}")).collect();
        serializer.serialize_str(&hex)
    }
}

impl<'de> serde::Deserialize<'de> for CredentialHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let hex = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let invalid = || serde::de::Error::custom("a credential hash is 64 hex digits");
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| invalid())?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
        }
        Ok(Self(bytes))
    }
}

/// Compares a presented secret with the registered one in constant time.
///
/// Both sides are hashed first so that neither the content nor the length of the registered
/// secret shows in the timing.
pub(crate) fn secrets_match(presented: &str, registered: &SecretString) -> bool {
    let presented = Sha256::digest(presented.as_bytes());
    let registered = Sha256::digest(registered.expose_secret().as_bytes());
    presented.as_slice().ct_eq(registered.as_slice()).into()
}

/// Compares two public strings (such as a PKCE challenge) in constant time.
pub(crate) fn strings_match(left: &str, right: &str) -> bool {
    left.len() == right.len() && bool::from(left.as_bytes().ct_eq(right.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_43_url_safe_characters_and_differ() {
        let first = new_credential();
        let second = new_credential();
        assert_eq!(first.expose_secret().len(), 43);
        assert!(first.expose_secret().bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_".contains(&byte)));
        assert_ne!(first.expose_secret(), second.expose_secret());
    }

    #[test]
    fn hashes_identify_credentials_without_showing_them() {
        let credential = new_credential();
        let hash = CredentialHash::of_secret(&credential);
        assert_eq!(hash, CredentialHash::of(credential.expose_secret()));
        assert!(!format!("{hash:?}").contains(credential.expose_secret()));
    }

    #[test]
    fn secrets_compare_by_content() {
        let registered = SecretString::from("s3cret");
        assert!(secrets_match("s3cret", &registered));
        assert!(!secrets_match("s3cret ", &registered));
        assert!(!secrets_match("", &registered));
        assert!(strings_match("abc", "abc"));
        assert!(!strings_match("abc", "abd"));
        assert!(!strings_match("abc", "abcd"));
    }
}
