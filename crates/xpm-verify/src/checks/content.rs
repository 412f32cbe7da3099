//! Content negotiation: XML by default; JSON only with `Accept: application/json` and
//! `Xero-Features: practice-strict-content-type` (the spec's header; `Accept` alone still
//! answers XML on 3.1); an `Accept` the API cannot produce in strict mode.

use xpm_api::catalog::{OperationId, ScopeSet};

use super::{Context, cheap_read};
use crate::decode::{BodyFormat, decode_strict};
use crate::finding::{Divergence, Finding};
use crate::probe::{ACCEPT_JSON, Exchange, Request, STRICT_FEATURE};

/// Calls this module makes with `scopes`.
pub(crate) fn planned(scopes: ScopeSet) -> u32 {
    if cheap_read(scopes).is_some() { 4 } else { 0 }
}

pub(crate) async fn run(context: &mut Context<'_>) {
    let Some(operation) = cheap_read(context.scopes) else {
        for check in [
            "content.xml-default",
            "content.json-strict",
            "content.json-needs-feature",
            "content.strict-mismatch",
            "content.strict-415",
        ] {
            context.push(Finding::skipped(
                check,
                "content negotiation",
                "no granted scope allows a read to try it with",
            ));
        }
        return;
    };
    let path = operation.operation().path.to_owned();
    let tenant = context.probe.target.tenant;
    let plain = Request::api("content.xml-default", path.clone(), tenant);
    let json = Request::api("content.json-strict", path.clone(), tenant).header(ACCEPT_JSON).header(STRICT_FEATURE);
    let accept_only = Request::api("content.json-needs-feature", path.clone(), tenant).header(ACCEPT_JSON);
    let unusable =
        Request::api("content.strict-mismatch", path, tenant).header(("Accept", "text/csv")).header(STRICT_FEATURE);

    let answers_in = [
        (plain, BodyFormat::Xml, "no Accept header answers XML"),
        (json, BodyFormat::Json, "Accept: application/json with the strict-content-type feature answers JSON"),
        (accept_only, BodyFormat::Xml, "Accept: application/json without the feature still answers XML"),
    ];
    for (request, format, title) in answers_in {
        let finding = match context.probe.send(&request).await {
            Ok(exchange) => decodes(operation, &exchange, format, &request.check, title),
            Err(message) => Finding::failed(&request.check, title, message),
        };
        context.push(finding);
    }
    strict_mismatch(context, &unusable).await;
    context.push(Finding::skipped(
        "content.strict-415",
        "a body whose Content-Type does not match, in strict content-type mode, gets 415",
        "needs a request with a body, and the suite never writes",
    ));
}

/// Whether `exchange` is a 200 in `format` that decodes strictly.
fn decodes(operation: OperationId, exchange: &Exchange, format: BodyFormat, check: &str, title: &str) -> Finding {
    let (right_type, format_name) = match format {
        BodyFormat::Xml => (exchange.is_xml(), "text/xml"),
        BodyFormat::Json => (exchange.is_json(), "application/json"),
    };
    let assumed = format!("HTTP 200, {format_name}, a body xpmkit's models decode strictly");
    if exchange.status != 200 || !right_type {
        return Finding::differs(check, title, Divergence::new(exchange.request.clone(), assumed, exchange.summary()));
    }
    match decode_strict(operation.operation(), format, &exchange.body) {
        Ok(items) => Finding::pass(check, title, format!("{format_name}, {} item(s) decoded strictly", items.len())),
        Err(error) => Finding::differs(
            check,
            title,
            Divergence::new(
                exchange.request.clone(),
                assumed,
                format!("{}; decoding failed: {error}", exchange.summary()),
            ),
        ),
    }
}

async fn strict_mismatch(context: &mut Context<'_>, request: &Request) {
    const CHECK: &str = "content.strict-mismatch";
    const TITLE: &str = "an Accept the API cannot produce, in strict content-type mode, gets 406";
    let Some(exchange) = context.send_or_fail(request, CHECK, TITLE).await else { return };
    let finding = match exchange.status {
        406 => {
            context.profile.strict_rejects_mismatch = Some(true);
            Finding::pass(CHECK, TITLE, "HTTP 406")
        }
        200 => {
            context.profile.strict_rejects_mismatch = Some(false);
            Finding::differs(
                CHECK,
                TITLE,
                Divergence::new(exchange.request.clone(), "HTTP 406", exchange.summary())
                    .setting("ContentSettings.strict_rejects_mismatch = false (profile: strict_rejects_mismatch)"),
            )
        }
        _ => Finding::differs(CHECK, TITLE, Divergence::new(exchange.request.clone(), "HTTP 406", exchange.summary())),
    };
    context.push(finding);
}
