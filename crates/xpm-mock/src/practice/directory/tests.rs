//! The directory's seed and its rules, without HTTP.

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use xpm_api::request::{ClientAddRequest, ClientUpdateRequest, ContactInsertItem, ContactLinkItem};
use xpm_api::value::YesNo;

use super::*;
use crate::config::PracticeSeed;

fn directory(clients: usize, seed: u64) -> Directory {
    let seed = PracticeSeed { name: "Test".into(), clients, seed };
    Directory::generate(&seed, &mut ChaCha8Rng::seed_from_u64(seed.seed))
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
}

fn yes(flag: Option<YesNo>) -> bool {
    flag.is_some_and(YesNo::is_yes)
}

#[test]
fn the_same_seed_gives_the_same_directory() {
    let first = directory(300, 9);
    let second = directory(300, 9);
    let shape = |directory: &Directory| -> Vec<_> {
        directory.client_list(true, None).iter().map(|client| (**client).clone()).collect()
    };
    assert_eq!(shape(&first), shape(&second));
    assert_eq!(first.staff(), second.staff());
    assert_ne!(shape(&first), shape(&directory(300, 10)));
}

#[test]
fn the_seed_has_archived_deleted_shared_and_grouped_clients() {
    let directory = directory(4_000, 2026);
    let clients: Vec<_> = directory.clients().collect();
    let share = |count: usize| count as f64 / clients.len() as f64;
    let archived = clients.iter().filter(|client| yes(client.is_archived)).count();
    let deleted = clients.iter().filter(|client| yes(client.is_deleted)).count();
    assert!((0.035..0.065).contains(&share(archived)), "archived {archived}");
    assert!((0.01..0.03).contains(&share(deleted)), "deleted {deleted}");
    assert_eq!(directory.active_clients().count(), clients.len() - archived - deleted);
    assert_eq!(directory.staff().len(), 40);
    let shared = directory.contacts.iter().filter(|contact| contact.clients.len() > 1).count();
    assert!(shared > 50, "shared contacts {shared}");
    for client in clients.iter().take(200) {
        let uuid = client.uuid.unwrap_or_default();
        let contacts = directory.client_contacts(uuid).count();
        assert!((1..=5).contains(&contacts), "{contacts} contacts");
        assert!(client.contacts.is_none(), "stored clients carry no contacts");
    }
    let groups = directory.groups();
    assert!(!groups.is_empty());
    let members = groups.iter().filter_map(|group| directory.group_detail(group.uuid.unwrap_or_default()));
    assert!(members.map(|group| group.clients.map_or(0, |clients| clients.len())).sum::<usize>() > 1_000);
}

#[test]
fn adding_and_updating_follow_omitted_unchanged_and_empty_cleared() {
    let mut directory = directory(20, 1);
    let manager = directory.staff()[0].uuid;
    let mut request = ClientAddRequest::new("Tūī & Sons <Holdings>");
    request.email = Some("accounts@tui.example".into());
    request.phone = Some("09 123 4567".into());
    request.account_manager_uuid = manager;
    request.gst_period = Some(2);
    request.balance_month = Some("Mar".into());
    request.tax_number = Some("123-456-789".into());
    let mut first = ContactInsertItem::default();
    first.name = Some("Aroha".into());
    first.is_primary = Some(YesNo::Yes);
    let mut second = ContactInsertItem::default();
    second.name = Some("Wiremu".into());
    second.is_primary = Some(YesNo::Yes);
    request.contacts = Some(vec![first, second]);
    let added = directory.add_client(request, now()).expect("added");
    let uuid = added.uuid.expect("uuid");
    assert_eq!(added.gst_period.as_deref(), Some("2 Monthly"));
    assert_eq!(added.balance_month, Some(3));
    assert_eq!(added.tax_number.as_deref(), Some("******789"));
    assert_eq!(added.account_manager.and_then(|manager| manager.name), directory.staff()[0].name.clone());
    let primaries: Vec<_> = added.contacts.iter().flatten().map(|contact| yes(contact.is_primary)).collect();
    assert_eq!(primaries, [false, true], "the last contact marked primary wins");

    let mut update = ClientUpdateRequest::new(uuid);
    update.phone = Some(String::new());
    let later = now() + chrono::Duration::hours(1);
    let updated = directory.update_client(update, later).expect("updated");
    assert_eq!(updated.email.as_deref(), Some("accounts@tui.example"), "omitted stays");
    assert_eq!(updated.phone.as_deref(), Some(""), "empty clears");
    assert_eq!(directory.client_modified(uuid), Some(later));
    assert_eq!(directory.client_list(false, Some(later)).len(), 1);

    let mut nameless = ClientUpdateRequest::new(uuid);
    nameless.name = Some(" ".into());
    assert!(matches!(directory.update_client(nameless, later), Err(DirectoryError::Invalid(_))));
    directory.delete_client(uuid, later).expect("deleted");
    let again = directory.update_client(ClientUpdateRequest::new(uuid), later);
    assert!(matches!(again, Err(DirectoryError::Conflict(_))));
    assert!(directory.client_list(false, None).iter().any(|client| client.uuid == Some(uuid)));
    assert!(directory.active_clients().all(|client| client.uuid != Some(uuid)));
}

#[test]
fn a_contact_links_to_several_clients_with_a_position_each() {
    let mut directory = directory(10, 3);
    let clients: Vec<_> = directory.active_clients().filter_map(|client| client.uuid).take(2).collect();
    let (first, second) = (clients[0], clients[1]);
    let contact = directory.client_contacts(first).next().and_then(|contact| contact.uuid).expect("a contact");
    let mut item = ContactLinkItem::default();
    item.uuid = Some(contact);
    item.position = Some("Auditor".into());
    item.is_primary = Some(YesNo::Yes);
    let linked = directory.link_contacts(second, vec![item], now()).expect("linked");
    assert_eq!(linked[0].position.as_deref(), Some("Auditor"));
    let seen = directory.contact_for_client(contact, second).expect("linked view");
    assert!(yes(seen.is_primary));
    let primaries = directory.detailed_client(second).and_then(|client| client.contacts).unwrap_or_default();
    assert_eq!(primaries.iter().filter(|contact| yes(contact.is_primary)).count(), 1);

    directory.delete_contact(contact, Some(second), now()).expect("unlinked");
    assert!(directory.client_contacts(second).all(|linked| linked.uuid != Some(contact)));
    assert!(directory.client_contacts(first).any(|linked| linked.uuid == Some(contact)));
    let too_many = vec![ContactLinkItem::default(); MAX_CONTACTS_PER_LINK + 1];
    assert!(matches!(directory.link_contacts(second, too_many, now()), Err(DirectoryError::Invalid(_))));
}

/// Not an assertion on speed (machines differ), but the number to quote:
/// `cargo test --release -p xpm-mock seed_of_fifteen_thousand -- --nocapture`.
#[test]
fn seed_of_fifteen_thousand_clients() {
    let started = std::time::Instant::now();
    let directory = directory(15_000, 2026);
    let elapsed = started.elapsed();
    assert_eq!(directory.client_count(), 15_000);
    eprintln!("generated 15,000 clients and {} contacts in {elapsed:?}", directory.contacts().count());
}

/// The number to quote for the biggest list: composing 15,000 detailed clients (release:
/// `cargo test --release -p xpm-mock detailed_list_of_fifteen -- --nocapture`).
#[test]
fn detailed_list_of_fifteen_thousand_clients() {
    let directory = directory(15_000, 2026);
    let started = std::time::Instant::now();
    let detailed = directory.client_list(true, None);
    let plain = directory.client_list(false, None);
    eprintln!("composed 15,000 detailed and plain clients in {:?}", started.elapsed());
    assert_eq!((detailed.len(), plain.len()), (15_000, 15_000));
}
