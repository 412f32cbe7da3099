//! Every read operation the granted scopes allow, once, in XML: HTTP 200, an XML body, status
//! OK, and a body xpmkit's models decode strictly. Lists are asked for small (a week of changed
//! clients, ten per page, thirty days of jobs); operations that need an id take it from an
//! earlier answer, and are skipped, saying so, when the practice has none.

use chrono::Duration;
use xpm_api::catalog::{self, Method, Operation, OperationId, ScopeSet};

use super::Context;
use crate::decode::{BodyFormat, decode_strict};
use crate::finding::{Divergence, Finding};
use crate::probe::Request;

/// Where a path parameter's value comes from: the first item of an earlier answer, at a path of
/// JSON keys.
struct Source {
    from: OperationId,
    keys: &'static [&'static str],
    /// What the practice lacks when the source is empty, for the skip message.
    what: &'static str,
}

const fn source(from: OperationId, keys: &'static [&'static str], what: &'static str) -> Source {
    Source { from, keys, what }
}

/// The source of `operation`'s path parameter, if it has one.
fn source_for(operation: OperationId) -> Option<Source> {
    use OperationId as Id;
    let client = source(Id::ClientPagedList, &["uuid"], "client");
    let job = source(Id::JobCurrent, &["id"], "current job");
    let staff = source(Id::StaffList, &["uuid"], "staff member");
    Some(match operation {
        Id::ClientGetByIdentifier
        | Id::ClientDocuments
        | Id::CustomFieldGetClientByIdentifier
        | Id::JobClientByIdentifier => client,
        Id::ClientContactGet | Id::CustomFieldGetContactByIdentifier => {
            source(Id::ClientContacts, &["uuid"], "contact")
        }
        Id::ClientGroupGetByIdentifier => source(Id::ClientGroupList, &["uuid"], "client group"),
        Id::CostGetByIdentifier => source(Id::CostList, &["uuid"], "cost"),
        Id::CustomFieldGetByIdentifier => source(Id::CustomFieldDefinition, &["uuid"], "custom field"),
        Id::InvoiceGet | Id::InvoicePayments => source(Id::InvoiceCurrent, &["id"], "current invoice"),
        Id::InvoiceJob | Id::JobGet | Id::JobCosts | Id::JobDocuments | Id::CustomFieldGetJob | Id::TimeJob => job,
        Id::CustomFieldGetJobTaskByIdentifier => source(Id::JobGet, &["tasks", "uuid"], "job task"),
        Id::CustomFieldGetJobCostByIdentifier => source(Id::JobCosts, &["uuid"], "job cost"),
        Id::QuoteGet => source(Id::QuoteCurrent, &["id"], "current quote"),
        Id::StaffGetByUuid | Id::Job2StaffByIdentifier | Id::TimeStaff => staff,
        Id::TaskGet => source(Id::TaskList, &["uuid"], "task"),
        Id::TimeGet | Id::CustomFieldGetTimeByIdentifier => source(Id::TimeList, &["uuid"], "time entry"),
        _ => return None,
    })
}

/// The read operations checked here, those without a path parameter first (they feed the rest).
fn reads(scopes: ScopeSet) -> Vec<&'static Operation> {
    let mut reads: Vec<&'static Operation> = catalog::OPERATIONS
        .iter()
        .filter(|operation| operation.method == Method::Get && scopes.grants(operation))
        .collect();
    // Stable: catalog order within each group; a job's tasks come after the job.
    reads.sort_by_key(|operation| match source_for(operation.id) {
        None => 0,
        Some(source) if source_for(source.from).is_some() => 2,
        Some(_) => 1,
    });
    reads
}

/// Calls this module makes at most with `scopes`.
pub(crate) fn planned(scopes: ScopeSet) -> u32 {
    u32::try_from(reads(scopes).len()).unwrap_or(u32::MAX)
}

pub(crate) async fn run(context: &mut Context<'_>) {
    for operation in reads(context.scopes) {
        read(context, operation).await;
    }
}

async fn read(context: &mut Context<'_>, operation: &'static Operation) {
    let check = format!("read.{}", operation.id);
    let title = format!("{} answers XML that decodes strictly", operation.id);
    let mut params = Vec::new();
    if let Some(source) = source_for(operation.id) {
        let first = context.items.get(&source.from).and_then(|items| items.first());
        let value = first.and_then(|item| value_at(item, source.keys));
        let Some(value) = value else {
            let reason = format!("the practice has no {} to read it with ({} answered none)", source.what, source.from);
            return context.push(Finding::skipped(&check, title, reason));
        };
        if let Some(name) = operation.path_params().next() {
            params.push((name, value));
        }
    }
    let borrowed: Vec<(&str, &str)> = params.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let mut path = match catalog::url_path(operation, &borrowed) {
        Ok(path) => path,
        Err(error) => return context.push(Finding::failed(&check, title, error.to_string())),
    };
    let query = query_for(context, operation);
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&"));
    }
    let request = Request::api(check.clone(), path, context.probe.target.tenant);
    let Some(exchange) = context.send_or_fail(&request, &check, &title).await else { return };
    let assumed = "HTTP 200, text/xml, status OK, a body xpmkit's models decode strictly";
    if exchange.status != 200 || !exchange.is_xml() || exchange.xpm_status().as_deref() != Some("OK") {
        let divergence = Divergence::new(exchange.request.clone(), assumed, exchange.summary());
        return context.push(Finding::differs(&check, title, divergence));
    }
    let finding = match decode_strict(operation, BodyFormat::Xml, &exchange.body) {
        Ok(items) => {
            let detail = format!("{} item(s) decoded strictly", items.len());
            context.items.insert(operation.id, items);
            Finding::pass(&check, title, detail)
        }
        Err(error) => Finding::differs(
            &check,
            title,
            Divergence::new(exchange.request.clone(), assumed, format!("decoding failed: {error}")),
        ),
    };
    context.push(finding);
}

/// The text at `keys` in `item`, descending through the first element of arrays.
fn value_at(item: &serde_json::Value, keys: &[&str]) -> Option<String> {
    let mut value = item;
    for key in keys {
        value = value.get(key)?;
        if let serde_json::Value::Array(items) = value {
            value = items.first()?;
        }
    }
    match value {
        serde_json::Value::String(text) if !text.is_empty() => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The query that keeps the answer small and satisfies the required parameters.
fn query_for(context: &Context<'_>, operation: &Operation) -> Vec<(&'static str, String)> {
    let today = context.now.date_naive();
    let mut query = Vec::new();
    match operation.id {
        OperationId::ClientList => {
            let since = context.now - Duration::days(7);
            query.push(("detailed", "true".to_owned()));
            query.push(("modifiedsince", since.format("%Y-%m-%dT%H:%M:%S").to_string()));
        }
        OperationId::ClientPagedList | OperationId::ClientContacts => query.push(("pageSize", "10".to_owned())),
        // A search no practice matches: the shape of the answer is the contract, not its items.
        OperationId::ClientSearch => query.push(("query", "xpmkit-verify-no-match".to_owned())),
        _ => {}
    }
    for name in operation.required_query() {
        match name {
            "from" => query.push(("from", (today - Duration::days(30)).format("%Y%m%d").to_string())),
            "to" => query.push(("to", today.format("%Y%m%d").to_string())),
            "page" => query.push(("page", "1".to_owned())),
            _ => {}
        }
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parameter_of_a_read_has_a_source() {
        let all = ScopeSet::parse("practicemanager");
        for operation in reads(all) {
            if operation.path_params().next().is_some() {
                assert!(source_for(operation.id).is_some(), "{} has no source for its id", operation.id);
            }
        }
    }

    #[test]
    fn sources_come_before_the_reads_that_need_them() {
        let order: Vec<OperationId> = reads(ScopeSet::parse("practicemanager")).iter().map(|op| op.id).collect();
        for (index, id) in order.iter().enumerate() {
            if let Some(source) = source_for(*id) {
                let at = order.iter().position(|other| *other == source.from);
                assert!(at.is_some_and(|at| at < index), "{id} is read before its source {}", source.from);
            }
        }
    }

    #[test]
    fn values_are_found_through_arrays() {
        let job = serde_json::json!({"id": "J000001", "tasks": [{"uuid": "t-1"}, {"uuid": "t-2"}]});
        assert_eq!(value_at(&job, &["tasks", "uuid"]).as_deref(), Some("t-1"));
        assert_eq!(value_at(&job, &["id"]).as_deref(), Some("J000001"));
        assert_eq!(value_at(&job, &["missing"]), None);
    }
}
