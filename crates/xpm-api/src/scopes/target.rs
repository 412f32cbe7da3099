//! What the planner is asked to cover: operations, features, or a mix.

use std::fmt;
use std::str::FromStr;

use super::error::{ParseFeatureError, ParseTargetError};
use super::feature::Feature;
use crate::catalog::{self, Operation};

/// One thing the planner must cover: a single operation or a whole feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// One operation, e.g. `ClientV31_List`.
    Operation(&'static Operation),
    /// A feature, e.g. `read clients`.
    Feature(Feature),
}

impl Target {
    /// The operations this target stands for, in catalog order.
    pub fn operations(self) -> Vec<&'static Operation> {
        match self {
            Target::Operation(operation) => vec![operation],
            Target::Feature(feature) => feature.operations().collect(),
        }
    }
}

impl From<Feature> for Target {
    fn from(feature: Feature) -> Self {
        Target::Feature(feature)
    }
}

impl From<&'static Operation> for Target {
    fn from(operation: &'static Operation) -> Self {
        Target::Operation(operation)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Operation(operation) => f.write_str(operation.id.as_str()),
            Target::Feature(feature) => f.write_str(feature.as_str()),
        }
    }
}

impl FromStr for Target {
    type Err = ParseTargetError;

    /// Parses an operation id (any case) or a feature such as `clients:read`.
    ///
    /// When neither matches, the error is about the feature if the input named a resource or
    /// came close to a feature, and otherwise suggests the nearest operation id.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if let Some(operation) = catalog::operation(input) {
            return Ok(Target::Operation(operation));
        }
        // A scope (or something written like one) is a common slip here; say what it is rather
        // than suggesting the nearest operation id.
        if input.trim().to_ascii_lowercase().starts_with("practicemanager") {
            return Err(match input.parse::<catalog::Scope>() {
                Ok(scope) => ParseTargetError::Scope { scope },
                Err(error) => ParseTargetError::NotAScope(error),
            });
        }
        match input.parse::<Feature>() {
            Ok(feature) => Ok(Target::Feature(feature)),
            Err(ParseFeatureError::Unknown { suggestion: None, .. }) => Err(ParseTargetError::Unknown {
                input: input.to_owned(),
                suggestion: catalog::suggest_operation(input),
            }),
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OperationId;

    fn check(input: &str, expect: &str) {
        let actual = match input.parse::<Target>() {
            Ok(target) => format!("ok {target}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(actual, expect, "input {input:?}");
    }

    #[test]
    fn parses_operations_and_features() {
        check("clientv31_list", "ok ClientV31_List");
        check("staff:read", "ok read staff");
    }

    #[test]
    fn errors_point_at_the_nearest_target() {
        check("ClientV31_Lsit", "unknown feature or operation `ClientV31_Lsit`; did you mean `ClientV31_List`?");
        check("write quotes", "xpm 3.1 has no write operations for quotes; use `read quotes`");
        check("read clinets", "unknown feature `read clinets`; did you mean `read clients`?");
        check(
            "frobnicate",
            "unknown feature or operation `frobnicate`; name a feature like `read clients` or an operation id like `ClientV31_List`",
        );
    }

    #[test]
    fn feature_targets_expand_to_their_operations() {
        let operations = Target::Feature(Feature::ReadContacts).operations();
        let ids: Vec<_> = operations.iter().map(|operation| operation.id).collect();
        assert_eq!(ids, [OperationId::ClientContacts, OperationId::ClientContactGet]);
    }
}
