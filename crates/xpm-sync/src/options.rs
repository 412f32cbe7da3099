//! How a run behaves: what the caller may choose.

use std::time::Duration;

use crate::plan::PlanOptions;

/// Settings of a sync run ([`Syncer::options`](crate::Syncer::options)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncOptions {
    /// Read every client again and reconcile (`xpmkit sync --full`).
    pub full: bool,
    /// Items written per transaction while a list streams in. Each batch commits on its own, so
    /// a crash loses at most one batch's work and memory holds one batch of items.
    pub batch_size: usize,
    /// Calls of the day's budget left for other work (interactive use, other integrations).
    pub reserve_calls: u32,
    /// On an incremental run where no client changed, groups are re-read only when their last
    /// read is older than this (a changed client may name a new group, so any client change
    /// re-reads them; reconciliation re-reads them always).
    pub groups_max_age: Duration,
    /// The practice's name, recorded in the store's `practices` table when given.
    pub practice_name: Option<String>,
    /// Fail the run on a value XPM sends in a form the models do not expect (`xpmkit sync
    /// --strict`). By default the client list is decoded tolerantly: such a value leaves its
    /// field unset, is kept in the stored item's JSON (`_unparsed`) and is reported as a
    /// warning, so one odd value in one client does not lose the list.
    pub strict: bool,
    /// The planner's settings (overlap, reconciliation period, …).
    pub plan: PlanOptions,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            full: false,
            batch_size: 500,
            reserve_calls: 0,
            groups_max_age: Duration::from_secs(3600),
            practice_name: None,
            strict: false,
            plan: PlanOptions::default(),
        }
    }
}

impl SyncOptions {
    /// Reads everything again when `full`.
    pub fn full(mut self, full: bool) -> Self {
        self.full = full;
        self
    }

    /// Items per committed batch (at least 1).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Fails on values the models do not expect instead of keeping them (see
    /// [`strict`](Self::strict)).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Records the practice under `name`.
    pub fn practice_name(mut self, name: impl Into<String>) -> Self {
        self.practice_name = Some(name.into());
        self
    }
}
