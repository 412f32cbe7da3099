//! The state every handler shares.

use std::net::SocketAddr;

use parking_lot::RwLock;

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::identity::IdentityState;
use crate::journal::Journal;
use crate::limits::RateLimiter;
use crate::practice::Practices;
use crate::state::{StateError, StateKeeper};

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
    /// The state file, when the emulator keeps one.
    pub(crate) state: Option<StateKeeper>,
    base_url: RwLock<String>,
    bound: RwLock<Option<SocketAddr>>,
}

impl Shared {
    pub(crate) fn new(config: EmulatorConfig, clock: Clock, fault_seed: u64) -> Self {
        let practices = Practices::generate(&config.practices);
        let identity = IdentityState::new(&config);
        Self::from_parts(config, clock, identity, practices, fault_seed)
    }

    /// State from its parts (a state file's practices and identity), with no state file yet.
    pub(crate) fn from_parts(
        config: EmulatorConfig,
        clock: Clock,
        identity: IdentityState,
        practices: Practices,
        fault_seed: u64,
    ) -> Self {
        Self {
            identity,
            practices,
            limits: RateLimiter::new(config.limits),
            faults: Faults::new(fault_seed),
            journal: Journal::new(100_000),
            clock,
            config,
            state: None,
            base_url: RwLock::new("http://127.0.0.1".to_owned()),
            bound: RwLock::new(None),
        }
    }

    /// Saves the state file now; nothing to do without one.
    pub(crate) fn save_state(&self) -> Result<(), StateError> {
        match &self.state {
            Some(keeper) => keeper.save(self),
            None => Ok(()),
        }
    }

    /// The URL clients reach the emulator at (set when it starts listening).
    pub(crate) fn base_url(&self) -> String {
        self.base_url.read().clone()
    }

    /// Records the address the emulator listens on, and the base URL that follows from it.
    pub(crate) fn set_bound(&self, address: SocketAddr) {
        *self.base_url.write() = format!("http://{address}");
        *self.bound.write() = Some(address);
    }

    /// The address the emulator listens on; `None` for a router used without a listener.
    pub(crate) fn bound_address(&self) -> Option<SocketAddr> {
        *self.bound.read()
    }
}
