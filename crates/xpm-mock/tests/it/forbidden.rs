//! Characters XML 1.0 forbids (section 2.2, production `Char`) never enter the emulator: a body
//! holding one is a 400 that names the character and where it is, and nothing is stored, so no
//! later answer can be ill-formed XML.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::Api;

#[tokio::test]
async fn bodies_with_forbidden_characters_are_refused_naming_the_field() {
    let api = Api::launch("Forbidden Practice", 3, 1, "practicemanager").await;
    let before = api.get("/client.api/list").await.expect(StatusCode::OK).body;
    for (name, code_point) in [("a\u{1}b", "U+0001"), ("&#0;", "U+0000"), ("x\u{FFFF}", "U+FFFF"), ("&#xB;", "U+000B")]
    {
        let body = format!("<Client><Name>{name}</Name></Client>");
        let answer = api.xml(Method::POST, "/client.api/add", Some(&body)).await.expect(StatusCode::BAD_REQUEST);
        assert!(answer.body.contains(code_point) && answer.body.contains("Client/Name"), "{}", answer.body);
    }
    for (value, code_point) in [("a\u{0}b", "U+0000"), ("\u{8}", "U+0008"), ("\u{FFFE}", "U+FFFE")] {
        let body = json!({ "name": "Fine", "email": value });
        let answer = api.json(Method::POST, "/client.api/add", Some(&body)).await.expect(StatusCode::BAD_REQUEST);
        assert!(answer.body.contains(code_point) && answer.body.contains("email"), "{}", answer.body);
    }
    let lone_surrogate = r#"{"name": "Fine", "email": "\ud800"}"#;
    let answer = crate::harness::answer(
        api.request(Method::POST, "/client.api/add")
            .header("accept", "application/json")
            .header("xero-features", "practice-strict-content-type")
            .header("content-type", "application/json")
            .body(lone_surrogate),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("U+D800"), "{}", answer.body);
    assert_eq!(api.get("/client.api/list").await.expect(StatusCode::OK).body, before, "nothing was stored");
}
