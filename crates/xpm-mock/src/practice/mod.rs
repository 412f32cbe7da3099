//! The practices (XPM tenants) and their data, in memory.
//!
//! A practice's data is split in two books with one owner each: the [`Directory`] (clients,
//! contacts, groups, relationships, staff, and client/contact custom field values) and the
//! [`Work`] book (jobs, job tasks, task types, time, categories, job states, templates, costs,
//! invoices, quotes, custom field definitions and job/task/cost/time custom field values).

pub mod directory;
mod patch;
pub mod work;

#[cfg(test)]
mod seed_digest;

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::RwLock;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

pub use self::directory::Directory;
pub use self::work::Work;
use crate::config::PracticeSeed;

/// One XPM practice: a tenant and everything in it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Practice {
    /// The tenant id (`Xero-Tenant-Id`).
    pub tenant_id: Uuid,
    /// The tenant name in `/connections`.
    pub name: String,
    /// Clients, contacts, groups, relationships, staff.
    pub directory: Directory,
    /// Jobs, time and everything priced or scheduled.
    pub work: Work,
}

impl Practice {
    /// A practice generated from `seed`: the same seed gives the same data on every start.
    pub fn generate(seed: &PracticeSeed) -> Self {
        let mut random = ChaCha8Rng::seed_from_u64(seed.seed);
        let directory = Directory::generate(seed, &mut random);
        let work = Work::generate(seed, &directory, &mut random);
        Self { tenant_id: tenant_id_for(seed), name: seed.name.clone(), directory, work }
    }
}

/// Tenant ids are derived from the seed and name so that they are the same on every start.
fn tenant_id_for(seed: &PracticeSeed) -> Uuid {
    use rand::RngCore;
    let mut mixed = seed.seed;
    for byte in seed.name.bytes() {
        mixed = mixed.rotate_left(8) ^ u64::from(byte);
    }
    let mut bytes = [0u8; 16];
    ChaCha8Rng::seed_from_u64(mixed).fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// All practices, each behind its own lock so tenants never wait on each other.
#[derive(Debug, Default)]
pub struct Practices {
    by_tenant: HashMap<Uuid, Arc<RwLock<Practice>>>,
    order: Vec<Uuid>,
}

impl Practices {
    /// Generates the practices in `seeds`.
    pub fn generate(seeds: &[PracticeSeed]) -> Self {
        let mut practices = Self::default();
        for seed in seeds {
            let practice = Practice::generate(seed);
            practices.order.push(practice.tenant_id);
            practices.by_tenant.insert(practice.tenant_id, Arc::new(RwLock::new(practice)));
        }
        practices
    }

    /// Practices read back from the emulator's state file, in their order there.
    pub(crate) fn restore(practices: impl IntoIterator<Item = Practice>) -> Self {
        let mut restored = Self::default();
        for practice in practices {
            restored.order.push(practice.tenant_id);
            restored.by_tenant.insert(practice.tenant_id, Arc::new(RwLock::new(practice)));
        }
        restored
    }

    /// Every practice, in configuration order.
    pub(crate) fn each(&self) -> Vec<Arc<RwLock<Practice>>> {
        self.order.iter().filter_map(|tenant| self.by_tenant.get(tenant).cloned()).collect()
    }

    /// The practice for a tenant.
    pub fn get(&self, tenant: Uuid) -> Option<Arc<RwLock<Practice>>> {
        self.by_tenant.get(&tenant).cloned()
    }

    /// Tenant ids and names, in configuration order.
    pub fn tenants(&self) -> Vec<(Uuid, String)> {
        self.order
            .iter()
            .filter_map(|tenant| self.by_tenant.get(tenant).map(|practice| (*tenant, practice.read().name.clone())))
            .collect()
    }
}
