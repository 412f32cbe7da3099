//! What the suite runs against: Xero or an emulator, its addresses, and the practice.

use std::time::Duration;

use uuid::Uuid;
use xpm_client::config::Endpoints;

/// Which kind of server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKind {
    /// Xero's identity service and api.xero.com.
    Xero,
    /// xpmkit's emulator.
    Mock,
}

impl ServerKind {
    /// `xero` or `mock`, as `--profile` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xero => "xero",
            Self::Mock => "mock",
        }
    }

    /// Calls the suite allows itself in any minute: half of Xero's 60 per practice against
    /// Xero (with the pace below, the same), and 50 against an emulator that reports limits,
    /// leaving room for whatever else uses it.
    pub fn calls_per_minute(self) -> u32 {
        match self {
            Self::Xero => 30,
            Self::Mock => 50,
        }
    }

    /// The time between two calls: against Xero one call every two seconds, half its
    /// 60-a-minute limit and one at a time, so the suite never competes with a sync for the
    /// practice's budget; the emulator needs no pacing.
    pub fn pace(self) -> Duration {
        match self {
            Self::Xero => Duration::from_secs(2),
            Self::Mock => Duration::ZERO,
        }
    }
}

/// The server and practice to check.
#[derive(Debug, Clone)]
pub struct Target {
    /// Xero or the emulator.
    pub kind: ServerKind,
    /// The XPM API base, e.g. `https://api.xero.com/practicemanager/3.1`.
    pub api_base: String,
    /// The identity service's `/connections`.
    pub connections_url: String,
    /// The issuer the access token should name.
    pub issuer: String,
    /// The practice (tenant) checked.
    pub tenant: Uuid,
}

impl Target {
    /// The target for a connection made with `endpoints`, checking `tenant`.
    pub fn new(kind: ServerKind, endpoints: &Endpoints, tenant: Uuid) -> Self {
        Self {
            kind,
            api_base: endpoints.api_base.trim_end_matches('/').to_owned(),
            connections_url: endpoints.connections.clone(),
            issuer: endpoints.issuer.clone(),
            tenant,
        }
    }
}
