//! Errors from catalog lookups and path building.

use super::id::OperationId;
use super::suggest::did_you_mean;

/// Why a catalog lookup or [`url_path`](super::url_path) call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// No operation has this id.
    #[error("unknown operation `{id}`{}", unknown_operation_hint(.suggestion))]
    UnknownOperation {
        /// The id that was asked for.
        id: String,
        /// The nearest operation id, if any is close.
        suggestion: Option<&'static str>,
    },
    /// A `{placeholder}` in the path template got no value.
    #[error("operation `{operation}` needs path parameter `{name}`; pass a value for it")]
    MissingPathParam {
        /// The operation id.
        operation: OperationId,
        /// The placeholder's name.
        name: &'static str,
    },
    /// A value was passed for a placeholder the template does not have.
    #[error("operation `{operation}` has no path parameter `{name}`; its path is `{template}`")]
    UnexpectedPathParam {
        /// The operation id.
        operation: OperationId,
        /// The name that was passed.
        name: String,
        /// The operation's path template.
        template: &'static str,
    },
    /// A placeholder got an empty value, which would produce a different path.
    #[error("path parameter `{name}` of operation `{operation}` is empty; pass a non-empty value")]
    EmptyPathParam {
        /// The operation id.
        operation: OperationId,
        /// The placeholder's name.
        name: &'static str,
    },
}

/// Either "did you mean" or a pointer at what ids look like.
fn unknown_operation_hint(suggestion: &Option<&'static str>) -> String {
    if suggestion.is_some() {
        did_you_mean(suggestion)
    } else {
        "; operation ids look like `ClientV31_List` (the spec's operationId)".to_owned()
    }
}
