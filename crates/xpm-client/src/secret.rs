//! Secret newtypes: tokens and client secrets that never show in `Debug`, logs or errors.
//!
//! Each wraps a [`SecretString`]; `Debug` prints the type name and `[redacted]`, there is no
//! `Display`, and the value is reachable only through [`ExposeSecret`] at the point of use.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

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

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.secret() == other.secret()
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
}
