//! `xpmkit catalog`: every XPM 3.1 operation, as a table or JSON.

use crate::exit::CliResult;
use std::io::{self, Write};

use serde_json::json;
use xpm_api::catalog::{API_PATH_PREFIX, OPERATIONS, Operation, Paging};

use crate::cli::CatalogArgs;

pub(crate) fn run(args: CatalogArgs) -> CliResult<()> {
    let filter = args.filter.as_deref().map(str::to_ascii_lowercase);
    let selected: Vec<&Operation> = OPERATIONS
        .iter()
        .filter(|operation| match &filter {
            None => true,
            Some(text) => [operation.id.as_str(), operation.path, operation.tag.as_str()]
                .iter()
                .any(|field| field.to_ascii_lowercase().contains(text.as_str())),
        })
        .collect();
    let mut out = io::stdout().lock();
    if args.json {
        let rows: Vec<_> = selected.iter().map(|operation| to_json(operation)).collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    for operation in &selected {
        let scopes: Vec<&str> = operation.scopes.iter().map(|scope| scope.as_str()).collect();
        writeln!(
            out,
            "{:<40} {:<6} {:<48} {:<10} {:<5} {}",
            operation.id,
            operation.method.to_string(),
            format!("{API_PATH_PREFIX}{}", operation.path),
            paging_name(operation.paging),
            if operation.retry_safe { "retry" } else { "once" },
            scopes.join(" | "),
        )?;
    }
    writeln!(out, "{} of {} operations", selected.len(), OPERATIONS.len())?;
    Ok(())
}

fn paging_name(paging: Paging) -> &'static str {
    match paging {
        Paging::None => "-",
        Paging::Token => "token",
        Paging::PageNumber => "page",
        Paging::DateWindow => "from/to",
    }
}

fn to_json(operation: &Operation) -> serde_json::Value {
    json!({
        "operationId": operation.id,
        "method": operation.method.to_string(),
        "path": format!("{API_PATH_PREFIX}{}", operation.path),
        "tag": operation.tag,
        "summary": operation.summary,
        "scopes": operation.scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
        "paging": paging_name(operation.paging),
        "retrySafe": operation.retry_safe,
        "query": operation.query.iter().map(|param| json!({"name": param.name, "required": param.required})).collect::<Vec<_>>(),
        "requestDto": operation.request_dto,
        "responseDto": operation.response_dto,
        "errorStatuses": operation.error_statuses,
    })
}
