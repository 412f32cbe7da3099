//! The published development signing key, used when the configuration asks for it
//! (`SigningKeyChoice::Development`): tests that want the same key and `kid` on every run.
//!
//! It is in the repository, so anyone can sign with it; the gateway therefore never trusts a
//! token for its signature alone, only for being one the emulator recorded when it issued it.

/// PKCS#8 PEM of the private key.
pub(crate) const PRIVATE_KEY_PEM: &str = include_str!("dev-signing-key.pem");

/// The public modulus, base64url without padding, as published in the JWKS.
pub(crate) const MODULUS_B64URL: &str = "rKqlzTlJxe7vhH3f7JZ4hvyn4hO36vWjXhbbmZIV420UoyVMEO9yuIm5-2ni5fw9LK2Sy5lPZN0eD3SYlt8DJ8PAgbaU1Z-bmz74n6-2uiuWNcSghWLWsuyAULfL-YGn_211W71IusjuqE7U53bU-TCwg4g-ZmUox-OCZl6-bb7M_yvzcCTvWbXzuLvDwuSB9aOKtOR3tCXE9w6Tz9n4KNhBbVisY-zH0j1tT28Tj0nehQ1vYU9tR8OiErEz-c6j5IMp31pWq6Jh1hgMBUwv0Y9inu9dQP1L7RW37ofI57w4rlDp6RO2krON--t2GFLiPZJEgpYy5RDEuy75nGRgGQ";

/// The public exponent (65537), base64url.
pub(crate) const EXPONENT_B64URL: &str = "AQAB";

/// The key id advertised in the JWKS and in every token header.
pub(crate) const KEY_ID: &str = "xpmkit-emulator-2026";
