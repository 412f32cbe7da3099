//! Token paging on `client.api/paged-list`: the default page size, `Next` links carrying
//! `pageToken` and `pageSize`, a second page that continues the first, no `Next` on the last
//! page, and `pageSize` limited to 1–500.

use xpm_api::catalog::OperationId;
use xpm_api::model::Client;
use xpm_api::response::{Envelope, XmlList};

use super::Context;
use super::errors::xpm_error;
use crate::finding::{Divergence, Finding};
use crate::probe::{Exchange, Request};

/// Calls this module makes.
pub(crate) const CALLS: u32 = 4;

/// The emulator's page size when `pageSize` is not given.
const DEFAULT_PAGE_SIZE: usize = 50;

pub(crate) async fn run(context: &mut Context<'_>) {
    if !context.may(OperationId::ClientPagedList) {
        let reason = "no granted scope allows client.api/paged-list";
        for check in ["paging.default-size", "paging.tokens", "paging.size-limit"] {
            context.push(Finding::skipped(check, "token paging", reason));
        }
        return;
    }
    default_size(context).await;
    tokens(context).await;
    size_limit(context).await;
}

/// A page's client uuids and its `Next` link.
struct Page {
    uuids: Vec<String>,
    next: Option<String>,
}

fn page(exchange: &Exchange) -> Result<Page, String> {
    if exchange.status != 200 {
        return Err(exchange.summary());
    }
    let (items, envelope): (Vec<Client>, Envelope) =
        XmlList::new(&exchange.body[..]).collect_all().map_err(|error| format!("decoding failed: {error}"))?;
    let uuids = items
        .iter()
        .filter_map(|item| serde_json::to_value(item).ok()?.get("uuid")?.as_str().map(str::to_owned))
        .collect();
    let next = envelope.pagination.and_then(|pagination| pagination.links?.next);
    Ok(Page { uuids, next })
}

fn path(query: &str) -> String {
    format!("{}{query}", OperationId::ClientPagedList.operation().path)
}

async fn default_size(context: &mut Context<'_>) {
    const CHECK: &str = "paging.default-size";
    const TITLE: &str = "without pageSize a page holds 50 clients, and the last page has no Next";
    let request = Request::api(CHECK, path(""), context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    let assumed = "50 clients and a Next link, or up to 50 and no Next on the only page";
    let finding = match page(&exchange) {
        Err(observed) => Finding::differs(CHECK, TITLE, Divergence::new(exchange.request, assumed, observed)),
        Ok(Page { uuids, next: Some(_) }) if uuids.len() == DEFAULT_PAGE_SIZE => Finding::pass(
            CHECK,
            TITLE,
            "50 clients and a Next link (the last page was not fetched: the practice is larger)",
        ),
        Ok(Page { uuids, next: None }) if uuids.len() <= DEFAULT_PAGE_SIZE => {
            Finding::pass(CHECK, TITLE, format!("{} client(s) on the only page, no Next", uuids.len()))
        }
        Ok(Page { uuids, next }) => Finding::differs(
            CHECK,
            TITLE,
            Divergence::new(
                exchange.request,
                assumed,
                format!("{} clients, {}", uuids.len(), if next.is_some() { "a Next link" } else { "no Next" }),
            ),
        ),
    };
    context.push(finding);
}

async fn tokens(context: &mut Context<'_>) {
    const CHECK: &str = "paging.tokens";
    const TITLE: &str = "Next carries pageToken and pageSize, and the next page continues the first";
    let tenant = context.probe.target.tenant;
    let Some(first) = context.send_or_fail(&Request::api(CHECK, path("?pageSize=2"), tenant), CHECK, TITLE).await
    else {
        return;
    };
    let assumed = "2 clients, a Next link with pageToken and pageSize=2, then 1–2 other clients";
    let first_page = match page(&first) {
        Ok(page) => page,
        Err(observed) => {
            return context.push(Finding::differs(CHECK, TITLE, Divergence::new(first.request, assumed, observed)));
        }
    };
    let Some(next) = first_page.next.clone() else {
        let finding = if first_page.uuids.len() <= 2 {
            Finding::skipped(CHECK, TITLE, "the practice has 2 active clients or fewer: there is no second page")
        } else {
            let observed = format!("{} clients and no Next link", first_page.uuids.len());
            Finding::differs(CHECK, TITLE, Divergence::new(first.request, assumed, observed))
        };
        return context.push(finding);
    };
    let token = query_value(&next, "pageToken");
    let size = query_value(&next, "pageSize");
    let (Some(token), Some("2")) = (token.as_deref(), size.as_deref()) else {
        let observed = format!("Next = {next}");
        return context.push(Finding::differs(CHECK, TITLE, Divergence::new(first.request, assumed, observed)));
    };
    let second_path = path(&format!("?pageSize=2&pageToken={token}"));
    let Some(second) = context.send_or_fail(&Request::api(CHECK, second_path, tenant), CHECK, TITLE).await else {
        return;
    };
    let finding = match page(&second) {
        Err(observed) => Finding::differs(CHECK, TITLE, Divergence::new(second.request, assumed, observed)),
        Ok(page) if page.uuids.is_empty() || page.uuids.iter().any(|uuid| first_page.uuids.contains(uuid)) => {
            let observed = format!("{} client(s), some repeated from the first page or none", page.uuids.len());
            Finding::differs(CHECK, TITLE, Divergence::new(second.request, assumed, observed))
        }
        Ok(page) => Finding::pass(CHECK, TITLE, format!("page 2 has {} other client(s)", page.uuids.len())),
    };
    context.push(finding);
}

async fn size_limit(context: &mut Context<'_>) {
    const CHECK: &str = "paging.size-limit";
    const TITLE: &str = "pageSize above 500 is refused with 400 and an XPM error body";
    let request = Request::api(CHECK, path("?pageSize=501"), context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    let finding = xpm_error(context, (CHECK, TITLE), OperationId::ClientPagedList, 400, &exchange);
    context.push(finding);
}

/// A query parameter of a link, by name in any letter case.
fn query_value(link: &str, name: &str) -> Option<String> {
    let (_, query) = link.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.eq_ignore_ascii_case(name).then(|| value.to_owned())
    })
}
