//! The state file's content: a versioned JSON document holding the practices, identity, the
//! rate-limit settings and a virtual clock.
//!
//! It is written straight from the live state (each practice under its read lock, identity under
//! its store lock) and read back into owned values that become a new [`Shared`].

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::ser::SerializeSeq as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::StateError;
use crate::clock::{Clock, ClockRecord};
use crate::config::{EmulatorConfig, LimitSettings, PracticeSeed};
use crate::identity::{IdentityRecord, IdentityState};
use crate::practice::{Practice, Practices};
use crate::shared::Shared;

/// The format this emulator reads and writes. A change that older emulators cannot read bumps it.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The state as written, borrowed from the live emulator.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    format_version: u32,
    saved_at: DateTime<Utc>,
    clock: ClockRecord,
    limits: LimitSettings,
    practices: PracticesRef<'a>,
    identity: &'a IdentityState,
}

/// The state as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Snapshot {
    #[expect(dead_code, reason = "checked before the whole file is read (see `decode`)")]
    format_version: u32,
    #[expect(dead_code, reason = "for people reading the file; the emulator does not need it")]
    saved_at: DateTime<Utc>,
    clock: ClockRecord,
    limits: LimitSettings,
    practices: Vec<PracticeRecord>,
    identity: IdentityRecord,
}

/// A practice and the seed it was generated from (what `--practices`, `--clients` and `--seed`
/// asked for when the file was created).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticeRecord {
    seed: SeedRecord,
    practice: Practice,
}

#[derive(Serialize)]
struct PracticeRecordRef<'a> {
    seed: SeedRecord,
    practice: &'a Practice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedRecord {
    name: String,
    clients: usize,
    seed: u64,
}

impl From<&PracticeSeed> for SeedRecord {
    fn from(seed: &PracticeSeed) -> Self {
        Self { name: seed.name.clone(), clients: seed.clients, seed: seed.seed }
    }
}

impl From<SeedRecord> for PracticeSeed {
    fn from(seed: SeedRecord) -> Self {
        Self { name: seed.name, clients: seed.clients, seed: seed.seed }
    }
}

/// Every practice, each written under its own read lock so tenants keep answering.
struct PracticesRef<'a>(&'a Shared);

impl Serialize for PracticesRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let practices = self.0.practices.each();
        let mut sequence = serializer.serialize_seq(Some(practices.len()))?;
        for (practice, seed) in practices.iter().zip(&self.0.config.practices) {
            let practice = practice.read();
            sequence.serialize_element(&PracticeRecordRef { seed: seed.into(), practice: &practice })?;
        }
        sequence.end()
    }
}

/// The live state as the file's bytes (wiped from memory when dropped: they hold secrets).
pub(super) fn encode(shared: &Shared, path: &Path) -> Result<Zeroizing<Vec<u8>>, StateError> {
    let snapshot = SnapshotRef {
        format_version: FORMAT_VERSION,
        saved_at: shared.clock.now(),
        clock: shared.clock.record(),
        limits: shared.limits.settings(),
        practices: PracticesRef(shared),
        identity: &shared.identity,
    };
    let mut bytes = Zeroizing::new(Vec::with_capacity(1 << 20));
    serde_json::to_writer(&mut *bytes, &snapshot).map_err(|error| StateError::Write {
        path: path.to_owned(),
        source: std::io::Error::other(format!("cannot encode the state: {error}")),
    })?;
    Ok(bytes)
}

/// Reads a state file's bytes: first that they are complete JSON with the version this emulator
/// reads, then the whole state, naming the place of any value that does not fit.
pub(super) fn decode(bytes: &[u8], path: &Path) -> Result<Snapshot, StateError> {
    #[derive(Deserialize)]
    struct Header {
        format_version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_slice(bytes).map_err(|error| damaged(&error, path))?;
    match header.format_version {
        Some(version) if version.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
        Some(version) => {
            return Err(StateError::UnknownVersion {
                path: path.to_owned(),
                found: version.to_string(),
                supported: FORMAT_VERSION,
            });
        }
        None => {
            return Err(StateError::Invalid {
                path: path.to_owned(),
                at: "format_version".into(),
                detail: "missing, so this is not an emulator state file".into(),
            });
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| StateError::Invalid {
        path: path.to_owned(),
        at: error.path().to_string(),
        detail: error.into_inner().to_string(),
    })
}

/// A file that is not JSON, or ends early.
fn damaged(error: &serde_json::Error, path: &Path) -> StateError {
    let place = format!("line {}, column {}", error.line(), error.column());
    let detail = match error.classify() {
        serde_json::error::Category::Eof => format!("it ends early ({place}), as a file cut short does"),
        serde_json::error::Category::Syntax => format!("it is not valid JSON ({place})"),
        // Valid JSON of another shape (an array, a string …).
        serde_json::error::Category::Data | serde_json::error::Category::Io => {
            format!("it is not a JSON object with a format_version ({place})")
        }
    };
    StateError::Corrupt { path: path.to_owned(), detail }
}

impl Snapshot {
    /// Takes up the saved state: practices, identity, limits and a virtual clock come from the
    /// file, everything else (consent mode, token lifetimes, faults, admin token) from `config`.
    /// Returns the new state and the settings of `config` the file overrode, described.
    pub(super) fn restore(
        self,
        mut config: EmulatorConfig,
        clock: Clock,
        path: &Path,
    ) -> Result<(Shared, Vec<String>), StateError> {
        let mut overridden = Vec::new();
        let seeds: Vec<PracticeSeed> = self.practices.iter().map(|record| record.seed.clone().into()).collect();
        let asked: Vec<SeedRecord> = config.practices.iter().map(SeedRecord::from).collect();
        let held: Vec<SeedRecord> = seeds.iter().map(SeedRecord::from).collect();
        if asked != held {
            overridden.push(format!(
                "practices: the file holds {}, the options asked for {}",
                describe(&held),
                describe(&asked)
            ));
        }
        if config.limits != self.limits {
            overridden.push("rate limits: the file's settings apply (change them with PUT /__admin/limits)".to_owned());
        }
        config.practices = seeds;
        config.limits = self.limits;
        let identity = IdentityState::restore(&config, self.identity).map_err(|detail| StateError::Invalid {
            path: path.to_owned(),
            at: "identity.signing_key".into(),
            detail,
        })?;
        config.apps = identity.registrations();
        clock.restore(self.clock);
        let practices = Practices::restore(self.practices.into_iter().map(|record| record.practice));
        let fault_seed = config.fault_seed;
        Ok((Shared::from_parts(config, clock, identity, practices, fault_seed), overridden))
    }
}

/// `2 practices of 250 clients (seeds 2026, 77)`.
fn describe(seeds: &[SeedRecord]) -> String {
    let clients: Vec<String> = seeds.iter().map(|seed| seed.clients.to_string()).collect();
    let numbers: Vec<String> = seeds.iter().map(|seed| seed.seed.to_string()).collect();
    format!("{} practice(s) of {} clients (seed {})", seeds.len(), clients.join("/"), numbers.join(", "))
}
