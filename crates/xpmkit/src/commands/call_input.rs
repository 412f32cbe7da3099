//! What a user gives `xpmkit call`, checked before anything is sent: the parameters, split
//! into path and query by the operation's path and documented query, and the request body with
//! its format.

use std::io::Read as _;
use std::path::Path;

use anyhow::Context;
use xpm_api::catalog::{Operation, Paging};
use xpm_client::Format;

use crate::cli::WireFormat;
use crate::exit::{CliError, CliResult};

/// The parameters of a call, split by where they go.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pub(crate) path: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
}

/// Splits `name=value` arguments into path parameters (the operation's `{placeholders}`) and
/// query parameters (the ones it documents, plus `fields`), and checks that nothing is missing;
/// with `all`, the page number is `--all`'s to give.
pub(crate) fn split_params(operation: &'static Operation, arguments: &[String], all: bool) -> Result<Params, CliError> {
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
    let supplied = |name: &str| all && operation.paging == Paging::PageNumber && name == "page";
    if let Some(missing) =
        operation.required_query().find(|name| !supplied(name) && !params.query.iter().any(|(given, _)| given == name))
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
pub(crate) fn request_body(
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

#[cfg(test)]
mod tests {
    use xpm_api::catalog;

    use super::*;

    /// Path and query pairs.
    type Split<'a> = (&'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)]);

    fn check(operation: &str, arguments: &[&str], expect: Result<Split<'_>, &str>) {
        let operation = catalog::lookup(operation).expect("a known operation");
        let arguments: Vec<String> = arguments.iter().map(|argument| (*argument).to_owned()).collect();
        let pairs = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        match (split_params(operation, &arguments, false), expect) {
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
