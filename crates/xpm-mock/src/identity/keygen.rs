//! A fresh RSA signing key for RS256, generated when the emulator starts (or read back from the
//! emulator's state file).
//!
//! RS256 (RFC 7518 §3.3) is what Xero signs with and what clients expect from its JWKS; RFC 7518
//! requires a key of 2048 bits or more.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, LineEnding};
use rsa::traits::PublicKeyParts as _;
use rsa::{RsaPrivateKey, rand_core::OsRng};
use zeroize::Zeroizing;

/// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
const BITS: usize = 2048;

/// A generated key: the private half as PKCS#8 PEM, the public half as the JWKS writes it.
pub(super) struct GeneratedKey {
    pub(super) private_pem: Zeroizing<String>,
    pub(super) modulus: String,
    pub(super) exponent: String,
    pub(super) key_id: String,
}

/// Why no key could be made.
#[derive(Debug, thiserror::Error)]
pub(super) enum KeygenError {
    #[error("cannot generate an RSA signing key: {0}")]
    Generate(#[source] rsa::Error),
    #[error("cannot encode the generated RSA signing key: {0}")]
    Encode(#[source] rsa::pkcs8::Error),
    // The key's own bytes never reach the message: pkcs8's errors name only what is malformed.
    #[error("the saved RSA signing key is not a PKCS#8 PEM private key: {0}")]
    Decode(#[source] rsa::pkcs8::Error),
}

/// Generates a key with a `kid` derived from its modulus (so equal kids mean equal keys).
pub(super) fn generate() -> Result<GeneratedKey, KeygenError> {
    let private = RsaPrivateKey::new(&mut OsRng, BITS).map_err(KeygenError::Generate)?;
    let private_pem = private.to_pkcs8_pem(LineEnding::LF).map_err(KeygenError::Encode)?;
    Ok(describe(&private, private_pem))
}

/// A key saved earlier (its PKCS#8 PEM), with the same public half and `kid` it had.
pub(super) fn from_pem(private_pem: Zeroizing<String>) -> Result<GeneratedKey, KeygenError> {
    let private = RsaPrivateKey::from_pkcs8_pem(&private_pem).map_err(KeygenError::Decode)?;
    Ok(describe(&private, private_pem))
}

fn describe(private: &RsaPrivateKey, private_pem: Zeroizing<String>) -> GeneratedKey {
    let modulus_bytes = private.n().to_bytes_be();
    let modulus = URL_SAFE_NO_PAD.encode(&modulus_bytes);
    let exponent = URL_SAFE_NO_PAD.encode(private.e().to_bytes_be());
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&modulus_bytes);
    let key_id = format!("xpmkit-emulator-{}", URL_SAFE_NO_PAD.encode(&digest[..9]));
    GeneratedKey { private_pem, modulus, exponent, key_id }
}
