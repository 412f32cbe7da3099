//! `client.api` list, search, get and the add → update → archive → delete lifecycle.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use xpm_api::model::Client;

use super::{Api, id, is_yes};

#[tokio::test]
async fn list_returns_every_client_with_or_without_detail() {
    let api = Api::directory(400).await;
    let plain = api.all_clients().await;
    let detailed: Vec<Client> = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK).list();
    assert_eq!(plain.len(), 400);
    assert_eq!(detailed.len(), 400);
    let archived = plain.iter().filter(|client| is_yes(client.is_archived)).count();
    let deleted = plain.iter().filter(|client| is_yes(client.is_deleted)).count();
    assert!(archived > 5 && deleted > 2, "archived {archived}, deleted {deleted}: list includes both");

    for (plain, detailed) in plain.iter().zip(&detailed) {
        assert_eq!(plain.uuid, detailed.uuid);
        assert!(plain.contacts.is_some(), "list items carry contacts");
        assert!(plain.notes.is_none() && plain.groups.is_none() && plain.relationships.is_none());
        assert!(plain.tax_number.is_none() && plain.business_structure.is_none());
        assert!(detailed.notes.is_some() && detailed.groups.is_some() && detailed.relationships.is_some());
        assert!(detailed.business_structure.is_some() && detailed.web_url.is_some());
        assert_eq!(plain.contacts, detailed.contacts);
    }
    assert!(detailed.iter().any(|client| client.name.as_deref().is_some_and(|name| !name.is_ascii())), "unicode names");
}

#[tokio::test]
async fn modifiedsince_returns_the_clients_changed_since() {
    let api = Api::directory(60).await;
    let clients = api.all_clients().await;
    let target = clients.iter().find(|client| !is_yes(client.is_deleted)).expect("a live client");
    api.clock.advance(Duration::minutes(5));
    let since = api.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let uuid = id(target.uuid);
    let body = format!("<Client><UUID>{uuid}</UUID><ReferralSource>Podcast</ReferralSource></Client>");
    api.xml(Method::PUT, "/client.api/update", Some(&body)).await.expect(StatusCode::OK);

    for spelling in ["modifiedsince", "modifiedSince", "MODIFIEDSINCE"] {
        let changed: Vec<Client> =
            api.get(&format!("/client.api/list?{spelling}={since}")).await.expect(StatusCode::OK).list();
        assert_eq!(changed.iter().map(|client| id(client.uuid)).collect::<Vec<_>>(), [uuid], "{spelling}");
    }
    let detailed: Vec<Client> =
        api.get(&format!("/client.api/list?detailed=true&modifiedsince={since}")).await.expect(StatusCode::OK).list();
    assert_eq!(detailed[0].referral_source.as_deref(), Some("Podcast"));
    let later = (api.clock.now() + Duration::seconds(1)).format("%Y-%m-%dT%H:%M:%S").to_string();
    let none: Vec<Client> =
        api.get(&format!("/client.api/list?modifiedsince={later}")).await.expect(StatusCode::OK).list();
    assert!(none.is_empty());
    api.get("/client.api/list?modifiedsince=yesterday").await.expect(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_matches_name_email_and_client_code_ignoring_case() {
    let api = Api::directory(120).await;
    let detailed: Vec<Client> = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK).list();
    let live: Vec<&Client> = detailed.iter().filter(|client| !is_yes(client.is_deleted)).collect();
    let with_code = live.iter().find(|client| client.client_code.is_some()).expect("a client code");
    let with_email =
        live.iter().find(|client| client.email.as_deref().is_some_and(|email| email.contains('@'))).expect("email");
    let name = live[0].name.clone().unwrap_or_default();
    let fragment: String = name.chars().take(5).collect::<String>().to_uppercase();
    let checks = [
        (fragment, id(live[0].uuid)),
        (with_code.client_code.clone().unwrap_or_default().to_lowercase(), id(with_code.uuid)),
        (with_email.email.clone().unwrap_or_default(), id(with_email.uuid)),
    ];
    for (query, expected) in checks {
        let path = format!("/client.api/search?query={}", urlencode(&query));
        let found: Vec<Client> = api.get(&path).await.expect(StatusCode::OK).list();
        assert!(found.iter().any(|client| client.uuid == Some(expected)), "{query:?} finds its client");
        assert!(found.iter().all(|client| client.notes.is_none()), "plain shape without detailed=true");
    }
    let detailed: Vec<Client> = api
        .get(&format!("/client.api/search?query={}&detailed=true", urlencode(&name)))
        .await
        .expect(StatusCode::OK)
        .list();
    assert!(detailed.iter().all(|client| client.notes.is_some()));
    let nothing: Vec<Client> = api.get("/client.api/search?query=zzqqxx-no-such").await.expect(StatusCode::OK).list();
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn get_answers_the_detailed_client_or_404() {
    let api = Api::directory(30).await;
    let first = api.all_clients().await.remove(0);
    let client: Client = api.get(&format!("/client.api/get/{}", id(first.uuid))).await.expect(StatusCode::OK).single();
    assert_eq!(client.uuid, first.uuid);
    assert!(client.web_url.as_deref().is_some_and(|url| url.starts_with("https://practicemanager.xero.com/Client/")));
    assert!(client.contacts.is_some() && client.groups.is_some() && client.notes.is_some());

    let missing = api.get(&format!("/client.api/get/{}", uuid::Uuid::new_v4())).await.expect(StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("<Status>ERROR</Status>") && missing.body.contains("<ErrorDescription>"),
        "{}",
        missing.body
    );
    api.get("/client.api/get/not-a-uuid").await.expect(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_client_is_added_updated_archived_and_deleted() {
    let api = Api::directory(20).await;
    let staff: Vec<xpm_api::model::Staff> = api.get("/staff.api/list").await.expect(StatusCode::OK).list();
    let manager = id(staff[0].uuid);
    let add = format!(
        "<Client><Name>Kōwhai &amp; Sons &lt;Holdings&gt; Ltd</Name><Email>hello@kowhai.example</Email>\
         <Phone>09 555 0100</Phone><WebSite>https://kowhai.example</WebSite><AccountManagerUUID>{manager}</AccountManagerUUID>\
         <GSTPeriod>6</GSTPeriod><BalanceMonth>Mar</BalanceMonth><TaxNumber>123456789</TaxNumber>\
         <Contacts><Contact><Name>Aroha Ngata</Name><IsPrimary>Yes</IsPrimary><Position>Director</Position></Contact>\
         <Contact><Name>Sam Lee</Name></Contact></Contacts></Client>"
    );
    let added: Client = api.xml(Method::POST, "/client.api/add", Some(&add)).await.expect(StatusCode::OK).single();
    let uuid = id(added.uuid);
    assert_eq!(added.name.as_deref(), Some("Kōwhai & Sons <Holdings> Ltd"));
    assert_eq!(added.website.as_deref(), Some("https://kowhai.example"));
    assert_eq!(added.gst_period.as_deref(), Some("6 Monthly"));
    assert_eq!(added.balance_month, Some(3));
    assert_eq!(added.tax_number.as_deref(), Some("******789"));
    assert_eq!(added.account_manager.and_then(|manager| manager.name), staff[0].name.clone());
    let contacts = added.contacts.unwrap_or_default();
    assert_eq!(contacts.len(), 2);
    assert!(is_yes(contacts[0].is_primary) && !is_yes(contacts[1].is_primary));
    assert_eq!(contacts[0].position.as_deref(), Some("Director"));

    let fetched: Client = api.get(&format!("/client.api/get/{uuid}")).await.expect(StatusCode::OK).single();
    assert_eq!(fetched.email.as_deref(), Some("hello@kowhai.example"));

    let update = format!("<Client><UUID>{uuid}</UUID><Phone/><City>Ōtautahi</City></Client>");
    let updated: Client =
        api.xml(Method::PUT, "/client.api/update", Some(&update)).await.expect(StatusCode::OK).single();
    assert_eq!(updated.email.as_deref(), Some("hello@kowhai.example"), "omitted is unchanged");
    assert_eq!(updated.phone.as_deref(), Some(""), "present but empty is cleared");
    assert_eq!(updated.city.as_deref(), Some("Ōtautahi"));

    let archive = format!("<Client><UUID>{uuid}</UUID></Client>");
    let archived: Client =
        api.xml(Method::PUT, "/client.api/archive", Some(&archive)).await.expect(StatusCode::OK).single();
    assert!(is_yes(archived.is_archived));
    let deleted = api.xml(Method::POST, "/client.api/delete", Some(&archive)).await.expect(StatusCode::OK);
    assert!(deleted.body.contains("<Status>OK</Status>") && !deleted.body.contains("<Client>"));

    let listed = api.all_clients().await;
    let gone = listed.iter().find(|client| client.uuid == Some(uuid)).expect("deleted clients stay in list");
    assert!(is_yes(gone.is_deleted));
    api.xml(Method::PUT, "/client.api/update", Some(&update)).await.expect(StatusCode::CONFLICT);
    api.xml(Method::POST, "/client.api/delete", Some(&archive)).await.expect(StatusCode::CONFLICT);

    let unknown = format!("<Client><UUID>{}</UUID></Client>", uuid::Uuid::new_v4());
    api.xml(Method::PUT, "/client.api/archive", Some(&unknown)).await.expect(StatusCode::NOT_FOUND);
    let nameless = api.xml(Method::POST, "/client.api/add", Some("<Client><Email>x@y.z</Email></Client>")).await;
    let nameless = nameless.expect(StatusCode::BAD_REQUEST);
    assert!(nameless.body.contains("Name"), "{}", nameless.body);
    let malformed = api
        .xml(Method::POST, "/client.api/add", Some("<Client><Name>A</Name><IsProspect>Maybe</IsProspect></Client>"))
        .await;
    let malformed = malformed.expect(StatusCode::BAD_REQUEST);
    assert!(malformed.body.contains("Client/IsProspect") && malformed.body.contains("byte"), "{}", malformed.body);
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("q", text)]).expect("encodes").trim_start_matches("q=").to_owned()
}
