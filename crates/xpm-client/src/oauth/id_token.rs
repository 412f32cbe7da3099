//! OpenID Connect id_token validation: RS256 signature against the issuer's JWKS, then `iss`,
//! `aud`, `exp` and `nonce`.

use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::secret::IdToken;

/// Clock skew tolerated on `exp`, in seconds.
const LEEWAY_SECONDS: i64 = 60;

/// Why an id_token is not acceptable. Each check has its own variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IdTokenError {
    /// The token response has no id_token although `openid` was requested.
    #[error("the token response has no id_token although `openid` was requested")]
    Missing,
    /// The token is not a JWT, or its claims are not readable.
    #[error("the id_token is malformed")]
    Malformed(#[source] jsonwebtoken::errors::Error),
    /// The token is not signed with RS256.
    #[error("the id_token is signed with {found:?}, not RS256")]
    WrongAlgorithm {
        /// The header's `alg`.
        found: Algorithm,
    },
    /// No key in the JWKS has the token's `kid`.
    #[error("no key in the jwks matches the id_token's kid {kid:?}")]
    UnknownKey {
        /// The header's `kid`.
        kid: Option<String>,
    },
    /// The signature does not verify: the token was altered or signed by someone else.
    #[error("the id_token's signature does not verify")]
    BadSignature,
    /// `iss` is not the expected issuer.
    #[error("the id_token's issuer is `{found}`, expected `{expected}`")]
    WrongIssuer {
        /// The configured issuer.
        expected: String,
        /// The token's `iss`.
        found: String,
    },
    /// `aud` does not contain the app's client id.
    #[error("the id_token's audience {found:?} does not include client id `{expected}`")]
    WrongAudience {
        /// The app's client id.
        expected: String,
        /// The token's `aud`.
        found: Vec<String>,
    },
    /// `exp` has passed.
    #[error("the id_token expired at {expired_at}")]
    Expired {
        /// The token's `exp`.
        expired_at: DateTime<Utc>,
    },
    /// `nonce` is missing or is not the one sent with the authorize request (a replayed token).
    #[error("the id_token's nonce does not match the authorize request's")]
    NonceMismatch,
    /// The JWKS could not be fetched or read.
    #[error("cannot fetch the jwks from {url}")]
    Jwks {
        /// The JWKS URL.
        url: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The JWKS is longer than any key set: the URL is misconfigured or hostile.
    #[error("the jwks at {url} is over {limit} bytes, far more than any key set; check the jwks url")]
    JwksTooLarge {
        /// The JWKS URL.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The JWKS is not a JSON Web Key Set.
    #[error("the jwks at {url} is not a json web key set")]
    JwksMalformed {
        /// The JWKS URL.
        url: String,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

/// The claims of a validated id_token that identify the user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdTokenClaims {
    /// `iss`.
    pub iss: String,
    /// `sub`: the user.
    pub sub: String,
    /// `exp`, seconds since the epoch.
    pub exp: i64,
    /// `xero_userid`, when present.
    #[serde(default)]
    pub xero_userid: Option<String>,
    /// `email` (with the `email` scope).
    #[serde(default)]
    pub email: Option<String>,
    /// `name` (with the `profile` scope).
    #[serde(default)]
    pub name: Option<String>,
    /// `global_session_id`, when present.
    #[serde(default)]
    pub global_session_id: Option<String>,
}

/// The claims checked here besides those returned.
#[derive(Deserialize)]
struct CheckedClaims {
    #[serde(flatten)]
    claims: IdTokenClaims,
    #[serde(default)]
    aud: serde_json::Value,
    #[serde(default)]
    nonce: Option<String>,
}

/// `aud` as a list: a JWT may carry one audience string or an array of them.
fn audiences(aud: &serde_json::Value) -> Vec<String> {
    match aud {
        serde_json::Value::String(audience) => vec![audience.clone()],
        serde_json::Value::Array(values) => {
            values.iter().filter_map(|value| value.as_str().map(str::to_owned)).collect()
        }
        _ => Vec::new(),
    }
}

/// Validates id_tokens against a JWKS for one issuer and one client id.
#[derive(Debug, Clone)]
pub struct IdTokenValidator {
    jwks: JwkSet,
    issuer: String,
    client_id: String,
}

impl IdTokenValidator {
    /// A validator from an already fetched key set.
    pub fn new(jwks: JwkSet, issuer: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self { jwks, issuer: issuer.into(), client_id: client_id.into() }
    }

    /// Fetches the key set from `jwks_url`.
    pub async fn fetch(
        http: &reqwest::Client,
        jwks_url: &str,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<Self, IdTokenError> {
        let jwks_error = |source| IdTokenError::Jwks { url: jwks_url.to_owned(), source };
        let response =
            http.get(jwks_url).send().await.and_then(reqwest::Response::error_for_status).map_err(jwks_error)?;
        let limit = crate::body_cap::IDENTITY_ANSWER_LIMIT;
        let body = match crate::body_cap::read_capped(response, limit).await {
            Ok(body) => body,
            Err(crate::body_cap::CappedError::TooLarge) => {
                return Err(IdTokenError::JwksTooLarge { url: jwks_url.to_owned(), limit });
            }
            Err(crate::body_cap::CappedError::Transport(error)) => return Err(jwks_error(error)),
        };
        let jwks: JwkSet = serde_json::from_slice(&body)
            .map_err(|source| IdTokenError::JwksMalformed { url: jwks_url.to_owned(), source })?;
        Ok(Self::new(jwks, issuer, client_id))
    }

    /// Validates `token` now; `nonce` is the authorize request's.
    pub fn validate(&self, token: &IdToken, nonce: &str) -> Result<IdTokenClaims, IdTokenError> {
        self.validate_at(token, nonce, Utc::now())
    }

    /// Validates `token` as of `now` (tests drive the emulator's clock).
    pub fn validate_at(&self, token: &IdToken, nonce: &str, now: DateTime<Utc>) -> Result<IdTokenClaims, IdTokenError> {
        let header = jsonwebtoken::decode_header(token.secret()).map_err(IdTokenError::Malformed)?;
        if header.alg != Algorithm::RS256 {
            return Err(IdTokenError::WrongAlgorithm { found: header.alg });
        }
        let jwk = match &header.kid {
            Some(kid) => self.jwks.find(kid),
            None if self.jwks.keys.len() == 1 => self.jwks.keys.first(),
            None => None,
        }
        .ok_or_else(|| IdTokenError::UnknownKey { kid: header.kid.clone() })?;
        let key = DecodingKey::from_jwk(jwk).map_err(IdTokenError::Malformed)?;
        // jsonwebtoken checks the signature only; each claim gets its own typed check below, with
        // an injectable clock.
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let decoded = jsonwebtoken::decode::<CheckedClaims>(token.secret(), &key, &validation).map_err(|error| {
            match error.kind() {
                jsonwebtoken::errors::ErrorKind::InvalidSignature => IdTokenError::BadSignature,
                _ => IdTokenError::Malformed(error),
            }
        })?;
        let CheckedClaims { claims, aud, nonce: token_nonce } = decoded.claims;
        if claims.iss != self.issuer {
            return Err(IdTokenError::WrongIssuer { expected: self.issuer.clone(), found: claims.iss });
        }
        let audiences = audiences(&aud);
        if !audiences.contains(&self.client_id) {
            return Err(IdTokenError::WrongAudience { expected: self.client_id.clone(), found: audiences });
        }
        if claims.exp + LEEWAY_SECONDS < now.timestamp() {
            let expired_at = DateTime::from_timestamp(claims.exp, 0).unwrap_or_default();
            return Err(IdTokenError::Expired { expired_at });
        }
        if !token_nonce.is_some_and(|token_nonce| crate::secret::same_secret(&token_nonce, nonce)) {
            return Err(IdTokenError::NonceMismatch);
        }
        Ok(claims)
    }
}
