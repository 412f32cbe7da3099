//! Error shapes: an unknown id and a bad parameter (XPM's `<Status>ERROR</Status>` envelope, at
//! the status the emulator uses or HTTP 200, which Xero says some requests answer with); an
//! unknown tenant (the gateway's 403 problem body); a scope the token lacks (401 with
//! `insufficient_scope`), and whether `job.api/staff` accepts the broad scopes.

use uuid::Uuid;
use xpm_api::catalog::{self, Method, OperationId, ScopeSet};

use super::{Context, broad_without_job, cheap_read};
use crate::finding::{Divergence, Finding};
use crate::probe::{Exchange, Request};

/// Calls this module makes at most with `scopes`.
pub(crate) fn planned(scopes: ScopeSet) -> u32 {
    let may = |operation: OperationId| scopes.grants(operation.operation());
    u32::from(may(OperationId::ClientGetByIdentifier))
        + u32::from(may(OperationId::JobList) || may(OperationId::ClientList))
        + u32::from(cheap_read(scopes).is_some())
        + u32::from(ungranted_read(scopes).is_some())
        + u32::from(broad_without_job(scopes))
}

pub(crate) async fn run(context: &mut Context<'_>) {
    unknown_id(context).await;
    bad_parameter(context).await;
    unknown_tenant(context).await;
    missing_scope(context).await;
    job_staff(context).await;
}

/// Judges an XPM error answer: `status` with an XML `ERROR` envelope is what the emulator
/// does; HTTP 200 with the envelope is matched by a setting, which the profile records.
pub(crate) fn xpm_error(
    context: &mut Context<'_>,
    (check, title): (&str, &str),
    operation: OperationId,
    status: u16,
    exchange: &Exchange,
) -> Finding {
    let as_200 = context.profile.xml_errors_as_200.get_or_insert_with(Default::default);
    let says_error = exchange.is_xml() && exchange.xpm_status().as_deref() == Some("ERROR");
    let assumed = format!("HTTP {status}, text/xml, <Status>ERROR</Status> with a description");
    if exchange.status == status && says_error {
        return Finding::pass(check, title, exchange.summary());
    }
    let divergence = Divergence::new(exchange.request.clone(), assumed, exchange.summary());
    if exchange.status == 200 && says_error {
        as_200.insert(operation.as_str().to_owned());
        let setting = format!("ContentSettings.xml_errors_as_200 += {operation} (profile: xml_errors_as_200)");
        return Finding::differs(check, title, divergence.setting(setting));
    }
    Finding::differs(check, title, divergence)
}

async fn unknown_id(context: &mut Context<'_>) {
    const CHECK: &str = "error.unknown-id";
    const TITLE: &str = "an unknown client id gets 404 with an XPM error body";
    if !context.may(OperationId::ClientGetByIdentifier) {
        return context.push(Finding::skipped(CHECK, TITLE, "no granted scope allows client.api/get"));
    }
    let path = format!("/client.api/get/{}", Uuid::new_v4());
    let request = Request::api(CHECK, path, context.probe.target.tenant);
    let finding = match context.probe.send(&request).await {
        Ok(exchange) => xpm_error(context, (CHECK, TITLE), OperationId::ClientGetByIdentifier, 404, &exchange),
        Err(message) => Finding::failed(CHECK, TITLE, message),
    };
    context.push(finding);
}

async fn bad_parameter(context: &mut Context<'_>) {
    const CHECK: &str = "error.bad-parameter";
    const TITLE: &str = "a malformed parameter gets 400 with an XPM error body";
    let (operation, path) = if context.may(OperationId::JobList) {
        (OperationId::JobList, "/job.api/list?from=not-a-date&to=20260101".to_owned())
    } else if context.may(OperationId::ClientList) {
        (OperationId::ClientList, "/client.api/list?modifiedsince=yesterday".to_owned())
    } else {
        return context.push(Finding::skipped(CHECK, TITLE, "no granted scope allows job.api/list or client.api/list"));
    };
    let request = Request::api(CHECK, path, context.probe.target.tenant);
    let finding = match context.probe.send(&request).await {
        Ok(exchange) => xpm_error(context, (CHECK, TITLE), operation, 400, &exchange),
        Err(message) => Finding::failed(CHECK, TITLE, message),
    };
    context.push(finding);
}

async fn unknown_tenant(context: &mut Context<'_>) {
    const CHECK: &str = "error.unknown-tenant";
    const TITLE: &str = "a tenant the connection does not reach gets 403 AuthenticationUnsuccessful";
    let Some(operation) = cheap_read(context.scopes) else {
        return context.push(Finding::skipped(CHECK, TITLE, "no granted scope allows a read to try it with"));
    };
    let request = Request::api(CHECK, operation.operation().path, Uuid::new_v4());
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    let problem: Option<serde_json::Value> = serde_json::from_slice(&exchange.body).ok();
    let detail = problem.as_ref().and_then(|problem| problem.get("Detail")?.as_str().map(str::to_owned));
    let finding = if exchange.status == 403 && detail.as_deref() == Some("AuthenticationUnsuccessful") {
        Finding::pass(CHECK, TITLE, "HTTP 403, problem body, Detail AuthenticationUnsuccessful")
    } else {
        let assumed = "HTTP 403, a JSON problem body whose Detail is AuthenticationUnsuccessful";
        let observed = format!("{}, Detail {:?}", exchange.summary(), detail.unwrap_or_default());
        Finding::differs(CHECK, TITLE, Divergence::new(exchange.request.clone(), assumed, observed))
    };
    context.push(finding);
}

/// A read the scopes do not grant (other than `job.api/staff`, which has its own check).
fn ungranted_read(scopes: ScopeSet) -> Option<OperationId> {
    catalog::OPERATIONS
        .iter()
        .find(|operation| {
            operation.method == Method::Get
                && !scopes.grants(operation)
                && operation.id != OperationId::Job2StaffByIdentifier
        })
        .map(|operation| operation.id)
}

async fn missing_scope(context: &mut Context<'_>) {
    const CHECK: &str = "error.missing-scope";
    const TITLE: &str = "a read the token's scopes do not allow gets 401 insufficient_scope";
    let Some(operation) = ungranted_read(context.scopes) else {
        return context.push(Finding::skipped(CHECK, TITLE, "the connection holds every read scope"));
    };
    let placeholder = Uuid::new_v4().to_string();
    let params: Vec<(&str, &str)> =
        operation.operation().path_params().map(|name| (name, placeholder.as_str())).collect();
    let path = match catalog::url_path(operation.operation(), &params) {
        Ok(path) => path,
        Err(error) => return context.push(Finding::failed(CHECK, TITLE, error.to_string())),
    };
    let request = Request::api(CHECK, path, context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    context.push(insufficient_scope(CHECK, TITLE, &exchange));
}

fn insufficient_scope(check: &str, title: &str, exchange: &Exchange) -> Finding {
    let challenge = exchange.header("www-authenticate").unwrap_or_default();
    if exchange.status == 401 && challenge.contains("insufficient_scope") {
        return Finding::pass(check, title, "HTTP 401, WWW-Authenticate: Bearer error=\"insufficient_scope\"");
    }
    let assumed = "HTTP 401 with WWW-Authenticate: Bearer error=\"insufficient_scope\"";
    let observed = format!("{}, WWW-Authenticate {challenge:?}", exchange.summary());
    Finding::differs(check, title, Divergence::new(exchange.request.clone(), assumed, observed))
}

async fn job_staff(context: &mut Context<'_>) {
    const CHECK: &str = "scopes.job-staff";
    const TITLE: &str = "job.api/staff accepts only the job scopes, as the spec lists";
    if !broad_without_job(context.scopes) {
        let reason = "needs a connection holding practicemanager or practicemanager.read and no job scope";
        return context.push(Finding::skipped(CHECK, TITLE, reason));
    }
    let staff = context.items.get(&OperationId::StaffList).and_then(|items| items.first());
    let staff = staff.and_then(|item| item.get("uuid")?.as_str().map(str::to_owned));
    // The scope is checked before the id is looked up, so any id shows the gateway's answer.
    let staff = staff.unwrap_or_else(|| Uuid::new_v4().to_string());
    let request = Request::api(CHECK, format!("/job.api/staff/{staff}"), context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    let finding = if exchange.status == 200 {
        context.profile.job_staff_accepts_broad_scopes = Some(true);
        let divergence = Divergence::new(exchange.request.clone(), "HTTP 401 insufficient_scope", exchange.summary())
            .setting("EmulatorConfig.job_staff_accepts_broad_scopes = true (profile: job_staff_accepts_broad_scopes)");
        Finding::differs(CHECK, TITLE, divergence)
    } else {
        let finding = insufficient_scope(CHECK, TITLE, &exchange);
        if !finding.is_problem() {
            context.profile.job_staff_accepts_broad_scopes = Some(false);
        }
        finding
    };
    context.push(finding);
}
