//! Token endpoints that answer what no authorisation server should.

use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::{OAuthClient, OAuthError};
use xpm_client::secret::RefreshToken;

use super::{Body, HostileServer};

fn oauth(server: &HostileServer) -> OAuthClient {
    let credentials = AppCredentials {
        client_id: "app".into(),
        client_secret: None,
        redirect_uri: "http://localhost:8765/callback".into(),
    };
    OAuthClient::new(Endpoints::emulator(&server.base), credentials).expect("an oauth client")
}

/// A token answer without end (or claiming 3 GB) was once read whole, three times over; it is
/// refused after 1 MiB, once.
#[tokio::test]
async fn an_oversized_token_answer_is_refused_once() {
    for body in [
        Body::Endless { content_type: "application/json", prefix: r#"{"access_token":""# },
        Body::Claimed { content_type: "application/json", length: 3 << 30 },
    ] {
        let server = HostileServer::start(body).await;
        let refreshed = oauth(&server).refresh(&RefreshToken::new("old")).await;
        assert!(matches!(refreshed, Err(OAuthError::AnswerTooLarge { limit: 1_048_576 })), "{refreshed:?}");
        assert_eq!(server.requests(), 1, "not retried");
    }
}

/// `expires_in` beyond any date once panicked `xpmkit call` (exit 101); it is a typed error.
#[tokio::test]
async fn an_expiry_beyond_any_date_is_an_error_not_a_panic() {
    for seconds in [9_000_000_000_000_u64, u64::MAX] {
        let bytes =
            format!(r#"{{"access_token":"a","token_type":"Bearer","expires_in":{seconds},"refresh_token":"r"}}"#)
                .into_bytes();
        let server = HostileServer::start(Body::Fixed { content_type: "application/json", bytes }).await;
        let refreshed = oauth(&server).refresh(&RefreshToken::new("old")).await;
        match refreshed {
            Err(OAuthError::TokenLifetime { seconds: named }) => assert_eq!(named, seconds),
            other => panic!("expected a TokenLifetime error, got {other:?}"),
        }
        assert_eq!(server.requests(), 1, "an answer that cannot be used is not asked for again");
    }
}
