//! An emulator profile: the settings that make the emulator behave as one real XPM practice
//! was observed to (`xpmkit verify` writes it, `xpmkit mock --profile FILE` loads it).
//!
//! Only behaviours the emulator can vary are here, each optional: a profile that does not name
//! a behaviour leaves the emulator's default. The file is JSON with a version, so a profile
//! from a later xpmkit is refused with a clear message instead of half-applied.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::config::EmulatorConfig;

/// The profile format this build reads and writes.
pub const PROFILE_VERSION: u32 = 1;

/// Settings observed on a real practice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmulatorProfile {
    /// The format version ([`PROFILE_VERSION`]).
    pub version: u32,
    /// Where and when the behaviours were observed, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
    /// With `Xero-Features: practice-strict-content-type`, an unusable `Accept` gets 406.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict_rejects_mismatch: Option<bool>,
    /// Operations whose XML errors came back as HTTP 200 with `<Status>ERROR</Status>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_errors_as_200: Option<BTreeSet<String>>,
    /// `job.api/staff/{uuid}` accepted `practicemanager` / `practicemanager.read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_staff_accepts_broad_scopes: Option<bool>,
    /// The day's call limit per practice (5,000; 1,000 on Xero's Starter tier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls_per_day: Option<u32>,
    /// Access-token lifetime in seconds (Xero: 1,800).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_seconds: Option<u32>,
}

/// Where a profile's behaviours were seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// The API base the suite ran against.
    pub api_base: String,
    /// The practice's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_name: Option<String>,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// Why a profile file could not be used. The file is never changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read the emulator profile {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a profile.
    #[error(
        "{} is not an emulator profile: at `{at}`: {message}. Write it again with `xpmkit verify --emulator-profile {}`, or fix that field",
        path.display(), path.display()
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The JSON path of the problem.
        at: String,
        /// What is wrong there.
        message: String,
    },
    /// The file is from another format version.
    #[error(
        "{} is an emulator profile of version {found}; this xpmkit reads version {PROFILE_VERSION}. Run `xpmkit verify` again with this xpmkit to write a new one",
        path.display()
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u32,
    },
    /// A value cannot be applied.
    #[error("{}: {message}", path.display())]
    Value {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl EmulatorProfile {
    /// An empty profile of the current version: every behaviour at the emulator's default.
    pub fn new() -> Self {
        Self { version: PROFILE_VERSION, ..Self::default() }
    }

    /// Reads and checks a profile file.
    pub fn load(path: &Path) -> Result<Self, ProfileError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ProfileError::Read { path: path.to_owned(), source })?;
        Self::parse(&text, path)
    }

    /// Parses profile JSON; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ProfileError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let profile: Self = serde_path_to_error::deserialize(deserializer).map_err(|error| ProfileError::Invalid {
            path: path.to_owned(),
            at: error.path().to_string(),
            message: error.inner().to_string(),
        })?;
        if profile.version != PROFILE_VERSION {
            return Err(ProfileError::Version { path: path.to_owned(), found: profile.version });
        }
        if profile.calls_per_day == Some(0) || profile.access_token_seconds == Some(0) {
            return Err(ProfileError::Value {
                path: path.to_owned(),
                message: "calls_per_day and access_token_seconds must be above 0".into(),
            });
        }
        Ok(profile)
    }

    /// The profile as pretty JSON, for writing to a file.
    pub fn to_json(&self) -> String {
        // A struct of strings, numbers and sets always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Applies the behaviours the profile names to `config`, and says each change in words
    /// (for the emulator's start-up note).
    pub fn apply(&self, config: &mut EmulatorConfig) -> Vec<String> {
        let mut changes = Vec::new();
        if let Some(strict) = self.strict_rejects_mismatch {
            config.content.strict_rejects_mismatch = strict;
            changes.push(format!(
                "an unusable Accept in strict content-type mode: {}",
                if strict { "406" } else { "XML" }
            ));
        }
        if let Some(operations) = &self.xml_errors_as_200 {
            config.content.xml_errors_as_200 = operations.clone();
            let listed = if operations.is_empty() {
                "none".to_owned()
            } else {
                operations.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            changes.push(format!("XML errors answered with HTTP 200 for: {listed}"));
        }
        if let Some(broad) = self.job_staff_accepts_broad_scopes {
            config.job_staff_accepts_broad_scopes = broad;
            changes.push(format!("job.api/staff accepts the broad scopes: {broad}"));
        }
        if let Some(per_day) = self.calls_per_day {
            config.limits.per_day = per_day;
            changes.push(format!("{per_day} calls per practice per day"));
        }
        if let Some(seconds) = self.access_token_seconds {
            config.tokens.access_token = Duration::seconds(i64::from(seconds));
            changes.push(format!("access tokens live {seconds} s"));
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_round_trips_and_applies() {
        let profile = EmulatorProfile {
            strict_rejects_mismatch: Some(false),
            xml_errors_as_200: Some(["ClientV31_GetByIdentifier".to_owned()].into()),
            job_staff_accepts_broad_scopes: Some(true),
            calls_per_day: Some(1_000),
            access_token_seconds: Some(900),
            ..EmulatorProfile::new()
        };
        let read = EmulatorProfile::parse(&profile.to_json(), Path::new("p.json")).expect("parses");
        assert_eq!(read, profile);
        let mut config = EmulatorConfig::default();
        let changes = read.apply(&mut config);
        assert_eq!(changes.len(), 5);
        assert!(!config.content.strict_rejects_mismatch);
        assert!(config.content.xml_errors_as_200.contains("ClientV31_GetByIdentifier"));
        assert!(config.job_staff_accepts_broad_scopes);
        assert_eq!(config.limits.per_day, 1_000);
        assert_eq!(config.tokens.access_token, Duration::seconds(900));
    }

    #[test]
    fn an_empty_profile_changes_nothing() {
        let mut config = EmulatorConfig::default();
        assert!(EmulatorProfile::new().apply(&mut config).is_empty());
        assert!(config.content.strict_rejects_mismatch);
        assert_eq!(config.limits.per_day, 5_000);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let path = Path::new("profile.json");
        let wrong_type = EmulatorProfile::parse(r#"{"version":1,"calls_per_day":"lots"}"#, path);
        let message = wrong_type.expect_err("a string is no count").to_string();
        assert!(message.contains("calls_per_day"), "{message}");
        let unknown = EmulatorProfile::parse(r#"{"version":1,"colour":"red"}"#, path);
        assert!(unknown.expect_err("unknown field").to_string().contains("colour"));
        let later = EmulatorProfile::parse(r#"{"version":9}"#, path);
        assert!(matches!(later, Err(ProfileError::Version { found: 9, .. })));
        let zero = EmulatorProfile::parse(r#"{"version":1,"calls_per_day":0}"#, path);
        assert!(matches!(zero, Err(ProfileError::Value { .. })));
    }
}
