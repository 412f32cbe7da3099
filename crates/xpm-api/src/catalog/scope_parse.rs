//! Parsing scope strings, with diagnoses for the mistakes integration guides make.

use std::str::FromStr;

use super::scope::{IdentityScope, Scope};
use super::suggest;

/// Why a string is not one of the ten XPM scopes.
///
/// Each variant names the fix; [`ParseScopeError::suggestion`] gives the scope to use instead
/// where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseScopeError {
    /// A scope some guides list but Xero does not define, such as `practicemanager.contact`.
    #[error("`{input}` is not a scope xero defines: {reason}; use `{suggestion}`")]
    NotDefined {
        /// The rejected input.
        input: String,
        /// The scope that grants what the input asked for.
        suggestion: Scope,
        /// Why the input does not exist, e.g. "contacts live under the client scopes".
        reason: &'static str,
    },
    /// A misspelling of an XPM scope, such as `practicemanager.clients`.
    #[error("unknown xpm scope `{input}`; did you mean `{suggestion}`?")]
    Misspelled {
        /// The rejected input.
        input: String,
        /// The nearest XPM scope.
        suggestion: Scope,
    },
    /// An OpenID Connect or refresh-token scope: valid for Xero, but not an XPM scope.
    #[error("`{input}` is an identity scope, not an xpm scope: {}; request it beside the xpm scopes", .scope.purpose())]
    Identity {
        /// The rejected input.
        input: String,
        /// The identity scope it names.
        scope: IdentityScope,
    },
    /// A scope of another Xero API, such as `accounting.transactions`.
    #[error("`{input}` is a scope of the xero {api}, not an xpm scope; xpm scopes start with `practicemanager`")]
    OtherApi {
        /// The rejected input.
        input: String,
        /// The API it belongs to, e.g. "accounting api".
        api: &'static str,
    },
    /// Anything else.
    #[error(
        "unknown scope `{input}`; xpm scopes are `practicemanager`, `practicemanager.read` and `practicemanager.<client|job|staff|time>[.read]`"
    )]
    Unknown {
        /// The rejected input.
        input: String,
    },
}

impl ParseScopeError {
    /// The XPM scope to use instead, when there is a clear one.
    pub fn suggestion(&self) -> Option<Scope> {
        match self {
            ParseScopeError::NotDefined { suggestion, .. } | ParseScopeError::Misspelled { suggestion, .. } => {
                Some(*suggestion)
            }
            ParseScopeError::Identity { .. } | ParseScopeError::OtherApi { .. } | ParseScopeError::Unknown { .. } => {
                None
            }
        }
    }
}

impl FromStr for Scope {
    type Err = ParseScopeError;

    /// Parses an exact scope string such as `practicemanager.client.read`.
    ///
    /// Scope strings are case-sensitive in OAuth, so `PracticeManager` is rejected with a
    /// suggestion rather than accepted.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim();
        Scope::ALL.into_iter().find(|scope| scope.as_str() == trimmed).ok_or_else(|| diagnose(trimmed))
    }
}

/// The prefixes of other Xero APIs' scopes, with the API's name.
const OTHER_APIS: &[(&str, &str)] = &[
    ("accounting", "accounting api"),
    ("payroll", "payroll api"),
    ("files", "files api"),
    ("assets", "assets api"),
    ("projects", "projects api"),
    ("bankfeeds", "bank feeds api"),
    ("finance", "finance api"),
    ("paymentservices", "payment services api"),
    ("einvoicing", "e-invoicing api"),
    ("app", "app store api"),
    ("marketplace", "app store api"),
];

/// What an area word in a `practicemanager.<area>` string points at.
enum Area {
    Exact(Scope, Scope),
    Undefined(Scope, Scope, &'static str),
}

/// Classifies a string that is not an XPM scope.
fn diagnose(input: &str) -> ParseScopeError {
    let lower = input.to_ascii_lowercase();
    if let Some(scope) = IdentityScope::from_name(&lower) {
        return ParseScopeError::Identity { input: input.to_owned(), scope };
    }
    let words: Vec<String> =
        lower.split(['.', ':', '/', ' ']).map(suggest::loose).filter(|word| !word.is_empty()).collect();
    let head = words.first().map(String::as_str).unwrap_or_default();
    let is_xpm = head == "xpm" || strsim::osa_distance(head, "practicemanager") <= 3;
    let other_api = OTHER_APIS.iter().find(|(prefix, _)| !is_xpm && *prefix == head);
    if let Some((_, api)) = other_api {
        return ParseScopeError::OtherApi { input: input.to_owned(), api };
    }
    let xpm_diagnosis = is_xpm.then(|| diagnose_xpm_words(input, &words[1..])).flatten();
    if let Some(error) = xpm_diagnosis {
        return error;
    }
    let nearest = suggest::closest(&lower, Scope::ALL.map(Scope::as_str), suggest::loose);
    match nearest.and_then(|name| name.parse::<Scope>().ok()) {
        Some(suggestion) => ParseScopeError::Misspelled { input: input.to_owned(), suggestion },
        None => ParseScopeError::Unknown { input: input.to_owned() },
    }
}

/// Reads the words after `practicemanager` as an area and an access level, in any order.
///
/// Returns `None` when a word is not understood, so the caller falls back to edit distance.
fn diagnose_xpm_words(input: &str, words: &[String]) -> Option<ParseScopeError> {
    let mut area = None;
    let mut read = false;
    for word in words {
        let singular = word.strip_suffix('s').unwrap_or(word);
        match singular {
            "read" | "readonly" | "ro" | "view" => read = true,
            "write" | "manage" | "readwrite" | "all" | "full" => {}
            "client" => area = Some(Area::Exact(Scope::Client, Scope::ClientRead)),
            "job" => area = Some(Area::Exact(Scope::Job, Scope::JobRead)),
            "staff" => area = Some(Area::Exact(Scope::Staff, Scope::StaffRead)),
            "time" | "timesheet" | "timeentry" => {
                area = Some(Area::Exact(Scope::Time, Scope::TimeRead));
            }
            "contact" => {
                area = Some(Area::Undefined(Scope::Client, Scope::ClientRead, "contacts live under the client scopes"));
            }
            // Resources with no scope of their own come under the broad scopes (the spec's
            // `security` lists only `practicemanager` and `practicemanager.read` for them).
            "invoice" | "quote" | "cost" | "category" | "categorie" | "template" | "customfield" | "payment" => {
                area = Some(Area::Undefined(
                    Scope::PracticeManager,
                    Scope::PracticeManagerRead,
                    "invoices, quotes, costs, categories, templates and custom field definitions come under \
                     the broad practicemanager scopes",
                ));
            }
            "group" | "clientgroup" => {
                area = Some(Area::Undefined(
                    Scope::Client,
                    Scope::ClientRead,
                    "client groups live under the client scopes",
                ));
            }
            _ => return None,
        }
    }
    let pick = |write: Scope, read_only: Scope| if read { read_only } else { write };
    Some(match area {
        None => ParseScopeError::Misspelled {
            input: input.to_owned(),
            suggestion: pick(Scope::PracticeManager, Scope::PracticeManagerRead),
        },
        Some(Area::Exact(write, read_only)) => {
            ParseScopeError::Misspelled { input: input.to_owned(), suggestion: pick(write, read_only) }
        }
        Some(Area::Undefined(write, read_only, reason)) => {
            ParseScopeError::NotDefined { input: input.to_owned(), suggestion: pick(write, read_only), reason }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let actual = match input.parse::<Scope>() {
            Ok(scope) => format!("ok {scope}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(actual, expect, "input {input:?}");
    }

    #[test]
    fn exact_scopes_parse() {
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
        }
        check(" practicemanager.job ", "ok practicemanager.job");
    }

    #[test]
    fn contact_scopes_point_at_client_scopes() {
        check(
            "practicemanager.contact",
            "`practicemanager.contact` is not a scope xero defines: contacts live under the client scopes; use `practicemanager.client`",
        );
        check(
            "practicemanager.contact.read",
            "`practicemanager.contact.read` is not a scope xero defines: contacts live under the client scopes; use `practicemanager.client.read`",
        );
        check(
            "practicemanager.clientgroups.read",
            "`practicemanager.clientgroups.read` is not a scope xero defines: client groups live under the client scopes; use `practicemanager.client.read`",
        );
    }

    #[test]
    fn resources_without_a_scope_point_at_the_broad_scopes() {
        check(
            "practicemanager.invoice.read",
            "`practicemanager.invoice.read` is not a scope xero defines: invoices, quotes, costs, categories, \
             templates and custom field definitions come under the broad practicemanager scopes; use \
             `practicemanager.read`",
        );
        let error = "practicemanager.quotes".parse::<Scope>().expect_err("not a scope");
        assert_eq!(error.suggestion(), Some(Scope::PracticeManager));
    }

    #[test]
    fn misspellings_get_the_nearest_scope() {
        let cases = [
            ("practicemanager.clients", "practicemanager.client"),
            ("practicemanager.jobs.read", "practicemanager.job.read"),
            ("PracticeManager.Staff.Read", "practicemanager.staff.read"),
            ("practicemanger.time", "practicemanager.time"),
            ("practicemanager.readonly", "practicemanager.read"),
            ("practicemanager:client:read", "practicemanager.client.read"),
            ("practicemanager.timesheets", "practicemanager.time"),
            ("practicemanager.cleint", "practicemanager.client"),
        ];
        for (input, suggestion) in cases {
            check(input, &format!("unknown xpm scope `{input}`; did you mean `{suggestion}`?"));
        }
    }

    #[test]
    fn other_apis_and_identity_scopes_are_named() {
        check(
            "accounting.transactions",
            "`accounting.transactions` is a scope of the xero accounting api, not an xpm scope; xpm scopes start with `practicemanager`",
        );
        check(
            "offline_access",
            "`offline_access` is an identity scope, not an xpm scope: it makes xero issue a refresh token, without which access ends when the access token expires; request it beside the xpm scopes",
        );
        assert!(matches!(
            "openid".parse::<Scope>(),
            Err(ParseScopeError::Identity { scope: IdentityScope::OpenId, .. })
        ));
    }

    #[test]
    fn strangers_are_unknown_without_suggestion() {
        let error = "banana".parse::<Scope>().expect_err("not a scope");
        assert_eq!(error.suggestion(), None);
        assert!(error.to_string().starts_with("unknown scope `banana`; "));
    }
}
