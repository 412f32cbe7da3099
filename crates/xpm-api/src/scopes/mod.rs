//! The scope planner: which OAuth scopes an integration needs, and what a scope unlocks.
//!
//! [`plan`] turns [`Target`]s (operations or [`Feature`]s such as `read clients`) into the
//! least-privilege set of XPM scopes; [`explain`] says what one scope unlocks. Both are pure
//! functions over the [catalog](crate::catalog).
//!
//! ```
//! use xpm_api::scopes::{explain, plan, Target};
//!
//! let targets: Vec<Target> = ["read clients", "StaffV31_List"]
//!     .iter()
//!     .map(|target| target.parse())
//!     .collect::<Result<_, _>>()?;
//! let plan = plan(&targets);
//! assert_eq!(plan.scope_string(), "practicemanager.client.read practicemanager.staff.read");
//!
//! let error = explain("practicemanager.contact").expect_err("xero defines no contact scope");
//! assert_eq!(error.suggestion().map(|scope| scope.as_str()), Some("practicemanager.client"));
//! # Ok::<(), xpm_api::scopes::ParseTargetError>(())
//! ```

mod error;
mod explain;
mod feature;
mod plan;
mod target;

pub use error::{ParseFeatureError, ParseTargetError};
pub use explain::{Explanation, ScopeExplanation, TagGroup, explain, explain_scope};
pub use feature::Feature;
pub use plan::{Plan, PlannedScope, plan};
pub use target::Target;
