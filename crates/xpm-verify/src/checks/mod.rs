//! The checks, one module per area, run in order over one [`Context`]: identity first (it needs
//! no practice data), then content negotiation, every read operation (whose answers give the
//! ids later checks use), paging, `modifiedsince` and date windows, error shapes, and last the
//! rate-limit headers every answer carried.

mod content;
mod errors;
mod identity;
mod limits;
mod paging;
mod reads;
mod windows;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use xpm_api::catalog::{OperationId, Scope, ScopeSet};
use xpm_mock::EmulatorProfile;

use crate::finding::Finding;
use crate::probe::{Exchange, Probe, Request};
use crate::target::ServerKind;

/// What the checks share.
pub(crate) struct Context<'a> {
    pub(crate) probe: Probe<'a>,
    /// The XPM scopes the connection holds.
    pub(crate) scopes: ScopeSet,
    /// When the suite started (the server's clock is read from its answers where it matters).
    pub(crate) now: DateTime<Utc>,
    pub(crate) findings: Vec<Finding>,
    /// The behaviours observed, in the emulator's terms.
    pub(crate) profile: EmulatorProfile,
    /// The practice's name from `/connections`.
    pub(crate) tenant_name: Option<String>,
    /// Items each read operation answered, as JSON, for the ids later calls need.
    pub(crate) items: HashMap<OperationId, Vec<serde_json::Value>>,
}

impl Context<'_> {
    pub(crate) fn kind(&self) -> ServerKind {
        self.probe.target.kind
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        tracing::debug!(check = %finding.check, outcome = ?finding.outcome, "check done");
        self.findings.push(finding);
    }

    /// Sends `request`; when no answer comes (the message says why), records `check` as failed
    /// and returns `None`, so that the check ends there.
    pub(crate) async fn send_or_fail(&mut self, request: &Request, check: &str, title: &str) -> Option<Exchange> {
        match self.probe.send(request).await {
            Ok(exchange) => Some(exchange),
            Err(message) => {
                self.push(Finding::failed(check, title, message));
                None
            }
        }
    }

    /// Whether the connection may call `operation`.
    pub(crate) fn may(&self, operation: OperationId) -> bool {
        self.scopes.grants(operation.operation())
    }
}

/// Runs every check.
pub(crate) async fn run_all(context: &mut Context<'_>) {
    identity::run(context).await;
    content::run(context).await;
    reads::run(context).await;
    paging::run(context).await;
    windows::run(context).await;
    errors::run(context).await;
    limits::run(context);
}

/// The most calls the suite makes with `scopes`, before it starts.
pub(crate) fn planned_calls(scopes: ScopeSet) -> u32 {
    let granted = |operation: OperationId| scopes.grants(operation.operation());
    identity::CALLS
        + content::planned(scopes)
        + reads::planned(scopes)
        + if granted(OperationId::ClientPagedList) { paging::CALLS } else { 0 }
        + windows::planned(scopes)
        + errors::planned(scopes)
}

/// The first of `candidates` the scopes allow: checks that need any cheap read use it.
pub(crate) fn cheap_read(scopes: ScopeSet) -> Option<OperationId> {
    [
        OperationId::StaffList,
        OperationId::ClientGroupList,
        OperationId::JobStateList,
        OperationId::CategoryList,
        OperationId::JobCurrent,
        OperationId::ClientPagedList,
    ]
    .into_iter()
    .find(|operation| scopes.grants(operation.operation()))
}

/// Whether the scopes hold a broad XPM scope and no job scope: what it takes to see whether
/// `job.api/staff` accepts the broad scopes.
pub(crate) fn broad_without_job(scopes: ScopeSet) -> bool {
    (scopes.contains(Scope::PracticeManager) || scopes.contains(Scope::PracticeManagerRead))
        && !scopes.contains(Scope::Job)
        && !scopes.contains(Scope::JobRead)
}
