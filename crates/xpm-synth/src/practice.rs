//! A synthetic practice: its staff, client groups, client types and clients, all from one seed.

use std::io;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use xpm_api::model::{Client, ClientType, NamedRef, Staff};
use xpm_api::value::Decimal;

use super::client::build_client;
use super::document::{Layout, WriteSummary, write_client_list};
use super::identity::{Country, pick, random_uuid};
use super::numbers::{landline, mobile};
use super::pools::{CLIENT_TYPES, GROUP_NAMES, LAST_NAMES, STAFF_FIRST_NAMES};
use super::text::slug;

/// How many staff the practice has; clients' account and job managers are drawn from them.
const STAFF_COUNT: usize = 40;

/// How many client groups the practice keeps.
const GROUP_COUNT: usize = 40;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeSpec {
    /// The seed: the same seed always gives the same practice, byte for byte.
    pub seed: u64,
    /// How many clients the practice has.
    pub clients: u32,
}

impl PracticeSpec {
    /// The seed used when none is given.
    pub const DEFAULT_SEED: u64 = 0x5eed_2025;

    /// The client count of a large practice, the size the decode benchmark uses.
    pub const DEFAULT_CLIENTS: u32 = 15_000;
}

impl Default for PracticeSpec {
    fn default() -> Self {
        Self { seed: Self::DEFAULT_SEED, clients: Self::DEFAULT_CLIENTS }
    }
}

/// A deterministic, realistic XPM practice.
///
/// Staff, groups and client types are built up front (a few kilobytes). Clients are generated
/// on demand from their index, each from its own random stream, so a 15,000-client list can be
/// streamed without holding it, and [`Practice::client`] gives any one client directly.
///
/// ```
/// use xpm_synth::{Layout, Practice, PracticeSpec};
///
/// let practice = Practice::new(PracticeSpec { seed: 7, clients: 3 });
/// let mut body = Vec::new();
/// let summary = practice.write_client_list(&mut body, Layout::Indented)?;
/// assert_eq!(summary.clients, 3);
/// assert!(body.starts_with(b"<Response api-method=\"List\">"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Practice {
    spec: PracticeSpec,
    staff: Vec<Staff>,
    groups: Vec<NamedRef>,
    client_types: Vec<ClientType>,
}

impl Practice {
    /// Builds the practice's staff, groups and client types from `spec.seed`.
    pub fn new(spec: PracticeSpec) -> Self {
        // Client streams are numbered by client index (at most `u32::MAX`); the practice-wide
        // data comes from a stream beyond them, so it never overlaps a client's.
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(1 << 32);
        let staff = build_staff(&mut rng);
        let groups = build_groups(&mut rng);
        let client_types = CLIENT_TYPES
            .iter()
            .map(|&(name, markup, term, day)| {
                let mut client_type = ClientType::default();
                client_type.name = Some(name.to_owned());
                client_type.cost_markup = Some(Decimal::new(markup, 2));
                client_type.payment_term = Some(term.to_owned());
                client_type.payment_day = Some(day);
                client_type
            })
            .collect();
        Self { spec, staff, groups, client_types }
    }

    /// What this practice was generated from.
    pub fn spec(&self) -> PracticeSpec {
        self.spec
    }

    /// The practice's staff; every client's account and job manager is one of them.
    pub fn staff(&self) -> &[Staff] {
        &self.staff
    }

    /// The practice's client groups; clients belong to up to two of them.
    pub fn groups(&self) -> &[NamedRef] {
        &self.groups
    }

    /// The client types clients are billed under.
    pub fn client_types(&self) -> &[ClientType] {
        &self.client_types
    }

    /// Client `index` in the detailed (`get`) shape, or `None` past the last client.
    pub fn client(&self, index: u32) -> Option<Client> {
        (index < self.spec.clients).then(|| build_client(self, index))
    }

    /// Every client in order.
    pub fn clients(&self) -> impl Iterator<Item = Client> + '_ {
        (0..self.spec.clients).map(|index| build_client(self, index))
    }

    /// Writes the whole `client.api/list?detailed=true` response to `out`, in chunks of about
    /// 64 KiB, so memory stays flat however many clients there are.
    pub fn write_client_list<W: io::Write>(&self, out: W, layout: Layout) -> io::Result<WriteSummary> {
        write_client_list(self, out, layout)
    }

    /// A staff member as a `<UUID/><Name/>` reference.
    pub(super) fn pick_manager(&self, rng: &mut impl Rng) -> NamedRef {
        let staff = self.staff.choose(rng);
        let mut manager = NamedRef::default();
        manager.uuid = staff.and_then(|staff| staff.uuid);
        manager.name = staff.and_then(|staff| staff.name.clone());
        manager
    }

    /// Up to `count` distinct groups.
    pub(super) fn pick_groups(&self, rng: &mut impl Rng, count: usize) -> Vec<NamedRef> {
        self.groups.choose_multiple(rng, count).cloned().collect()
    }

    /// One of the client types.
    pub(super) fn pick_client_type(&self, rng: &mut impl Rng) -> Option<ClientType> {
        self.client_types.choose(rng).cloned()
    }
}

fn build_staff(rng: &mut ChaCha8Rng) -> Vec<Staff> {
    let mut names: Vec<(&str, &str)> = Vec::with_capacity(STAFF_COUNT);
    while names.len() < STAFF_COUNT {
        let name = (pick(rng, STAFF_FIRST_NAMES), pick(rng, LAST_NAMES));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .enumerate()
        .map(|(index, (first_name, last_name))| {
            let mut staff = Staff::default();
            staff.uuid = Some(random_uuid(rng));
            staff.name = Some(format!("{first_name} {last_name}"));
            staff.email = Some(format!("{}.{}@kowhai.com.au", slug(first_name), slug(last_name)));
            staff.phone = Some(landline(rng, Country::Australia));
            staff.mobile = Some(mobile(rng, Country::Australia));
            staff.address = Some(String::new());
            staff.payroll_code = Some(format!("EMP{:03}", index + 1));
            staff.web_url = Some(format!("https://practicemanager.xero.com/Staff/{}/Detail", 40_100 + index));
            staff
        })
        .collect()
}

fn build_groups(rng: &mut ChaCha8Rng) -> Vec<NamedRef> {
    let mut names: Vec<String> = GROUP_NAMES.iter().map(|&name| name.to_owned()).collect();
    while names.len() < GROUP_COUNT {
        let name = format!("{} Family Group", pick(rng, LAST_NAMES));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.into_iter().map(|name| NamedRef::new(random_uuid(rng), name)).collect()
}
