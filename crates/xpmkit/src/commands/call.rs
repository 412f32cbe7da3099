//! `xpmkit call`: send any XPM operation for a stored connection and print the answer, with the
//! token, tenant, rate limits and retries handled by [`XpmClient`].
//!
//! Everything that needs no network is checked first (operation, parameters, body, which
//! connection and practice), so a mistake is a usage error before anything is sent.

use std::io::Write as _;

use anyhow::Context;
use xpm_api::catalog::{self, Operation, OperationId, Scope};
use xpm_api::response::{Payload, Shape};
use xpm_client::{Call, Error, XpmClient};
use xpm_mock::config::DEMO_CLIENT_ID;

use super::call_all::{self, Step, Walk};
use super::call_input::{request_body, split_params};
use super::call_stream::{self, Failed, ListJob, MakeCall};
use super::call_target::{Target, choose_with};
use super::connections_file::{SavedConnection, data_dir, load, xpm_client};
use super::{DEFAULT_SCOPES, advice};
use crate::cli::{CallArgs, DEFAULT_EMULATOR_URL, MOCK_URL_ENV};
use crate::exit::{Advised, CliError, CliResult};

pub(crate) fn run(args: CallArgs) -> CliResult<()> {
    let operation = catalog::lookup(&args.operation).map_err(|error| CliError::Usage { message: error.to_string() })?;
    if args.all && !operation.is_read() {
        return Err(CliError::Usage {
            message: format!(
                "--all fetches every page of a list; {} is a {} that changes data",
                operation.id, operation.method
            ),
        });
    }
    let params = split_params(operation, &args.params, args.all)?;
    let (body, format) = request_body(operation, args.body.as_deref(), args.format)?;
    let data_dir = data_dir(args.target.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    let target = choose_with(&connections, operation, &args.target, &data_dir)?;
    let client = xpm_client(target.connection, &data_dir, args.target.client_secret_env.as_deref(), format)?;

    // The call with the user's parameters, `extra` query parameters replacing theirs.
    let make_call = |extra: &[(String, String)]| {
        let mut call = Call::new(operation.id, target.tenant.tenant_id);
        for (name, value) in &params.path {
            call = call.path_param(name, value.clone());
        }
        for (name, value) in params.query.iter().filter(|(name, _)| !extra.iter().any(|(replaced, _)| replaced == name))
        {
            call = call.query(name, value.clone());
        }
        for (name, value) in extra {
            call = call.query(name, value.clone());
        }
        match &body {
            Some(bytes) => call.raw_body(bytes.clone(), format),
            None => call.format(format),
        }
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    // Lists are printed as they download; other answers are read whole, within the client's cap.
    if let Some(list) = Payload::for_operation(operation).filter(|payload| payload.shape() == Shape::List) {
        let streamed = if args.raw {
            Some(call_stream::copy_body(&runtime, &client, make_call(&[])))
        } else {
            let all = args.all.then_some(args.jsonl);
            let query = &params.query;
            list.visit(ListJob { runtime: &runtime, client: &client, make_call: &make_call, operation, query, all })
        };
        if let Some(streamed) = streamed {
            return streamed.map_err(|failed| match failed {
                Failed::Sending(error) => explain_sent(&runtime, error, &target),
                Failed::Body(error) => explain(error, &target, None),
                Failed::Cli(error) => error,
            });
        }
    }
    if args.all {
        return fetch_all(&runtime, &client, operation, &params.query, &make_call, &target, args.jsonl);
    }
    let response = match runtime.block_on(client.send(make_call(&[]))) {
        Ok(response) => response,
        Err(error) => {
            return Err(explain_sent(&runtime, error, &target));
        }
    };

    let mut out = std::io::stdout().lock();
    if args.raw || Payload::for_operation(operation).is_none() {
        if !args.raw {
            let (id, dto) = (operation.id, operation.response_dto);
            eprintln!("note: {id} answers {dto}, which has no model yet; printing the body as received");
        }
        // As received when piped; escaped on a terminal, which would run escape sequences.
        if std::io::IsTerminal::is_terminal(&out) {
            let text = String::from_utf8_lossy(response.body());
            out.write_all(crate::terminal::escape_controls(&text).as_bytes())?;
        } else {
            out.write_all(response.body())?;
        }
    } else {
        let json = response.to_json().map_err(|error| explain(error, &target, None))?;
        // Encoded first, so a closed stdout (`| head`) surfaces as the I/O error it is.
        let mut text = serde_json::to_vec_pretty(&json)?;
        text.push(b'\n');
        out.write_all(&text)?;
    }
    out.flush()?;
    Ok(())
}

/// Sends every page of an answer that is not a list (see [`call_all`]; lists go through
/// [`call_stream`]) and prints the items: one JSON array, or one item per line as they arrive.
/// Items a date window shares with the one before are printed once.
fn fetch_all(
    runtime: &tokio::runtime::Runtime,
    client: &XpmClient,
    operation: &Operation,
    query: &[(String, String)],
    make_call: &MakeCall<'_>,
    target: &Target<'_>,
    jsonl: bool,
) -> CliResult<()> {
    let mut walk = Walk::new(operation, query)?;
    let mut seen = std::collections::HashSet::new();
    let mut collected = Vec::new();
    let mut out = std::io::stdout().lock();
    while let Step::Send(extra) = walk.next() {
        let sent = runtime.block_on(client.send(make_call(&extra)));
        let response = sent.map_err(|error| explain_sent(runtime, error, target))?;
        let answer = response.to_json().map_err(|error| explain(error, target, None))?;
        let items = call_all::items(&answer);
        walk.answered(&answer, items.len());
        for item in items.into_iter().filter(|item| seen.insert(call_all::identity(item))) {
            if jsonl {
                let mut line = serde_json::to_vec(&item)?;
                line.push(b'\n');
                out.write_all(&line)?;
            } else {
                collected.push(item);
            }
        }
    }
    if !jsonl {
        let mut text = serde_json::to_vec_pretty(&collected)?;
        text.push(b'\n');
        out.write_all(&text)?;
    }
    out.flush()?;
    Ok(())
}

/// [`explain`] for an error from sending: Xero answers a withdrawn approval and a disconnected
/// practice alike; the emulator can say which, and only the second is fixed by connecting again.
pub(super) fn explain_sent(runtime: &tokio::runtime::Runtime, error: Error, target: &Target<'_>) -> CliError {
    let connection = target.connection;
    let withdrawn = match &error {
        Error::TenantNotConnected { .. } if connection.is_mock() => runtime.block_on(advice::withdrawn_approval(
            &connection.issuer,
            &connection.client_id,
            &advice::xpm_scopes(&connection.scope),
        )),
        _ => None,
    };
    explain(error, target, withdrawn.as_deref())
}

/// Wraps a client error with what to do about it. `withdrawn` holds the XPM scopes whose
/// approval the emulator withdrew, when it said so.
fn explain(error: Error, target: &Target<'_>, withdrawn: Option<&[Scope]>) -> CliError {
    let connection = target.connection;
    let connect = connect_command(connection);
    let hint = match &error {
        Error::ScopeNotGranted { operation, .. } => {
            let scopes = scopes_to_ask(*operation, &connection.scope);
            let mut hint = format!("connect again asking for it as well: `{connect} --scopes \"{scopes}\"`");
            if !connection.is_mock() {
                hint.push_str(
                    "; Xero must have approved the app for that scope first (README, \"Connecting to Xero\")",
                );
            }
            Some(hint)
        }
        Error::NeedsReauth { .. } | Error::NotConnected { .. } | Error::Unauthorized { .. } => {
            let default_scopes = DEFAULT_SCOPES.join(" ");
            let mut hint = if connection.scope.split_whitespace().eq(default_scopes.split_whitespace()) {
                format!("sign in again with `{connect}`")
            } else {
                format!("sign in again with `{connect} --scopes \"{}\"`", connection.scope)
            };
            if connection.is_mock() && matches!(error, Error::NeedsReauth { .. }) {
                hint.push_str(
                    " (the emulator keeps its tokens in memory, so a restart ends every connection; signing in \
                     again replaces this one)",
                );
            }
            Some(hint)
        }
        Error::TenantNotConnected { .. } => Some(match (withdrawn, connection.is_mock()) {
            (Some(scopes), _) => format!(
                "the emulator withdrew the approval of app {} for {} (`xpmkit mock revoke`); connecting again \
                 does not help, approving does: `{}`",
                connection.client_id,
                scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(" "),
                advice::approve_command(&connection.issuer, &connection.client_id, scopes)
            ),
            (None, true) => format!(
                "practice {} ({}) is no longer connected to the app on the emulator; `{connect}` connects it again",
                target.tenant.name, target.tenant.tenant_id
            ),
            (None, false) => format!(
                "if practice {} ({}) was disconnected in Xero, `{connect}` connects it again; if Xero withdrew the \
                 app's XPM approval, connecting again does not help: ask Xero to restore it",
                target.tenant.name, target.tenant.tenant_id
            ),
        }),
        Error::Transport { source, .. } if advice::is_unreachable(source) => {
            Some(advice::unreachable_hint(connection.is_mock().then_some(connection.issuer.as_str())))
        }
        Error::RateLimited { .. } => {
            Some("xero allows 60 calls a minute and 5,000 a day per practice; wait, or spread the calls out".to_owned())
        }
        Error::Decode { .. } | Error::DecodeJson { .. } => Some("--raw prints the body as received".to_owned()),
        // Advice that does not depend on the connection (a wrong master key, say).
        _ => return error.into(),
    };
    CliError::Client(Advised { error, hint })
}

/// The `connect` command that makes `connection` again. Only the mock profile leaves out what
/// the emulator's defaults (its URL, its demo app) already give.
fn connect_command(connection: &SavedConnection) -> String {
    if !connection.is_mock() {
        return format!("xpmkit connect --client-id {}", connection.client_id);
    }
    let mut connect = "xpmkit connect --profile mock".to_owned();
    let configured = std::env::var(MOCK_URL_ENV).unwrap_or_else(|_| DEFAULT_EMULATOR_URL.to_owned());
    if connection.issuer.trim_end_matches('/') != configured.trim_end_matches('/') {
        connect.push_str(&format!(" --url {}", connection.issuer));
    }
    if connection.client_id != DEMO_CLIENT_ID {
        connect.push_str(&format!(" --client-id {}", connection.client_id));
    }
    connect
}

/// What to ask for to add `operation` to a connection: the scopes it has, the least-privilege
/// scope for the operation, and `offline_access` (a refresh token) if it was missing.
/// The connection's scopes (`granted`, space-separated) plus the least that grants `operation`.
fn scopes_to_ask(operation: OperationId, granted: &str) -> String {
    let mut scopes: Vec<String> = granted.split_whitespace().map(str::to_owned).collect();
    let planned = xpm_api::scopes::plan(&[xpm_api::scopes::Target::Operation(operation.operation())]).scope_string();
    for scope in planned.split_whitespace().chain(["offline_access"]) {
        if !scopes.iter().any(|held| held == scope) {
            scopes.push(scope.to_owned());
        }
    }
    scopes.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_scope_is_added_to_what_the_connection_holds() {
        assert_eq!(
            scopes_to_ask(OperationId::ClientList, "openid practicemanager.staff.read"),
            "openid practicemanager.staff.read practicemanager.client.read offline_access"
        );
    }
}
