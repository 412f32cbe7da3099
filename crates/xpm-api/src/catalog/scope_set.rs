//! A set of XPM scopes, such as the scopes a token was granted, parsed once.

use std::fmt;

use super::operation::Operation;
use super::scope::Scope;

/// A set of XPM scopes: cheap to copy and to ask.
///
/// [`ScopeSet::parse`] reads an OAuth `scope` string (space-separated, RFC 6749 §3.3) and keeps
/// the XPM scopes; identity scopes (`openid`, `offline_access` …) and scopes of other APIs are
/// not XPM scopes and are left out.
///
/// ```
/// use xpm_api::catalog::{OperationId, Scope, ScopeSet};
///
/// let granted = ScopeSet::parse("openid offline_access practicemanager.client.read");
/// assert!(granted.contains(Scope::ClientRead));
/// assert!(granted.grants(OperationId::ClientList.operation()));
/// assert!(!granted.grants(OperationId::ClientAdd.operation()));
/// assert_eq!(granted.to_string(), "practicemanager.client.read");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet {
    /// Bit `n` stands for `Scope::ALL[n]`.
    bits: u16,
}

impl ScopeSet {
    /// The empty set.
    pub const fn new() -> Self {
        Self { bits: 0 }
    }

    /// The XPM scopes in a space-separated scope string.
    pub fn parse(scope: &str) -> Self {
        scope.split_whitespace().filter_map(|scope| scope.parse::<Scope>().ok()).collect()
    }

    /// Adds `scope`.
    pub fn insert(&mut self, scope: Scope) {
        self.bits |= bit(scope);
    }

    /// Whether `scope` is in the set.
    pub fn contains(self, scope: Scope) -> bool {
        self.bits & bit(scope) != 0
    }

    /// Whether any scope in the set grants `operation`.
    pub fn grants(self, operation: &Operation) -> bool {
        operation.scopes.iter().any(|scope| self.contains(*scope))
    }

    /// Whether the set holds no XPM scope.
    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The scopes, in [`Scope::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |scope| self.contains(*scope))
    }
}

/// The scope's bit: its declaration index, which is its place in [`Scope::ALL`] (checked by a test).
fn bit(scope: Scope) -> u16 {
    1 << scope as u16
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        let mut set = Self::new();
        for scope in scopes {
            set.insert(scope);
        }
        set
    }
}

impl From<&[Scope]> for ScopeSet {
    fn from(scopes: &[Scope]) -> Self {
        scopes.iter().copied().collect()
    }
}

/// Space-separated, as in an OAuth `scope` parameter.
impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, scope) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_only_xpm_scopes_once_each() {
        let set = ScopeSet::parse("  openid practicemanager.job practicemanager.job  accounting.transactions profile");
        assert_eq!(set.iter().collect::<Vec<_>>(), [Scope::Job]);
        assert!(ScopeSet::parse("openid offline_access").is_empty());
    }

    #[test]
    fn every_scope_has_its_own_bit() {
        let all: ScopeSet = Scope::ALL.into_iter().collect();
        assert_eq!(all.iter().collect::<Vec<_>>(), Scope::ALL);
        for scope in Scope::ALL {
            let one: ScopeSet = [scope].into_iter().collect();
            assert_eq!(one.iter().collect::<Vec<_>>(), [scope]);
            assert_eq!(ScopeSet::parse(&one.to_string()), one);
        }
    }
}
