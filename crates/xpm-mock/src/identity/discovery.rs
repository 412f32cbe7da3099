//! OpenID Connect discovery, the JWKS, and `/connect/userinfo`.
//!
//! Every URL is absolute on the emulator itself, so a client that discovers its endpoints works
//! unchanged. The issuer is the emulator's base URL; real Xero's is `https://identity.xero.com`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use xpm_api::catalog::{IdentityScope, Scope};

use super::bearer::bearer_token;
use crate::api::Problem;
use crate::shared::Shared;

/// `GET /.well-known/openid-configuration`.
pub(crate) async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(configuration(&shared.base_url()))
}

fn configuration(base: &str) -> Value {
    let scopes: Vec<&str> = IdentityScope::ALL
        .iter()
        .map(|scope| scope.as_str())
        .chain(Scope::ALL.iter().map(|scope| scope.as_str()))
        .collect();
    json!({
        "issuer": base,
        "jwks_uri": format!("{base}/.well-known/openid-configuration/jwks"),
        "authorization_endpoint": format!("{base}/identity/connect/authorize"),
        "token_endpoint": format!("{base}/connect/token"),
        "userinfo_endpoint": format!("{base}/connect/userinfo"),
        "revocation_endpoint": format!("{base}/connect/revocation"),
        "scopes_supported": scopes,
        "claims_supported": [
            "sub", "xero_userid", "global_session_id", "sid", "auth_time", "amr", "nonce", "at_hash",
            "name", "given_name", "family_name", "preferred_username", "email",
        ],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "request_parameter_supported": false,
    })
}

/// `GET /.well-known/openid-configuration/jwks`.
pub(crate) async fn jwks(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(shared.identity.keys.jwks())
}

/// `GET /connect/userinfo` (and `POST`): the signed-in user's claims, by the token's scopes.
pub(crate) async fn userinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = shared.clock.now();
    let Some(token) = bearer_token(&headers) else {
        return Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() }.into_response();
    };
    let (claims, authorization) = match shared.identity.authenticate_claims(token, now) {
        Ok(found) => found,
        Err(problem) => return problem.into_response(),
    };
    if !authorization.scopes.has(IdentityScope::OpenId) {
        return (
            StatusCode::FORBIDDEN,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"openid\"")],
        )
            .into_response();
    }
    let user = &shared.identity.user;
    let mut body = json!({ "sub": claims.sub, "xero_userid": claims.xero_userid });
    if authorization.scopes.has(IdentityScope::Profile) {
        body["name"] = json!(user.full_name());
        body["preferred_username"] = json!(user.email());
        body["given_name"] = json!(user.given_name());
        body["family_name"] = json!(user.family_name());
    }
    if authorization.scopes.has(IdentityScope::Email) {
        body["email"] = json!(user.email());
    }
    Json(body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_absolute_on_the_emulator() {
        let document = configuration("http://127.0.0.1:9");
        for key in ["jwks_uri", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint"]
        {
            let url = document[key].as_str().unwrap_or_default();
            assert!(url.starts_with("http://127.0.0.1:9/"), "{key}: {url}");
        }
        assert_eq!(document["code_challenge_methods_supported"], json!(["S256"]));
        assert!(document["scopes_supported"].as_array().is_some_and(|scopes| scopes.len() == 14));
    }
}
