//! `POST /connect/token` (authorisation code and refresh token grants) and
//! `POST /connect/revocation`.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret as _;
use serde_json::json;

use super::apps::ClientAuthentication;
use super::oauth::{AuthenticatedClient, FormFields, OAuthError, authenticate_client, no_store};
use super::state::IssuedTokens;
use crate::faults::{Fault, dropped_connection};
use crate::journal::JournalEntry;
use crate::shared::Shared;

/// `POST /connect/token`.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let now = shared.clock.now();
    let mut entry = JournalEntry::new(now, "POST", "/connect/token");
    entry.operation = Some("token");
    let response = match exchange(&shared, &headers, &body, now, &mut entry) {
        Ok(tokens) => {
            // Injected faults strike after the grant is done (a refresh token already rotated),
            // which is the failure clients must survive: the new tokens never arrive.
            match shared.faults.pick_endpoint("token", entry.grant_type.as_deref()) {
                Some(fault) => {
                    entry.fault = Some(fault.name());
                    token_fault_response(fault, tokens).await
                }
                None => token_response(tokens),
            }
        }
        Err(error) => error.into_response(),
    };
    tracing::info!(
        client_id = entry.client_id.as_deref().unwrap_or("-"),
        grant_type = entry.grant_type.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        "token request"
    );
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    response
}

fn exchange(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
    entry: &mut JournalEntry,
) -> Result<IssuedTokens, OAuthError> {
    let mut form = FormFields::parse(headers, body)?;
    entry.grant_type = form.take("grant_type");
    let client = authenticate_client(&shared.identity.apps, headers, &mut form)?;
    entry.client_id = Some(client.client_id.clone());
    match entry.grant_type.as_deref() {
        Some("authorization_code") => authorization_code(shared, &client, form, now),
        Some("refresh_token") => refresh_token(shared, &client, form, now),
        _ => Err(OAuthError::unsupported_grant_type()),
    }
}

fn authorization_code(
    shared: &Shared,
    client: &AuthenticatedClient,
    mut form: FormFields,
    now: DateTime<Utc>,
) -> Result<IssuedTokens, OAuthError> {
    let code = form.take_secret("code").ok_or_else(|| OAuthError::invalid_request("code is missing"))?;
    let redirect_uri = form.take("redirect_uri");
    let verifier = form.take_secret("code_verifier");
    let identity = &shared.identity;
    let mut store = identity.store.lock();
    store.prune(now, &identity.lifetimes);
    let redeemed = store
        .redeem_code(code.expose_secret(), &client.client_id, redirect_uri.as_deref(), verifier.as_ref(), now)
        .map_err(|error| OAuthError::invalid_grant(error.to_string()))?;
    // A public app has nothing but the verifier to prove the code is its own.
    if client.kind == ClientAuthentication::Public && verifier.is_none() {
        return Err(OAuthError::invalid_grant("code_verifier is missing"));
    }
    let nonce = redeemed.nonce.as_ref().map(|nonce| nonce.expose_secret());
    identity
        .issue_tokens(&mut store, &redeemed.authorization, nonce, &shared.base_url(), now)
        .map_err(|_| OAuthError::server_error())
}

fn refresh_token(
    shared: &Shared,
    client: &AuthenticatedClient,
    mut form: FormFields,
    now: DateTime<Utc>,
) -> Result<IssuedTokens, OAuthError> {
    let token =
        form.take_secret("refresh_token").ok_or_else(|| OAuthError::invalid_request("refresh_token is missing"))?;
    let identity = &shared.identity;
    let mut store = identity.store.lock();
    store.prune(now, &identity.lifetimes);
    let authorization = store
        .rotate_refresh_token(token.expose_secret(), &client.client_id, now, identity.lifetimes.refresh_grace)
        .map_err(|error| OAuthError::invalid_grant(error.to_string()))?;
    identity
        .issue_tokens(&mut store, &authorization, None, &shared.base_url(), now)
        .map_err(|_| OAuthError::server_error())
}

async fn token_fault_response(fault: Fault, tokens: IssuedTokens) -> Response {
    match fault {
        // A token answer's JSON drifted: the field it names, with the given text.
        Fault::Drift { element, value } => {
            let answer = token_response(tokens);
            Fault::Drift { element, value }.mangle_response(answer).await
        }
        Fault::Latency { ms: delay } => {
            tokio::time::sleep(delay).await;
            token_response(tokens)
        }
        Fault::Reset | Fault::Truncate | Fault::Malformed => dropped_connection(),
        // The tokens were issued (and a refresh token rotated): the grant is applied, its answer lost.
        Fault::ApplyThenDrop { hold_ms } => {
            tokio::time::sleep(hold_ms).await;
            dropped_connection()
        }
        Fault::Status { code } => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, no_store(), Json(json!({ "error": "server_error" }))).into_response()
        }
        Fault::TooManyRequests { retry_after } => {
            let retry_after = retry_after.to_string();
            (StatusCode::TOO_MANY_REQUESTS, [(axum::http::header::RETRY_AFTER, retry_after)]).into_response()
        }
        Fault::Error200 { description } => {
            (StatusCode::OK, no_store(), Json(json!({ "error": "server_error", "error_description": description })))
                .into_response()
        }
    }
}

fn token_response(tokens: IssuedTokens) -> Response {
    let mut body = json!({
        "access_token": tokens.access_token.expose_secret(),
        "expires_in": tokens.expires_in,
        "token_type": "Bearer",
        "scope": tokens.scope,
    });
    if let Some(id_token) = &tokens.id_token {
        body["id_token"] = json!(id_token.expose_secret());
    }
    if let Some(refresh_token) = &tokens.refresh_token {
        body["refresh_token"] = json!(refresh_token.expose_secret());
    }
    (StatusCode::OK, no_store(), Json(body)).into_response()
}

/// `POST /connect/revocation` (RFC 7009): `token=<refresh_token>` with client authentication.
/// Revokes the token's family and removes the user's connections to the app. Unknown tokens
/// get 200 as the RFC requires, so a client cannot probe for valid tokens.
pub(crate) async fn revocation(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let now = shared.clock.now();
    let mut entry = JournalEntry::new(now, "POST", "/connect/revocation");
    entry.operation = Some("revocation");
    let response = match revoke(&shared, &headers, &body, now, &mut entry) {
        Ok(()) => (StatusCode::OK, no_store()).into_response(),
        Err(error) => error.into_response(),
    };
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    response
}

fn revoke(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
    entry: &mut JournalEntry,
) -> Result<(), OAuthError> {
    let mut form = FormFields::parse(headers, body)?;
    let client = authenticate_client(&shared.identity.apps, headers, &mut form)?;
    entry.client_id = Some(client.client_id.clone());
    let token = form.take_secret("token").ok_or_else(|| OAuthError::invalid_request("token is missing"))?;
    let revoked = shared.identity.store.lock().revoke(token.expose_secret(), &client.client_id, now);
    tracing::info!(client_id = %client.client_id, revoked, "revocation request");
    Ok(())
}
