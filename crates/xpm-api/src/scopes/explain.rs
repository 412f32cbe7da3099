//! What a scope unlocks, for people deciding what to request.

use std::fmt;

use crate::catalog::{IdentityScope, OPERATIONS, Operation, ParseScopeError, Scope, Tag};

/// The operations of one spec tag that a scope unlocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagGroup {
    /// The spec tag, e.g. [`Tag::Client`].
    pub tag: Tag,
    /// The unlocked operations with that tag, in catalog order.
    pub operations: Vec<&'static Operation>,
}

/// What an XPM scope unlocks and how it relates to the other scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeExplanation {
    /// The scope explained.
    pub scope: Scope,
    /// Whether it only grants reads.
    pub read_only: bool,
    /// The broader scopes that imply it in Xero's hierarchy, nearest first.
    pub implied_by: &'static [Scope],
    /// The narrower scopes it implies.
    pub implies: Vec<Scope>,
    /// The operations it unlocks, grouped by tag in catalog order.
    pub groups: Vec<TagGroup>,
    /// Operations it unlocks that some scope in `implied_by` does not, per the spec (today only
    /// `Job2V31_StaffByIdentifier`, for the job scopes).
    pub exceptions: Vec<&'static Operation>,
}

impl ScopeExplanation {
    /// How many operations the scope unlocks.
    pub fn operation_count(&self) -> usize {
        self.groups.iter().map(|group| group.operations.len()).sum()
    }
}

/// The answer of [`explain`]: an XPM scope, or an identity scope requested beside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explanation {
    /// One of the ten XPM scopes.
    Xpm(ScopeExplanation),
    /// `openid`, `profile`, `email` or `offline_access`: unlocks no XPM operation.
    Identity(IdentityScope),
}

/// Explains a scope string: what it unlocks, whether it is read-only, what implies it.
///
/// Identity scopes (`openid`, `profile`, `email`, `offline_access`) are explained too. Anything
/// else is rejected with a diagnosis: `practicemanager.contact` is not a scope Xero defines
/// (contacts live under `practicemanager.client`), `practicemanager.jobs.read` is a misspelling
/// of `practicemanager.job.read`, and `accounting.transactions` belongs to another Xero API.
///
/// ```
/// use xpm_api::scopes::{explain, Explanation};
///
/// let Ok(Explanation::Xpm(explanation)) = explain("practicemanager.staff.read") else {
///     panic!("a valid xpm scope");
/// };
/// assert!(explanation.read_only);
/// assert_eq!(explanation.operation_count(), 2);
///
/// let error = explain("practicemanager.contact.read").expect_err("xero defines no contact scope");
/// assert_eq!(
///     error.to_string(),
///     "`practicemanager.contact.read` is not a scope xero defines: contacts live under the \
///      client scopes; use `practicemanager.client.read`"
/// );
/// ```
pub fn explain(scope: &str) -> Result<Explanation, ParseScopeError> {
    match scope.parse::<Scope>() {
        Ok(scope) => Ok(Explanation::Xpm(explain_scope(scope))),
        Err(ParseScopeError::Identity { scope, .. }) => Ok(Explanation::Identity(scope)),
        Err(error) => Err(error),
    }
}

/// Explains an XPM scope that is already parsed.
pub fn explain_scope(scope: Scope) -> ScopeExplanation {
    let mut groups: Vec<TagGroup> = Vec::new();
    for operation in OPERATIONS.iter().filter(|operation| operation.accepts(scope)) {
        match groups.iter_mut().find(|group| group.tag == operation.tag) {
            Some(group) => group.operations.push(operation),
            None => groups.push(TagGroup { tag: operation.tag, operations: vec![operation] }),
        }
    }
    let exceptions = OPERATIONS
        .iter()
        .filter(|operation| {
            operation.accepts(scope) && scope.implied_by().iter().any(|broader| !operation.accepts(*broader))
        })
        .collect();
    ScopeExplanation {
        scope,
        read_only: scope.is_read_only(),
        implied_by: scope.implied_by(),
        implies: Scope::ALL.into_iter().filter(|narrower| narrower.implied_by().contains(&scope)).collect(),
        groups,
        exceptions,
    }
}

impl fmt::Display for ScopeExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let access = if self.read_only { "read-only" } else { "read and write" };
        writeln!(f, "{} ({access}): {}", self.scope, self.scope.description())?;
        let list = |scopes: &[Scope]| scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(", ");
        if self.implied_by.is_empty() {
            writeln!(f, "implied by: nothing (it is the broadest xpm scope)")?;
        } else {
            writeln!(f, "implied by: {}", list(self.implied_by))?;
        }
        if !self.implies.is_empty() {
            writeln!(f, "implies: {}", list(&self.implies))?;
        }
        writeln!(f, "unlocks {} operations:", self.operation_count())?;
        for group in &self.groups {
            let ids: Vec<_> = group.operations.iter().map(|operation| operation.id.as_str()).collect();
            writeln!(f, "  {}: {}", group.tag, ids.join(", "))?;
        }
        for operation in &self.exceptions {
            let missing: Vec<&str> = self
                .implied_by
                .iter()
                .filter(|broader| !operation.accepts(**broader))
                .map(|broader| broader.as_str())
                .collect();
            writeln!(
                f,
                "note: per the spec {} {} not grant `{}` ({} {}); request this scope for it",
                missing.join(" and "),
                if missing.len() == 1 { "does" } else { "do" },
                operation.id,
                operation.method,
                operation.path
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Xpm(explanation) => explanation.fmt(f),
            Explanation::Identity(scope) => writeln!(
                f,
                "{scope} is an identity scope, not an xpm scope: {}; it unlocks no xpm operation, request it beside the xpm scopes",
                scope.purpose()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OperationId;

    fn xpm(scope: &str) -> ScopeExplanation {
        match explain(scope) {
            Ok(Explanation::Xpm(explanation)) => explanation,
            other => panic!("{scope}: {other:?}"),
        }
    }

    #[test]
    fn read_scopes_unlock_only_reads_and_write_scopes_include_their_reads() {
        for scope in Scope::ALL {
            let explanation = explain_scope(scope);
            let operations: Vec<_> = explanation.groups.iter().flat_map(|group| &group.operations).collect();
            if scope.is_read_only() {
                assert!(operations.iter().all(|operation| operation.is_read()), "{scope}");
            }
            for narrower in &explanation.implies {
                for operation in explain_scope(*narrower).groups.iter().flat_map(|group| &group.operations) {
                    let granted = operations.contains(&operation);
                    let is_exception = operation.id == OperationId::Job2StaffByIdentifier;
                    assert!(granted || is_exception, "{scope} should grant {} like {narrower}", operation.id);
                }
            }
        }
    }

    #[test]
    fn only_the_job_scopes_carry_the_staff_jobs_exception() {
        for scope in Scope::ALL {
            let ids: Vec<_> = explain_scope(scope).exceptions.iter().map(|operation| operation.id).collect();
            let expect: &[OperationId] = match scope {
                Scope::Job | Scope::JobRead => &[OperationId::Job2StaffByIdentifier],
                _ => &[],
            };
            assert_eq!(ids, expect, "{scope}");
        }
    }

    #[test]
    fn display_names_the_broader_scopes_that_miss_an_operation() {
        let text = explain_scope(Scope::JobRead).to_string();
        assert!(
            text.contains(
                "note: per the spec practicemanager.read and practicemanager do not grant \
                 `Job2V31_StaffByIdentifier` (GET /job.api/staff/{identifier})"
            ),
            "{text}"
        );
    }

    #[test]
    fn client_read_groups_by_tag() {
        let explanation = xpm("practicemanager.client.read");
        let tags: Vec<_> = explanation.groups.iter().map(|group| (group.tag, group.operations.len())).collect();
        assert_eq!(tags, [(Tag::Client, 7), (Tag::ClientGroup, 2), (Tag::CustomField, 2)]);
        assert_eq!(explanation.implied_by, [Scope::Client, Scope::PracticeManagerRead, Scope::PracticeManager]);
        assert!(explanation.implies.is_empty());
        assert_eq!(xpm("practicemanager").implies.len(), 9);
    }

    #[test]
    fn identity_scopes_are_explained_not_rejected() {
        assert_eq!(explain("offline_access"), Ok(Explanation::Identity(IdentityScope::OfflineAccess)));
        let text = explain("email").expect("identity scope").to_string();
        assert!(text.starts_with("email is an identity scope, not an xpm scope"), "{text}");
    }

    #[test]
    fn contact_scopes_suggest_client_scopes() {
        assert_eq!(explain("practicemanager.contact").expect_err("undefined").suggestion(), Some(Scope::Client));
        assert_eq!(
            explain("practicemanager.contact.read").expect_err("undefined").suggestion(),
            Some(Scope::ClientRead)
        );
        assert!(matches!(
            explain("accounting.transactions"),
            Err(ParseScopeError::OtherApi { api: "accounting api", .. })
        ));
    }
}
