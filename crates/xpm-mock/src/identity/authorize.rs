//! `GET /identity/connect/authorize` and the consent form it shows (`POST` to the same path).
//!
//! Like Xero (an IdentityServer underneath), every validation failure stops at an error page;
//! only the user's "Cancel" goes back to the app, with `error=access_denied`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::pages::{ConsentPage, ErrorPage};
use super::pkce;
use super::scopes::{GrantedScopes, ScopeProblem};
use super::secrets::random_salt;
use super::store::PendingConsent;
use super::tenant_choice;
use crate::journal::JournalEntry;
use crate::shared::Shared;

/// How long the consent page stays answerable.
const CONSENT_LIFETIME: Duration = Duration::hours(1);

/// `GET /identity/connect/authorize`.
pub(crate) async fn authorize(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let started = Instant::now();
    let now = shared.clock.now();
    let mut entry = JournalEntry::new(now, "GET", uri.path());
    entry.operation = Some("authorize");
    let response = match validate(&shared, uri.query().unwrap_or(""), now) {
        Ok(pending) => {
            entry.client_id = Some(pending.client_id.clone());
            if shared.identity.auto_consent {
                let practices = offered_practices(&shared, &pending);
                complete(&shared, pending, &practices, now)
            } else {
                show_consent(&shared, pending)
            }
        }
        Err(page) => page.into_response(),
    };
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    response
}

/// `POST /identity/connect/authorize`: the consent form's answer.
pub(crate) async fn answer(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let started = Instant::now();
    let now = shared.clock.now();
    let mut entry = JournalEntry::new(now, "POST", "/identity/connect/authorize");
    entry.operation = Some("consent");
    let response = match answer_consent(&shared, &body, now, &mut entry) {
        Ok(response) => response,
        Err(page) => page.into_response(),
    };
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    response
}

fn answer_consent(
    shared: &Shared,
    body: &[u8],
    now: DateTime<Utc>,
    entry: &mut JournalEntry,
) -> Result<Response, ErrorPage> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| ErrorPage::new("invalid_request", "the form is malformed"))?;
    let field = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    let expired = || {
        ErrorPage::new(
            "invalid_request",
            "this sign-in request has expired or was already answered; start again from the app",
        )
    };
    let request_id = field("request_id").ok_or_else(expired)?;
    let pending = shared.identity.store.lock().take_consent(request_id, now).ok_or_else(expired)?;
    entry.client_id = Some(pending.client_id.clone());
    match field("decision") {
        Some("allow") => {}
        Some("deny") => {
            let mut params = vec![("error", "access_denied".to_owned())];
            if let Some(state) = &pending.state {
                params.push(("state", state.expose_secret().to_owned()));
            }
            return Ok(redirect(&pending.redirect_uri, &params));
        }
        _ => return Err(ErrorPage::new("invalid_request", "choose Allow access or Cancel")),
    }
    let offered = offered_practices(shared, &pending);
    let mut chosen = Vec::new();
    for (_, value) in fields.iter().filter(|(key, _)| key == "tenant") {
        let practice = Uuid::try_parse(value)
            .ok()
            .and_then(|tenant| offered.iter().find(|(offered, _)| *offered == tenant))
            .ok_or_else(|| ErrorPage::new("invalid_request", format!("`{value}` is not a practice you can connect")))?;
        if !chosen.contains(practice) {
            chosen.push(practice.clone());
        }
    }
    Ok(complete(shared, pending, &chosen, now))
}

/// Checks an authorize request, in IdentityServer's order: client, redirect URI, response
/// type, scopes, PKCE.
fn validate(shared: &Shared, query: &str, now: DateTime<Utc>) -> Result<PendingConsent, ErrorPage> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| ErrorPage::new("invalid_request", "malformed query string"))?;
    let mut params = std::collections::HashMap::new();
    for (name, value) in pairs {
        if params.contains_key(&name) {
            return Err(ErrorPage::new("invalid_request", format!("parameter `{name}` is repeated")));
        }
        params.insert(name, value);
    }
    let mut take = |name: &str| params.remove(name).filter(|value| !value.is_empty());

    let client_id = take("client_id").ok_or_else(|| ErrorPage::new("invalid_request", "client_id is missing"))?;
    let app = shared
        .identity
        .apps
        .get(&client_id)
        .ok_or_else(|| ErrorPage::new("unauthorized_client", "Unknown client or client not enabled"))?;
    let redirect_uri =
        take("redirect_uri").ok_or_else(|| ErrorPage::new("invalid_request", "redirect_uri is missing"))?;
    if !app.redirect_uris.contains(&redirect_uri) {
        // Xero's page says only "Invalid redirect_uri"; the emulator is a development tool and
        // its registrations are public, so it names what would have matched.
        let registered = if app.redirect_uris.is_empty() { "none".to_owned() } else { app.redirect_uris.join(", ") };
        return Err(ErrorPage::new(
            "invalid_request",
            format!(
                "Invalid redirect_uri: {redirect_uri} is not registered for {client_id} (registered: {registered})"
            ),
        ));
    }
    match take("response_type").as_deref() {
        Some("code") => {}
        Some(_) => return Err(ErrorPage::new("unsupported_response_type", "Response type not supported")),
        None => return Err(ErrorPage::new("invalid_request", "response_type is missing")),
    }
    if take("response_mode").is_some_and(|mode| mode != "query") {
        return Err(ErrorPage::new("invalid_request", "only response_mode=query is supported"));
    }
    let scopes = GrantedScopes::parse(&take("scope").unwrap_or_default()).map_err(|problem| match problem {
        ScopeProblem::Missing => ErrorPage::new("invalid_scope", "scope is missing"),
        ScopeProblem::Unknown(names) => ErrorPage::new("invalid_scope", format!("Invalid scope: {}", names.join(", "))),
    })?;
    let needs_approval = scopes.unapproved(&app.approved_scopes);
    if !needs_approval.is_empty() {
        return Err(ErrorPage {
            error: "unauthorized_client",
            description: "Invalid scope for client".to_owned(),
            needs_approval,
        });
    }
    let code_challenge = match (take("code_challenge"), take("code_challenge_method")) {
        (Some(challenge), Some(method)) if method == pkce::METHOD_S256 => {
            if !pkce::is_valid_challenge(&challenge) {
                return Err(ErrorPage::new("invalid_request", "code_challenge must be 43 base64url characters"));
            }
            Some(challenge)
        }
        (Some(_), _) => {
            return Err(ErrorPage::new(
                "invalid_request",
                "code_challenge_method must be S256 (plain is not supported)",
            ));
        }
        (None, Some(_)) => return Err(ErrorPage::new("invalid_request", "code_challenge is missing")),
        (None, None) if app.client_secret.is_none() => {
            return Err(ErrorPage::new("invalid_request", "code challenge required: this app has no client secret"));
        }
        (None, None) => None,
    };
    let tenants = take(tenant_choice::PARAMETER)
        .map(|value| tenant_choice::parse(&value, &shared.practices.tenants()))
        .transpose()
        .map_err(|message| ErrorPage::new("invalid_request", message))?;
    Ok(PendingConsent {
        client_id,
        redirect_uri,
        state: take("state").map(SecretString::from),
        scopes,
        code_challenge,
        nonce: take("nonce").map(SecretString::from),
        expires_at: now + CONSENT_LIFETIME,
        tenants,
    })
}

/// The practices the consent page offers (and auto-consent grants): all of them when an XPM
/// scope was requested (Xero offers the tenant kinds the scopes are for), none otherwise; the
/// emulator's `emulator_tenants` parameter narrows them, in the order it names them.
fn offered_practices(shared: &Shared, pending: &PendingConsent) -> Vec<(Uuid, String)> {
    if pending.scopes.xpm().is_empty() {
        return Vec::new();
    }
    let all = shared.practices.tenants();
    match &pending.tenants {
        None => all,
        Some(chosen) => chosen.iter().filter_map(|tenant| all.iter().find(|(id, _)| id == tenant).cloned()).collect(),
    }
}

fn show_consent(shared: &Shared, pending: PendingConsent) -> Response {
    let identity = &shared.identity;
    let app_name = identity.apps.get(&pending.client_id).map(|app| app.name).unwrap_or_default();
    let practices = offered_practices(shared, &pending);
    let scopes = pending.scopes.clone();
    let request_id = identity.store.lock().hold_consent(pending);
    ConsentPage {
        app_name: &app_name,
        user_name: &identity.user.full_name(),
        user_email: identity.user.email(),
        scopes: &scopes,
        practices: &practices,
        request_id: request_id.expose_secret(),
    }
    .render()
}

/// Records the consent and sends the browser back with `code`, `scope`, `state` and
/// `session_state`.
fn complete(shared: &Shared, pending: PendingConsent, tenants: &[(Uuid, String)], now: DateTime<Utc>) -> Response {
    let identity = &shared.identity;
    let redirect_uri = pending.redirect_uri.clone();
    let state = pending.state.clone();
    let client_id = pending.client_id.clone();
    let (code, authorization) = {
        let mut store = identity.store.lock();
        store.prune(now, &identity.lifetimes);
        store.consent(
            pending,
            tenants,
            identity.user.xero_userid,
            &identity.global_session_id,
            now,
            &identity.lifetimes,
        )
    };
    tracing::info!(client_id = %client_id, auth_event_id = %authorization.auth_event_id, tenants = tenants.len(), "consent given");
    let mut params = vec![("code", code.expose_secret().to_owned()), ("scope", authorization.scopes.joined())];
    if let Some(state) = &state {
        params.push(("state", state.expose_secret().to_owned()));
    }
    params.push(("session_state", session_state(&client_id, &redirect_uri, &identity.global_session_id)));
    redirect(&redirect_uri, &params)
}

/// OpenID Connect Session Management's `session_state`: a salted hash of the client, the
/// redirect URI's origin and the session, then `.salt` (as IdentityServer computes it).
fn session_state(client_id: &str, redirect_uri: &str, session_id: &str) -> String {
    let origin = redirect_uri
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split(['/', '?', '#']).next().unwrap_or(rest)))
        .unwrap_or_default();
    let salt = random_salt();
    let digest = Sha256::digest(format!("{client_id}{origin}{session_id}{salt}").as_bytes());
    format!("{}.{salt}", URL_SAFE_NO_PAD.encode(digest))
}

fn redirect(redirect_uri: &str, params: &[(&str, String)]) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{separator}{query}");
    match HeaderValue::from_str(&location) {
        Ok(location) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => ErrorPage::new("invalid_request", "Invalid redirect_uri").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_state_is_hash_dot_salt() {
        let value = session_state("app", "http://localhost:8765/callback?x=1", "session");
        let (hash, salt) = value.split_once('.').unwrap_or_default();
        assert_eq!(hash.len(), 43);
        assert!(!salt.is_empty());
    }

    #[test]
    fn redirect_appends_to_an_existing_query() {
        let response = redirect("http://localhost/cb?a=1", &[("code", "x y".to_owned())]);
        let location = response.headers().get(header::LOCATION).and_then(|value| value.to_str().ok());
        assert_eq!(location, Some("http://localhost/cb?a=1&code=x+y"));
    }
}
