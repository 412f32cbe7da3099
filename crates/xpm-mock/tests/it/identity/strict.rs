//! Where the emulator is as strict as the OAuth standards, so that an app tested against it is
//! not laxer than a real authorisation server allows: PKCE downgrade (RFC 9700 §2.1.1), code
//! reuse (RFC 6749 §4.1.2), one client authentication method (RFC 6749 §2.3) and access-token
//! revocation (RFC 7009 §2.1).

use super::*;

/// The demo app's code without PKCE, exchanged with HTTP Basic and the extra `form` fields.
async fn exchange_demo_code(app: &TestApp, extra: &[(&str, &str)]) -> reqwest::Response {
    let code = app.consent(&app.authorize_url(DEMO_CLIENT_ID, ALL_SCOPES, None), "allow").await.code();
    let mut form = vec![("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    form.extend_from_slice(extra);
    app.token(&form, true).await
}

#[tokio::test]
async fn a_verifier_for_a_code_issued_without_a_challenge_is_refused() {
    let app = spawn(config()).await;
    let (verifier, _) = pkce_pair("downgrade");
    let response = exchange_demo_code(&app, &[("code_verifier", verifier.as_str())]).await;
    let status = response.status();
    let body: Value = response.json().await.expect("error JSON");
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    assert!(body["error_description"].as_str().is_some_and(|text| text.contains("no code_challenge")), "{body}");
    assert_eq!(exchange_demo_code(&app, &[]).await.status(), StatusCode::OK, "without a verifier it is fine");
}

#[tokio::test]
async fn reusing_a_code_revokes_the_tokens_its_first_exchange_issued() {
    let app = spawn(config()).await;
    let (verifier, challenge) = pkce_pair("reuse");
    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", PKCE_CLIENT),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    let first = app.token(&form, false).await;
    assert_eq!(first.status(), StatusCode::OK);
    let tokens = Tokens { body: first.json().await.expect("tokens") };
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::OK);

    assert_eq!(oauth_error(app.token(&form, false).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.connections(tokens.access()).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(oauth_error(app.refresh(tokens.refresh()).await).await.1, "invalid_grant");
}

#[tokio::test]
async fn a_client_that_authenticates_twice_is_refused_even_with_a_wrong_body_secret() {
    let app = spawn(config()).await;
    for body_secret in ["wrong", DEMO_CLIENT_SECRET] {
        let response = exchange_demo_code(&app, &[("client_secret", body_secret)]).await;
        assert_eq!(oauth_error(response).await, (StatusCode::BAD_REQUEST, "invalid_request".into()));
    }
}

#[tokio::test]
async fn a_revoked_access_token_is_refused() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::OK);
    let form = [("client_id", PKCE_CLIENT), ("token", tokens.access()), ("token_type_hint", "access_token")];
    let revoked = app.http.post(app.url("/connect/revocation")).form(&form).send().await.expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.connections(tokens.access()).await.status(), StatusCode::UNAUTHORIZED);
    // Only that token: the refresh token still gives a new one.
    let refreshed = app.refresh(tokens.refresh()).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let fresh = Tokens { body: refreshed.json().await.expect("tokens") };
    assert_eq!(app.api_call(fresh.access(), &tenant).await.status(), StatusCode::OK);
}
