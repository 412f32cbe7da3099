//! RS256 signing and verification, and the JWKS that describes the key.
//!
//! By default each emulator generates its own RSA key at start, so nobody else can sign a token
//! it accepts; tests that want repeatable tokens ask for the published development key
//! ([`SigningKeyChoice::Development`]).

use std::collections::HashSet;
use std::fmt;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::claims::AccessClaims;
use super::dev_key;
use crate::config::SigningKeyChoice;

/// The emulator's signing key pair, its key id and its public half as the JWKS publishes it.
pub(crate) struct SigningKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    key_id: String,
    modulus: String,
    exponent: String,
    origin: KeyOrigin,
}

/// Where the key came from, which is what the state file keeps of it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum KeyOrigin {
    /// The published development key.
    Development,
    /// A generated key: its private half as PKCS#8 PEM (wiped from memory when dropped).
    Generated {
        #[serde(with = "crate::state::secret::zeroizing")]
        private_key_pem: Zeroizing<String>,
    },
}

impl fmt::Debug for KeyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Development => f.write_str("Development"),
            Self::Generated { .. } => f.write_str("Generated { private_key_pem: [redacted] }"),
        }
    }
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys").field("kid", &self.key_id).finish_non_exhaustive()
    }
}

impl SigningKeys {
    /// The key `choice` asks for.
    ///
    /// # Panics
    ///
    /// If the operating system has no random generator to make a key with (see
    /// [`super::keygen`]), or the built-in key does not parse (a unit test makes sure it does).
    pub(crate) fn new(choice: SigningKeyChoice) -> Self {
        match choice {
            SigningKeyChoice::Generated => {
                let generated = super::keygen::generate().expect("the operating system's random generator works");
                Self::generated(generated).expect("a freshly generated key parses")
            }
            SigningKeyChoice::Development => Self::dev(),
        }
    }

    /// A key as the state file keeps it: the development key, or a generated key's PEM.
    pub(crate) fn restore(origin: KeyOrigin) -> Result<Self, String> {
        match origin {
            KeyOrigin::Development => Self::try_dev().map_err(|error| error.to_string()),
            KeyOrigin::Generated { private_key_pem } => {
                let key = super::keygen::from_pem(private_key_pem).map_err(|error| error.to_string())?;
                Self::generated(key).map_err(|error| format!("the saved RSA signing key cannot sign: {error}"))
            }
        }
    }

    /// Where the key came from: what the state file keeps.
    pub(crate) fn origin(&self) -> &KeyOrigin {
        &self.origin
    }

    fn generated(key: super::keygen::GeneratedKey) -> Result<Self, jsonwebtoken::errors::Error> {
        let super::keygen::GeneratedKey { private_pem, modulus, exponent, key_id } = key;
        Self::from_parts(
            &private_pem,
            &modulus,
            &exponent,
            key_id,
            KeyOrigin::Generated { private_key_pem: private_pem.clone() },
        )
    }

    fn from_parts(
        private_pem: &str,
        modulus: &str,
        exponent: &str,
        key_id: String,
        origin: KeyOrigin,
    ) -> Result<Self, jsonwebtoken::errors::Error> {
        Ok(Self {
            encoding: EncodingKey::from_rsa_pem(private_pem.as_bytes())?,
            decoding: DecodingKey::from_rsa_components(modulus, exponent)?,
            key_id,
            modulus: modulus.to_owned(),
            exponent: exponent.to_owned(),
            origin,
        })
    }

    /// The published dev key.
    ///
    /// # Panics
    ///
    /// If the key compiled into the crate does not parse; a unit test makes sure it does.
    pub(crate) fn dev() -> Self {
        Self::try_dev().expect("the built-in dev signing key parses")
    }

    fn try_dev() -> Result<Self, jsonwebtoken::errors::Error> {
        Self::from_parts(
            dev_key::PRIVATE_KEY_PEM,
            dev_key::MODULUS_B64URL,
            dev_key::EXPONENT_B64URL,
            dev_key::KEY_ID.to_owned(),
            KeyOrigin::Development,
        )
    }

    /// Signs `claims` as an RS256 JWT whose header names the key.
    pub(crate) fn sign(&self, claims: &impl Serialize) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.key_id.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
    }

    /// Checks the signature and shape of an access token. Times, audience and revocation are
    /// the caller's to check, against the emulator clock rather than the system's.
    pub(crate) fn verify_access(&self, token: &str) -> Result<AccessClaims, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims = HashSet::new();
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation).map(|data| data.claims)
    }

    /// The JWKS document: the key's public half.
    pub(crate) fn jwks(&self) -> Value {
        json!({
            "keys": [{
                "kty": "RSA",
                "use": "sig",
                "kid": self.key_id,
                "alg": "RS256",
                "n": self.modulus,
                "e": self.exponent,
            }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> AccessClaims {
        AccessClaims {
            nbf: 1,
            exp: 2,
            iss: "http://x".into(),
            aud: "http://x/resources".into(),
            client_id: "app".into(),
            sub: "s".into(),
            auth_time: 1,
            xero_userid: uuid::Uuid::nil(),
            global_session_id: "g".into(),
            jti: "j".into(),
            authentication_event_id: uuid::Uuid::nil(),
            scope: vec!["openid".into()],
            amr: vec!["pwd".into()],
        }
    }

    #[test]
    fn the_dev_key_parses_and_round_trips() {
        let keys = SigningKeys::try_dev();
        assert!(keys.is_ok(), "dev key: {:?}", keys.as_ref().err());
        let Ok(keys) = keys else { return };
        let claims = claims();
        let token = keys.sign(&claims).unwrap_or_default();
        let header = jsonwebtoken::decode_header(&token).ok();
        assert_eq!(header.and_then(|header| header.kid).as_deref(), Some(dev_key::KEY_ID));
        assert_eq!(keys.verify_access(&token).ok(), Some(claims));
        let tampered = format!("{token}x");
        assert!(keys.verify_access(&tampered).is_err());
    }

    #[test]
    fn generated_keys_differ_from_the_published_one_and_from_each_other() {
        let first = SigningKeys::new(SigningKeyChoice::Generated);
        let second = SigningKeys::new(SigningKeyChoice::Generated);
        assert_ne!(first.modulus, dev_key::MODULUS_B64URL);
        assert_ne!(first.modulus, second.modulus);
        assert_ne!(first.key_id, second.key_id);
        let token = first.sign(&claims()).unwrap_or_default();
        assert_eq!(first.verify_access(&token).ok(), Some(claims()));
        assert!(second.verify_access(&token).is_err());
        let published = SigningKeys::dev();
        assert!(published.verify_access(&token).is_err(), "the published key cannot verify a generated key's token");
    }
}
