//! The security configuration the admin app honours: settings (MFA policy, session timeouts,
//! retention, TLS) and its users with their role and whether TOTP is enrolled.
//!
//! Kept in the store rather than a file so that every change is in the hash-chained audit log,
//! committed with the change. No password, TOTP secret or key is kept here: only policy and
//! facts that reports may show.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use sqlx::Row as _;
use uuid::Uuid;

use crate::audit::NewAuditEvent;
use crate::writer::WriteTx;
use crate::{Store, StoreError};

/// One security setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecuritySetting {
    /// Whether every admin user must sign in with a TOTP second factor (`true`/`false`).
    MfaRequired,
    /// Minutes of inactivity after which a session ends.
    SessionIdleMinutes,
    /// Hours after sign-in at which a session ends however active.
    SessionAbsoluteHours,
    /// Days mirrored data and logs are kept before a purge removes them.
    RetentionDays,
    /// The PEM certificate (chain) the admin app serves TLS with.
    TlsCertPath,
    /// The PEM private key of that certificate.
    TlsKeyPath,
    /// Whether a reverse proxy in front of the admin app terminates TLS (`true`/`false`).
    BehindTlsProxy,
}

/// Why a setting or user cannot be stored as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecurityInputError {
    /// No setting has this name.
    #[error("unknown security setting `{name}`; the settings are {}", SecuritySetting::names())]
    UnknownSetting {
        /// The name given.
        name: String,
    },
    /// The value does not fit the setting.
    #[error("`{value}` is not a valid value for {setting}: {expected}")]
    BadValue {
        /// The setting.
        setting: SecuritySetting,
        /// The value given.
        value: String,
        /// What it takes.
        expected: &'static str,
    },
    /// No role has this name.
    #[error("unknown role `{role}`; the roles are admin, operator and viewer")]
    UnknownRole {
        /// The role given.
        role: String,
    },
    /// The email is not one.
    #[error("`{email}` is not an email address")]
    BadEmail {
        /// The text given.
        email: String,
    },
}

impl SecuritySetting {
    /// Every setting, in the order reports show them.
    pub const ALL: [SecuritySetting; 7] = [
        Self::MfaRequired,
        Self::SessionIdleMinutes,
        Self::SessionAbsoluteHours,
        Self::RetentionDays,
        Self::TlsCertPath,
        Self::TlsKeyPath,
        Self::BehindTlsProxy,
    ];

    /// The stored (and command-line) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MfaRequired => "mfa_required",
            Self::SessionIdleMinutes => "session_idle_minutes",
            Self::SessionAbsoluteHours => "session_absolute_hours",
            Self::RetentionDays => "retention_days",
            Self::TlsCertPath => "tls_cert_path",
            Self::TlsKeyPath => "tls_key_path",
            Self::BehindTlsProxy => "behind_tls_proxy",
        }
    }

    fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// Checks `value` and returns it as stored (flags as `true`/`false`, numbers without signs).
    pub fn normalise(self, value: &str) -> Result<String, SecurityInputError> {
        let trimmed = value.trim();
        let bad = |expected| SecurityInputError::BadValue { setting: self, value: value.to_owned(), expected };
        match self {
            Self::MfaRequired | Self::BehindTlsProxy => match trimmed.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Ok("true".to_owned()),
                "false" | "no" | "off" => Ok("false".to_owned()),
                _ => Err(bad("true or false")),
            },
            Self::SessionIdleMinutes | Self::SessionAbsoluteHours | Self::RetentionDays => {
                match trimmed.parse::<u32>() {
                    Ok(number) if number > 0 => Ok(number.to_string()),
                    _ => Err(bad("a whole number above 0")),
                }
            }
            Self::TlsCertPath | Self::TlsKeyPath => {
                if trimmed.is_empty() || trimmed.contains('\0') {
                    Err(bad("a file path"))
                } else {
                    Ok(trimmed.to_owned())
                }
            }
        }
    }
}

impl fmt::Display for SecuritySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SecuritySetting {
    type Err = SecurityInputError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.trim().replace('-', "_").to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|setting| setting.as_str() == wanted)
            .ok_or_else(|| SecurityInputError::UnknownSetting { name: name.to_owned() })
    }
}

/// The stored settings; `None` for one never set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SecuritySettings {
    /// [`SecuritySetting::MfaRequired`].
    pub mfa_required: Option<bool>,
    /// [`SecuritySetting::SessionIdleMinutes`].
    pub session_idle_minutes: Option<u32>,
    /// [`SecuritySetting::SessionAbsoluteHours`].
    pub session_absolute_hours: Option<u32>,
    /// [`SecuritySetting::RetentionDays`].
    pub retention_days: Option<u32>,
    /// [`SecuritySetting::TlsCertPath`].
    pub tls_cert_path: Option<PathBuf>,
    /// [`SecuritySetting::TlsKeyPath`].
    pub tls_key_path: Option<PathBuf>,
    /// [`SecuritySetting::BehindTlsProxy`].
    pub behind_tls_proxy: Option<bool>,
}

impl SecuritySettings {
    fn apply(&mut self, setting: SecuritySetting, value: &str) {
        match setting {
            SecuritySetting::MfaRequired => self.mfa_required = Some(value == "true"),
            SecuritySetting::BehindTlsProxy => self.behind_tls_proxy = Some(value == "true"),
            SecuritySetting::SessionIdleMinutes => self.session_idle_minutes = value.parse().ok(),
            SecuritySetting::SessionAbsoluteHours => self.session_absolute_hours = value.parse().ok(),
            SecuritySetting::RetentionDays => self.retention_days = value.parse().ok(),
            SecuritySetting::TlsCertPath => self.tls_cert_path = Some(PathBuf::from(value)),
            SecuritySetting::TlsKeyPath => self.tls_key_path = Some(PathBuf::from(value)),
        }
    }
}

/// What an admin user may do (the admin app's roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AdminRole {
    /// Everything, including users, settings and purges.
    Admin,
    /// Connections, syncs and exports.
    Operator,
    /// Reading, with personal data masked.
    Viewer,
}

impl AdminRole {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Operator => "operator",
            Self::Viewer => "viewer",
        }
    }
}

impl fmt::Display for AdminRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AdminRole {
    type Err = SecurityInputError;

    fn from_str(role: &str) -> Result<Self, Self::Err> {
        match role.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Self::Admin),
            "operator" => Ok(Self::Operator),
            "viewer" => Ok(Self::Viewer),
            _ => Err(SecurityInputError::UnknownRole { role: role.to_owned() }),
        }
    }
}

/// A user of the admin app.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AdminUser {
    /// Their email, lower case: how they sign in.
    pub email: String,
    /// Their role.
    pub role: AdminRole,
    /// Whether a TOTP authenticator is enrolled for them.
    pub totp_enrolled: bool,
    /// When they were added (RFC 3339, UTC).
    pub created_at: String,
    /// When their record last changed.
    pub updated_at: String,
}

/// `email` lower-cased if it looks like an address: one `@` with text either side, no spaces.
pub fn normalise_email(email: &str) -> Result<String, SecurityInputError> {
    let trimmed = email.trim();
    let valid = trimmed.len() <= 254
        && !trimmed.chars().any(|character| character.is_whitespace() || character.is_control())
        && matches!(trimmed.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if valid { Ok(trimmed.to_ascii_lowercase()) } else { Err(SecurityInputError::BadEmail { email: email.to_owned() }) }
}

impl WriteTx {
    /// Sets `setting` to `value` (already [normalised](SecuritySetting::normalise)), logged as
    /// `security.set` with the old and new values.
    pub async fn set_security_setting(
        &mut self,
        setting: SecuritySetting,
        value: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (db, context) = self.parts(Uuid::nil());
        let old: Option<String> = sqlx::query("SELECT value FROM security_settings WHERE name = $1")
            .bind(setting.as_str())
            .fetch_optional(&mut *db)
            .await
            .map_err(StoreError::query("read of security_settings"))?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(StoreError::query("read of security_settings"))?;
        sqlx::query(
            "INSERT INTO security_settings (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(setting.as_str())
        .bind(value)
        .bind(context.now.as_str())
        .execute(&mut *db)
        .await
        .map_err(StoreError::query("upsert into security_settings"))?;
        self.append_audit(&NewAuditEvent {
            actor,
            action: "security.set",
            subject: setting.as_str(),
            detail: serde_json::json!({ "old": old, "new": value }),
        })
        .await?;
        Ok(())
    }

    /// Removes `setting` (back to not set), logged as `security.unset`. Returns whether it was set.
    pub async fn unset_security_setting(&mut self, setting: SecuritySetting, actor: &str) -> Result<bool, StoreError> {
        let (db, _) = self.parts(Uuid::nil());
        let removed = sqlx::query("DELETE FROM security_settings WHERE name = $1")
            .bind(setting.as_str())
            .execute(db)
            .await
            .map_err(StoreError::query("delete from security_settings"))?
            .rows_affected();
        if removed > 0 {
            let event = NewAuditEvent {
                actor,
                action: "security.unset",
                subject: setting.as_str(),
                detail: serde_json::json!({}),
            };
            self.append_audit(&event).await?;
        }
        Ok(removed > 0)
    }

    /// Adds an admin user or changes their role and TOTP enrolment (`email` already
    /// [normalised](normalise_email)), logged as `admin_user.put`.
    pub async fn put_admin_user(
        &mut self,
        email: &str,
        role: AdminRole,
        totp_enrolled: bool,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (db, context) = self.parts(Uuid::nil());
        sqlx::query(
            "INSERT INTO admin_users (email, role, totp_enrolled, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (email) DO UPDATE SET role = excluded.role, totp_enrolled = excluded.totp_enrolled, \
             updated_at = excluded.updated_at",
        )
        .bind(email)
        .bind(role.as_str())
        .bind(totp_enrolled)
        .bind(context.now.as_str())
        .execute(db)
        .await
        .map_err(StoreError::query("upsert into admin_users"))?;
        let detail = serde_json::json!({ "role": role.as_str(), "totpEnrolled": totp_enrolled });
        self.append_audit(&NewAuditEvent { actor, action: "admin_user.put", subject: email, detail }).await?;
        Ok(())
    }

    /// Removes an admin user, logged as `admin_user.remove`. Returns whether there was one.
    pub async fn remove_admin_user(&mut self, email: &str, actor: &str) -> Result<bool, StoreError> {
        let (db, _) = self.parts(Uuid::nil());
        let removed = sqlx::query("DELETE FROM admin_users WHERE email = $1")
            .bind(email)
            .execute(db)
            .await
            .map_err(StoreError::query("delete from admin_users"))?
            .rows_affected();
        if removed > 0 {
            let event =
                NewAuditEvent { actor, action: "admin_user.remove", subject: email, detail: serde_json::json!({}) };
            self.append_audit(&event).await?;
        }
        Ok(removed > 0)
    }
}

impl Store {
    /// The security settings as stored.
    pub async fn security_settings(&self) -> Result<SecuritySettings, StoreError> {
        let rows = sqlx::query("SELECT name, value FROM security_settings")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read of security_settings"))?;
        let mut settings = SecuritySettings::default();
        for row in &rows {
            let read = StoreError::query("read of security_settings");
            let (name, value): (String, String) = (|| Ok((row.try_get(0)?, row.try_get(1)?)))().map_err(read)?;
            // A name this version does not know (written by a newer one) is left alone.
            if let Ok(setting) = name.parse::<SecuritySetting>() {
                settings.apply(setting, &value);
            }
        }
        Ok(settings)
    }

    /// The admin users, by email.
    pub async fn admin_users(&self) -> Result<Vec<AdminUser>, StoreError> {
        // sqlx's Any driver cannot decode SQLite booleans, so the query hands out 1 or 0.
        let rows = sqlx::query(
            "SELECT email, role, CASE WHEN totp_enrolled THEN 1 ELSE 0 END, created_at, updated_at \
             FROM admin_users ORDER BY email",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read of admin_users"))?;
        rows.iter()
            .map(|row| {
                let read = StoreError::query("read of admin_users");
                let (email, role, enrolled, created_at, updated_at): (String, String, i32, String, String) =
                    (|| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?)))()
                        .map_err(read)?;
                let role = role.parse::<AdminRole>().map_err(|error| StoreError::Corrupt {
                    what: format!("role of admin user {email}"),
                    reason: error.to_string(),
                })?;
                Ok(AdminUser { email, role, totp_enrolled: enrolled != 0, created_at, updated_at })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(setting: &str, value: &str, expect: &str) {
        let actual = match setting.parse::<SecuritySetting>().and_then(|setting| setting.normalise(value)) {
            Ok(stored) => format!("ok {stored}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(actual, expect, "{setting} = {value}");
    }

    #[test]
    fn values_are_checked_and_normalised() {
        check("mfa_required", "Yes", "ok true");
        check("mfa-required", "off", "ok false");
        check("retention_days", " 365 ", "ok 365");
        check("session_idle_minutes", "0", "`0` is not a valid value for session_idle_minutes: a whole number above 0");
        check("behind_tls_proxy", "maybe", "`maybe` is not a valid value for behind_tls_proxy: true or false");
        check("tls_cert_path", "/etc/xpmkit/cert.pem", "ok /etc/xpmkit/cert.pem");
        check(
            "mfa",
            "true",
            "unknown security setting `mfa`; the settings are mfa_required, session_idle_minutes, \
             session_absolute_hours, retention_days, tls_cert_path, tls_key_path, behind_tls_proxy",
        );
    }

    #[test]
    fn emails_and_roles_are_checked() {
        assert_eq!(normalise_email(" Ana@Firm.Example "), Ok("ana@firm.example".to_owned()));
        for bad in ["ana", "@firm.example", "ana@firm", "ana smith@firm.example", "a@b@c.example"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
        assert_eq!("Operator".parse::<AdminRole>(), Ok(AdminRole::Operator));
        assert!("root".parse::<AdminRole>().is_err());
    }
}
