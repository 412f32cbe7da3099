//! The directory handlers called directly, without the gateway: bodies that do not decode,
//! paging in JSON, and the shapes of the odd replies.

use axum::http::StatusCode;
use parking_lot::RwLock;
use uuid::Uuid;
use xpm_api::catalog::Method;

use crate::api::Format;
use crate::api::handlers::test_support::call_handler;
use crate::config::PracticeSeed;
use crate::practice::Practice;

fn practice() -> RwLock<Practice> {
    RwLock::new(Practice::generate(&PracticeSeed { name: "Test".into(), clients: 40, seed: 11 }))
}

/// Calls `method target` with `body` in `format`: the status and the body text.
async fn call(
    practice: &RwLock<Practice>,
    method: Method,
    target: &str,
    body: &str,
    format: Format,
) -> (StatusCode, String) {
    call_handler(practice, method, target, body, format).await
}

#[tokio::test]
async fn bodies_that_do_not_decode_are_400s_that_say_where() {
    let practice = practice();
    let checks = [
        ("<Client><Name>A</Name><IsProspect>Maybe</IsProspect></Client>", Format::Xml, "Client/IsProspect"),
        ("<Staff><Name>A</Name></Staff>", Format::Xml, "expected element <Client>"),
        ("<Client><Name>A</Name>", Format::Xml, "truncated"),
        ("   ", Format::Xml, "needs a <Client> XML body"),
        ("{\"name\": 5}", Format::Json, "in `name` at line 1, column 10"),
        ("{\"name\": \"A\", \"bogus\": 1}", Format::Json, "unknown key `bogus`"),
        ("{\"email\": \"a@b.c\"}", Format::Json, "name"),
    ];
    for (body, format, expected) in checks {
        let (status, description) = call(&practice, Method::Post, "/client.api/add", body, format).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(description.contains(expected), "{body}: {description}");
    }
}

#[tokio::test]
async fn paged_lists_page_in_json_too() {
    let practice = practice();
    let (status, body) = call(&practice, Method::Get, "/client.api/paged-list?pageSize=5", "", Format::Json).await;
    assert_eq!(status, StatusCode::OK);
    let value: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(value["clients"].as_array().map(Vec::len), Some(5));
    assert!(value["clients"][0]["contacts"].is_null(), "paged-list items carry no contacts");
    let links = &value["pagination"]["links"];
    assert_eq!(links["first"], "http://emulator.test/practicemanager/3.1/client.api/paged-list?pageSize=5");
    let next = links["next"].as_str().unwrap_or_default();
    let target = next.trim_start_matches("http://emulator.test/practicemanager/3.1");
    let (status, second) = call(&practice, Method::Get, target, "", Format::Json).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(body, second);
}

#[tokio::test]
async fn relationship_replies_name_both_clients_and_the_type() {
    let practice = practice();
    let clients: Vec<Uuid> =
        practice.read().directory.active_clients().filter_map(|client| client.uuid).take(2).collect();
    let body = format!(
        "<Relationship><ClientUUID>{}</ClientUUID><RelatedClientUUID>{}</RelatedClientUUID><Type>director</Type>\
         <NumberOfShares>10</NumberOfShares></Relationship>",
        clients[0], clients[1]
    );
    let (status, xml) = call(&practice, Method::Post, "/client.api/addrelationship", &body, Format::Xml).await;
    assert_eq!(status, StatusCode::OK, "{xml}");
    assert!(xml.contains("<Status>OK</Status><ClientRelationship><UUID>"), "{xml}");
    assert!(xml.contains("<RelationshipType><Name>Director</Name></RelationshipType>"), "type names are canonical");
    assert!(!xml.contains("NumberOfShares"), "shares apply to Shareholder and Owner only");
    let position = |name: &str| xml.find(name).unwrap_or(usize::MAX);
    assert!(position("<Client>") < position("<RelatedClient>"));
}
