//! The token endpoint: code exchange, refresh rotation and expiry, access-token expiry,
//! revocation, errors, and secrets kept out of `Debug`.

use super::*;

#[tokio::test]
async fn codes_are_single_use_and_need_the_right_verifier() {
    let app = spawn(config()).await;
    let (verifier, challenge) = pkce_pair("once");
    let exchange = |code: String, verifier: String| {
        let app = &app;
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("client_id", PKCE_CLIENT),
                ("code", code.as_str()),
                ("redirect_uri", REDIRECT),
                ("code_verifier", verifier.as_str()),
            ];
            app.token(&form, false).await
        }
    };
    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    assert_eq!(exchange(code.clone(), verifier.clone()).await.status(), StatusCode::OK);
    assert_eq!(
        oauth_error(exchange(code, verifier.clone()).await).await,
        (StatusCode::BAD_REQUEST, "invalid_grant".into())
    );

    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    let (wrong, _) = pkce_pair("someone-else");
    assert_eq!(oauth_error(exchange(code, wrong).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));

    let code = app.consent(&app.authorize_url(PKCE_CLIENT, ALL_SCOPES, Some(&challenge)), "allow").await.code();
    app.clock.advance(Duration::minutes(5) + Duration::seconds(1));
    assert_eq!(oauth_error(exchange(code, verifier).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));
}

#[tokio::test]
async fn refresh_tokens_rotate_with_a_30_minute_grace() {
    let app = spawn(config()).await;
    let first = app.pkce_tokens(ALL_SCOPES).await;
    let original = first.refresh().to_owned();

    let rotated = app.refresh(&original).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let second = Tokens { body: rotated.json().await.expect("tokens") };
    assert_ne!(second.refresh(), original, "every refresh returns a new refresh token");
    assert!(second.body["id_token"].is_string());

    app.clock.advance(Duration::minutes(29));
    let retried = app.refresh(&original).await;
    assert_eq!(retried.status(), StatusCode::OK, "the previous token still works within the grace period");
    let third = Tokens { body: retried.json().await.expect("tokens") };
    assert!(!third.access().is_empty());

    app.clock.advance(Duration::minutes(2));
    assert_eq!(oauth_error(app.refresh(&original).await).await, (StatusCode::BAD_REQUEST, "invalid_grant".into()));
    assert_eq!(app.refresh(third.refresh()).await.status(), StatusCode::OK);

    // A refresh token is bound to its client.
    let stolen = [("grant_type", "refresh_token"), ("refresh_token", second.refresh())];
    assert_eq!(oauth_error(app.token(&stolen, true).await).await.1, "invalid_grant");

    let journal = app.running.emulator().journal();
    let refreshes =
        journal.entries().iter().filter(|entry| entry.grant_type.as_deref() == Some("refresh_token")).count();
    assert_eq!((journal.count("token"), refreshes), (6, 5));
}

#[tokio::test]
async fn unused_refresh_tokens_expire_after_60_days() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    app.clock.advance(Duration::days(60) - Duration::minutes(1));
    let refreshed = app.refresh(tokens.refresh()).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let fresh = Tokens { body: refreshed.json().await.expect("tokens") };
    app.clock.advance(Duration::days(60));
    assert_eq!(oauth_error(app.refresh(fresh.refresh()).await).await.1, "invalid_grant");
}

#[tokio::test]
async fn expired_access_tokens_get_the_token_expired_problem() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    app.clock.advance(Duration::minutes(30));
    for response in [app.connections(tokens.access()).await, app.api_call(tokens.access(), &tenant).await] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let problem: Value = response.json().await.expect("problem");
        assert!(
            problem["Detail"].as_str().is_some_and(|detail| detail.starts_with("TokenExpired: token expired at ")),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn revocation_ends_the_family_and_the_connections() {
    let app = spawn(config()).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let form = [("client_id", PKCE_CLIENT), ("token", tokens.refresh())];
    let revoked = app.http.post(app.url("/connect/revocation")).form(&form).send().await.expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(oauth_error(app.refresh(tokens.refresh()).await).await.1, "invalid_grant");
    assert_eq!(app.connections(tokens.access()).await.status(), StatusCode::UNAUTHORIZED);
    let tenant = app.running.emulator().tenants()[0].0.to_string();
    assert_eq!(app.api_call(tokens.access(), &tenant).await.status(), StatusCode::UNAUTHORIZED);

    // Revoking again, or an unknown token, is still 200 (RFC 7009).
    let again = app.http.post(app.url("/connect/revocation")).form(&form).send().await.expect("revoke");
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn token_endpoint_errors_follow_xero() {
    let app = spawn(config()).await;
    let wrong_basic = app
        .http
        .post(app.url("/connect/token"))
        .basic_auth(DEMO_CLIENT_ID, Some("wrong"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await
        .expect("token");
    assert_eq!(oauth_error(wrong_basic).await, (StatusCode::UNAUTHORIZED, "invalid_client".into()));
    let wrong_post = [("grant_type", "refresh_token"), ("client_id", DEMO_CLIENT_ID), ("client_secret", "wrong")];
    assert_eq!(
        oauth_error(app.token(&wrong_post, false).await).await,
        (StatusCode::BAD_REQUEST, "invalid_client".into())
    );
    assert_eq!(oauth_error(app.token(&[("code", "x")], true).await).await.1, "unsupported_grant_type");
    assert_eq!(oauth_error(app.token(&[("grant_type", "password")], true).await).await.1, "unsupported_grant_type");
    assert_eq!(oauth_error(app.token(&[("grant_type", "authorization_code")], true).await).await.1, "invalid_request");
    let unknown = [("grant_type", "authorization_code"), ("code", "made-up"), ("redirect_uri", REDIRECT)];
    assert_eq!(oauth_error(app.token(&unknown, true).await).await.1, "invalid_grant");

    // No offline_access, no refresh token; no openid, no id_token.
    let tokens = app.pkce_tokens("practicemanager.read").await;
    assert!(tokens.body.get("refresh_token").is_none() && tokens.body.get("id_token").is_none(), "{:?}", tokens.body);
    assert_eq!(tokens.body["scope"], "practicemanager.read");
}

#[tokio::test]
async fn secrets_never_show_in_debug_output() {
    let planted = "planted-client-secret-7f3a";
    let mut config = config();
    config.apps.push(AppRegistration {
        name: "secretive".into(),
        client_id: "secretive".into(),
        client_secret: Some(planted.into()),
        redirect_uris: vec![REDIRECT.into()],
        requested_scopes: Scope::ALL.into_iter().collect(),
        approved_scopes: Scope::ALL.into_iter().collect(),
    });
    let app = spawn(config).await;
    let tokens = app.pkce_tokens(ALL_SCOPES).await;
    let code = app.consent(&app.authorize_url("secretive", ALL_SCOPES, None), "allow").await.code();
    let debug = format!("{:?} {:?}", app.running.emulator(), app.running.emulator().journal().entries());
    for secret in [planted, tokens.access(), tokens.refresh(), code.as_str(), "st-123", "nonce-456"] {
        assert!(!debug.contains(secret), "Debug output leaks a secret");
    }
}
