//! The front door of `/practicemanager/3.1/…`: everything api.xero.com does before XPM runs.
//!
//! In order: route the path to a catalog operation; authenticate the bearer token; check the
//! `Xero-Tenant-Id` against the token's connections and the app's current approval; check the
//! operation's scopes; count the call against the rate limits; apply injected faults; negotiate
//! the content type; run the handler; render; journal. Each step answers the way Xero does.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method as HttpMethod, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use xpm_api::catalog::{self, API_PATH_PREFIX, Method, Operation, OperationId, SPEC_API_PATH_PREFIX, Scope};

use super::handlers;
use super::negotiate::{Negotiated, negotiate};
use super::problem::Problem;
use super::reply::{ApiError, Format};
use super::request::ApiRequest;
use crate::faults::Fault;
use crate::journal::JournalEntry;
use crate::shared::Shared;

/// Handles every request under the XPM prefix. `rest` is the path after `/practicemanager/3.1`.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let path = strip_prefix(uri.path());
    let mut entry = JournalEntry::new(shared.clock.now(), method.as_str(), uri.path());
    entry.query = uri.query().map(str::to_owned);
    let mut response = process(&shared, &method, path, uri.query(), &headers, body, &mut entry).await;
    entry.finish(response.status().as_u16(), started.elapsed());
    shared.journal.record(entry);
    // The `Date` of every answer comes from the emulator's clock (hyper would write the system
    // time), so a client taking its `modifiedsince` watermark from it sees the time the
    // emulator's records are stamped with, as it would on Xero.
    if let Ok(date) = HeaderValue::from_str(&http_date(shared.clock.now())) {
        response.headers_mut().insert(header::DATE, date);
    }
    response
}

/// An IMF-fixdate, the form of HTTP's `Date` (RFC 9110 §5.6.7): `Tue, 04 May 2026 09:12:00 GMT`.
fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// `/practicemanager/3.1/client.api/list` → `/client.api/list` (also `/practicemanager/v3.1/`).
fn strip_prefix(path: &str) -> &str {
    path.strip_prefix(API_PATH_PREFIX).or_else(|| path.strip_prefix(SPEC_API_PATH_PREFIX)).unwrap_or(path)
}

async fn process(
    shared: &Arc<Shared>,
    http_method: &HttpMethod,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Bytes,
    entry: &mut JournalEntry,
) -> Response {
    let Some(method) = to_catalog_method(http_method) else {
        return xml_error(StatusCode::METHOD_NOT_ALLOWED, "the XPM API accepts GET, POST, PUT and DELETE");
    };
    let Some((operation, params)) = catalog::find(method, path) else {
        let allowed = catalog::methods_for(path);
        if allowed.is_empty() {
            return xml_error(StatusCode::NOT_FOUND, &format!("no XPM 3.1 operation at {path}"));
        }
        let allow: Vec<&str> = allowed.iter().map(|method| method.as_str()).collect();
        let mut response = xml_error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("{path} does not accept {http_method}; it accepts {}", allow.join(", ")),
        );
        if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    };
    entry.operation = Some(operation.id.as_str());
    let now = shared.clock.now();

    let token = match bearer_token(headers) {
        Some(token) => token,
        None => return Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() }.into_response(),
    };
    let grant = match shared.identity.authenticate(token, now) {
        Ok(grant) => grant,
        Err(problem) => return problem.into_response(),
    };
    entry.client_id = Some(grant.client_id.clone());

    let Some(tenant) = tenant_id(headers) else {
        return Problem::Forbidden.into_response();
    };
    entry.tenant = Some(tenant);
    if !shared.identity.is_connected(&grant, tenant) {
        return Problem::Forbidden.into_response();
    }
    // Xero re-checks the app's approval on every call: withdrawing approval of a scope stops
    // tokens that were issued with it.
    if !shared.identity.approves(&grant.client_id, &grant.scopes) {
        return Problem::Forbidden.into_response();
    }
    let Some(used_scope) = granting_scope(shared, operation, &grant.scopes) else {
        let accepted: Vec<&str> = accepted_scopes(shared, operation).iter().map(|scope| scope.as_str()).collect();
        return Problem::InsufficientScope { operation: operation.id, accepted: accepted.join(" ") }.into_response();
    };
    entry.scope = Some(used_scope.as_str());

    let permit = match shared.limits.acquire(tenant, &grant.client_id, now) {
        Ok(permit) => permit,
        Err(limited) => return limited.into_response(),
    };

    let negotiated = match negotiate(headers, !body.is_empty(), shared.config.content.strict_rejects_mismatch) {
        Ok(negotiated) => negotiated,
        Err(response) => return with_limit_headers(*response, permit.headers()),
    };

    let fault = shared.faults.pick(operation, path, now);
    if let Some(Fault::Latency { ms: delay }) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if let Some(response) = fault.as_ref().and_then(|fault| fault.replace_response(negotiated.response, operation)) {
        entry.fault = fault.as_ref().map(Fault::name);
        return with_limit_headers(response, permit.headers());
    }

    let Some(practice) = shared.practices.get(tenant) else {
        return Problem::Forbidden.into_response();
    };
    let request = ApiRequest {
        operation,
        params,
        query: query.map(parse_query).unwrap_or_default(),
        body,
        body_format: negotiated.body,
        now,
        base_url: shared.base_url(),
    };
    let api_method = api_method(operation);
    let response = match handlers::handle(&request, &practice) {
        Ok(reply) => {
            let body = reply.into_body(negotiated.response, api_method);
            respond(StatusCode::OK, negotiated.response, body)
        }
        Err(error) => error_response(shared, operation, &error, negotiated, api_method),
    };
    let response = match &fault {
        Some(fault) => {
            entry.fault = Some(fault.name());
            fault.mangle_response(response).await
        }
        None => response,
    };
    with_limit_headers(response, permit.headers())
}

fn to_catalog_method(method: &HttpMethod) -> Option<Method> {
    match *method {
        HttpMethod::GET => Some(Method::Get),
        HttpMethod::POST => Some(Method::Post),
        HttpMethod::PUT => Some(Method::Put),
        HttpMethod::DELETE => Some(Method::Delete),
        _ => None,
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|token| !token.is_empty())
}

fn tenant_id(headers: &HeaderMap) -> Option<Uuid> {
    let value = headers.get("xero-tenant-id")?.to_str().ok()?;
    Uuid::try_parse(value.trim()).ok()
}

/// The scopes that grant `operation`, including the broad scopes for `job.api/staff` when the
/// emulator is told to treat the spec's omission as a slip.
fn accepted_scopes(shared: &Shared, operation: &Operation) -> Vec<Scope> {
    let mut accepted = operation.scopes.to_vec();
    if shared.config.job_staff_accepts_broad_scopes && operation.id == OperationId::Job2StaffByIdentifier {
        accepted.extend([Scope::PracticeManager, Scope::PracticeManagerRead]);
    }
    accepted
}

/// The first granted scope that the operation accepts, for the journal. Asked on every call,
/// so it checks [`accepted_scopes`]' rule in place instead of building the list.
fn granting_scope(shared: &Shared, operation: &Operation, granted: &[Scope]) -> Option<Scope> {
    let broad = shared.config.job_staff_accepts_broad_scopes && operation.id == OperationId::Job2StaffByIdentifier;
    granted.iter().copied().find(|scope| {
        operation.scopes.contains(scope)
            || (broad && matches!(scope, Scope::PracticeManager | Scope::PracticeManagerRead))
    })
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

/// The `api-method` attribute XPM puts on `<Response>`: `List`, `Get`, `PagedList` in the
/// captured samples; other operations use their operation name's action.
fn api_method(operation: &Operation) -> &'static str {
    let id = operation.id.as_str();
    let action = id.split_once('_').map_or(id, |(_, action)| action);
    if action.starts_with("Get") { "Get" } else { action }
}

fn respond(status: StatusCode, format: Format, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    response
}

fn error_response(
    shared: &Shared,
    operation: &Operation,
    error: &ApiError,
    negotiated: Negotiated,
    api_method: &str,
) -> Response {
    let as_200 = negotiated.response == Format::Xml && {
        let switches = &shared.config.content.xml_errors_as_200;
        switches.contains("*") || switches.contains(operation.id.as_str())
    };
    let status = if as_200 { StatusCode::OK } else { error.status };
    respond(status, negotiated.response, Body::from(error.body(negotiated.response, api_method)))
}

/// An XPM-style XML error for requests that never reached an operation.
fn xml_error(status: StatusCode, description: &str) -> Response {
    let body = xpm_api::response::encode_error_xml(description, None);
    respond(status, Format::Xml, Body::from(body))
}

fn with_limit_headers(mut response: Response, headers: impl Iterator<Item = (HeaderName, HeaderValue)>) -> Response {
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_is_an_imf_fixdate() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-05-04T09:12:07.5Z").expect("valid").to_utc();
        assert_eq!(http_date(at), "Mon, 04 May 2026 09:12:07 GMT");
    }

    #[test]
    fn strips_both_version_prefixes() {
        assert_eq!(strip_prefix("/practicemanager/3.1/client.api/list"), "/client.api/list");
        assert_eq!(strip_prefix("/practicemanager/v3.1/client.api/list"), "/client.api/list");
    }

    #[test]
    fn api_method_follows_the_samples() {
        let list = catalog::operation("ClientV31_List").map(api_method);
        let get = catalog::operation("ClientV31_GetByIdentifier").map(api_method);
        let paged = catalog::operation("ClientV31_PagedList").map(api_method);
        assert_eq!((list, get, paged), (Some("List"), Some("Get"), Some("PagedList")));
    }
}
