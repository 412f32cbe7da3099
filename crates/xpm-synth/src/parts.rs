//! A client's collections: contacts, notes and relationships to other clients.

use chrono::NaiveTime;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use xpm_api::model::{Contact, NamedRef, Note, Relationship};
use xpm_api::value::{Decimal, XpmDate, YesNo};

use super::client::{flag, random_date, weighted};
use super::identity::{ClientKind, Identity, client_rng, draw_identity, person_name, pick, random_uuid};
use super::numbers::{landline, mobile};
use super::pools::{FAMILY_POSITIONS, FIRST_NAMES, LAST_NAMES, NOTE_FOLDERS, NOTE_TITLES, POSITIONS, TITLES};
use super::practice::Practice;
use super::text::{business_domain, free_mail_domain, note_text, person_email};

/// One to four contacts; the first is primary. An individual's first contact is the person.
pub(super) fn contacts(rng: &mut ChaCha8Rng, identity: &Identity) -> Vec<Contact> {
    let count = 1 + weighted(rng, &[40, 30, 20, 10]);
    let business = identity.kind != ClientKind::Individual;
    let domain = business.then(|| business_domain(&identity.name, identity.country));
    (0..count)
        .map(|position| {
            let (first_name, last_name) = if position == 0 && !business {
                (identity.first_name, identity.last_name)
            } else if !business && rng.random_bool(0.6) {
                (pick(rng, FIRST_NAMES), identity.last_name)
            } else {
                (pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))
            };
            let country = identity.country;
            let email_domain = domain.as_deref().unwrap_or_else(|| free_mail_domain(rng, country));
            let role = match (business, position) {
                (false, 0) => "",
                (false, _) => pick(rng, FAMILY_POSITIONS),
                (true, _) => pick(rng, POSITIONS),
            };
            let salutation = match rng.random_range(0..5) {
                0 | 1 => format!("Dear {first_name}"),
                2 => first_name.to_owned(),
                _ => String::new(),
            };
            let addressee = if rng.random_bool(0.3) {
                let initial = first_name.chars().next().unwrap_or('A');
                format!("{} {initial} {last_name}", pick(rng, TITLES))
            } else {
                String::new()
            };
            // Fields are drawn in this order; changing it changes every seed's contacts.
            let mut contact = Contact::default();
            contact.uuid = Some(random_uuid(rng));
            contact.name = Some(person_name(first_name, last_name));
            contact.mobile = Some(if rng.random_bool(0.7) { mobile(rng, country) } else { String::new() });
            contact.email = Some(if rng.random_bool(0.9) {
                person_email(rng, first_name, last_name, email_domain)
            } else {
                String::new()
            });
            contact.phone = Some(if rng.random_bool(0.5) { landline(rng, country) } else { String::new() });
            contact.salutation = Some(salutation);
            contact.addressee = Some(addressee);
            contact.position = Some(role.to_owned());
            contact.is_primary = Some(YesNo::from(position == 0));
            contact.is_deleted = flag(rng, 0.03);
            contact
        })
        .collect()
}

/// Zero to three notes written by the practice's staff.
pub(super) fn notes(rng: &mut ChaCha8Rng, practice: &Practice) -> Vec<Note> {
    let count = weighted(rng, &[15, 40, 30, 15]);
    (0..count)
        .map(|_| {
            let seconds = rng.random_range(7 * 3600..19 * 3600);
            let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or(NaiveTime::MIN);
            let mut note = Note::default();
            note.title = Some(pick(rng, NOTE_TITLES).to_owned());
            note.text = Some(note_text(rng));
            note.folder = Some(pick(rng, NOTE_FOLDERS).to_owned());
            note.date = random_date(rng, 2015, 2025).map(|date| XpmDate::date_time(date.and_time(time)));
            note.created_by = practice.pick_manager(rng).name;
            note
        })
        .collect()
}

/// Zero to two relationships to other clients, typed by what the two parties are.
pub(super) fn relationships(
    rng: &mut ChaCha8Rng,
    practice: &Practice,
    index: u32,
    identity: &Identity,
) -> Vec<Relationship> {
    let clients = practice.spec().clients;
    if clients < 2 {
        return Vec::new();
    }
    let count = weighted(rng, &[45, 35, 20]);
    (0..count)
        .map(|_| {
            let other_index = (index + rng.random_range(1..clients)) % clients;
            let other = draw_identity(&mut client_rng(practice.spec().seed, other_index));
            let relationship_type = relationship_type(rng, identity.kind, other.kind);
            let mut relationship = Relationship::default();
            relationship.uuid = Some(random_uuid(rng));
            relationship.relationship_type = Some(relationship_type.to_owned());
            relationship.related_client = Some(NamedRef::new(other.uuid, other.name));
            relationship.start_date =
                rng.random_bool(0.6).then(|| random_date(rng, 1990, 2025).map(XpmDate::date)).flatten();
            match relationship_type {
                "Shareholder" | "Owner" => relationship.number_of_shares = Some(rng.random_range(1..=200) * 50),
                "Partner" => relationship.percentage = Some(Decimal::new(rng.random_range(5..=95) * 500, 2)),
                _ => {}
            }
            relationship
        })
        .collect()
}

fn relationship_type(rng: &mut impl Rng, from: ClientKind, to: ClientKind) -> &'static str {
    use ClientKind::{Company, Individual, Partnership, Trust};
    let pool: &[&str] = match (from, to) {
        (Company, Individual) | (Individual, Company) => &["Director", "Shareholder", "Secretary", "Public Officer"],
        (Trust, Individual) | (Individual, Trust) => &["Trustee", "Beneficiary", "Appointer", "Settlor"],
        (Partnership, _) | (_, Partnership) => &["Partner"],
        (Individual, Individual) => &["Spouse", "Husband", "Wife", "Parent Of", "Child Of"],
        (Company, Company) => &["Shareholder", "Owner", "Associate"],
        (Trust, Company) | (Company, Trust) => &["Trustee", "Shareholder", "Beneficiary"],
        (Trust, Trust) => &["Beneficiary", "Associate"],
    };
    pick(rng, pool)
}
