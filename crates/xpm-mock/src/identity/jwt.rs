//! RS256 signing and verification with the published dev key, and the JWKS that describes it.

use std::collections::HashSet;
use std::fmt;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde_json::{Value, json};

use super::claims::AccessClaims;
use super::dev_key;

/// The emulator's signing key pair.
pub(crate) struct SigningKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys").field("kid", &dev_key::KEY_ID).finish_non_exhaustive()
    }
}

impl SigningKeys {
    /// The published dev key.
    ///
    /// # Panics
    ///
    /// If the key compiled into the crate does not parse; a unit test makes sure it does.
    pub(crate) fn dev() -> Self {
        Self::try_dev().expect("the built-in dev signing key parses")
    }

    fn try_dev() -> Result<Self, jsonwebtoken::errors::Error> {
        Ok(Self {
            encoding: EncodingKey::from_rsa_pem(dev_key::PRIVATE_KEY_PEM.as_bytes())?,
            decoding: DecodingKey::from_rsa_components(dev_key::MODULUS_B64URL, dev_key::EXPONENT_B64URL)?,
        })
    }

    /// Signs `claims` as an RS256 JWT whose header names the key.
    pub(crate) fn sign(&self, claims: &impl Serialize) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(dev_key::KEY_ID.to_owned());
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
}

/// The JWKS document: the dev key's public half.
pub(crate) fn jwks() -> Value {
    json!({
        "keys": [{
            "kty": "RSA",
            "use": "sig",
            "kid": dev_key::KEY_ID,
            "alg": "RS256",
            "n": dev_key::MODULUS_B64URL,
            "e": dev_key::EXPONENT_B64URL,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dev_key_parses_and_round_trips() {
        let keys = SigningKeys::try_dev();
        assert!(keys.is_ok(), "dev key: {:?}", keys.as_ref().err());
        let Ok(keys) = keys else { return };
        let claims = AccessClaims {
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
        };
        let token = keys.sign(&claims).unwrap_or_default();
        let header = jsonwebtoken::decode_header(&token).ok();
        assert_eq!(header.and_then(|header| header.kid).as_deref(), Some(dev_key::KEY_ID));
        assert_eq!(keys.verify_access(&token).ok(), Some(claims));
        let tampered = format!("{token}x");
        assert!(keys.verify_access(&tampered).is_err());
    }
}
