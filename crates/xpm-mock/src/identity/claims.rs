//! The claims of the emulator's access tokens and id_tokens, shaped like Xero's (REFERENCE §3.6).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;
use xpm_api::catalog::IdentityScope;

use super::store::Authorization;
use crate::config::DemoUser;

/// How long an id_token is valid: IdentityServer's default, which Xero's identity service uses.
pub(crate) const ID_TOKEN_LIFETIME: Duration = Duration::minutes(5);

/// The Xero user who signs in to the emulator.
#[derive(Debug, Clone)]
pub(crate) struct UserIdentity {
    /// `xero_userid`: the user's id across Xero.
    pub(crate) xero_userid: Uuid,
    /// `sub`: 32 lowercase hex digits, as in Xero's tokens.
    pub(crate) subject: String,
    given_name: String,
    family_name: String,
    email: String,
}

impl UserIdentity {
    /// The configured demo user. Ids are derived from the email so they survive restarts.
    pub(crate) fn from_demo(user: &DemoUser) -> Self {
        let digest = Sha256::digest(format!("xero-user:{}", user.email.to_ascii_lowercase()).as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        let xero_userid = uuid::Builder::from_random_bytes(bytes).into_uuid();
        let subject = digest[16..].iter().map(|byte| format!("{byte:02x}")).collect();
        Self {
            xero_userid,
            subject,
            given_name: user.given_name.clone(),
            family_name: user.family_name.clone(),
            email: user.email.clone(),
        }
    }

    /// `Given Family`.
    pub(crate) fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// `given_name`.
    pub(crate) fn given_name(&self) -> &str {
        &self.given_name
    }

    /// `family_name`.
    pub(crate) fn family_name(&self) -> &str {
        &self.family_name
    }

    /// The sign-in email.
    pub(crate) fn email(&self) -> &str {
        &self.email
    }
}

/// Access token claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AccessClaims {
    pub(crate) nbf: i64,
    pub(crate) exp: i64,
    pub(crate) iss: String,
    pub(crate) aud: String,
    pub(crate) client_id: String,
    pub(crate) sub: String,
    pub(crate) auth_time: i64,
    pub(crate) xero_userid: Uuid,
    pub(crate) global_session_id: String,
    pub(crate) jti: String,
    pub(crate) authentication_event_id: Uuid,
    /// Every granted scope, identity scopes included, as a JSON array.
    pub(crate) scope: Vec<String>,
    pub(crate) amr: Vec<String>,
}

/// What follows the issuer in the audience of access tokens.
pub(crate) const RESOURCES_SUFFIX: &str = "/resources";

/// The audience of access tokens: `{issuer}/resources`.
pub(crate) fn resources_audience(issuer: &str) -> String {
    format!("{issuer}{RESOURCES_SUFFIX}")
}

/// Builds the claims of an access token for `authorization`, valid from `now`.
pub(crate) fn access_claims(
    authorization: &Authorization,
    user: &UserIdentity,
    issuer: &str,
    now: DateTime<Utc>,
    lifetime: Duration,
) -> AccessClaims {
    AccessClaims {
        nbf: now.timestamp(),
        exp: (now + lifetime).timestamp(),
        iss: issuer.to_owned(),
        aud: resources_audience(issuer),
        client_id: authorization.client_id.clone(),
        sub: user.subject.clone(),
        auth_time: authorization.auth_time.timestamp(),
        xero_userid: user.xero_userid,
        global_session_id: authorization.global_session_id.clone(),
        jti: Uuid::new_v4().simple().to_string(),
        authentication_event_id: authorization.auth_event_id,
        scope: authorization.scopes.names().into_iter().map(str::to_owned).collect(),
        amr: vec!["pwd".to_owned()],
    }
}

/// id_token claims. Names come with `profile`, the address with `email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IdClaims {
    pub(crate) nbf: i64,
    pub(crate) exp: i64,
    pub(crate) iss: String,
    pub(crate) aud: String,
    pub(crate) iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) nonce: Option<String>,
    pub(crate) at_hash: String,
    pub(crate) sid: String,
    pub(crate) sub: String,
    pub(crate) auth_time: i64,
    pub(crate) xero_userid: Uuid,
    pub(crate) global_session_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) family_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    pub(crate) amr: Vec<String>,
}

/// Builds the claims of an id_token that accompanies `access_token`.
///
/// `nonce` is the authorize request's, and only goes into the id_token of the code exchange.
pub(crate) fn id_claims(
    authorization: &Authorization,
    user: &UserIdentity,
    issuer: &str,
    now: DateTime<Utc>,
    access_token: &str,
    nonce: Option<&str>,
) -> IdClaims {
    let profile = authorization.scopes.has(IdentityScope::Profile);
    let email = authorization.scopes.has(IdentityScope::Email);
    IdClaims {
        nbf: now.timestamp(),
        exp: (now + ID_TOKEN_LIFETIME).timestamp(),
        iss: issuer.to_owned(),
        aud: authorization.client_id.clone(),
        iat: now.timestamp(),
        nonce: nonce.map(str::to_owned),
        at_hash: at_hash(access_token),
        sid: authorization.session_id.clone(),
        sub: user.subject.clone(),
        auth_time: authorization.auth_time.timestamp(),
        xero_userid: user.xero_userid,
        global_session_id: authorization.global_session_id.clone(),
        preferred_username: profile.then(|| user.email.clone()),
        email: email.then(|| user.email.clone()),
        given_name: profile.then(|| user.given_name.clone()),
        family_name: profile.then(|| user.family_name.clone()),
        name: profile.then(|| user.full_name()),
        amr: vec!["pwd".to_owned()],
    }
}

/// OpenID Connect `at_hash`: base64url of the left half of SHA-256 of the access token.
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::scopes::GrantedScopes;

    fn authorization(scopes: &str) -> Authorization {
        let start = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        Authorization {
            auth_event_id: Uuid::from_u128(7),
            client_id: "app".into(),
            user_id: Uuid::from_u128(1),
            scopes: GrantedScopes::parse(scopes).unwrap_or_default(),
            auth_time: start,
            global_session_id: "session".into(),
            session_id: "sid".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_100, 0).unwrap_or_default()
    }

    #[test]
    fn access_claims_follow_xero() {
        let user = UserIdentity::from_demo(&DemoUser::default());
        let claims = access_claims(
            &authorization("openid offline_access practicemanager.read"),
            &user,
            "http://x",
            now(),
            Duration::minutes(30),
        );
        assert_eq!((claims.nbf, claims.exp), (1_780_000_100, 1_780_001_900));
        assert_eq!((claims.iss.as_str(), claims.aud.as_str()), ("http://x", "http://x/resources"));
        assert_eq!(claims.auth_time, 1_780_000_000);
        assert_eq!(claims.scope, ["openid", "offline_access", "practicemanager.read"]);
        assert_eq!(claims.authentication_event_id, Uuid::from_u128(7));
        assert_eq!(claims.sub.len(), 32);
        let json = serde_json::to_value(&claims).unwrap_or_default();
        assert!(json["scope"].is_array(), "{json}");
        assert!(json["xero_userid"].is_string(), "{json}");
    }

    #[test]
    fn id_claims_carry_only_the_consented_profile() {
        let user = UserIdentity::from_demo(&DemoUser::default());
        let bare = id_claims(&authorization("openid"), &user, "http://x", now(), "token", None);
        assert_eq!((bare.email, bare.name, bare.nonce), (None, None, None));
        assert_eq!(bare.aud, "app");
        assert_eq!(bare.exp - bare.iat, 300);

        let full =
            id_claims(&authorization("openid profile email"), &user, "http://x", now(), "token", Some("n-0S6_WzA2Mj"));
        assert_eq!(full.email.as_deref(), Some("demo@practice.example"));
        assert_eq!(full.name.as_deref(), Some("Demo Accountant"));
        assert_eq!(full.nonce.as_deref(), Some("n-0S6_WzA2Mj"));
        assert_eq!(full.at_hash, at_hash("token"));
    }

    #[test]
    fn at_hash_is_half_a_sha256() {
        // 16 bytes in base64url without padding.
        assert_eq!(at_hash("anything").len(), 22);
        assert_ne!(at_hash("a"), at_hash("b"));
    }

    #[test]
    fn user_ids_are_stable() {
        let first = UserIdentity::from_demo(&DemoUser::default());
        let second = UserIdentity::from_demo(&DemoUser::default());
        assert_eq!((first.xero_userid, first.subject.clone()), (second.xero_userid, second.subject));
    }
}
