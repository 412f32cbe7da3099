//! The OAuth 2.0 scopes that XPM 3.1 defines, and the identity scopes requested beside them.

use std::fmt;

/// One of the ten OAuth 2.0 scopes the XPM 3.1 spec declares.
///
/// An operation lists the scopes it accepts, and **any one** of them suffices: a token holding
/// only `practicemanager.client.read` can list clients. (The spec writes them as a single
/// security requirement, which strict OpenAPI reads as "all of"; the intent is "any of".)
///
/// The scopes form a hierarchy: `practicemanager` ⊇ `practicemanager.read` and every area scope,
/// and each area scope ⊇ its `.read` variant. See [`Scope::implied_by`]. The spec keeps to the
/// hierarchy on every operation but one: `GET job.api/staff/{identifier}` accepts only
/// `practicemanager.job` and `practicemanager.job.read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// `practicemanager`: view and manage all Practice Manager data.
    PracticeManager,
    /// `practicemanager.read`: view all Practice Manager data.
    PracticeManagerRead,
    /// `practicemanager.client`: view and manage clients, contacts, groups and their documents,
    /// relationships and custom field values.
    Client,
    /// `practicemanager.client.read`: view clients, contacts and groups.
    ClientRead,
    /// `practicemanager.job`: view and manage jobs, job tasks, notes, documents, job costs and
    /// their custom field values.
    Job,
    /// `practicemanager.job.read`: view jobs and job states.
    JobRead,
    /// `practicemanager.staff`: view and manage staff.
    Staff,
    /// `practicemanager.staff.read`: view staff.
    StaffRead,
    /// `practicemanager.time`: view and manage time entries and their custom field values.
    Time,
    /// `practicemanager.time.read`: view time entries.
    TimeRead,
}

impl Scope {
    /// Every XPM scope, broad ones first, each write scope before its read variant.
    pub const ALL: [Scope; 10] = [
        Scope::PracticeManager,
        Scope::PracticeManagerRead,
        Scope::Client,
        Scope::ClientRead,
        Scope::Job,
        Scope::JobRead,
        Scope::Staff,
        Scope::StaffRead,
        Scope::Time,
        Scope::TimeRead,
    ];

    /// The scope string as sent in an authorize request, e.g. `"practicemanager.client.read"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::PracticeManager => "practicemanager",
            Scope::PracticeManagerRead => "practicemanager.read",
            Scope::Client => "practicemanager.client",
            Scope::ClientRead => "practicemanager.client.read",
            Scope::Job => "practicemanager.job",
            Scope::JobRead => "practicemanager.job.read",
            Scope::Staff => "practicemanager.staff",
            Scope::StaffRead => "practicemanager.staff.read",
            Scope::Time => "practicemanager.time",
            Scope::TimeRead => "practicemanager.time.read",
        }
    }

    /// The description Xero's consent screen shows, as written in the spec's `securitySchemes`.
    pub const fn description(self) -> &'static str {
        match self {
            Scope::PracticeManager => "View and manage your Practice Manager data",
            Scope::PracticeManagerRead => "View your Practice Manager data",
            Scope::Client => "View and manage your Practice Manager client data",
            Scope::ClientRead => "View your Practice Manager client data",
            Scope::Job => "View and manage your Practice Manager job data",
            Scope::JobRead => "View your Practice Manager job data",
            Scope::Staff => "View and manage your Practice Manager staff data",
            Scope::StaffRead => "View your Practice Manager staff data",
            Scope::Time => "View and manage your Practice Manager time data",
            Scope::TimeRead => "View your Practice Manager time data",
        }
    }

    /// Whether the scope only grants reads (its name ends in `.read`).
    pub const fn is_read_only(self) -> bool {
        matches!(
            self,
            Scope::PracticeManagerRead | Scope::ClientRead | Scope::JobRead | Scope::StaffRead | Scope::TimeRead
        )
    }

    /// Whether the scope spans every area (`practicemanager` or `practicemanager.read`) rather
    /// than one of client, job, staff or time.
    pub const fn is_broad(self) -> bool {
        matches!(self, Scope::PracticeManager | Scope::PracticeManagerRead)
    }

    /// The broader scopes that imply this one in Xero's hierarchy, nearest first.
    ///
    /// This is the hierarchy as Xero describes it; the spec agrees with it for every operation
    /// except `Job2V31_StaffByIdentifier` (see the type docs).
    pub const fn implied_by(self) -> &'static [Scope] {
        match self {
            Scope::PracticeManager => &[],
            Scope::PracticeManagerRead | Scope::Client | Scope::Job | Scope::Staff | Scope::Time => {
                &[Scope::PracticeManager]
            }
            Scope::ClientRead => &[Scope::Client, Scope::PracticeManagerRead, Scope::PracticeManager],
            Scope::JobRead => &[Scope::Job, Scope::PracticeManagerRead, Scope::PracticeManager],
            Scope::StaffRead => &[Scope::Staff, Scope::PracticeManagerRead, Scope::PracticeManager],
            Scope::TimeRead => &[Scope::Time, Scope::PracticeManagerRead, Scope::PracticeManager],
        }
    }

    /// The position of this scope in [`Scope::ALL`], used for bit sets.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Xero identity scope: not an XPM scope, but requested in the same authorize call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentityScope {
    /// `openid`: issue an `id_token` identifying the user.
    OpenId,
    /// `profile`: add the user's names and Xero user id to the `id_token`.
    Profile,
    /// `email`: add the user's email address to the `id_token`.
    Email,
    /// `offline_access`: issue a refresh token (Xero-wide rule; the XPM spec does not list it).
    OfflineAccess,
}

impl IdentityScope {
    /// Every identity scope, in the order an authorize request usually lists them.
    pub const ALL: [IdentityScope; 4] =
        [IdentityScope::OpenId, IdentityScope::Profile, IdentityScope::Email, IdentityScope::OfflineAccess];

    /// The scope string, e.g. `"offline_access"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentityScope::OpenId => "openid",
            IdentityScope::Profile => "profile",
            IdentityScope::Email => "email",
            IdentityScope::OfflineAccess => "offline_access",
        }
    }

    /// What requesting the scope gets you, in one lowercase clause.
    pub const fn purpose(self) -> &'static str {
        match self {
            IdentityScope::OpenId => "it makes xero issue an id_token that identifies the user",
            IdentityScope::Profile => "it adds the user's first, last and full name and xero user id to the id_token",
            IdentityScope::Email => "it adds the user's email address to the id_token",
            IdentityScope::OfflineAccess => {
                "it makes xero issue a refresh token, without which access ends when the access token expires"
            }
        }
    }

    /// Looks up an identity scope by its exact (lowercase) name.
    pub fn from_name(name: &str) -> Option<IdentityScope> {
        IdentityScope::ALL.into_iter().find(|scope| scope.as_str() == name)
    }
}

impl fmt::Display for IdentityScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_matches_position_in_all() {
        for (position, scope) in Scope::ALL.into_iter().enumerate() {
            assert_eq!(scope.index(), position, "{scope}");
        }
    }

    #[test]
    fn read_only_scopes_are_exactly_the_dot_read_ones() {
        for scope in Scope::ALL {
            assert_eq!(scope.is_read_only(), scope.as_str().ends_with(".read"), "{scope}");
        }
    }

    #[test]
    fn implied_by_never_lists_a_narrower_or_equal_scope() {
        for scope in Scope::ALL {
            for broader in scope.implied_by() {
                assert_ne!(*broader, scope);
                assert!(
                    scope.as_str().starts_with("practicemanager")
                        && (broader.is_broad() || scope.as_str().starts_with(broader.as_str())),
                    "{broader} cannot imply {scope}"
                );
            }
        }
    }
}
