//! The `scope` parameter of an authorize request: parsed, checked against what the emulator
//! knows, and kept in the order the app asked for it.

use std::collections::BTreeSet;

use xpm_api::catalog::{IdentityScope, Scope};

/// One scope an app may request from the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RequestedScope {
    /// `openid`, `profile`, `email`, `offline_access`.
    Identity(IdentityScope),
    /// A `practicemanager*` scope, gated by Xero's approval of the app.
    Xpm(Scope),
}

impl RequestedScope {
    /// The scope string.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RequestedScope::Identity(scope) => scope.as_str(),
            RequestedScope::Xpm(scope) => scope.as_str(),
        }
    }

    /// What the consent page says the scope lets the app do.
    pub(crate) fn consent_text(self) -> &'static str {
        match self {
            RequestedScope::Identity(IdentityScope::OpenId) => "Sign you in with your Xero identity",
            RequestedScope::Identity(IdentityScope::Profile) => "View your name and Xero user id",
            RequestedScope::Identity(IdentityScope::Email) => "View your email address",
            RequestedScope::Identity(IdentityScope::OfflineAccess) => {
                "Keep access to the data you allow while you are not using the app"
            }
            RequestedScope::Xpm(scope) => scope.description(),
        }
    }
}

/// The scopes of one authorisation, in the order requested, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GrantedScopes(Vec<RequestedScope>);

/// Why a `scope` parameter cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScopeProblem {
    /// The parameter is missing or blank.
    Missing,
    /// Strings that are not scopes the emulator knows.
    Unknown(Vec<String>),
}

impl GrantedScopes {
    /// Parses a space-separated `scope` parameter.
    pub(crate) fn parse(parameter: &str) -> Result<Self, ScopeProblem> {
        let mut scopes = Vec::new();
        let mut unknown = Vec::new();
        for name in parameter.split_ascii_whitespace() {
            let scope = match IdentityScope::from_name(name) {
                Some(identity) => RequestedScope::Identity(identity),
                None => match name.parse::<Scope>() {
                    Ok(xpm) => RequestedScope::Xpm(xpm),
                    Err(_) => {
                        unknown.push(name.to_owned());
                        continue;
                    }
                },
            };
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        if !unknown.is_empty() {
            return Err(ScopeProblem::Unknown(unknown));
        }
        if scopes.is_empty() {
            return Err(ScopeProblem::Missing);
        }
        Ok(Self(scopes))
    }

    /// Every scope, in request order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = RequestedScope> + '_ {
        self.0.iter().copied()
    }

    /// Whether an identity scope was granted.
    pub(crate) fn has(&self, scope: IdentityScope) -> bool {
        self.0.contains(&RequestedScope::Identity(scope))
    }

    /// The XPM scopes, in request order.
    pub(crate) fn xpm(&self) -> Vec<Scope> {
        self.iter()
            .filter_map(|scope| match scope {
                RequestedScope::Xpm(xpm) => Some(xpm),
                RequestedScope::Identity(_) => None,
            })
            .collect()
    }

    /// The XPM scopes that `approved` does not contain: what stops the authorisation.
    pub(crate) fn unapproved(&self, approved: &BTreeSet<Scope>) -> Vec<Scope> {
        self.xpm().into_iter().filter(|scope| !approved.contains(scope)).collect()
    }

    /// The scope strings, for the token's `scope` claim.
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.iter().map(RequestedScope::as_str).collect()
    }

    /// The space-separated form used in redirects and token responses.
    pub(crate) fn joined(&self) -> String {
        self.names().join(" ")
    }
}

/// In the state file, as in a token response: the space-separated scope string.
impl serde::Serialize for GrantedScopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.joined())
    }
}

impl<'de> serde::Deserialize<'de> for GrantedScopes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(|problem| match problem {
            ScopeProblem::Missing => serde::de::Error::custom("granted scopes are empty"),
            ScopeProblem::Unknown(names) => serde::de::Error::custom(format!("unknown scopes: {}", names.join(" "))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_request_order_without_duplicates() {
        let scopes = GrantedScopes::parse("openid  practicemanager.client.read offline_access openid").ok();
        assert_eq!(
            scopes.as_ref().map(GrantedScopes::joined).as_deref(),
            Some("openid practicemanager.client.read offline_access")
        );
        let scopes = scopes.unwrap_or_default();
        assert!(scopes.has(IdentityScope::OfflineAccess));
        assert!(!scopes.has(IdentityScope::Email));
        assert_eq!(scopes.xpm(), vec![Scope::ClientRead]);
    }

    #[test]
    fn unknown_and_missing_scopes_are_problems() {
        assert_eq!(GrantedScopes::parse("  "), Err(ScopeProblem::Missing));
        assert_eq!(
            GrantedScopes::parse("openid accounting.transactions PracticeManager"),
            Err(ScopeProblem::Unknown(vec!["accounting.transactions".into(), "PracticeManager".into()]))
        );
    }

    #[test]
    fn unapproved_lists_only_xpm_scopes_outside_the_approval() {
        let scopes = GrantedScopes::parse("openid practicemanager.read practicemanager.job").unwrap_or_default();
        let approved: BTreeSet<Scope> = [Scope::PracticeManagerRead].into_iter().collect();
        assert_eq!(scopes.unapproved(&approved), vec![Scope::Job]);
        assert!(scopes.unapproved(&Scope::ALL.into_iter().collect()).is_empty());
    }
}
