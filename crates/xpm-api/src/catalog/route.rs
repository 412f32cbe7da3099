//! Matching concrete request paths against the operation templates, and filling templates.

use super::error::CatalogError;
use super::method::Method;
use super::operation::Operation;
use super::operations::OPERATIONS;

/// Where XPM 3.1 is served on `https://api.xero.com`: an operation's URL path is this prefix
/// followed by [`Operation::path`], as Xero's Practice Manager 3.1 documentation gives it.
pub const API_PATH_PREFIX: &str = "/practicemanager/3.1";

/// The prefix as the OpenAPI file spells it: server `https://api.xero.com/practicemanager/`
/// and paths that start `/v3.1/`. Servers that follow the file may be asked on this path.
pub const SPEC_API_PATH_PREFIX: &str = "/practicemanager/v3.1";

/// The path parameters [`find`] captured, percent-decoded, in template order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathParams {
    pairs: Vec<(&'static str, String)>,
}

impl PathParams {
    /// The value captured for the placeholder `name` (exact, as spelled in the template).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }

    /// Every `(placeholder, value)` pair, in template order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.pairs.iter().map(|(key, value)| (*key, value.as_str()))
    }

    /// How many parameters were captured.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether the template had no placeholders.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Finds the operation that serves `method` on a concrete path such as
/// `/client.api/get/0f3c6e0a-...`, and captures its path parameters.
///
/// The path is the part after the version prefix ([`API_PATH_PREFIX`]); a leading slash is
/// optional, one trailing slash is ignored and a `?query` or `#fragment` is cut off. Literal
/// segments match ignoring ASCII case; a placeholder matches any non-empty segment. When several
/// templates match, the one with a literal at the first position where they differ wins, so
/// literals always beat `{identifier}`.
///
/// ```
/// use xpm_api::catalog::{find, Method, OperationId};
///
/// let (operation, params) = find(Method::Get, "/job.api/get/J000309").expect("job get");
/// assert_eq!(operation.id, OperationId::JobGet);
/// assert_eq!(params.get("jobNumber"), Some("J000309"));
/// assert!(find(Method::Post, "/job.api/get/J000309").is_none());
/// ```
pub fn find(method: Method, path: &str) -> Option<(&'static Operation, PathParams)> {
    find_in(OPERATIONS, method, path)
}

/// The methods that some operation serves on `path`, for a `405 Allow` header.
pub fn methods_for(path: &str) -> Vec<Method> {
    Method::ALL.into_iter().filter(|method| find(*method, path).is_some()).collect()
}

/// Fills `operation`'s path template with `params` (`(placeholder, value)` pairs),
/// percent-encoding every byte outside RFC 3986's unreserved set.
///
/// ```
/// use xpm_api::catalog::{lookup, url_path};
///
/// let operation = lookup("TimeV31_Staff")?;
/// assert_eq!(
///     url_path(operation, &[("identifier", "b1f0 c2")])?,
///     "/time.api/staff/b1f0%20c2"
/// );
/// # Ok::<(), xpm_api::catalog::CatalogError>(())
/// ```
pub fn url_path(operation: &Operation, params: &[(&str, &str)]) -> Result<String, CatalogError> {
    if let Some((name, _)) =
        params.iter().find(|(name, _)| !operation.path_params().any(|placeholder| placeholder == *name))
    {
        return Err(CatalogError::UnexpectedPathParam {
            operation: operation.id,
            name: (*name).to_owned(),
            template: operation.path,
        });
    }
    let mut path = String::with_capacity(operation.path.len() + 40);
    for segment in operation.path.split('/').skip(1) {
        path.push('/');
        match placeholder(segment) {
            None => path.push_str(segment),
            Some(name) => {
                let value = params
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| *value)
                    .ok_or(CatalogError::MissingPathParam { operation: operation.id, name })?;
                if value.is_empty() {
                    return Err(CatalogError::EmptyPathParam { operation: operation.id, name });
                }
                percent_encode(value, &mut path);
            }
        }
    }
    Ok(path)
}

/// [`find`] over any table, so precedence can be tested on templates the spec lacks.
fn find_in(operations: &'static [Operation], method: Method, path: &str) -> Option<(&'static Operation, PathParams)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    let mut best: Option<(&'static Operation, Vec<bool>)> = None;
    for operation in operations.iter().filter(|op| op.method == method) {
        let Some(literals) = match_template(operation.path, &segments) else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, best_literals)| literals > *best_literals) {
            best = Some((operation, literals));
        }
    }
    let (operation, _) = best?;
    let pairs = operation
        .path
        .split('/')
        .skip(1)
        .zip(&segments)
        .filter_map(|(template, value)| Some((placeholder(template)?, percent_decode(value))))
        .collect();
    Some((operation, PathParams { pairs }))
}

/// Matches a template against request segments; on success returns, per segment, whether the
/// template had a literal there (the precedence key: `true` sorts above `false`).
fn match_template(template: &str, segments: &[&str]) -> Option<Vec<bool>> {
    // `find` runs on every emulator request against every template of the method: compare
    // without collecting the template's parts, and reject on the segment count first.
    if template.split('/').skip(1).count() != segments.len() {
        return None;
    }
    template
        .split('/')
        .skip(1)
        .zip(segments)
        .map(|(part, segment)| match placeholder(part) {
            Some(_) if !segment.is_empty() => Some(false),
            Some(_) => None,
            None if part.eq_ignore_ascii_case(segment) => Some(true),
            None => None,
        })
        .collect()
}

/// The name inside a `{placeholder}` segment, or `None` for a literal.
fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Appends `value` with every byte outside `A-Z a-z 0-9 - . _ ~` written as `%XX`.
fn percent_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Decodes `%XX` escapes; malformed escapes stay as written, and a result that is not UTF-8
/// falls back to the raw segment, so routing never fails on odd input.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| segment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{OperationId, Paging, Scope, Tag};

    // Templates the spec does not have borrow unrelated ids; only their paths matter here.
    const BY_ID: OperationId = OperationId::CategoryList;
    const CONTACTS: OperationId = OperationId::TemplateList;
    const ANY_TAIL: OperationId = OperationId::JobStateList;
    const NAMED_TAIL: OperationId = OperationId::TaskList;
    const GET_TAIL: OperationId = OperationId::TaskGet;

    const fn synthetic(id: OperationId, path: &'static str) -> Operation {
        Operation {
            id,
            method: Method::Get,
            path,
            tag: Tag::Category,
            summary: "",
            scopes: &[Scope::PracticeManager],
            paging: Paging::None,
            retry_safe: true,
            query: &[],
            request_dto: None,
            response_dto: "ResponseBaseDto",
            error_statuses: &[500],
        }
    }

    /// Templates the spec does not have, chosen so that literals and placeholders collide.
    static COLLIDING: &[Operation] = &[
        synthetic(BY_ID, "/thing.api/{identifier}"),
        synthetic(CONTACTS, "/thing.api/contacts"),
        synthetic(ANY_TAIL, "/thing.api/{identifier}/{tail}"),
        synthetic(NAMED_TAIL, "/thing.api/{identifier}/customfield"),
        synthetic(GET_TAIL, "/thing.api/get/{tail}"),
    ];

    fn check(path: &str, expect: Option<(OperationId, &[(&str, &str)])>) {
        let actual = find_in(COLLIDING, Method::Get, path);
        let actual = actual.as_ref().map(|(operation, params)| (operation.id, params.iter().collect::<Vec<_>>()));
        let expect = expect.map(|(id, params)| (id, params.to_vec()));
        assert_eq!(actual, expect, "path {path}");
    }

    #[test]
    fn literal_segments_beat_placeholders() {
        check("/thing.api/contacts", Some((CONTACTS, &[])));
        check("/THING.API/Contacts", Some((CONTACTS, &[])));
        check("/thing.api/contact", Some((BY_ID, &[("identifier", "contact")])));
        check("/thing.api/abc/customfield", Some((NAMED_TAIL, &[("identifier", "abc")])));
        check("/thing.api/abc/other", Some((ANY_TAIL, &[("identifier", "abc"), ("tail", "other")])));
        // The earliest literal decides: `get/{tail}` beats `{identifier}/customfield`.
        check("/thing.api/get/customfield", Some((GET_TAIL, &[("tail", "customfield")])));
    }

    #[test]
    fn empty_segments_and_wrong_lengths_do_not_match() {
        check("/thing.api/", None);
        check("/thing.api//customfield", None);
        check("/thing.api/a/b/c", None);
        check("", None);
    }

    #[test]
    fn query_slashes_and_escapes_are_handled() {
        check("thing.api/contacts/", Some((CONTACTS, &[])));
        check("/thing.api/contacts?pageSize=10", Some((CONTACTS, &[])));
        check("/thing.api/a%20b%2Fc", Some((BY_ID, &[("identifier", "a b/c")])));
        check("/thing.api/100%25%zz", Some((BY_ID, &[("identifier", "100%%zz")])));
        check("/thing.api/%ff", Some((BY_ID, &[("identifier", "%ff")])));
    }

    #[test]
    fn spec_routes_literals_case_insensitively_but_keeps_parameter_case() {
        let (operation, params) = find(Method::Get, "/CLIENT.API/Get/AbC-1").expect("client get");
        assert_eq!(operation.id, OperationId::ClientGetByIdentifier);
        assert_eq!(params.get("identifier"), Some("AbC-1"));
        let (operation, _) = find(Method::Get, "/client.api/contacts").expect("contacts");
        assert_eq!(operation.id, OperationId::ClientContacts);
        let (operation, _) = find(Method::Post, "/client.api/contact").expect("contact post");
        assert_eq!(operation.id, OperationId::ClientContactPost);
    }

    #[test]
    fn methods_for_lists_every_method_on_a_path() {
        assert_eq!(methods_for("/client.api/contact/x"), vec![Method::Get, Method::Put, Method::Delete]);
        assert_eq!(methods_for("/job.api/task"), vec![Method::Post, Method::Put]);
        assert!(methods_for("/nothing.api/here").is_empty());
    }

    #[test]
    fn url_path_fills_encodes_and_rejects_bad_parameters() {
        let get = &COLLIDING[3];
        assert_eq!(url_path(get, &[("identifier", "a/b")]), Ok("/thing.api/a%2Fb/customfield".to_owned()));
        assert_eq!(
            url_path(get, &[]),
            Err(CatalogError::MissingPathParam { operation: NAMED_TAIL, name: "identifier" })
        );
        assert_eq!(
            url_path(get, &[("identifier", "")]),
            Err(CatalogError::EmptyPathParam { operation: NAMED_TAIL, name: "identifier" })
        );
        assert_eq!(
            url_path(get, &[("identifier", "x"), ("id", "y")]).map_err(|error| error.to_string()),
            Err("operation `TaskV31_List` has no path parameter `id`; its path is `/thing.api/{identifier}/customfield`"
                .to_owned())
        );
        assert_eq!(url_path(&COLLIDING[1], &[]), Ok("/thing.api/contacts".to_owned()));
    }

    #[test]
    fn encode_then_decode_round_trips() {
        for value in ["J000309", "a b", "ü/ä?#%", "-._~"] {
            let mut encoded = String::new();
            percent_encode(value, &mut encoded);
            assert!(!encoded.contains(['/', '?', '#', ' ']), "{encoded}");
            assert_eq!(percent_decode(&encoded), value);
        }
    }
}
