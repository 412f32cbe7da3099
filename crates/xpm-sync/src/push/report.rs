//! What a push did with each entry.

use xpm_store::OutboxId;

use super::compare::FieldDifference;

/// What happened to one outbox entry.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// Sent; XPM accepted it, and the record was read back and stored.
    Sent {
        /// The key of the record made or changed.
        key: Option<String>,
    },
    /// Not sent, because XPM already holds it: a create whose earlier outcome was unknown was
    /// found in XPM, or the record already has the update's values. Stored and marked sent.
    Adopted {
        /// The key of the record found.
        key: String,
    },
    /// Not sent: XPM's record changed since the stored copy the update was based on (or a create
    /// cannot be told apart from records XPM already has). Needs a person.
    Conflict {
        /// Why.
        reason: String,
        /// The fields that differ.
        differences: Vec<FieldDifference>,
    },
    /// XPM refused it (`<Status>ERROR</Status>`, even with HTTP 200), or it cannot be sent.
    Failed {
        /// XPM's message, or what is wrong.
        reason: String,
    },
    /// Sent, but the answer was lost (timeout, reset, cut body) and XPM could not be checked:
    /// the entry stays `sending`, and the next push looks for it in XPM before sending again.
    Unknown {
        /// What went wrong.
        reason: String,
    },
    /// Not sent this time (no connection to XPM, a rate limit, the sign-in): stays pending.
    Deferred {
        /// Why.
        reason: String,
    },
    /// Dry run: would be sent (an update only if its conflict check, which a dry run does not
    /// make since it calls nothing, finds no edit in XPM).
    WouldSend,
    /// Dry run: its earlier outcome is unknown; XPM would be checked for it before any resend.
    WouldReconcile,
}

impl Outcome {
    /// A short name: `sent`, `adopted`, `conflict`, `failed`, `unknown`, `deferred`,
    /// `would send`, `would reconcile`.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Sent { .. } => "sent",
            Self::Adopted { .. } => "adopted",
            Self::Conflict { .. } => "conflict",
            Self::Failed { .. } => "failed",
            Self::Unknown { .. } => "unknown",
            Self::Deferred { .. } => "deferred",
            Self::WouldSend => "would send",
            Self::WouldReconcile => "would reconcile",
        }
    }
}

/// One entry's result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EntryReport {
    /// The entry.
    pub id: OutboxId,
    /// What the change does (`update client 0b8f…: email`).
    pub description: String,
    /// What happened.
    pub outcome: Outcome,
}

/// What a push did, entry by entry, in the order sent.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PushReport {
    /// Each entry handled.
    pub entries: Vec<EntryReport>,
    /// Why the push stopped before the end, with entries left as they were.
    pub stopped: Option<String>,
    /// What kind of client failure stopped it, when one did.
    pub stopped_kind: Option<xpm_client::ErrorKind>,
    /// Entries not reached because the push stopped.
    pub not_reached: usize,
}

impl PushReport {
    /// How many entries ended with `label` (see [`Outcome::label`]).
    pub fn count(&self, label: &str) -> usize {
        self.entries.iter().filter(|entry| entry.outcome.label() == label).count()
    }

    /// Whether some entry needs a person: a conflict or a refusal.
    pub fn needs_attention(&self) -> bool {
        self.entries.iter().any(|entry| matches!(entry.outcome, Outcome::Conflict { .. } | Outcome::Failed { .. }))
    }

    /// Whether some entry is left for a later push: unknown outcome, deferred, or not reached.
    pub fn incomplete(&self) -> bool {
        self.not_reached > 0
            || self
                .entries
                .iter()
                .any(|entry| matches!(entry.outcome, Outcome::Unknown { .. } | Outcome::Deferred { .. }))
    }
}
