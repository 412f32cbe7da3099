//! The directory a practice starts with, generated from its seed.

use std::sync::Arc;

use chrono::DateTime;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;
use xpm_api::model::{ClientGroup, Staff};
use xpm_api::value::YesNo;
use xpm_synth::{Practice as SynthPractice, PracticeSpec};

use super::book::Directory;
use crate::config::PracticeSeed;

/// Out of 1,000 clients: this many are deleted, and the next `ARCHIVED_PER_MILLE` archived.
const DELETED_PER_MILLE: u32 = 20;
const ARCHIVED_PER_MILLE: u32 = 50;
/// Out of 1,000 clients, this many also list a contact of another client (the same bookkeeper
/// or director looking after several entities).
const SHARED_CONTACT_PER_MILLE: u32 = 40;
const SHARED_POSITIONS: &[&str] = &["Director", "Trustee", "Bookkeeper", "Accountant", "Authorised Contact"];
/// Seeded clients last changed between 2019-01-01 and mid-2025, long before any test runs.
const SEED_MODIFIED_FROM: i64 = 1_546_300_800;
const SEED_MODIFIED_SPAN: i64 = 205_000_000;

impl Directory {
    /// Generates the directory for `seed`: `seed.clients` clients (individuals, companies,
    /// trusts and partnerships in Australia, New Zealand and the UK, from [`xpm_synth`])
    /// with one to four contacts each, some contacts shared between clients, about 5% of clients
    /// archived and 2% deleted, 40 staff and 40 groups.
    ///
    /// Clients come from the synth generator seeded with `seed.seed`; what the directory adds
    /// (archived and deleted flags, shared contacts, modification times, taxable groups) is
    /// drawn from `random`. The same seed gives the same directory on every start.
    pub fn generate(seed: &PracticeSeed, random: &mut ChaCha8Rng) -> Self {
        let count = u32::try_from(seed.clients).unwrap_or(u32::MAX);
        let synth = SynthPractice::new(PracticeSpec { seed: seed.seed, clients: count });
        let mut directory = Directory {
            next_web_id: 1_100_000 + u64::from(count) * 7 + 7,
            staff: synth.staff().iter().map(|staff| Arc::new(seeded_staff(staff))).collect(),
            groups: synth
                .groups()
                .iter()
                .map(|group| {
                    let mut seeded = ClientGroup::default();
                    seeded.uuid = group.uuid;
                    seeded.name.clone_from(&group.name);
                    seeded.taxable = Some(YesNo::from(random.random_bool(0.3)));
                    Arc::new(seeded)
                })
                .collect(),
            ..Directory::default()
        };
        directory.clients.reserve(seed.clients);
        directory.client_index.reserve(seed.clients);
        directory.contacts.reserve(seed.clients * 2);
        directory.contact_index.reserve(seed.clients * 2);
        for mut client in synth.clients() {
            let Some(uuid) = client.uuid else { continue };
            let roll = random.random_range(0..1000);
            client.is_deleted = Some(YesNo::from(roll < DELETED_PER_MILLE));
            client.is_archived =
                Some(YesNo::from((DELETED_PER_MILLE..DELETED_PER_MILLE + ARCHIVED_PER_MILLE).contains(&roll)));
            for relationship in client.relationships.iter().flatten() {
                if let Some(relationship_id) = relationship.uuid {
                    directory.relationship_owner.insert(relationship_id, uuid);
                }
            }
            let contacts = client.contacts.take().unwrap_or_default();
            let seconds = SEED_MODIFIED_FROM + random.random_range(0..SEED_MODIFIED_SPAN);
            directory.push_client(client, DateTime::from_timestamp(seconds, 0).unwrap_or_default());
            for contact in contacts {
                let Some(contact_id) = contact.uuid else { continue };
                let position = contact.position.clone();
                let is_primary = contact.is_primary.map(YesNo::is_yes);
                directory.push_contact(contact);
                directory.link(uuid, contact_id, position, is_primary);
            }
            directory.share_a_contact(uuid, random);
        }
        directory
    }

    /// Sometimes links the first contact of an earlier client to `client` as well.
    fn share_a_contact(&mut self, client: Uuid, random: &mut ChaCha8Rng) {
        let earlier = self.clients.len().saturating_sub(1);
        if earlier == 0 || random.random_range(0..1000) >= SHARED_CONTACT_PER_MILLE {
            return;
        }
        let other = random.random_range(0..earlier);
        let position = SHARED_POSITIONS[random.random_range(0..SHARED_POSITIONS.len())];
        let shared = self.clients.get(other).and_then(|entry| entry.contacts.first()).map(|link| link.contact);
        let already_linked =
            self.entry(client).is_some_and(|entry| entry.contacts.iter().any(|link| Some(link.contact) == shared));
        if let (Some(contact), false) = (shared, already_linked) {
            self.link(client, contact, Some(position.to_owned()), Some(false));
        }
    }
}

/// A synth staff member with the web address XPM 3.1 gives staff.
fn seeded_staff(staff: &Staff) -> Staff {
    let mut seeded = staff.clone();
    seeded.web_url = staff.uuid.map(staff_web_url);
    seeded
}

/// `https://practicemanager.xero.com/app/staff/<uuid>/information`, as in Xero's samples.
pub(super) fn staff_web_url(uuid: Uuid) -> String {
    format!("https://practicemanager.xero.com/app/staff/{uuid}/information")
}
