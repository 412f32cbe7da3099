//! Tolerant decoding: a value XPM sends in a form the model does not expect is kept as text on
//! its item, with its path, instead of failing the list; strict decoding still fails.

use xpm_api::model::Client;
use xpm_api::response::{ResponseError, XmlList};
use xpm_api::xml::{DecodeErrorKind, MAX_UNPARSED, Unparsed, XmlRecord as _};

/// Three clients; the second has a flag reading `Maybe` and a contact whose primary flag reads
/// `Sometimes`.
const LIST: &str = "<Response><Status>OK</Status><Clients>\
    <Client><UUID>6b1d1a1e-6b4c-4b2a-9f3e-0a1b2c3d4e51</UUID><Name>First</Name><IsArchived>No</IsArchived></Client>\
    <Client><UUID>6b1d1a1e-6b4c-4b2a-9f3e-0a1b2c3d4e52</UUID><Name>Second</Name><IsArchived>Maybe</IsArchived>\
      <Contacts><Contact><UUID>7c2e2b2f-7c5d-4c3b-8a4f-1b2c3d4e5f61</UUID><Name>Ana</Name><IsPrimary>Sometimes</IsPrimary></Contact></Contacts>\
      <Email>second@example.com</Email></Client>\
    <Client><UUID>6b1d1a1e-6b4c-4b2a-9f3e-0a1b2c3d4e53</UUID><Name>Third</Name></Client>\
    </Clients></Response>";

#[test]
fn a_tolerant_list_keeps_every_item_and_the_values_it_could_not_parse() {
    let clients: Vec<Client> =
        XmlList::<_, Client>::new(LIST.as_bytes()).tolerant().collect::<Result<_, _>>().expect("a tolerant list");
    assert_eq!(clients.len(), 3);
    let second = &clients[1];
    assert_eq!(second.name.as_deref(), Some("Second"));
    assert_eq!(second.email.as_deref(), Some("second@example.com"), "fields after the odd value are read");
    assert_eq!(second.is_archived, None, "the odd value leaves its field unset");
    let contact = &second.contacts.as_ref().expect("contacts")[0];
    assert_eq!(contact.name.as_deref(), Some("Ana"));
    assert_eq!(contact.is_primary, None);
    assert!(contact.unparsed.is_none(), "kept on the item the list hands out, not the nested record");

    let kept: Vec<(&str, &str, &str)> = second
        .unparsed()
        .iter()
        .map(|kept| (kept.path.as_str(), kept.expected.as_str(), kept.found.as_str()))
        .collect();
    assert_eq!(
        kept,
        [("IsArchived", "Yes/No flag", "Maybe"), ("Contacts/Contact[0]/IsPrimary", "Yes/No flag", "Sometimes")]
    );
    assert!(clients[0].unparsed().is_empty() && clients[2].unparsed().is_empty());

    // The JSON form of the item carries them, so a store that keeps the item's JSON keeps them.
    let json = serde_json::to_value(second).expect("json");
    assert_eq!(json["_unparsed"][0]["found"], "Maybe");
    assert_eq!(json["_unparsed"][1]["path"], "Contacts/Contact[0]/IsPrimary");
    let back: Client = serde_json::from_value(json).expect("back from json");
    assert_eq!(back.unparsed(), second.unparsed());
    assert!(serde_json::to_value(&clients[0]).expect("json").get("_unparsed").is_none());
}

#[test]
fn strict_decoding_fails_on_the_same_value() {
    let result: Result<Vec<Client>, _> = XmlList::<_, Client>::new(LIST.as_bytes()).collect();
    let Err(ResponseError::Decode(error)) = result else { panic!("{result:?}") };
    assert!(matches!(error.kind(), DecodeErrorKind::InvalidValue { expected: "Yes/No flag", .. }), "{error}");
    assert!(error.to_string().contains("IsArchived"), "{error}");
}

#[test]
fn malformed_xml_fails_a_tolerant_list_too() {
    let cut = &LIST[..LIST.len() / 2];
    let result: Result<Vec<Client>, _> = XmlList::<_, Client>::new(cut.as_bytes()).tolerant().collect();
    assert!(matches!(result, Err(ResponseError::Decode(_))), "{result:?}");
}

#[test]
fn an_item_with_more_odd_values_than_drift_explains_fails() {
    let odd = "<IsArchived>Maybe</IsArchived>".repeat(MAX_UNPARSED + 1);
    let body = format!("<Response><Status>OK</Status><Clients><Client>{odd}</Client></Clients></Response>");
    let result: Result<Vec<Client>, _> = XmlList::<_, Client>::new(body.as_bytes()).tolerant().collect();
    let Err(ResponseError::Decode(error)) = result else { panic!("{result:?}") };
    assert!(matches!(error.kind(), DecodeErrorKind::InvalidValue { .. }), "{error}");

    // Up to the limit, each is kept.
    let odd = "<IsArchived>Maybe</IsArchived>".repeat(MAX_UNPARSED);
    let body = format!("<Response><Status>OK</Status><Clients><Client>{odd}</Client></Clients></Response>");
    let clients: Vec<Client> =
        XmlList::<_, Client>::new(body.as_bytes()).tolerant().collect::<Result<_, _>>().expect("kept");
    assert_eq!(clients[0].unparsed().len(), MAX_UNPARSED);
    assert!(clients[0].unparsed().iter().all(|kept: &Unparsed| kept.found == "Maybe"));
}
