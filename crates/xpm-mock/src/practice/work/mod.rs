//! Jobs, tasks, time, and the practice's price list, templates and states.

use rand_chacha::ChaCha8Rng;

use super::Directory;
use crate::config::PracticeSeed;

/// The practice's work book.
#[derive(Debug, Default)]
pub struct Work {}

impl Work {
    /// Generates the work book for `seed`, referring to the directory's clients and staff.
    pub fn generate(_seed: &PracticeSeed, _directory: &Directory, _random: &mut ChaCha8Rng) -> Self {
        Self {}
    }
}
