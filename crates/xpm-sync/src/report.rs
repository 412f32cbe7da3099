//! What a run did: per entity added, updated and removed, records left alone for a pending
//! local change, calls, bytes and time.

use std::collections::BTreeMap;
use std::time::Duration;

use xpm_api::xml::{Unparsed, XmlRecord};
use xpm_store::{BatchCounts, ChangeCounts, RunId};

use crate::plan::{Plan, RunKind, Step};

/// How one planned step went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepOutcome {
    /// Carried out in this run.
    Done,
    /// An interrupted earlier run had completed it (its cursor says so): not redone.
    DoneEarlier {
        /// That run.
        run: RunId,
    },
    /// Not needed this time.
    Skipped {
        /// Why.
        reason: &'static str,
    },
}

/// A planned step and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StepReport {
    /// The step as planned.
    pub step: Step,
    /// How it went.
    pub outcome: StepOutcome,
}

/// What a finished run did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunReport {
    /// The run as recorded in the store.
    pub run: RunId,
    /// Why it read what it read.
    pub kind: RunKind,
    /// The plan it carried out.
    pub plan: Plan,
    /// Each planned step and how it went.
    pub steps: Vec<StepReport>,
    /// Added, updated and removed rows per entity (`client`, `contact`, `group`, `staff`, `job`,
    /// `task` (a job's tasks), `time`).
    pub counts: BTreeMap<String, ChangeCounts>,
    /// Records XPM sent that were left as stored because a local change to them waits in the
    /// outbox ("pending sync"), per entity.
    pub pending: BTreeMap<String, u64>,
    /// Archived clients among those read.
    pub archived_clients: u64,
    /// Deleted clients among those read (XPM keeps them in its list with `IsDeleted`).
    pub deleted_clients: u64,
    /// Values XPM sent in a form the models do not expect, which tolerant decoding kept (in
    /// the stored item's JSON, as `_unparsed`) instead of failing the list: the first
    /// [`MAX_WARNINGS`] of them. Empty with [`SyncOptions::strict`](crate::SyncOptions::strict),
    /// where such a value fails the run.
    pub warnings: Vec<DecodeWarning>,
    /// How many such values in all.
    pub unparsed_values: u64,
    /// Clients and jobs whose custom field values were read (one call each).
    pub custom_fields_read: u64,
    /// Clients and jobs whose custom field values wait for a later run (the budget ran out).
    pub custom_fields_deferred: u64,
    /// API calls answered.
    pub calls: u64,
    /// Response bytes downloaded.
    pub bytes: u64,
    /// Wall time.
    pub duration: Duration,
}

/// The most [`DecodeWarning`]s a report lists (all are counted, and kept with their items).
pub const MAX_WARNINGS: usize = 100;

/// A value of one record that tolerant decoding could not parse, kept as XPM sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeWarning {
    /// The kind of record (`client`).
    pub entity: &'static str,
    /// The record's key, when it could be read.
    pub key: Option<String>,
    /// The value: its path in the record, what was expected, what was found.
    pub unparsed: Unparsed,
}

impl std::fmt::Display for DecodeWarning {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = self.key.as_deref().unwrap_or("without a key");
        write!(formatter, "{} {key}: {}", self.entity, self.unparsed)
    }
}

impl RunReport {
    /// Rows added, updated or removed, over every entity.
    pub fn changes(&self) -> u64 {
        self.counts.values().map(|counts| counts.added + counts.updated + counts.removed).sum()
    }

    /// The counts of one entity (zero when it had none).
    pub fn counts_of(&self, entity: &str) -> ChangeCounts {
        self.counts.get(entity).copied().unwrap_or_default()
    }

    pub(crate) fn add(&mut self, entity: &str, batch: BatchCounts) {
        let counts = self.counts.entry(entity.to_owned()).or_default();
        counts.added += batch.added as u64;
        counts.updated += batch.updated as u64;
    }

    pub(crate) fn add_removed(&mut self, entity: &str, removed: usize) {
        self.counts.entry(entity.to_owned()).or_default().removed += removed as u64;
    }

    /// Notes the values tolerant decoding kept on `record` (logged, counted, the first listed).
    pub(crate) fn note_unparsed(&mut self, entity: &'static str, key: Option<String>, record: &impl XmlRecord) {
        for unparsed in record.unparsed() {
            tracing::warn!(entity, key = key.as_deref().unwrap_or("?"), %unparsed, "a value XPM sent could not be read; kept as sent");
            self.unparsed_values += 1;
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(DecodeWarning { entity, key: key.clone(), unparsed: unparsed.clone() });
            }
        }
    }

    pub(crate) fn add_pending(&mut self, entity: &str, records: u64) {
        if records > 0 {
            *self.pending.entry(entity.to_owned()).or_default() += records;
        }
    }
}
