//! `xpmkit scopes plan` and `xpmkit scopes explain`.

use std::io::{self, Write};

use serde_json::json;
use xpm_api::scopes::{Explanation, Target, explain, plan};

use crate::cli::ScopesCommand;
use crate::exit::{CliError, CliResult};

pub(crate) fn run(command: ScopesCommand) -> CliResult<()> {
    match command {
        ScopesCommand::Plan { targets, json } => run_plan(&targets, json),
        ScopesCommand::Explain { scope, json } => run_explain(&scope, json),
    }
}

fn run_plan(targets: &[String], as_json: bool) -> CliResult<()> {
    let targets = targets
        .iter()
        .map(|target| target.parse::<Target>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| CliError::Usage { message: error.to_string() })?;
    let plan = plan(&targets);
    let mut out = io::stdout().lock();
    if as_json {
        let value = json!({
            "scopes": plan.scopes().iter().map(|planned| json!({
                "scope": planned.scope.as_str(),
                "covers": planned.covers.iter().map(|operation| operation.id).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "scope": plan.scope_string(),
            "authorizeScope": plan.authorize_scope(),
            "operations": plan.operations().iter().map(|operation| operation.id).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{plan}")?;
    }
    Ok(())
}

fn run_explain(scope: &str, as_json: bool) -> CliResult<()> {
    let explanation = explain(scope).map_err(|error| CliError::Usage { message: error.to_string() })?;
    let mut out = io::stdout().lock();
    if !as_json {
        writeln!(out, "{explanation}")?;
        return Ok(());
    }
    let value = match &explanation {
        Explanation::Xpm(explained) => json!({
            "scope": explained.scope.as_str(),
            "readOnly": explained.read_only,
            "impliedBy": explained.implied_by.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
            "implies": explained.implies.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
            "operations": explained.groups.iter().flat_map(|group| group.operations.iter().map(|operation| operation.id)).collect::<Vec<_>>(),
        }),
        Explanation::Identity(identity) => json!({
            "scope": identity.as_str(),
            "identity": true,
            "explanation": explanation.to_string(),
        }),
    };
    serde_json::to_writer_pretty(&mut out, &value)?;
    writeln!(out)?;
    Ok(())
}
