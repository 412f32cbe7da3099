use xpm_api::model::Client;
use xpm_api::response::XmlList;
use xpm_api::value::YesNo;

use super::*;

fn body(spec: PracticeSpec, layout: Layout) -> Vec<u8> {
    let mut body = Vec::new();
    let summary = Practice::new(spec).write_client_list(&mut body, layout).expect("writing to a Vec cannot fail");
    assert_eq!(summary.bytes, body.len() as u64);
    assert_eq!(summary.clients, spec.clients);
    body
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_different_ones() {
    let spec = PracticeSpec { seed: 11, clients: 200 };
    let first = body(spec, Layout::Indented);
    assert_eq!(first, body(spec, Layout::Indented));
    assert_ne!(first, body(PracticeSpec { seed: 12, ..spec }, Layout::Indented));
}

#[test]
fn a_client_does_not_depend_on_how_many_follow_it() {
    let small = Practice::new(PracticeSpec { seed: 3, clients: 50 });
    let large = Practice::new(PracticeSpec { seed: 3, clients: 5_000 });
    // Relationships pick partners among all clients, so only the clients' own fields agree.
    let strip = |client: Option<Client>| {
        client.map(|mut client| {
            client.relationships = None;
            client.billing_client = None;
            client
        })
    };
    assert_eq!(strip(small.client(7)), strip(large.client(7)));
    assert_eq!(small.client(50), None);
}

#[test]
fn the_document_decodes_back_to_exactly_the_generated_clients() {
    let spec = PracticeSpec { seed: 5, clients: 300 };
    let expected: Vec<Client> = Practice::new(spec).clients().collect();
    for layout in [Layout::Indented, Layout::Compact] {
        let body = body(spec, layout);
        let (decoded, envelope) = XmlList::<_, Client>::new(&body[..]).collect_all().expect("decodes");
        assert_eq!(envelope.api_method.as_deref(), Some("List"));
        assert_eq!(decoded.len(), expected.len());
        for (index, (decoded, expected)) in decoded.iter().zip(&expected).enumerate() {
            assert_eq!(decoded, expected, "client {index} in {layout:?} layout");
        }
    }
}

#[test]
fn the_indented_layout_matches_xero_samples() {
    let body = body(PracticeSpec { seed: 1, clients: 2 }, Layout::Indented);
    let text = String::from_utf8(body).expect("utf-8");
    assert!(text.starts_with(
        "<Response api-method=\"List\">\n    <Status>OK</Status>\n    <Clients>\n        <Client>\n            <UUID>"
    ));
    assert!(text.ends_with("        </Client>\n    </Clients>\n</Response>"));
    assert!(text.contains("\n            <PostalCity/>\n") || text.contains("\n            <PostalCity>"));
}

/// The content the benchmark and the emulator rely on is really there, in realistic shares.
#[test]
fn the_content_covers_what_real_practices_hold() {
    let spec = PracticeSpec { seed: PracticeSpec::DEFAULT_SEED, clients: 2_000 };
    let practice = Practice::new(spec);
    let clients: Vec<Client> = practice.clients().collect();
    let share = |test: &dyn Fn(&Client) -> bool| clients.iter().filter(|c| test(c)).count() * 100 / clients.len();
    let text = String::from_utf8(body(spec, Layout::Indented)).expect("utf-8");

    assert_eq!(practice.staff().len(), 40);
    assert!((40..70).contains(&share(&|c| c.first_name.is_some())), "individuals");
    assert!((20..40).contains(&share(&|c| c.business_structure.as_deref() == Some("Company"))), "companies");
    assert!(
        share(&|c| c.business_structure.as_deref().is_some_and(|s| s.contains("Trust") || s.contains("Fund"))) >= 8
    );
    assert!(share(&|c| c.address.as_deref().is_some_and(|a| a.contains('\n'))) >= 15, "multi-line addresses");
    assert!(share(&|c| c.tax_number.as_deref().is_some_and(|t| t.starts_with("******"))) >= 80);
    assert!(clients.iter().all(|c| (1..=4).contains(&c.contacts.as_ref().map_or(0, Vec::len))));
    assert!(clients.iter().all(|c| c.notes.as_ref().map_or(0, Vec::len) <= 3));
    assert!(clients.iter().all(|c| c.groups.as_ref().map_or(0, Vec::len) <= 2));
    assert!(clients.iter().all(|c| c.relationships.as_ref().map_or(0, Vec::len) <= 2));
    assert!(clients.iter().all(|c| {
        let contacts = c.contacts.as_deref().unwrap_or_default();
        contacts.iter().filter(|contact| contact.is_primary == Some(YesNo::Yes)).count() == 1
    }));
    for needle in ["&amp; Sons &lt;Holdings&gt;", "ā", "é", "王", "🙂", "<Fax/>", "<Opt-Out>", "<CostMarkup>12.50<"]
    {
        assert!(text.contains(needle), "{needle:?} never appears");
    }
    assert!(text.contains("<Relationships/>") && text.contains("<NumberOfShares>") && text.contains("<Percentage>"));
}

/// The default list is sized like a large practice's: 45–50 MB for 15,000 clients.
#[test]
fn the_average_client_lands_the_default_list_at_45_to_50_megabytes() {
    let clients = 2_000;
    let bytes = body(PracticeSpec { seed: PracticeSpec::DEFAULT_SEED, clients }, Layout::default()).len();
    let projected = bytes as f64 / f64::from(clients) * f64::from(PracticeSpec::DEFAULT_CLIENTS);
    assert!((45e6..50e6).contains(&projected), "projected {:.1} MB", projected / 1e6);
}

/// FNV-1a: a digest that needs no dependency and never changes with the toolchain.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A seed gives the very bytes it always gave, wherever the generator lives.
#[test]
fn a_seed_writes_the_same_list_as_it_always_has() {
    let spec = PracticeSpec { seed: PracticeSpec::DEFAULT_SEED, clients: 500 };
    let indented = body(spec, Layout::Indented);
    let compact = body(spec, Layout::Compact);
    assert_eq!((indented.len(), fnv1a(&indented)), (2_549_860, 13_405_401_429_513_582_890));
    assert_eq!((compact.len(), fnv1a(&compact)), (1_619_350, 2_244_811_344_079_796_456));
}
