//! Secret newtypes: tokens and client secrets that never show in `Debug`, logs or errors.
//!
//! Each wraps a [`SecretString`]; `Debug` prints the type name and `[redacted]`, there is no
//! `Display`, and the value is reachable only through [`ExposeSecret`] at the point of use.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq as _;

/// Compares two secrets in time that depends only on their lengths, so a caller probing with
/// guesses learns nothing from how long a comparison took (the timing attack of RFC 6819,
/// section 5.1.4.1.5, "secure the comparison").
pub(crate) fn same_secret(left: &str, right: &str) -> bool {
    left.as_bytes().ct_eq(right.as_bytes()).into()
}

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(SecretString::from(value.into()))
            }

            /// The secret, for the one place that must send it.
            pub fn secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        /// Compared in constant time, so how long a comparison takes says nothing about the value.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                same_secret(self.secret(), other.secret())
            }
        }

        impl Eq for $name {}
    };
}

secret_type!(
    /// An OAuth access token (a JWT from Xero identity).
    AccessToken
);
secret_type!(
    /// An OAuth refresh token. Xero rotates it on every use.
    RefreshToken
);
secret_type!(
    /// An app's client secret (absent for PKCE-only apps).
    ClientSecret
);
secret_type!(
    /// An OpenID Connect id_token.
    IdToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let planted = "plant-7f3a-secret";
        let shown = format!(
            "{:?} {:?} {:?} {:?}",
            AccessToken::new(planted),
            RefreshToken::new(planted),
            ClientSecret::new(planted),
            IdToken::new(planted)
        );
        assert!(!shown.contains(planted), "{shown}");
        assert!(shown.contains("AccessToken([redacted])"));
    }

    #[test]
    fn secrets_compare_by_value() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab") && !same_secret("", "a"));
        assert_eq!(AccessToken::new("t1"), AccessToken::new("t1"));
        assert_ne!(AccessToken::new("t1"), AccessToken::new("t2"));
    }
}
