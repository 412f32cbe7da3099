//! OAuth against the in-process emulator: PKCE, id_token validation, refresh rotation, the
//! approval gate and the loopback listener, all through the public API.

use std::time::Duration;

use chrono::Utc;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::connections::ConnectionsClient;
use xpm_client::oauth::{
    self, AuthorizeRequest, DEFAULT_SCOPES, IdTokenError, LoopbackListener, OAuthClient, OAuthError, TokenSet,
};
use xpm_client::secret::{AccessToken, ClientSecret, IdToken, RefreshToken};
use xpm_mock::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, UNAPPROVED_CLIENT_ID};
use xpm_mock::{Clock, Emulator, EmulatorConfig, RunningEmulator};

const REDIRECT_URI: &str = "http://localhost:8765/callback";

/// An emulator with auto-consent, the demo apps registered for `extra_redirect` too, and a client
/// for `client_id`.
struct TestApp {
    running: RunningEmulator,
    client: OAuthClient,
}

impl TestApp {
    async fn spawn(client_id: &str, redirect_uri: &str, clock: Option<Clock>) -> TestApp {
        let mut apps = vec![AppRegistration::demo(), AppRegistration::unapproved_demo()];
        for app in &mut apps {
            app.redirect_uris.push(redirect_uri.to_owned());
        }
        let config = EmulatorConfig { apps, auto_consent: true, ..EmulatorConfig::default() };
        let emulator = match clock {
            Some(clock) => Emulator::with_clock(config, clock),
            None => Emulator::new(config),
        };
        let running = emulator.spawn().await.expect("emulator starts");
        let credentials = AppCredentials {
            client_id: client_id.to_owned(),
            client_secret: (client_id == DEMO_CLIENT_ID).then(|| ClientSecret::new(DEMO_CLIENT_SECRET)),
            redirect_uri: redirect_uri.to_owned(),
        };
        let client = OAuthClient::new(Endpoints::emulator(&running.base_url()), credentials).expect("client");
        TestApp { running, client }
    }

    async fn demo() -> TestApp {
        Self::spawn(DEMO_CLIENT_ID, REDIRECT_URI, None).await
    }

    /// Plays the browser with auto-consent: GETs the authorize URL without following the
    /// redirect and returns the code, after checking `state`.
    async fn authorize(&self, request: &AuthorizeRequest) -> String {
        let response = self.client.http().get(request.url.clone()).send().await.expect("authorize");
        assert_eq!(response.status(), 302, "{}", response.text().await.unwrap_or_default());
        let location = response.headers().get("location").and_then(|value| value.to_str().ok()).expect("location");
        let location = url::Url::parse(location).expect("redirect url");
        let field =
            |name: &str| location.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
        assert_eq!(field("state").as_deref(), Some(request.state()));
        field("code").expect("code")
    }

    /// A full sign-in: authorize URL, code, exchange. Returns the tokens and the nonce.
    async fn sign_in(&self) -> (TokenSet, String) {
        let request = self.client.authorize_url(DEFAULT_SCOPES);
        let code = self.authorize(&request).await;
        let nonce = request.nonce().to_owned();
        (self.client.exchange_code(&code, request).await.expect("exchange").tokens, nonce)
    }
}

#[tokio::test]
async fn the_pkce_flow_yields_tokens_and_a_valid_id_token() {
    let app = TestApp::demo().await;
    let request = app.client.authorize_url(DEFAULT_SCOPES);
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let has = |name: &str, value: &str| query.iter().any(|(key, found)| key == name && found == value);
    assert!(has("code_challenge_method", "S256") && has("response_type", "code"), "{query:?}");
    assert!(has("state", request.state()) && has("nonce", request.nonce()));
    assert!(has("scope", "openid profile email offline_access practicemanager"));
    assert!(query.iter().any(|(key, value)| key == "code_challenge" && value.len() == 43));

    let code = app.authorize(&request).await;
    let exchanged = app.client.exchange_code(&code, request).await.expect("exchange and validate");
    // `openid` was asked for, so the exchange validated the id_token and hands over its claims.
    let identity = exchanged.identity.expect("validated claims");
    assert_eq!(identity.iss, app.running.base_url());
    let tokens = exchanged.tokens;
    assert!(tokens.refresh_token.is_some());
    assert!(tokens.expires_at > Utc::now() + chrono::Duration::minutes(25));
    assert!(tokens.scope.contains("practicemanager"), "{}", tokens.scope);

    let practices = ConnectionsClient::new(app.client.http().clone(), app.client.endpoints().connections.clone())
        .list(&tokens.access_token)
        .await
        .expect("connections");
    assert_eq!(practices.len(), 1);
    assert!(practices.iter().all(|practice| practice.tenant_type == "PRACTICEMANAGER"));
}

#[tokio::test]
async fn a_public_pkce_app_exchanges_without_a_secret() {
    let app = TestApp::spawn(UNAPPROVED_CLIENT_ID, REDIRECT_URI, None).await;
    let request = app.client.authorize_url(&["openid", "offline_access"]);
    let code = app.authorize(&request).await;
    let exchanged = app.client.exchange_code(&code, request).await.expect("public exchange");
    assert!(exchanged.identity.is_some(), "openid was requested: the id_token was validated");
    let tokens = exchanged.tokens;
    let refresh = tokens.refresh_token.expect("refresh token");
    app.client.refresh(&refresh).await.expect("public refresh");
}

#[tokio::test]
async fn id_tokens_with_a_wrong_nonce_issuer_audience_or_signature_are_rejected() {
    let app = TestApp::demo().await;
    let (first, nonce) = app.sign_in().await;
    let (second, _) = app.sign_in().await;
    let validator = app.client.id_token_validator().await.expect("jwks");
    let id_token = first.id_token.expect("id_token");
    let claims = validator.validate(&id_token, &nonce).expect("valid");
    assert_eq!(claims.iss, app.running.base_url());

    let wrong_nonce = validator.validate(&id_token, "another-nonce");
    assert!(matches!(wrong_nonce, Err(IdTokenError::NonceMismatch)), "{wrong_nonce:?}");

    // The second token's signature over the first token's header and claims.
    let signature = second.id_token.expect("second id_token").secret().rsplit('.').next().map(str::to_owned);
    let (signed_part, _) = id_token.secret().rsplit_once('.').expect("a jwt");
    let tampered = IdToken::new(format!("{signed_part}.{}", signature.unwrap_or_default()));
    let tampered = validator.validate(&tampered, &nonce);
    assert!(matches!(tampered, Err(IdTokenError::BadSignature)), "{tampered:?}");

    let jwks = app.client.http().get(&app.client.endpoints().jwks).send().await.expect("jwks").json().await;
    let jwks = jwks.expect("jwks json");
    let other_issuer = oauth::IdTokenValidator::new(jwks, "https://identity.xero.com", DEMO_CLIENT_ID);
    assert!(matches!(other_issuer.validate(&id_token, &nonce), Err(IdTokenError::WrongIssuer { .. })));
    let late = validator.validate_at(&id_token, &nonce, Utc::now() + chrono::Duration::hours(1));
    assert!(matches!(late, Err(IdTokenError::Expired { .. })), "{late:?}");
    let garbage = validator.validate(&IdToken::new("not-a-jwt"), &nonce);
    assert!(matches!(garbage, Err(IdTokenError::Malformed(_))), "{garbage:?}");
}

#[tokio::test]
async fn an_id_token_for_another_app_is_rejected() {
    let app = TestApp::demo().await;
    let (tokens, nonce) = app.sign_in().await;
    // The right keys and issuer, but the validator belongs to another app.
    let validator = oauth::IdTokenValidator::new(
        app.client.http().get(&app.client.endpoints().jwks).send().await.expect("jwks").json().await.expect("json"),
        app.running.base_url(),
        UNAPPROVED_CLIENT_ID,
    );
    let result = validator.validate(&tokens.id_token.expect("id_token"), &nonce);
    assert!(matches!(result, Err(IdTokenError::WrongAudience { .. })), "{result:?}");
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_works_within_the_grace_period() {
    let app = TestApp::demo().await;
    let (tokens, _) = app.sign_in().await;
    let original = tokens.refresh_token.expect("refresh token");
    let rotated = app.client.refresh(&original).await.expect("refresh");
    let rotated_token = rotated.refresh_token.clone().expect("rotated refresh token");
    assert_ne!(rotated_token, original, "xero rotates refresh tokens");
    assert_ne!(rotated.access_token, tokens.access_token);
    // The answer to the first refresh may have been lost: the parent token still works for 30 min.
    let retried = app.client.refresh(&original).await.expect("the old token within the grace period");
    assert!(retried.refresh_token.is_some());
    app.client.refresh(&rotated_token).await.expect("the rotated token");
}

#[tokio::test]
async fn a_refresh_token_unused_for_61_days_is_invalid_grant() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn(DEMO_CLIENT_ID, REDIRECT_URI, Some(clock.clone())).await;
    let (tokens, _) = app.sign_in().await;
    clock.advance(chrono::Duration::days(61));
    let result = app.client.refresh(&tokens.refresh_token.expect("refresh token")).await;
    assert!(matches!(result, Err(OAuthError::InvalidGrant { .. })), "{result:?}");
    assert!(result.as_ref().err().is_some_and(OAuthError::needs_reauth));
}

#[tokio::test]
async fn a_revoked_refresh_token_is_invalid_grant_and_the_practices_are_gone() {
    let app = TestApp::demo().await;
    let (tokens, _) = app.sign_in().await;
    let refresh = tokens.refresh_token.expect("refresh token");
    app.client.revoke(&refresh).await.expect("revoke");
    let result = app.client.refresh(&refresh).await;
    assert!(matches!(result, Err(OAuthError::InvalidGrant { .. })), "{result:?}");
    let connections = ConnectionsClient::new(app.client.http().clone(), app.client.endpoints().connections.clone());
    // The emulator also stops honouring the access token; either way no practice is reachable.
    let after = connections.list(&tokens.access_token).await;
    assert!(after.as_ref().map_or(true, Vec::is_empty), "{after:?}");
}

#[tokio::test]
async fn connections_can_be_deleted() {
    let app = TestApp::demo().await;
    let (tokens, _) = app.sign_in().await;
    let connections = ConnectionsClient::new(app.client.http().clone(), app.client.endpoints().connections.clone());
    let practices = connections.list(&tokens.access_token).await.expect("list");
    let practice = practices.first().expect("a practice");
    connections.delete(&tokens.access_token, practice.id).await.expect("delete");
    assert!(connections.list(&tokens.access_token).await.expect("list again").is_empty());
    let again = connections.delete(&tokens.access_token, practice.id).await;
    assert!(matches!(again, Err(xpm_client::connections::ConnectionsError::NotFound { .. })), "{again:?}");
}

#[tokio::test]
async fn an_unapproved_app_gets_the_approval_explanation() {
    let app = TestApp::spawn(UNAPPROVED_CLIENT_ID, REDIRECT_URI, None).await;
    let request = app.client.authorize_url(DEFAULT_SCOPES);
    let response = app.client.http().get(request.url.clone()).send().await.expect("authorize");
    assert!(response.status().is_client_error() || response.status().is_server_error());
    let page = response.text().await.expect("page");
    let diagnosis = oauth::diagnose_authorize_page(&page, request.scopes());
    assert!(matches!(diagnosis, Some(OAuthError::ApprovalRequired { .. })), "{diagnosis:?}");
    let explanation = diagnosis.map(|error| error.to_string()).unwrap_or_default();
    for expected in
        ["approval", "self-assessment", "openid profile email offline_access practicemanager", "XPM API access request"]
    {
        assert!(explanation.contains(expected), "{expected} missing from: {explanation}");
    }
}

#[tokio::test]
async fn preflight_catches_the_gate_before_the_browser_opens() {
    let unapproved = TestApp::spawn(UNAPPROVED_CLIENT_ID, REDIRECT_URI, None).await;
    let gate = unapproved.client.preflight(DEFAULT_SCOPES).await;
    assert!(matches!(gate, Err(OAuthError::ApprovalRequired { .. })), "{gate:?}");
    unapproved.client.preflight(&["openid"]).await.expect("identity scopes need no approval");
    TestApp::demo().await.client.preflight(DEFAULT_SCOPES).await.expect("the approved demo app");
}

/// The loopback flow with the browser replaced by an HTTP client that follows the emulator's
/// redirect to the listener.
#[tokio::test]
async fn connect_receives_the_code_on_the_loopback_listener() {
    let listener = LoopbackListener::bind(0).await.expect("listener");
    let app = TestApp::spawn(DEMO_CLIENT_ID, &listener.redirect_uri(), None).await;
    let browser = reqwest::Client::new();
    let connected =
        oauth::connect_via_loopback(&app.client, listener, DEFAULT_SCOPES, Duration::from_secs(20), |url| {
            let browser = browser.clone();
            async move {
                let page = browser.get(url).send().await.expect("browser").text().await.unwrap_or_default();
                assert!(page.contains("You can close this tab"), "{page}");
            }
        })
        .await
        .expect("connect");
    assert_eq!(connected.practices.len(), 1);
    assert!(connected.identity.as_ref().is_some_and(|claims| claims.email.is_some()));
    assert_eq!(connected.connection_id().0, connected.practices.first().map(|p| p.auth_event_id).unwrap_or_default());
    let stored = connected.tokens.to_stored();
    assert!(!stored.needs_reauth && stored.refresh_token.is_some());
}

#[tokio::test]
async fn a_callback_carrying_the_gate_error_explains_it() {
    let listener = LoopbackListener::bind(0).await.expect("listener");
    let redirect_uri = listener.redirect_uri();
    let app = TestApp::spawn(UNAPPROVED_CLIENT_ID, &redirect_uri, None).await;
    let result = oauth::connect_via_loopback(&app.client, listener, DEFAULT_SCOPES, Duration::from_secs(20), |url| {
        // Xero stops at its error page; a redirect carrying `error=` is answered the same way.
        let state = url.query_pairs().find(|(key, _)| key == "state").map(|(_, value)| value.into_owned());
        async move {
            let callback = url::Url::parse_with_params(
                &redirect_uri,
                [
                    ("error", "unauthorized_client"),
                    ("error_description", "Invalid scope for client"),
                    ("state", state.as_deref().unwrap_or_default()),
                ],
            )
            .expect("callback url");
            let response = reqwest::get(callback).await.expect("callback");
            assert_eq!(response.status(), 400);
        }
    })
    .await;
    assert!(matches!(result, Err(oauth::ConnectError::OAuth(OAuthError::ApprovalRequired { .. }))), "{result:?}");
}

#[tokio::test]
async fn the_listener_times_out_with_the_approval_hint_and_ignores_a_wrong_state() {
    let listener = LoopbackListener::bind(0).await.expect("listener");
    let result = listener.receive("expected", "openid practicemanager", Duration::from_millis(200)).await;
    let message = result.as_ref().err().map(ToString::to_string).unwrap_or_default();
    assert!(matches!(result, Err(OAuthError::CallbackTimeout { .. })), "{result:?}");
    assert!(message.contains("Invalid scope for client") && !message.contains("xpmkit"), "{message}");

    // Any web page can send the browser to the loopback URI; such callbacks once aborted the
    // sign-in. They are answered 400 and the listener waits for the real one.
    let listener = LoopbackListener::bind(0).await.expect("listener");
    let uri = listener.redirect_uri();
    let browser = async {
        for forged in ["?code=c&state=forged", "?error=access_denied", "?error=access_denied&state=forged", "?code=c"] {
            let response = reqwest::get(format!("{uri}{forged}")).await.expect("the listener answers");
            assert_eq!(response.status(), reqwest::StatusCode::BAD_REQUEST, "{forged}");
        }
        reqwest::get(format!("{uri}?code=real&state=expected")).await.expect("the listener answers").status()
    };
    let (result, status) = tokio::join!(listener.receive("expected", "openid", Duration::from_secs(10)), browser);
    assert_eq!(result.ok().as_deref(), Some("real"));
    assert_eq!(status, reqwest::StatusCode::OK);
}

#[tokio::test]
async fn an_idle_speculative_connection_does_not_block_the_callback() {
    let listener = LoopbackListener::bind(0).await.expect("listener");
    let idle = tokio::net::TcpStream::connect(("127.0.0.1", listener.port())).await.expect("idle connection");
    let callback = format!("{}?code=the-code&state=expected", listener.redirect_uri());
    let (result, response) =
        tokio::join!(listener.receive("expected", "openid", Duration::from_secs(10)), reqwest::get(callback));
    drop(idle);
    assert_eq!(result.expect("the code"), "the-code");
    assert_eq!(response.expect("callback").status(), 200);
}

#[tokio::test]
async fn nothing_that_holds_a_token_prints_it() {
    let planted = "planted-7d1e-token";
    let tokens = TokenSet {
        access_token: AccessToken::new(planted),
        expires_at: Utc::now(),
        lifetime: chrono::Duration::minutes(30),
        refresh_token: Some(RefreshToken::new(planted)),
        id_token: Some(IdToken::new(planted)),
        scope: "openid".into(),
    };
    let credentials = AppCredentials {
        client_id: "app".into(),
        client_secret: Some(ClientSecret::new(planted)),
        redirect_uri: REDIRECT_URI.into(),
    };
    let client = OAuthClient::new(Endpoints::emulator("http://127.0.0.1:9"), credentials).expect("client");
    let request = client.authorize_url(&["openid"]);
    let connected = oauth::Connected { tokens: tokens.clone(), identity: None, practices: Vec::new() };
    let shown = format!("{tokens:?} {:?} {client:?} {request:?} {connected:?}", tokens.to_stored());
    assert!(!shown.contains(planted), "{shown}");
    assert!(!shown.contains(request.state()) && !shown.contains(request.nonce()), "{shown}");
    let error = OAuthError::InvalidGrant { description: Some("Token has been expired or revoked.".into()) };
    assert!(!format!("{error} {error:?}").contains(planted));
}

#[tokio::test]
async fn authorizing_without_a_browser_takes_the_code_or_explains_the_gate() {
    let app = TestApp::demo().await;
    let request = app.client.authorize_url(DEFAULT_SCOPES);
    let code = app.client.authorize_without_browser(&request).await.expect("auto-consent redirects with a code");
    let tokens = app.client.exchange_code(&code, request).await.expect("the code exchanges").tokens;
    assert!(tokens.refresh_token.is_some());

    let unapproved = TestApp::spawn(UNAPPROVED_CLIENT_ID, REDIRECT_URI, None).await;
    let request = unapproved.client.authorize_url(&["openid", "practicemanager.client.read"]);
    let refused = unapproved.client.authorize_without_browser(&request).await;
    assert!(matches!(refused, Err(OAuthError::ApprovalRequired { .. })), "{refused:?}");
}
