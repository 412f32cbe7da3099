//! The catalog of every XPM 3.1 operation: method, path, scopes, paging, DTOs and statuses.
//!
//! [`OPERATIONS`] is a constant table kept identical to the OpenAPI file
//! `spec/xero-practicemanager-v3-1.yaml` (an integration test compares them field by field).
//! [`OperationId`] names each operation as a value the compiler checks.
//! The emulator routes with [`find`]; the client builds URLs with [`url_path`]; the scope
//! planner in [`crate::scopes`] reads [`Operation::scopes`].
//!
//! ```
//! use xpm_api::catalog::{lookup, OperationId, Paging, Scope};
//!
//! let operation = OperationId::TimeList.operation();
//! assert_eq!(operation.path, "/time.api/list");
//! assert_eq!(operation.paging, Paging::DateWindow);
//! assert!(operation.accepts(Scope::TimeRead));
//! assert!(!operation.accepts(Scope::ClientRead));
//! // Ids typed by people (command lines, JSON) are looked up, with a suggestion for typos.
//! assert_eq!(lookup("timev31_list")?.id, OperationId::TimeList);
//! # Ok::<(), xpm_api::catalog::CatalogError>(())
//! ```

mod custom_field_owner;
mod error;
mod id;
mod method;
mod operation;
mod operations;
mod route;
mod scope;
mod scope_parse;
mod scope_set;
pub(crate) mod suggest;
mod table;

pub use custom_field_owner::CustomFieldOwnerKind;
pub use error::CatalogError;
pub use id::{OperationId, Tag};
pub use method::{Method, ParseMethodError};
pub use operation::{Operation, Paging, QueryParam};
pub(crate) use operations::suggest_operation;
pub use operations::{OPERATION_COUNT, OPERATIONS, lookup, operation};
pub use route::{API_PATH_PREFIX, PathParams, SPEC_API_PATH_PREFIX, find, methods_for, url_path};
pub use scope::{IdentityScope, Scope};
pub use scope_parse::ParseScopeError;
pub use scope_set::ScopeSet;
