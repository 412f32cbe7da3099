//! `xpmkit call`: send any XPM operation for a stored connection and print the answer, with the
//! token, tenant, rate limits and retries handled by [`XpmClient`].
//!
//! Everything that needs no network is checked first (operation, parameters, body, which
//! connection and practice), so a mistake is a usage error before anything is sent.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use xpm_api::catalog::{self, Operation, OperationId};
use xpm_api::response::Payload;
use xpm_client::token_store::ConnectionId;
use xpm_client::{Call, Error, Format, XpmClient};
use xpm_mock::config::DEMO_CLIENT_ID;

use super::DEFAULT_SCOPES;
use super::call_target::{Target, choose};
use super::connections_file::{SavedConnection, bound_tokens, data_dir, find_store, load};
use crate::cli::{CallArgs, DEFAULT_EMULATOR_URL, WireFormat};
use crate::exit::{Advised, CliError, CliResult};

/// The parameters of a call, split by where they go.
#[derive(Debug, Default, PartialEq, Eq)]
struct Params {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
}

pub(crate) fn run(args: CallArgs) -> CliResult<()> {
    let operation = catalog::lookup(&args.operation).map_err(|error| CliError::Usage { message: error.to_string() })?;
    let params = split_params(operation, &args.params)?;
    let (body, format) = request_body(operation, args.body.as_deref(), args.format)?;
    let data_dir = data_dir(args.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    let target = choose(&connections, args.connection, args.profile, args.tenant.as_deref(), &data_dir)?;
    let store = find_store(&data_dir)?.ok_or_else(|| CliError::NotConnected {
        message: format!(
            "no master key for the token store in {} (nor XPMKIT_MASTER_KEY), so the tokens cannot be \
             read; run `xpmkit connect` again",
            data_dir.display()
        ),
    })?;
    let oauth = target.connection.oauth_client(args.client_secret_env.as_deref())?;
    let connection_id = ConnectionId(target.connection.connection_id);
    bound_tokens(&store, connection_id, &oauth)?;
    let client = XpmClient::builder(oauth, Arc::new(store), ConnectionId(target.connection.connection_id))
        .format(format)
        .user_agent(super::USER_AGENT)
        .build()
        .context("cannot set up the XPM client")?;

    let mut call = Call::new(operation.id, target.tenant.tenant_id);
    for (name, value) in params.path {
        call = call.path_param(&name, value);
    }
    for (name, value) in params.query {
        call = call.query(&name, value);
    }
    call = match body {
        Some(bytes) => call.raw_body(bytes, format),
        None => call.format(format),
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let response = runtime.block_on(client.send(call)).map_err(|error| explain(error, &target))?;

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
        let json = response.to_json().map_err(|error| explain(error, &target))?;
        // Encoded first, so a closed stdout (`| head`) surfaces as the I/O error it is.
        let mut text = serde_json::to_vec_pretty(&json)?;
        text.push(b'\n');
        out.write_all(&text)?;
    }
    out.flush()?;
    Ok(())
}

/// Splits `name=value` arguments into path parameters (the operation's `{placeholders}`) and
/// query parameters (the ones it documents, plus `fields`), and checks that nothing is missing.
fn split_params(operation: &'static Operation, arguments: &[String]) -> Result<Params, CliError> {
    let mut params = Params::default();
    for argument in arguments {
        let Some((name, value)) = argument.split_once('=').filter(|(name, _)| !name.is_empty()) else {
            return Err(CliError::Usage {
                message: format!(
                    "`--param {argument}` is not NAME=VALUE; {} takes {}",
                    operation.id,
                    documented(operation)
                ),
            });
        };
        if operation.path_params().any(|placeholder| placeholder == name) {
            if params.path.iter().any(|(given, _)| given == name) {
                return Err(CliError::Usage { message: format!("the path parameter `{name}` is given twice") });
            }
            if value.is_empty() {
                return Err(CliError::Usage { message: format!("the path parameter `{name}` is empty") });
            }
            params.path.push((name.to_owned(), value.to_owned()));
        } else if name == "fields" || operation.query.iter().any(|param| param.name == name) {
            params.query.push((name.to_owned(), value.to_owned()));
        } else {
            let spelled = operation
                .path_params()
                .chain(operation.query.iter().map(|param| param.name))
                .chain(["fields"])
                .find(|known| known.eq_ignore_ascii_case(name));
            let hint = spelled.map(|known| format!(" (did you mean `{known}`?)")).unwrap_or_default();
            return Err(CliError::Usage {
                message: format!(
                    "{} has no parameter `{name}`{hint}; it takes {}",
                    operation.id,
                    documented(operation)
                ),
            });
        }
    }
    if let Some(missing) = operation.path_params().find(|name| !params.path.iter().any(|(given, _)| given == name)) {
        return Err(CliError::Usage {
            message: format!(
                "{} needs the path parameter `{missing}` (its path is {}): pass --param {missing}=VALUE",
                operation.id, operation.path
            ),
        });
    }
    if let Some(missing) = operation.required_query().find(|name| !params.query.iter().any(|(given, _)| given == name))
    {
        return Err(CliError::Usage {
            message: format!(
                "{} needs the query parameter `{missing}`: pass --param {missing}=VALUE (it takes {})",
                operation.id,
                documented(operation)
            ),
        });
    }
    Ok(params)
}

/// The parameters an operation documents, for error messages: "`identifier` (path), `fields`".
fn documented(operation: &Operation) -> String {
    let path = operation.path_params().map(|name| format!("`{name}` (path)"));
    let query = operation
        .query
        .iter()
        .map(|param| if param.required { format!("`{}` (required)", param.name) } else { format!("`{}`", param.name) });
    let all: Vec<String> = path.chain(query).chain(["`fields`".to_owned()]).collect();
    all.join(", ")
}

/// Reads the body from a file or standard input when the operation takes one, and settles the
/// format: `--format`, else the body's own (by its first character), else XML.
fn request_body(
    operation: &Operation,
    path: Option<&Path>,
    flag: Option<WireFormat>,
) -> CliResult<(Option<Vec<u8>>, Format)> {
    let flagged = flag.map(|format| match format {
        WireFormat::Xml => Format::Xml,
        WireFormat::Json => Format::Json,
    });
    let (path, dto) = match (path, operation.request_dto) {
        (None, None) => return Ok((None, flagged.unwrap_or_default())),
        (Some(_), None) => {
            return Err(CliError::Usage { message: format!("{} takes no request body; drop --body", operation.id) });
        }
        (None, Some(dto)) => {
            return Err(CliError::Usage {
                message: format!(
                    "{} needs a {dto} request body: pass --body FILE, or --body - to read standard input \
                     (XML or JSON)",
                    operation.id
                ),
            });
        }
        (Some(path), Some(dto)) => (path, dto),
    };
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes).context("cannot read the body from standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("cannot read the body from {}", path.display()))?
    };
    let detected = detect_format(&bytes);
    let format = match (flagged, detected) {
        (_, None) if bytes.iter().all(u8::is_ascii_whitespace) => {
            return Err(CliError::Usage { message: format!("the body is empty; {} needs a {dto}", operation.id) });
        }
        (Some(flagged), Some(detected)) if flagged != detected => {
            return Err(CliError::Usage {
                message: format!(
                    "the body looks like {} but --format says {}",
                    format_name(detected),
                    format_name(flagged)
                ),
            });
        }
        (Some(format), _) | (None, Some(format)) => format,
        (None, None) => Format::Xml,
    };
    Ok((Some(bytes), format))
}

/// XML if the body starts with `<`, JSON if with `{` or `[`, after whitespace and a BOM.
fn detect_format(body: &[u8]) -> Option<Format> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match body.iter().find(|byte| !byte.is_ascii_whitespace())? {
        b'<' => Some(Format::Xml),
        b'{' | b'[' => Some(Format::Json),
        _ => None,
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Xml => "XML",
        Format::Json => "JSON",
    }
}

/// Wraps a client error with what to do about it.
fn explain(error: Error, target: &Target<'_>) -> CliError {
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
            if connection.scope.split_whitespace().eq(default_scopes.split_whitespace()) {
                Some(format!("sign in again with `{connect}`"))
            } else {
                Some(format!("sign in again with `{connect} --scopes \"{}\"`", connection.scope))
            }
        }
        Error::TenantNotConnected { .. } => Some(format!(
            "practice {} ({}) may have been disconnected in Xero; `xpmkit tenants` lists what is stored, and \
             `{connect}` connects it again",
            target.tenant.name, target.tenant.tenant_id
        )),
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
    if connection.issuer.trim_end_matches('/') != DEFAULT_EMULATOR_URL {
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

    /// Path and query pairs.
    type Split<'a> = (&'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)]);

    fn check(operation: &str, arguments: &[&str], expect: Result<Split<'_>, &str>) {
        let operation = catalog::lookup(operation).expect("a known operation");
        let arguments: Vec<String> = arguments.iter().map(|argument| (*argument).to_owned()).collect();
        let pairs = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        match (split_params(operation, &arguments), expect) {
            (Ok(params), Ok((path, query))) => {
                assert_eq!(params, Params { path: pairs(path), query: pairs(query) }, "{arguments:?}");
            }
            (Err(error), Err(fragment)) => assert!(error.to_string().contains(fragment), "{error}"),
            (actual, expect) => panic!("{arguments:?}: got {actual:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn parameters_split_into_path_and_query_and_unknown_ones_are_refused() {
        check("ClientV31_List", &[], Ok((&[], &[])));
        check(
            "ClientV31_GetByIdentifier",
            &["identifier=a=b", "fields=name"],
            Ok((&[("identifier", "a=b")], &[("fields", "name")])),
        );
        check("ClientV31_List", &["detailed=true"], Ok((&[], &[("detailed", "true")])));
        check("ClientV31_GetByIdentifier", &[], Err("needs the path parameter `identifier`"));
        check("ClientV31_GetByIdentifier", &["identifier="], Err("`identifier` is empty"));
        check("ClientV31_List", &["detailed"], Err("is not NAME=VALUE"));
        check("ClientV31_List", &["Detailed=true"], Err("(did you mean `detailed`?)"));
        check(
            "ClientV31_List",
            &["page=2"],
            Err("has no parameter `page`; it takes `detailed`, `modifiedSince`, `fields`"),
        );
        check("JobV31_List", &["from=20260101"], Err("needs the query parameter `to`"));
    }

    #[test]
    fn a_missing_scope_is_added_to_what_the_connection_holds() {
        assert_eq!(
            scopes_to_ask(OperationId::ClientList, "openid practicemanager.staff.read"),
            "openid practicemanager.staff.read practicemanager.client.read offline_access"
        );
    }

    #[test]
    fn the_body_format_follows_the_flag_or_the_body() {
        assert_eq!(detect_format(b"\xEF\xBB\xBF  <Client/>"), Some(Format::Xml));
        assert_eq!(detect_format(b"\n{\"name\":1}"), Some(Format::Json));
        assert_eq!(detect_format(b"name=1"), None);
        let list = catalog::lookup("ClientV31_List").expect("known");
        let body = request_body(list, Some(Path::new("/nonexistent")), None).map_err(|error| error.to_string());
        assert!(body.is_err_and(|message| message.contains("takes no request body")));
        let add = catalog::lookup("ClientV31_Add").expect("known");
        let body = request_body(add, None, Some(WireFormat::Json)).map_err(|error| error.to_string());
        assert!(body.is_err_and(|message| message.contains("needs a ClientAddRequestDto request body")));
        let list = request_body(list, None, Some(WireFormat::Json)).map(|(body, format)| (body.is_none(), format));
        assert!(list.is_ok_and(|answer| answer == (true, Format::Json)));
    }
}
