//! Proof Key for Code Exchange (RFC 7636), S256 only, as Xero supports it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use super::secrets::strings_match;

/// The only method Xero accepts.
pub(crate) const METHOD_S256: &str = "S256";

/// `base64url(sha256(verifier))` without padding.
pub(crate) fn challenge_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` has the RFC 7636 shape: 43–128 characters from `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len()) && verifier.bytes().all(is_unreserved)
}

/// Whether `challenge` can be an S256 challenge: a SHA-256 in base64url is 43 characters.
pub(crate) fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_".contains(&byte))
}

/// Whether `verifier` proves possession for `challenge`.
pub(crate) fn verifies(verifier: &str, challenge: &str) -> bool {
    is_valid_verifier(verifier) && strings_match(&challenge_s256(verifier), challenge)
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn challenge_matches_the_rfc_example() {
        assert_eq!(challenge_s256(RFC_VERIFIER), RFC_CHALLENGE);
        assert!(is_valid_challenge(RFC_CHALLENGE));
        assert!(verifies(RFC_VERIFIER, RFC_CHALLENGE));
    }

    #[test]
    fn wrong_verifier_fails() {
        let other = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK";
        assert!(!verifies(other, RFC_CHALLENGE));
        // The plain method (challenge == verifier) is not accepted.
        assert!(!verifies(RFC_VERIFIER, RFC_VERIFIER));
    }

    #[test]
    fn verifier_shape_is_checked() {
        fn check(verifier: &str, valid: bool) {
            assert_eq!(is_valid_verifier(verifier), valid, "{verifier:?}");
        }
        check(&"a".repeat(42), false);
        check(&"a".repeat(43), true);
        check(&"~._-".repeat(32), true);
        check(&"a".repeat(129), false);
        check(&format!("{}+", "a".repeat(43)), false);
        check(&format!("{} ", "a".repeat(43)), false);
    }

    #[test]
    fn challenge_shape_is_checked() {
        assert!(!is_valid_challenge(&RFC_CHALLENGE[..42]));
        assert!(!is_valid_challenge(&format!("{}=", &RFC_CHALLENGE[..42])));
        assert!(!is_valid_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"));
    }
}
