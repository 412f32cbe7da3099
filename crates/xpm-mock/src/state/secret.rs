//! Secrets in the state file: an app's client secret, the private signing key, the `state` and
//! `nonce` of a pending consent. They are written in the clear (the file is created with mode
//! 0600, see [`super::file`]) and read straight back into `SecretString` or `Zeroizing` values,
//! whose `Debug` never shows them. Use as `#[serde(with = "crate::state::secret")]` on an
//! `Option<SecretString>`.

use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize as _, Deserializer, Serializer};

/// Writes an optional secret as a string or `null`.
pub(crate) fn serialize<S: Serializer>(secret: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

/// Reads an optional secret.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(SecretString::from))
}

/// A `Zeroizing<String>` (the private signing key's PEM).
pub(crate) mod zeroizing {
    use serde::{Deserialize as _, Deserializer, Serializer};
    use zeroize::Zeroizing;

    /// Writes the string.
    pub(crate) fn serialize<S: Serializer>(secret: &Zeroizing<String>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(secret)
    }

    /// Reads the string, wiped from memory when dropped.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Zeroizing<String>, D::Error> {
        String::deserialize(deserializer).map(Zeroizing::new)
    }
}
