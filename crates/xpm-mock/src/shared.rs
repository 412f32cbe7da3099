//! The state every handler shares.

use parking_lot::RwLock;

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::identity::IdentityState;
use crate::journal::Journal;
use crate::limits::RateLimiter;
use crate::practice::Practices;

/// Shared emulator state, behind an `Arc` in the router.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) clock: Clock,
    pub(crate) identity: IdentityState,
    pub(crate) practices: Practices,
    pub(crate) limits: RateLimiter,
    pub(crate) faults: Faults,
    pub(crate) journal: Journal,
    base_url: RwLock<String>,
}

impl Shared {
    pub(crate) fn new(config: EmulatorConfig, clock: Clock, fault_seed: u64) -> Self {
        let practices = Practices::generate(&config.practices);
        let identity = IdentityState::new(&config);
        let limits = RateLimiter::new(config.limits);
        Self {
            identity,
            practices,
            limits,
            faults: Faults::new(fault_seed),
            journal: Journal::new(100_000),
            clock,
            config,
            base_url: RwLock::new("http://127.0.0.1".to_owned()),
        }
    }

    /// The URL clients reach the emulator at (set when it starts listening).
    pub(crate) fn base_url(&self) -> String {
        self.base_url.read().clone()
    }

    pub(crate) fn set_base_url(&self, url: String) {
        *self.base_url.write() = url;
    }
}
