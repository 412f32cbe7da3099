//! Errors from parsing planner targets.

use super::feature::Feature;
use crate::catalog::suggest::did_you_mean;

/// Why a string is not a [`Feature`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseFeatureError {
    /// The resource is not one the planner knows.
    #[error("unknown feature `{input}`{}", feature_hint(.suggestion))]
    Unknown {
        /// The rejected input.
        input: String,
        /// The nearest feature, if any is close.
        suggestion: Option<Feature>,
    },
    /// The resource has no write operations in XPM 3.1.
    #[error("xpm 3.1 has no write operations for {resource}; use `read {resource}`")]
    ReadOnlyResource {
        /// The rejected input.
        input: String,
        /// The resource, e.g. "invoices".
        resource: &'static str,
    },
    /// The input names a resource but not whether to read or write it.
    #[error("`{input}` does not say whether to read or write {resource}; use `read {resource}` or `write {resource}`")]
    MissingAccess {
        /// The rejected input.
        input: String,
        /// The resource it names, e.g. "clients".
        resource: &'static str,
    },
}

/// Why a string is neither a feature nor an operation id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseTargetError {
    /// The input looked like a feature but is not a valid one.
    #[error(transparent)]
    Feature(#[from] ParseFeatureError),
    /// The input is a scope: the planner takes what to do and answers with scopes.
    #[error(
        "`{scope}` is a scope, not a feature or an operation: name what the app does (`read clients`) and \
         the plan says which scopes grant it"
    )]
    Scope {
        /// The scope named.
        scope: crate::catalog::Scope,
    },
    /// The input is written like an XPM scope, but Xero defines no such scope.
    #[error("{0}; the planner takes features (`read clients`) or operation ids, not scopes")]
    NotAScope(#[source] crate::catalog::ParseScopeError),
    /// The input matched no feature and no operation id.
    #[error("unknown feature or operation `{input}`{}", target_hint(.suggestion))]
    Unknown {
        /// The rejected input.
        input: String,
        /// The nearest operation id, if any is close.
        suggestion: Option<&'static str>,
    },
}

/// Either "did you mean" or what features look like.
fn feature_hint(suggestion: &Option<Feature>) -> String {
    if suggestion.is_some() {
        did_you_mean(suggestion)
    } else {
        "; features look like `read clients` or `write time`".to_owned()
    }
}

/// Either "did you mean" or what targets look like.
fn target_hint(suggestion: &Option<&'static str>) -> String {
    if suggestion.is_some() {
        did_you_mean(suggestion)
    } else {
        "; name a feature like `read clients` or an operation id like `ClientV31_List`".to_owned()
    }
}
