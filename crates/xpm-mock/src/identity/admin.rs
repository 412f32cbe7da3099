//! Admin routes for apps and Xero's approval of their XPM scopes, under `/__admin/apps`.
//!
//! | route | what it does |
//! |---|---|
//! | `GET /__admin/apps` | every registered app (never its secret) |
//! | `POST /__admin/apps` | register or replace an app: `{"clientId", "name", "clientSecret"?, "redirectUris", "requestedScopes"?, "approvedScopes"?}` |
//! | `POST /__admin/apps/{client_id}/approve` | Xero approves `{"scopes": [...]}` (all the app requested when omitted) |
//! | `POST /__admin/apps/{client_id}/revoke` | Xero withdraws `{"scopes": [...]}` (every scope when omitted); `/revoke-approval` also works |
//!
//! `xpmkit mock approve` and `xpmkit mock revoke` call the last two.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use secrecy::SecretString;
use serde::Deserialize;
use xpm_api::catalog::Scope;

use super::apps::AppError;
use crate::config::AppRegistration;
use crate::shared::Shared;

/// The app admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__admin/apps", get(list).post(register))
        .route("/__admin/apps/{client_id}/approve", post(approve))
        .route("/__admin/apps/{client_id}/revoke", post(revoke_approval))
        .route("/__admin/apps/{client_id}/revoke-approval", post(revoke_approval))
}

async fn list(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.identity.apps()).into_response()
}

/// The registration body. It holds the plain secret only until it becomes a `SecretString`,
/// and has no `Debug`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RegisterApp {
    client_id: String,
    name: Option<String>,
    client_secret: Option<String>,
    redirect_uris: Vec<String>,
    #[serde(default)]
    requested_scopes: Vec<String>,
    #[serde(default)]
    approved_scopes: Vec<String>,
}

async fn register(State(shared): State<Arc<Shared>>, Json(body): Json<RegisterApp>) -> Response {
    let requested = match parse_scopes(&body.requested_scopes) {
        Ok(scopes) => scopes,
        Err(message) => return bad_request(message),
    };
    let approved = match parse_scopes(&body.approved_scopes) {
        Ok(scopes) => scopes,
        Err(message) => return bad_request(message),
    };
    if body.client_id.is_empty() {
        return (StatusCode::BAD_REQUEST, "clientId must not be empty").into_response();
    }
    let app = AppRegistration {
        name: body.name.unwrap_or_else(|| body.client_id.clone()),
        client_id: body.client_id.clone(),
        client_secret: body.client_secret.filter(|secret| !secret.is_empty()).map(SecretString::from),
        redirect_uris: body.redirect_uris,
        requested_scopes: requested.iter().chain(&approved).copied().collect::<BTreeSet<_>>(),
        approved_scopes: approved.into_iter().collect(),
    };
    let replaced = shared.identity.register_app(app);
    let status = if replaced { StatusCode::OK } else { StatusCode::CREATED };
    let summary = shared.identity.apps().into_iter().find(|app| app.client_id == body.client_id);
    (status, Json(summary)).into_response()
}

/// `{"scopes": [...]}`; no body or no `scopes` means "all".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopesBody {
    scopes: Option<Vec<String>>,
}

async fn approve(
    State(shared): State<Arc<Shared>>,
    Path(client_id): Path<String>,
    body: Option<Json<ScopesBody>>,
) -> Response {
    let scopes = match body.and_then(|Json(body)| body.scopes) {
        Some(names) => match parse_scopes(&names) {
            Ok(scopes) => scopes,
            Err(message) => return bad_request(message),
        },
        None => {
            let requested = shared
                .identity
                .apps()
                .into_iter()
                .find(|app| app.client_id == client_id)
                .map(|app| app.requested_scopes)
                .unwrap_or_default();
            let requested: Vec<String> = requested.into_iter().map(str::to_owned).collect();
            parse_scopes(&requested).unwrap_or_default()
        }
    };
    respond(shared.identity.approve(&client_id, &scopes))
}

async fn revoke_approval(
    State(shared): State<Arc<Shared>>,
    Path(client_id): Path<String>,
    body: Option<Json<ScopesBody>>,
) -> Response {
    let scopes = match body.and_then(|Json(body)| body.scopes) {
        Some(names) => match parse_scopes(&names) {
            Ok(scopes) => scopes,
            Err(message) => return bad_request(message),
        },
        None => Scope::ALL.to_vec(),
    };
    respond(shared.identity.revoke_approval(&client_id, &scopes))
}

fn respond(result: Result<super::apps::AppSummary, AppError>) -> Response {
    match result {
        Ok(summary) => Json(summary).into_response(),
        Err(error @ AppError::UnknownClient { .. }) => (StatusCode::NOT_FOUND, error.to_string()).into_response(),
    }
}

/// Parses scope names; the error is a 400 response's message.
fn parse_scopes(names: &[String]) -> Result<Vec<Scope>, String> {
    names.iter().map(|name| name.parse::<Scope>().map_err(|error| error.to_string())).collect()
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}
