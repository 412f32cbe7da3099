//! What one check found: the server agreed with the emulator's assumption, differed from it
//! (with the request, both behaviours, and the emulator setting that would match), or could
//! not be checked with this connection.

use serde::Serialize;

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable id, e.g. `content.json-strict`.
    pub check: String,
    /// What was checked, in words.
    pub title: String,
    /// The result.
    pub outcome: Outcome,
}

/// A check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The server behaved as the emulator assumes.
    Pass {
        /// What was seen.
        detail: String,
    },
    /// The server behaved differently.
    Differs(Divergence),
    /// The check could not complete (the connection dropped, the answer was cut short).
    Failed {
        /// What went wrong.
        message: String,
    },
    /// Not checked: this connection cannot show it without writing, exceeding a limit, or
    /// holding other scopes.
    Skipped {
        /// Why, and what would let it run.
        reason: String,
    },
}

/// A difference between the emulator's assumption and the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// The request that showed it (method, path and the headers that matter; never a token).
    pub request: String,
    /// What the emulator assumes.
    pub assumed: String,
    /// What the server did.
    pub observed: String,
    /// The emulator setting that would match it, if one exists.
    pub setting: Option<String>,
}

impl Finding {
    /// A passed check.
    pub fn pass(check: &str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { check: check.to_owned(), title: title.into(), outcome: Outcome::Pass { detail: detail.into() } }
    }

    /// A difference.
    pub fn differs(check: &str, title: impl Into<String>, divergence: Divergence) -> Self {
        Self { check: check.to_owned(), title: title.into(), outcome: Outcome::Differs(divergence) }
    }

    /// A check not run.
    pub fn skipped(check: &str, title: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { check: check.to_owned(), title: title.into(), outcome: Outcome::Skipped { reason: reason.into() } }
    }

    /// A check that could not complete.
    pub fn failed(check: &str, title: impl Into<String>, message: impl Into<String>) -> Self {
        Self { check: check.to_owned(), title: title.into(), outcome: Outcome::Failed { message: message.into() } }
    }

    /// Whether the server differed or the check could not complete.
    pub fn is_problem(&self) -> bool {
        matches!(self.outcome, Outcome::Differs(_) | Outcome::Failed { .. })
    }
}

impl Divergence {
    /// A difference shown by `request`, with no emulator setting to match it.
    pub fn new(request: impl Into<String>, assumed: impl Into<String>, observed: impl Into<String>) -> Self {
        Self { request: request.into(), assumed: assumed.into(), observed: observed.into(), setting: None }
    }

    /// Names the emulator setting that would match the server.
    pub fn setting(mut self, setting: impl Into<String>) -> Self {
        self.setting = Some(setting.into());
        self
    }
}
