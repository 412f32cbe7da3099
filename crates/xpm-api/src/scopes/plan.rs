//! The least-privilege scope planner: the smallest grant that covers every requested operation.

use std::fmt;

use super::target::Target;
use crate::catalog::{IdentityScope, OPERATION_COUNT, OPERATIONS, Operation, Scope};

/// A set of catalog operations, one bit per position in [`OPERATIONS`].
type OperationSet = u128;
/// A set of scopes, one bit per position in [`Scope::ALL`].
type ScopeSet = u16;

const _: () = assert!(OPERATION_COUNT <= OperationSet::BITS as usize);

/// One scope of a [`Plan`] and the requested operations it grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedScope {
    /// The scope to request.
    pub scope: Scope,
    /// The requested operations this scope grants (another planned scope may grant some too).
    pub covers: Vec<&'static Operation>,
}

/// The outcome of [`plan`]: which XPM scopes to request and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    operations: Vec<&'static Operation>,
    scopes: Vec<PlannedScope>,
    granted_operations: u32,
    granted_writes: u32,
}

impl Plan {
    /// The identity scopes to request beside the XPM ones: `openid profile email` for the
    /// `id_token`, and `offline_access` for a refresh token. None of them is an XPM scope.
    pub const IDENTITY_SCOPES: [IdentityScope; 4] = IdentityScope::ALL;

    /// The requested operations, de-duplicated, in the order the targets named them.
    pub fn operations(&self) -> &[&'static Operation] {
        &self.operations
    }

    /// The chosen XPM scopes in [`Scope::ALL`] order, each with what it covers.
    pub fn scopes(&self) -> &[PlannedScope] {
        &self.scopes
    }

    /// Whether no operation was requested (and so no XPM scope is needed).
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The chosen XPM scopes, space-separated, e.g.
    /// `practicemanager.client.read practicemanager.staff.read`.
    pub fn scope_string(&self) -> String {
        self.scopes.iter().map(|planned| planned.scope.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// The full `scope` parameter for the authorize request: the identity scopes, then the
    /// XPM scopes.
    pub fn authorize_scope(&self) -> String {
        Plan::IDENTITY_SCOPES
            .iter()
            .map(|scope| scope.as_str())
            .chain(self.scopes.iter().map(|planned| planned.scope.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// How many of the catalog's operations the chosen scopes grant in total, and how many of
    /// those are writes: the privilege the plan minimizes.
    pub fn granted(&self) -> (u32, u32) {
        (self.granted_operations, self.granted_writes)
    }

    /// Requested operations that the spec does not let `practicemanager` grant (today only
    /// `Job2V31_StaffByIdentifier`), which is why a plan can hold a broad scope and an area
    /// scope together.
    pub fn outside_broad_scopes(&self) -> impl Iterator<Item = &'static Operation> + '_ {
        self.operations.iter().copied().filter(|operation| !operation.accepts(Scope::PracticeManager))
    }
}

/// Computes the least-privilege set of XPM scopes that grants every operation in `targets`.
///
/// Each operation accepts any one of its scopes. Among all 1,024 sets of scopes, those that
/// grant every requested operation are compared by, in order:
///
/// 1. how many of the catalog's write operations they grant,
/// 2. how many of the catalog's operations they grant in total,
/// 3. how many scopes they hold,
/// 4. how many write scopes they hold, then how many broad scopes.
///
/// The first set in [`Scope::ALL`] bit order wins a remaining tie. Measuring privilege by what
/// the scopes grant, rather than by how many scopes there are, is what makes reading clients
/// and staff come out as `practicemanager.client.read practicemanager.staff.read` rather than
/// the single but broader `practicemanager.read`. Because the search is exhaustive, no other
/// covering set grants a strict subset of what the chosen one grants.
///
/// ```
/// use xpm_api::scopes::{plan, Feature, Target};
///
/// let plan = plan(&[Feature::ReadClients.into(), Feature::ReadStaff.into()]);
/// assert_eq!(plan.scope_string(), "practicemanager.client.read practicemanager.staff.read");
///
/// let plan = plan_of(&["write clients", "read categories"]);
/// assert_eq!(plan.scope_string(), "practicemanager.read practicemanager.client");
/// # fn plan_of(targets: &[&str]) -> xpm_api::scopes::Plan {
/// #     let targets: Vec<Target> = targets.iter().map(|t| t.parse().expect("target")).collect();
/// #     xpm_api::scopes::plan(&targets)
/// # }
/// ```
pub fn plan(targets: &[Target]) -> Plan {
    let mut operations: Vec<&'static Operation> = Vec::new();
    for operation in targets.iter().flat_map(|target| target.operations()) {
        if !operations.iter().any(|known| known.id == operation.id) {
            operations.push(operation);
        }
    }
    let grants = grants_by_scope();
    let writes = write_operations();
    let accepted: Vec<ScopeSet> = operations.iter().map(|operation| scope_set(operation.scopes)).collect();
    let cost = |set: ScopeSet| {
        let granted = granted_by(set, &grants);
        let scopes = || Scope::ALL.into_iter().filter(|scope| contains(set, *scope));
        (
            (granted & writes).count_ones(),
            granted.count_ones(),
            set.count_ones(),
            scopes().filter(|scope| !scope.is_read_only()).count(),
            scopes().filter(|scope| scope.is_broad()).count(),
        )
    };
    let everything: ScopeSet = (1 << Scope::ALL.len()) - 1;
    let chosen = (0..=everything)
        .filter(|set| accepted.iter().all(|accepts| accepts & set != 0))
        .min_by_key(|set| cost(*set))
        .unwrap_or(everything);
    let granted = granted_by(chosen, &grants);
    let scopes = Scope::ALL
        .into_iter()
        .filter(|scope| contains(chosen, *scope))
        .map(|scope| PlannedScope {
            scope,
            covers: operations.iter().copied().filter(|operation| operation.accepts(scope)).collect(),
        })
        .collect();
    Plan {
        operations,
        scopes,
        granted_operations: granted.count_ones(),
        granted_writes: (granted & writes).count_ones(),
    }
}

/// The set holding each of `scopes`.
fn scope_set(scopes: &[Scope]) -> ScopeSet {
    scopes.iter().fold(0, |set, scope| set | 1 << scope.index())
}

/// Whether `set` holds `scope`.
fn contains(set: ScopeSet, scope: Scope) -> bool {
    set & 1 << scope.index() != 0
}

/// For each scope, the catalog operations it grants.
fn grants_by_scope() -> [OperationSet; Scope::ALL.len()] {
    let mut grants = [0; Scope::ALL.len()];
    for (position, operation) in OPERATIONS.iter().enumerate() {
        for scope in operation.scopes {
            grants[scope.index()] |= 1 << position;
        }
    }
    grants
}

/// The catalog operations that are not `GET`s.
fn write_operations() -> OperationSet {
    OPERATIONS
        .iter()
        .enumerate()
        .filter(|(_, operation)| !operation.is_read())
        .fold(0, |set, (position, _)| set | 1 << position)
}

/// Everything a set of scopes grants.
fn granted_by(set: ScopeSet, grants: &[OperationSet; Scope::ALL.len()]) -> OperationSet {
    Scope::ALL
        .into_iter()
        .filter(|scope| contains(set, *scope))
        .fold(0, |granted, scope| granted | grants[scope.index()])
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            writeln!(f, "no operations requested, so no xpm scope is needed")?;
        } else {
            writeln!(f, "xpm scopes: {}", self.scope_string())?;
            for planned in &self.scopes {
                let access = if planned.scope.is_read_only() { "read-only" } else { "read and write" };
                let ids: Vec<_> = planned.covers.iter().map(|operation| operation.id.as_str()).collect();
                writeln!(f, "  {} ({access}) grants {}", planned.scope, ids.join(", "))?;
            }
            let requested = self.operations.len();
            writeln!(
                f,
                "these scopes cover the {requested} operation{} asked for; in all they grant {} of the \
                 {OPERATION_COUNT} xpm operations ({} writes), and no covering set grants less",
                if requested == 1 { "" } else { "s" },
                self.granted_operations,
                self.granted_writes
            )?;
        }
        for operation in self.outside_broad_scopes() {
            let scopes: Vec<_> = operation.scopes.iter().map(|scope| format!("`{scope}`")).collect();
            writeln!(
                f,
                "note: the spec lets only {} grant `{}`; `practicemanager` and `practicemanager.read` do not",
                scopes.join(" or "),
                operation.id
            )?;
        }
        writeln!(f, "also request `offline_access` (refresh tokens; not an xpm scope)")?;
        writeln!(f, "and `openid profile email` (needed for the id_token)")?;
        write!(f, "scope parameter: {}", self.authorize_scope())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OperationId;
    use crate::scopes::Feature;

    fn plan_of(targets: &[&str]) -> Plan {
        let targets: Vec<Target> = targets.iter().map(|target| target.parse().expect("valid target")).collect();
        plan(&targets)
    }

    fn check(targets: &[&str], expect: &str) {
        assert_eq!(plan_of(targets).scope_string(), expect, "targets {targets:?}");
    }

    #[test]
    fn granular_reads_beat_the_broad_read() {
        check(&["read clients", "read staff"], "practicemanager.client.read practicemanager.staff.read");
        check(&["read contacts", "read groups"], "practicemanager.client.read");
        check(&["CustomFieldV31_GetClientByIdentifier"], "practicemanager.client.read");
        check(&["read jobs", "read job states"], "practicemanager.job.read");
    }

    #[test]
    fn shared_resources_need_the_broad_scopes_which_absorb_granular_reads() {
        check(&["read clients", "read categories"], "practicemanager.read");
        check(&["read invoices", "read quotes", "read time", "read staff"], "practicemanager.read");
        check(&["read custom fields"], "practicemanager.read");
        check(&["write costs"], "practicemanager");
        check(&["write custom fields", "read clients", "write jobs"], "practicemanager");
    }

    #[test]
    fn writes_use_the_narrowest_write_scope() {
        check(&["write clients", "read categories"], "practicemanager.read practicemanager.client");
        check(&["write jobs", "read jobs"], "practicemanager.job");
        check(&["write time", "read time", "read staff"], "practicemanager.staff.read practicemanager.time");
        check(&["write clients", "write jobs"], "practicemanager.client practicemanager.job");
    }

    #[test]
    fn the_job_staff_anomaly_keeps_an_area_scope_beside_the_broad_one() {
        check(&["read jobs", "read invoices"], "practicemanager.read practicemanager.job.read");
        check(&["JobV31_List", "read invoices"], "practicemanager.read");
        check(&["read jobs", "write costs"], "practicemanager practicemanager.job.read");
        let plan = plan_of(&["read jobs", "read invoices"]);
        let gaps: Vec<_> = plan.outside_broad_scopes().map(|operation| operation.id).collect();
        assert_eq!(gaps, [OperationId::Job2StaffByIdentifier]);
        assert!(plan.to_string().contains(
            "note: the spec lets only `practicemanager.job` or `practicemanager.job.read` grant `Job2V31_StaffByIdentifier`"
        ));
    }

    #[test]
    fn empty_request_needs_no_xpm_scope_but_still_names_identity_scopes() {
        let plan = plan(&[]);
        assert_eq!(plan.scope_string(), "");
        assert_eq!(plan.authorize_scope(), "openid profile email offline_access");
        assert!(plan.to_string().contains("offline_access"));
    }

    #[test]
    fn display_lists_what_each_scope_covers() {
        let plan = plan_of(&["ClientV31_List", "StaffV31_List"]);
        assert_eq!(
            plan.to_string(),
            "xpm scopes: practicemanager.client.read practicemanager.staff.read\n\
             \x20 practicemanager.client.read (read-only) grants ClientV31_List\n\
             \x20 practicemanager.staff.read (read-only) grants StaffV31_List\n\
             these scopes cover the 2 operations asked for; in all they grant 13 of the 102 xpm operations (0 writes), and no covering set grants less\n\
             also request `offline_access` (refresh tokens; not an xpm scope)\n\
             and `openid profile email` (needed for the id_token)\n\
             scope parameter: openid profile email offline_access practicemanager.client.read practicemanager.staff.read"
        );
    }

    /// For every pair of features: the plan covers everything, no scope in it is redundant, and
    /// no other covering set grants a strict subset of what it grants.
    #[test]
    fn plans_for_all_feature_pairs_are_minimal() {
        let grants = grants_by_scope();
        let everything: ScopeSet = (1 << Scope::ALL.len()) - 1;
        for first in Feature::ALL {
            for second in Feature::ALL {
                let plan = plan(&[first.into(), second.into()]);
                let chosen: Vec<Scope> = plan.scopes().iter().map(|planned| planned.scope).collect();
                let covers =
                    |set: ScopeSet| plan.operations().iter().all(|operation| scope_set(operation.scopes) & set != 0);
                let chosen_set = scope_set(&chosen);
                assert!(covers(chosen_set), "{first} + {second}");
                for scope in &chosen {
                    let without = chosen_set & !(1 << scope.index());
                    assert!(!covers(without), "{first} + {second}: {scope} is redundant");
                }
                let granted = granted_by(chosen_set, &grants);
                for other in (0..=everything).filter(|set| covers(*set)) {
                    let other_granted = granted_by(other, &grants);
                    assert!(
                        !(other_granted & !granted == 0 && other_granted != granted),
                        "{first} + {second}: {other:#b} grants less than {}",
                        plan.scope_string()
                    );
                }
            }
        }
    }
}
