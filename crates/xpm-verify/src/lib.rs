//! The approval-day contract suite behind `xpmkit verify`.
//!
//! xpmkit's emulator encodes assumptions about Xero identity and XPM 3.1 wherever Xero's
//! documentation is silent or vague. This crate checks them, read-only, against whichever server a
//! connection reaches: against the emulator every check passes (the crate's tests hold it to
//! that); against Xero, on the day an app's XPM scopes are enabled, each difference is reported
//! with the request, what the emulator assumes, what Xero did, and the emulator setting that
//! would match. The behaviours observed are also written as an [`EmulatorProfile`], which
//! `xpmkit mock --profile FILE` loads so a team's emulator behaves as its practice does.
//!
//! The suite never writes, sends one call at a time (one every two seconds against Xero, half
//! its per-minute limit), knows its maximum call count before it starts
//! ([`Suite::planned_calls`]), and can save every answer, personal data masked, as fixtures
//! ([`Suite::record`]).
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_verify::VerifyError> {
//! use xpm_client::config::Endpoints;
//! use xpm_verify::{ServerKind, Suite, Target};
//!
//! let target = Target::new(ServerKind::Xero, &Endpoints::xero(), tenant);
//! let suite = Suite::new(&client, target);
//! println!("at most {} calls", suite.planned_calls().await?);
//! let verification = suite.run().await?;
//! println!("{}", verification.to_markdown());
//! # Ok(()) }
//! ```

mod checks;
mod decode;
mod finding;
mod probe;
mod record;
mod redact;
mod report;
mod target;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;
use xpm_api::catalog::ScopeSet;
use xpm_client::XpmClient;
pub use xpm_mock::EmulatorProfile;
use xpm_mock::profile::Observed;

pub use finding::{Divergence, Finding, Outcome};
pub use record::Recorder;
pub use target::{ServerKind, Target};

/// Why the suite could not run at all (a check that fails is a [`Finding`], not an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The connection has no usable access token.
    #[error("the connection has no usable access token")]
    Token(#[source] xpm_client::Error),
    /// The HTTP client could not be set up (its TLS backend failed to start).
    #[error("cannot set up the HTTP client")]
    Http(#[source] reqwest::Error),
    /// The recording directory cannot be written.
    #[error("cannot write recordings to {dir}")]
    Record {
        /// The directory.
        dir: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// One run of the suite against one server and practice.
pub struct Suite<'a> {
    client: &'a XpmClient,
    target: Target,
    pace: Duration,
    per_minute: u32,
    recorder: Option<Recorder>,
}

impl<'a> Suite<'a> {
    /// The suite over `client`'s connection, checking `target`.
    pub fn new(client: &'a XpmClient, target: Target) -> Self {
        let (pace, per_minute) = (target.kind.pace(), target.kind.calls_per_minute());
        Self { client, target, pace, per_minute, recorder: None }
    }

    /// Saves every answer into `dir` (created if missing), personal data masked, with an
    /// `index.json` of the requests.
    pub fn record(mut self, dir: &Path) -> Result<Self, VerifyError> {
        let recorder =
            Recorder::new(dir).map_err(|source| VerifyError::Record { dir: dir.display().to_string(), source })?;
        self.recorder = Some(recorder);
        Ok(self)
    }

    /// The time between calls (by default [`ServerKind::pace`]).
    pub fn pace(mut self, pace: Duration) -> Self {
        self.pace = pace;
        self
    }

    /// The most calls in any minute (by default [`ServerKind::calls_per_minute`]).
    pub fn calls_per_minute(mut self, calls: u32) -> Self {
        self.per_minute = calls.max(1);
        self
    }

    /// The most calls the run will make with the connection's scopes.
    pub async fn planned_calls(&self) -> Result<u32, VerifyError> {
        let grant = self.client.grant().await.map_err(VerifyError::Token)?;
        Ok(checks::planned_calls(grant.scopes))
    }

    /// Runs every check.
    pub async fn run(mut self) -> Result<Verification, VerifyError> {
        let grant = self.client.grant().await.map_err(VerifyError::Token)?;
        let scopes: ScopeSet = grant.scopes;
        let planned_calls = checks::planned_calls(scopes);
        let started = Utc::now();
        let probe = probe::Probe::new(self.client, &self.target, (self.pace, self.per_minute), self.recorder.as_mut())
            .map_err(VerifyError::Http)?;
        let mut context = checks::Context {
            probe,
            scopes,
            now: started,
            findings: Vec::new(),
            profile: EmulatorProfile::new(),
            tenant_name: None,
            items: HashMap::new(),
        };
        checks::run_all(&mut context).await;
        let checks::Context { probe, findings, mut profile, tenant_name, .. } = context;
        let calls = probe.calls();
        drop(probe);
        let finished = Utc::now();
        profile.observed = Some(Observed {
            api_base: self.target.api_base.clone(),
            tenant_name: tenant_name.clone(),
            at: timestamp(started),
        });
        let recorded = self.recorder.as_ref().map(|recorder| (recorder.dir().display().to_string(), recorder.saved()));
        Ok(Verification {
            kind: self.target.kind,
            api_base: self.target.api_base.clone(),
            tenant: self.target.tenant,
            tenant_name,
            scopes: scopes.to_string(),
            started_at: timestamp(started),
            finished_at: timestamp(finished),
            planned_calls,
            calls,
            findings,
            profile,
            recorded,
        })
    }
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// Xero or the emulator.
    pub kind: ServerKind,
    /// The API base checked.
    pub api_base: String,
    /// The practice checked.
    pub tenant: Uuid,
    /// Its name, from `/connections`.
    pub tenant_name: Option<String>,
    /// The XPM scopes the connection holds.
    pub scopes: String,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it finished.
    pub finished_at: String,
    /// The most calls it would make, said before it started.
    pub planned_calls: u32,
    /// The calls it made.
    pub calls: u32,
    /// One finding per check, in the order run.
    pub findings: Vec<Finding>,
    /// The behaviours observed, as emulator settings.
    pub profile: EmulatorProfile,
    /// Where answers were recorded, and how many.
    pub recorded: Option<(String, usize)>,
}

impl Verification {
    /// Checks that passed.
    pub fn passed(&self) -> usize {
        self.count(|outcome| matches!(outcome, Outcome::Pass { .. }))
    }

    /// Checks where the server differed or the check could not complete.
    pub fn problems(&self) -> usize {
        self.findings.iter().filter(|finding| finding.is_problem()).count()
    }

    /// Checks not run.
    pub fn skipped(&self) -> usize {
        self.count(|outcome| matches!(outcome, Outcome::Skipped { .. }))
    }

    fn count(&self, wanted: impl Fn(&Outcome) -> bool) -> usize {
        self.findings.iter().filter(|finding| wanted(&finding.outcome)).count()
    }

    /// The report in Markdown.
    pub fn to_markdown(&self) -> String {
        report::markdown(self)
    }
}
