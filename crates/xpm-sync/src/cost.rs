//! What operations cost: calls (Xero counts them against a practice's 5,000 a day) and bytes
//! (Xero meters API egress), estimated from the practice's size.

/// How complete the client data must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Fidelity {
    /// Every field and link: contacts with their position and primary flag at each client,
    /// groups, relationships. Only the detailed client list carries them all.
    #[default]
    Complete,
    /// Clients and contacts without links: `client.api/paged-list` (a reduced client shape) and
    /// `client.api/contacts` are enough.
    Basic,
}

/// Sizes that turn a practice's size into bytes, and the rate at which calls and bytes trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostModel {
    /// A detailed client (`client.api/list?detailed=true`) with its contacts, notes, groups and
    /// relationships. A generated 15,000-client practice writes 47 MB: about 3,150 bytes each.
    pub detailed_client_bytes: u64,
    /// A `paged-list` item (the reduced shape).
    pub paged_client_bytes: u64,
    /// A `client.api/contacts` item.
    pub contact_bytes: u64,
    /// A job in `job.api/current` or `job.api/list`.
    pub job_bytes: u64,
    /// A time entry.
    pub time_bytes: u64,
    /// The bytes one call is worth when choosing between approaches: the call budget is small
    /// (5,000 a day) while bytes are cheap, so by default one call weighs as much as a megabyte.
    pub bytes_per_call: u64,
    /// Clients assumed when the practice was never synced.
    pub unknown_practice_clients: u64,
    /// The share of clients assumed changed between runs, in thousandths.
    pub changed_per_thousand: u64,
}

impl Default for CostModel {
    fn default() -> Self {
        Self {
            detailed_client_bytes: 3_150,
            paged_client_bytes: 1_100,
            contact_bytes: 420,
            job_bytes: 900,
            time_bytes: 450,
            bytes_per_call: 1_000_000,
            unknown_practice_clients: 1_000,
            changed_per_thousand: 10,
        }
    }
}

impl CostModel {
    /// The weighed cost of `calls` calls moving `bytes` bytes, for comparing approaches.
    pub fn weigh(&self, calls: u32, bytes: u64) -> u64 {
        u64::from(calls).saturating_mul(self.bytes_per_call).saturating_add(bytes)
    }
}
