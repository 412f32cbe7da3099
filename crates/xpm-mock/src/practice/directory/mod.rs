//! Clients, contacts, groups, relationships and staff.

use rand_chacha::ChaCha8Rng;

use crate::config::PracticeSeed;

/// The practice's directory.
#[derive(Debug, Default)]
pub struct Directory {}

impl Directory {
    /// Generates the directory for `seed`.
    pub fn generate(_seed: &PracticeSeed, _random: &mut ChaCha8Rng) -> Self {
        Self {}
    }
}
