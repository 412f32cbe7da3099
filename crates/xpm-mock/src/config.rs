//! Emulator settings. Every behaviour Xero does not document precisely is a setting here whose
//! default is the most likely real behaviour, judged from Xero's documentation and what
//! integrators report of live tenants; `xpmkit verify` will tell where a practice differs.

use std::collections::BTreeSet;
use std::fmt;

use chrono::Duration;
use secrecy::SecretString;
use xpm_api::catalog::Scope;

/// Everything the emulator needs to start.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Registered apps. The first is the demo app printed by `xpmkit mock`.
    pub apps: Vec<AppRegistration>,
    /// The practices (XPM tenants) the demo user can connect, with their seed data.
    pub practices: Vec<PracticeSeed>,
    /// The Xero user who signs in on the consent page.
    pub user: DemoUser,
    /// Token and code lifetimes.
    pub tokens: TokenLifetimes,
    /// Rate limits.
    pub limits: LimitSettings,
    /// Content negotiation and error-shape switches.
    pub content: ContentSettings,
    /// Skip the consent page: `/identity/connect/authorize` redirects straight back with a code,
    /// connecting every practice. For headless tests and scripts.
    pub auto_consent: bool,
    /// `job.api/staff/{uuid}` accepts only the job scopes in Xero's spec (probably a slip);
    /// set this to also accept `practicemanager` and `practicemanager.read`.
    pub job_staff_accepts_broad_scopes: bool,
    /// Seed of the generator behind probabilistic fault rules: the same seed and the same
    /// requests give the same faults.
    pub fault_seed: u64,
    /// The key that signs tokens: one generated at start (the default), or the published
    /// development key for tests that want the same key every run.
    pub signing_key: SigningKeyChoice,
    /// A token every `/__admin` request must present as `Authorization: Bearer …`; `None` leaves
    /// the admin API open to whoever passes its `Host` and JSON-body checks.
    pub admin_token: Option<SecretString>,
    /// How long connections may idle and how many may be open.
    pub connections: ConnectionSettings,
}

/// Limits on the emulator's connections, so idle or slow sockets cannot crowd out clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionSettings {
    /// Open connections at most (default 1,024, well under a usual file-descriptor limit).
    /// When full, the connection that has been quiet longest is closed for the new one.
    pub max_connections: usize,
    /// How long a connection may take to send a request head, and stay idle between
    /// keep-alive requests (default 10 s).
    pub header_read_timeout: std::time::Duration,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self { max_connections: 1024, header_read_timeout: std::time::Duration::from_secs(10) }
    }
}

/// Which RSA key signs the emulator's tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SigningKeyChoice {
    /// A 2048-bit key generated when the emulator starts: only this emulator can sign tokens it
    /// accepts, and a client that cached another run's JWKS notices the new `kid`.
    #[default]
    Generated,
    /// The development key published in this repository, with a fixed `kid`. Anyone can sign
    /// with it, which is why the gateway also checks every token against its own records.
    Development,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            apps: vec![AppRegistration::demo(), AppRegistration::unapproved_demo()],
            practices: vec![PracticeSeed::default()],
            user: DemoUser::default(),
            tokens: TokenLifetimes::default(),
            limits: LimitSettings::default(),
            content: ContentSettings::default(),
            auto_consent: false,
            job_staff_accepts_broad_scopes: false,
            fault_seed: 0x5eed,
            signing_key: SigningKeyChoice::Generated,
            admin_token: None,
            connections: ConnectionSettings::default(),
        }
    }
}

/// An app registered with Xero identity.
#[derive(Clone)]
pub struct AppRegistration {
    /// Display name on the consent page.
    pub name: String,
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`; `None` for a PKCE ("Auth Code with PKCE") app.
    pub client_secret: Option<SecretString>,
    /// Redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// XPM scopes the app has asked Xero to approve.
    pub requested_scopes: BTreeSet<Scope>,
    /// XPM scopes Xero has approved. Authorising any other XPM scope fails with
    /// `unauthorized_client`, as it does on Xero before approval.
    pub approved_scopes: BTreeSet<Scope>,
}

impl fmt::Debug for AppRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppRegistration")
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .field("redirect_uris", &self.redirect_uris)
            .field("requested_scopes", &self.requested_scopes)
            .field("approved_scopes", &self.approved_scopes)
            .finish()
    }
}

/// The demo app's client id.
pub const DEMO_CLIENT_ID: &str = "xpmkit-demo";
/// The demo app's client secret. It is public on purpose: it only opens the emulator.
pub const DEMO_CLIENT_SECRET: &str = "xpmkit-demo-secret";
/// A demo app whose XPM scopes Xero has not approved yet, to try the approval gate.
pub const UNAPPROVED_CLIENT_ID: &str = "xpmkit-unapproved";

impl AppRegistration {
    /// The demo app: confidential (it has a secret, PKCE works too), loopback redirect URIs, and
    /// every XPM scope approved.
    pub fn demo() -> Self {
        Self {
            name: "xpmkit demo app".into(),
            client_id: DEMO_CLIENT_ID.into(),
            client_secret: Some(SecretString::from(DEMO_CLIENT_SECRET)),
            redirect_uris: default_redirect_uris(),
            requested_scopes: Scope::ALL.into_iter().collect(),
            approved_scopes: Scope::ALL.into_iter().collect(),
        }
    }

    /// A public PKCE app that has requested XPM access but is not approved yet.
    pub fn unapproved_demo() -> Self {
        Self {
            name: "xpmkit app awaiting approval".into(),
            client_id: UNAPPROVED_CLIENT_ID.into(),
            client_secret: None,
            redirect_uris: default_redirect_uris(),
            requested_scopes: Scope::ALL.into_iter().collect(),
            approved_scopes: BTreeSet::new(),
        }
    }
}

fn default_redirect_uris() -> Vec<String> {
    ["http://localhost:8765/callback", "http://127.0.0.1:8765/callback"].map(String::from).to_vec()
}

/// A practice to create at start.
#[derive(Debug, Clone)]
pub struct PracticeSeed {
    /// Tenant name shown in `/connections`.
    pub name: String,
    /// Number of clients to generate.
    pub clients: usize,
    /// Seed of the deterministic generator.
    pub seed: u64,
}

impl Default for PracticeSeed {
    fn default() -> Self {
        Self { name: "Demo Practice (AU)".into(), clients: 250, seed: 2026 }
    }
}

impl PracticeSeed {
    /// `count` practices of `clients` clients each, all deterministic from `seed`, as Xero's
    /// consent screen offers a user who works for several firms. The first is the usual demo
    /// practice (`Demo Practice (AU)`, seeded with `seed`), so one practice is what it always
    /// was; practice `n` is `Demo Practice n (AU)` with its own seed (so its own data and tenant
    /// id).
    pub fn numbered(count: usize, clients: usize, seed: u64) -> Vec<Self> {
        (1..=count)
            .map(|number| match number {
                1 => Self { clients, seed, ..Self::default() },
                _ => Self { name: format!("Demo Practice {number} (AU)"), clients, seed: practice_seed(seed, number) },
            })
            .collect()
    }
}

/// The seed of practice `number` (from 2): SplitMix64's finaliser over the base seed and the
/// number, so neighbouring practices get unrelated streams rather than shifted copies
/// (<https://prng.di.unimi.it/splitmix64.c>).
fn practice_seed(seed: u64, number: usize) -> u64 {
    let mut mixed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(number as u64));
    mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    mixed ^ (mixed >> 31)
}

/// The Xero user who consents.
#[derive(Debug, Clone)]
pub struct DemoUser {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Email (also `preferred_username`).
    pub email: String,
}

impl Default for DemoUser {
    fn default() -> Self {
        Self { given_name: "Demo".into(), family_name: "Accountant".into(), email: "demo@practice.example".into() }
    }
}

/// Token and code lifetimes (Xero's values by default).
#[derive(Debug, Clone, Copy)]
pub struct TokenLifetimes {
    /// Access tokens: 30 minutes.
    pub access_token: Duration,
    /// A rotated-out refresh token stays usable this long: 30 minutes.
    pub refresh_grace: Duration,
    /// An unused refresh token expires after: 60 days.
    pub refresh_token: Duration,
    /// Authorisation codes: 5 minutes, single use.
    pub authorization_code: Duration,
}

impl Default for TokenLifetimes {
    fn default() -> Self {
        Self {
            access_token: Duration::minutes(30),
            refresh_grace: Duration::minutes(30),
            refresh_token: Duration::days(60),
            authorization_code: Duration::minutes(5),
        }
    }
}

/// Rate limits (<https://developer.xero.com/documentation/guides/oauth2/limits/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Whether limits are enforced at all (`--limits off` disables them).
    pub enabled: bool,
    /// Calls in flight per tenant: 5.
    pub concurrent: u32,
    /// Calls per tenant per minute window: 60.
    pub per_minute: u32,
    /// Calls per tenant per day window: 5,000 (1,000 for Starter-tier apps).
    pub per_day: u32,
    /// Calls per app per minute across tenants: 10,000.
    pub app_per_minute: u32,
    /// Fixed windows start at a per-tenant offset, as Xero's do; `false` aligns them to the clock.
    pub offset_windows: bool,
    /// Send `Retry-After` on app-wide 429s (Xero does not promise it).
    pub retry_after_on_app_limit: bool,
}

impl LimitSettings {
    /// Xero's limits.
    pub const XERO: Self = Self {
        enabled: true,
        concurrent: 5,
        per_minute: 60,
        per_day: 5_000,
        app_per_minute: 10_000,
        offset_windows: true,
        retry_after_on_app_limit: false,
    };

    /// No limits (headers are still sent).
    pub const OFF: Self = Self { enabled: false, ..Self::XERO };
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self::XERO
    }
}

/// How bodies are negotiated and how XML errors are shaped.
#[derive(Debug, Clone)]
pub struct ContentSettings {
    /// With `Xero-Features: practice-strict-content-type`, answer 406 for an `Accept` the API
    /// cannot produce and 415 for a body whose `Content-Type` does not match (undocumented; on).
    pub strict_rejects_mismatch: bool,
    /// Operations (by id) whose XML errors come back as HTTP 200 with `<Status>ERROR</Status>`,
    /// which Xero says some requests do. `*` means all.
    pub xml_errors_as_200: BTreeSet<String>,
}

impl Default for ContentSettings {
    fn default() -> Self {
        Self { strict_rejects_mismatch: true, xml_errors_as_200: BTreeSet::new() }
    }
}
