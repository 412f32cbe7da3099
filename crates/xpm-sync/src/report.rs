//! What a run did: per entity added, updated and removed, records left alone for a pending
//! local change, calls, bytes and time.

use std::collections::BTreeMap;
use std::time::Duration;

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

    pub(crate) fn add_pending(&mut self, entity: &str, records: u64) {
        if records > 0 {
            *self.pending.entry(entity.to_owned()).or_default() += records;
        }
    }
}
