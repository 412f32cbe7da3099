//! `modifiedsince` on `client.api/list` (the one incremental filter XPM has: a future time
//! answers no client, and the spec's `modifiedSince` spelling works as the docs' does) and the
//! date windows of `job.api/list` (`from` and `to` both required, less than a year apart).

use chrono::Duration;
use xpm_api::catalog::{OperationId, ScopeSet};

use super::Context;
use super::errors::xpm_error;
use crate::decode::{BodyFormat, decode_strict};
use crate::finding::{Divergence, Finding};
use crate::probe::Request;

/// Calls this module makes at most with `scopes`.
pub(crate) fn planned(scopes: ScopeSet) -> u32 {
    let may = |operation: OperationId| scopes.grants(operation.operation());
    2 * u32::from(may(OperationId::ClientList)) + 2 * u32::from(may(OperationId::JobList))
}

pub(crate) async fn run(context: &mut Context<'_>) {
    if context.may(OperationId::ClientList) {
        let future = (context.now + Duration::days(1)).format("%Y-%m-%dT%H:%M:%S");
        modified_since(context, "window.modifiedsince-future", "modifiedsince", &future.to_string(), true).await;
        let recent = (context.now - Duration::days(1)).format("%Y-%m-%dT%H:%M:%S");
        modified_since(context, "window.modifiedsince-spelling", "modifiedSince", &recent.to_string(), false).await;
    } else {
        for check in ["window.modifiedsince-future", "window.modifiedsince-spelling"] {
            context.push(Finding::skipped(check, "modifiedsince", "no granted scope allows client.api/list"));
        }
    }
    if context.may(OperationId::JobList) {
        date_windows(context).await;
    } else {
        for check in ["window.over-a-year", "window.missing-to"] {
            context.push(Finding::skipped(check, "date windows", "no granted scope allows job.api/list"));
        }
    }
}

async fn modified_since(context: &mut Context<'_>, check: &'static str, name: &str, since: &str, expect_none: bool) {
    let title = if expect_none {
        "client.api/list?modifiedsince= a time to come answers no client"
    } else {
        "client.api/list takes the spec's spelling modifiedSince as well"
    };
    let path = format!("/client.api/list?{name}={since}");
    let request = Request::api(check, path, context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, check, title).await else { return };
    let assumed =
        if expect_none { "HTTP 200, status OK, no client" } else { "HTTP 200, status OK, a list that decodes" };
    if exchange.status != 200 || exchange.xpm_status().as_deref() != Some("OK") {
        let divergence = Divergence::new(exchange.request.clone(), assumed, exchange.summary());
        return context.push(Finding::differs(check, title, divergence));
    }
    let finding = match decode_strict(OperationId::ClientList.operation(), BodyFormat::Xml, &exchange.body) {
        Ok(items) if expect_none && !items.is_empty() => {
            let observed = format!("{} client(s) changed after a time to come", items.len());
            Finding::differs(check, title, Divergence::new(exchange.request.clone(), assumed, observed))
        }
        Ok(items) => Finding::pass(check, title, format!("{} client(s)", items.len())),
        Err(error) => Finding::differs(
            check,
            title,
            Divergence::new(exchange.request.clone(), assumed, format!("decoding failed: {error}")),
        ),
    };
    context.push(finding);
}

async fn date_windows(context: &mut Context<'_>) {
    let today = context.now.date_naive();
    let date = |days: i64| (today - Duration::days(days)).format("%Y%m%d").to_string();
    let tenant = context.probe.target.tenant;

    let (check, title) = ("window.over-a-year", "job.api/list refuses from/to a year or more apart with 400");
    let request = Request::api(check, format!("/job.api/list?from={}&to={}", date(400), date(0)), tenant);
    let finding = match context.probe.send(&request).await {
        Ok(exchange) => xpm_error(context, (check, title), OperationId::JobList, 400, &exchange),
        Err(message) => Finding::failed(check, title, message),
    };
    context.push(finding);

    let (check, title) = ("window.missing-to", "job.api/list without `to` gets 400");
    let request = Request::api(check, format!("/job.api/list?from={}", date(30)), tenant);
    let finding = match context.probe.send(&request).await {
        Ok(exchange) => xpm_error(context, (check, title), OperationId::JobList, 400, &exchange),
        Err(message) => Finding::failed(check, title, message),
    };
    context.push(finding);
}
