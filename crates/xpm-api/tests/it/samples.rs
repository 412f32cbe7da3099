//! Golden tests: every real XPM 3.1 sample decodes with the values it holds.

use std::path::PathBuf;

use xpm_api::model::{Client, Staff};
use xpm_api::response::{XmlList, decode_single};
use xpm_api::value::{Uuid, YesNo};

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn uuid(text: &str) -> Option<Uuid> {
    Some(Uuid::parse_str(text).expect("test uuid"))
}

#[test]
fn client_get_decodes_every_field() {
    let single = decode_single::<Client, _>(&sample("client.get.xml")[..]).expect("decodes");
    assert_eq!(single.envelope.api_method.as_deref(), Some("Get"));
    let client = single.item.expect("has a client");
    assert_eq!(client.uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(client.name.as_deref(), Some("Test Company"));
    assert_eq!(client.city.as_deref(), Some("Breakofdawn"));
    assert_eq!(client.postal_address.as_deref(), Some(""), "self-closing elements are present but empty");
    assert_eq!(client.title, None, "absent elements stay absent");
    assert_eq!(client.is_prospect, Some(YesNo::No));
    assert_eq!(client.account_manager.as_ref().and_then(|m| m.name.as_deref()), Some("Account Manager"));
    assert_eq!(client.tax_number.as_deref(), Some(""));
    assert_eq!(client.business_number.as_deref(), Some("53 004 085 616"));
    assert_eq!(client.business_structure.as_deref(), Some("Trust"));
    assert_eq!(client.agency_status.as_deref(), Some("Unlinked"));
    let auto_bas = client.auto_bas_opt_in_criteria.as_ref().expect("auto bas");
    assert_eq!(auto_bas.opt_out, Some(YesNo::Yes));
    assert_eq!(auto_bas.annually, Some(YesNo::No));
    assert_eq!(client.bank_name.as_deref(), Some("Mark Arnold"));
    assert_eq!(client.client_code.as_deref(), Some("ABC01"));
    let contacts = client.contacts.as_ref().expect("contacts");
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].position.as_deref(), Some("Test"));
    assert_eq!(contacts[0].is_primary, Some(YesNo::Yes));
    assert_eq!(contacts[1].mobile.as_deref(), Some("0411 123 123"));
    let notes = client.notes.as_ref().expect("notes");
    assert_eq!(notes[0].date.map(|date| date.to_string()).as_deref(), Some("2025-07-15T10:41:50"));
    assert_eq!(notes[0].created_by.as_deref(), Some("Staff Member"));
    let groups = client.groups.as_ref().expect("groups");
    assert_eq!(groups.iter().filter_map(|g| g.name.as_deref()).collect::<Vec<_>>(), ["Family Group", "Company Group"]);
    assert_eq!(client.relationships.as_deref(), Some(&[][..]));
    assert_eq!(client.web_url.as_deref(), Some("https://practicemanager.xero.com/Client/1111111/Detail"));
}

#[test]
fn client_list_streams_every_client() {
    let body = sample("client.list.xml");
    let list = XmlList::<_, Client>::new(&body[..]);
    let (clients, envelope) = list.collect_all().expect("decodes");
    assert_eq!(envelope.api_method.as_deref(), Some("List"));
    assert!(clients.len() >= 2, "{} clients", clients.len());
    assert!(clients.iter().all(|client| client.uuid.is_some() && client.name.is_some()));
    assert!(clients.iter().all(|client| client.is_deleted.is_some()));
}

#[test]
fn paged_list_pages_carry_next_links_until_the_last() {
    let body = sample("paged-client.list.xml");
    let mut first = XmlList::<_, Client>::new(&body[..]);
    let names: Vec<String> = first.by_ref().map(|client| client.expect("decodes").name.unwrap_or_default()).collect();
    assert_eq!(names, ["Test Company", "Test Pty Ltd"]);
    let pagination = first.pagination().expect("pagination");
    assert_eq!(
        pagination.next_page_token().as_deref(),
        Some("Pb5pi6pTp2muZDf-qhr3pDW6b5C2UqpzqmVS56sQ_a0_0WqKt1enca9o")
    );
    let links = pagination.links.as_ref().expect("links");
    assert_eq!(
        links.first.as_deref(),
        Some("https://api.xero.com/practicemanager/3.1/client.api/paged-list?pageSize=2")
    );

    let body = sample("paged-client-page-2.list.xml");
    let mut last = XmlList::<_, Client>::new(&body[..]);
    assert_eq!(last.by_ref().count(), 1);
    let pagination = last.pagination().expect("pagination");
    assert_eq!(pagination.next_page_token(), None, "the last page has no Next link");
}

#[test]
fn staff_list_and_get_decode() {
    let body = sample("staff.list.xml");
    let (staff, _) = XmlList::<_, Staff>::new(&body[..]).collect_all().expect("decodes");
    assert_eq!(staff.len(), 2);
    assert_eq!(staff[0].payroll_code.as_deref(), Some("JB"));
    assert_eq!(staff[1].phone.as_deref(), Some(""));
    let single = decode_single::<Staff, _>(&sample("staff.get.xml")[..]).expect("decodes");
    let member = single.item.expect("staff");
    assert_eq!(member.uuid, uuid("f8235e1a-d383-48b7-9139-ba97ab8ca889"));
    assert_eq!(member.email.as_deref(), Some("jo@bloggs.net"));
}
