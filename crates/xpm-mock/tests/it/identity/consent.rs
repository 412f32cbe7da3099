//! The authorize step: consent page, auto-consent, the approval gate, error pages, and the
//! connections a consent makes.

use super::*;

#[tokio::test]
async fn pkce_flow_as_an_outside_app_does_it() {
    let app = spawn(config()).await;
    let discovery = app.discovery().await;
    assert_eq!(discovery["issuer"], app.running.base_url());
    assert_eq!(discovery["authorization_endpoint"], app.url("/identity/connect/authorize"));
    assert_eq!(discovery["code_challenge_methods_supported"], serde_json::json!(["S256"]));

    let (verifier, challenge) = pkce_pair("outside");
    let page = app.http.get(app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    let html = page.text().await.expect("html");
    assert!(html.contains("PKCE desktop app") && html.contains("View and manage your Practice Manager data"), "{html}");
    assert!(html.contains("South &amp; Sons"), "practice names are listed and escaped: {html}");
    assert_eq!(attribute_values(&html, "tenant").len(), 2);

    let callback = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await;
    assert_eq!(callback.get("state"), Some("st-123"));
    assert_eq!(callback.get("scope"), Some(ALL_SCOPES));
    assert!(callback.get("session_state").is_some_and(|value| value.contains('.')));

    let code = callback.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", PKCE_CLIENT),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    let response = app.token(&form, false).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").and_then(|value| value.to_str().ok()), Some("no-store"));
    let tokens: Value = response.json().await.expect("tokens");
    assert_eq!((tokens["expires_in"].as_i64(), tokens["token_type"].as_str()), (Some(1800), Some("Bearer")));
    assert_eq!(tokens["scope"], ALL_SCOPES);
    assert!(tokens["refresh_token"].as_str().is_some_and(|token| !token.is_empty()));

    let access_token = tokens["access_token"].as_str().expect("access token");
    let id_claims = verify(&app, tokens["id_token"].as_str().expect("id_token"), PKCE_CLIENT).await;
    assert_eq!(id_claims["nonce"], "nonce-456");
    assert_eq!(id_claims["email"], "demo@practice.example");
    assert_eq!(id_claims["given_name"], "Demo");
    let expected_at_hash = URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16]);
    assert_eq!(id_claims["at_hash"], expected_at_hash.as_str());

    let audience = format!("{}/resources", app.running.base_url());
    let access_claims = verify(&app, access_token, &audience).await;
    assert_eq!(access_claims["client_id"], PKCE_CLIENT);
    assert_eq!(
        access_claims["scope"],
        serde_json::json!(["openid", "profile", "email", "offline_access", "practicemanager"])
    );
    assert_eq!(access_claims["xero_userid"], id_claims["xero_userid"]);

    let connections = app.connections_json(access_token).await;
    assert_eq!(connections.len(), 2);
    let names: Vec<&str> = connections.iter().filter_map(|connection| connection["tenantName"].as_str()).collect();
    assert_eq!(names, ["North Practice", "South & Sons"]);
    for connection in &connections {
        assert_eq!(connection["tenantType"], "PRACTICEMANAGER");
        assert_eq!(connection["authEventId"], access_claims["authentication_event_id"]);
        let created = connection["createdDateUtc"].as_str().unwrap_or_default();
        assert_eq!(created.len(), "2019-12-07T18:46:19.5165400".len(), "{created}");
        assert!(!created.ends_with('Z'));
    }
    let tenant = connections[0]["tenantId"].as_str().expect("tenant id");
    let api = app.api_call(access_token, tenant).await;
    assert!(![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&api.status()), "gateway let it through");

    let userinfo: Value = app
        .http
        .get(app.url("/connect/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("userinfo")
        .json()
        .await
        .expect("JSON");
    assert_eq!(userinfo["email"], "demo@practice.example");
}

#[tokio::test]
async fn auto_consent_redirects_at_once_and_connects_every_practice() {
    let mut config = config();
    config.auto_consent = true;
    let app = spawn(config).await;
    let scope = "openid offline_access practicemanager.client.read";
    let response = app.http.get(app.authorize_url(DEMO_CLIENT_ID, scope, None)).send().await.expect("authorize");
    let callback = follow(response);
    let code = callback.code();
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let response = app.token(&form, true).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens = Tokens { body: response.json().await.expect("tokens") };
    let connections = app.connections_json(tokens.access()).await;
    assert_eq!(connections.len(), 2);
    let event = connections[0]["authEventId"].as_str().unwrap_or_default().to_owned();
    let filtered = app
        .http
        .get(app.url(&format!("/Connections?authEventId={event}")))
        .bearer_auth(tokens.access())
        .send()
        .await
        .expect("filtered");
    assert_eq!(filtered.json::<Vec<Value>>().await.expect("JSON").len(), 2);
    let other = format!("/connections?authEventId={}", uuid::Uuid::new_v4());
    let none: Vec<Value> = app
        .http
        .get(app.url(&other))
        .bearer_auth(tokens.access())
        .send()
        .await
        .expect("none")
        .json()
        .await
        .expect("JSON");
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_approval_gate_stops_unapproved_apps_until_xero_approves() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("gate");
    let page =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST, "an error page, not a redirect");
    let html = page.text().await.expect("html");
    assert!(html.contains("<code id=\"error\">unauthorized_client</code>"), "{html}");
    assert!(html.contains("Invalid scope for client") && html.contains("<code>practicemanager</code>"), "{html}");

    // Identity scopes alone need no approval.
    let identity_only =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, "openid email", Some(&challenge))).send().await;
    assert_eq!(identity_only.expect("page").status(), StatusCode::OK);

    let approve = app
        .http
        .post(app.url(&format!("/__admin/apps/{UNAPPROVED_CLIENT_ID}/approve")))
        .json(&serde_json::json!({ "scopes": ["practicemanager"] }))
        .send()
        .await
        .expect("approve");
    assert_eq!(approve.status(), StatusCode::OK);
    let page =
        app.http.get(app.authorize_url(UNAPPROVED_CLIENT_ID, ALL_SCOPES, Some(&challenge))).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);

    // Withdrawing approval stops tokens already issued.
    let tokens = app.pkce_tokens("openid offline_access practicemanager").await;
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_ne!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::FORBIDDEN);
    let revoke = app
        .http
        .post(app.url(&format!("/__admin/apps/{PKCE_CLIENT}/revoke")))
        .json(&serde_json::json!({}))
        .send()
        .await;
    assert_eq!(revoke.expect("revoke").status(), StatusCode::OK);
    let refused = app.api_call(tokens.access(), &tenant).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let problem: Value = refused.json().await.expect("problem");
    assert_eq!(problem["Detail"], "AuthenticationUnsuccessful");
}

#[tokio::test]
async fn bad_authorize_requests_stop_at_an_error_page() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("bad");
    async fn error_of(app: &TestApp, url: &str) -> String {
        let page = app.http.get(url).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        let html = page.text().await.expect("html");
        html.split("<code id=\"error\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default().to_owned()
    }
    let unknown_scope = app.authorize_url(PKCE_CLIENT, "openid accounting.transactions", Some(&challenge));
    assert_eq!(error_of(&app, &unknown_scope).await, "invalid_scope");
    let unknown_client = app.authorize_url("nobody", ALL_SCOPES, Some(&challenge));
    assert_eq!(error_of(&app, &unknown_client).await, "unauthorized_client");
    let bad_redirect = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)).replace("8765", "9999");
    assert_eq!(error_of(&app, &bad_redirect).await, "invalid_request");
    let no_pkce = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, None);
    assert_eq!(error_of(&app, &no_pkce).await, "invalid_request");
    let plain = app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)).replace("S256", "plain");
    assert_eq!(error_of(&app, &plain).await, "invalid_request");
    let token_flow = app
        .authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge))
        .replace("response_type=code", "response_type=token");
    assert_eq!(error_of(&app, &token_flow).await, "unsupported_response_type");
}

#[tokio::test]
async fn deny_goes_back_with_access_denied() {
    let app = spawn(config()).await;
    let (_, challenge) = pkce_pair("deny");
    let callback = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "deny").await;
    assert_eq!(
        (callback.get("error"), callback.get("state"), callback.get("code")),
        (Some("access_denied"), Some("st-123"), None)
    );
}

#[tokio::test]
async fn deleting_a_connection_stops_calls_to_that_practice() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let connections = app.connections_json(tokens.access()).await;
    let (id, tenant) =
        (connections[0]["id"].as_str().unwrap_or_default(), connections[0]["tenantId"].as_str().unwrap_or_default());
    let delete =
        |id: String| app.http.delete(app.url(&format!("/connections/{id}"))).bearer_auth(tokens.access()).send();
    assert_eq!(delete(id.to_owned()).await.expect("delete").status(), StatusCode::NO_CONTENT);
    assert_eq!(delete(id.to_owned()).await.expect("delete").status(), StatusCode::NOT_FOUND);
    assert_eq!(app.api_call(tokens.access(), tenant).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.connections_json(tokens.access()).await.len(), 1);

    // Consenting again reconnects it under a new auth event, with a new updatedDateUtc.
    app.clock.advance(Duration::minutes(3));
    let again = app.pkce_tokens(ALL_SCOPES).await;
    let reconnected = app.connections_json(again.access()).await;
    let same = reconnected.iter().find(|connection| connection["id"] == id).expect("same connection id");
    assert_ne!(same["authEventId"], connections[0]["authEventId"]);
    assert_eq!(same["createdDateUtc"], connections[0]["createdDateUtc"]);
    assert_ne!(same["updatedDateUtc"], connections[0]["updatedDateUtc"]);
    assert_ne!(
        app.api_call(tokens.access(), tenant).await.status(),
        StatusCode::FORBIDDEN,
        "the user is connected again"
    );
}
