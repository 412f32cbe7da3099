//! API answers longer than a client should hold.

use std::sync::Arc;

use chrono::{Duration, Utc};
use uuid::Uuid;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::OAuthClient;
use xpm_client::secret::AccessToken;
use xpm_client::token_store::{ConnectionId, MemoryStore, StoredTokens, TokenStore as _};
use xpm_client::{Call, Error, XpmClient};

use super::{Body, HostileServer};

async fn client(server: &HostileServer, max_body: u64) -> XpmClient {
    let credentials =
        AppCredentials { client_id: "app".into(), client_secret: None, redirect_uri: "http://localhost/cb".into() };
    let oauth = OAuthClient::new(Endpoints::emulator(&server.base), credentials).expect("an oauth client");
    let store = MemoryStore::default();
    let connection = ConnectionId(Uuid::from_u128(1));
    let tokens = StoredTokens {
        access_token: AccessToken::new("token"),
        access_expires_at: Utc::now() + Duration::hours(1),
        refresh_token: None,
        scope: "practicemanager".into(),
        needs_reauth: false,
        binding: None,
    };
    store.save(connection, &tokens).expect("saved");
    XpmClient::builder(oauth, Arc::new(store), connection).max_body_bytes(max_body).build().expect("a client")
}

/// A 2 GB answer once took 19.9 GB in `send`; the body is now read up to the client's limit and
/// the call fails there, once, naming the fix.
#[tokio::test]
async fn an_answer_beyond_the_limit_fails_at_the_limit_without_retries() {
    for body in [
        Body::Endless { content_type: "text/xml", prefix: "<Response><Status>OK</Status><Clients>" },
        Body::Claimed { content_type: "text/xml", length: 2 << 30 },
    ] {
        let server = HostileServer::start(body).await;
        let client = client(&server, 4 * 1024 * 1024).await;
        let call = Call::by_id("ClientV31_List", Uuid::from_u128(2)).expect("a call");
        let result = client.send(call).await;
        let message = result.as_ref().err().map(ToString::to_string).unwrap_or_default();
        assert!(matches!(result, Err(Error::BodyTooLarge { limit: 4_194_304, .. })), "{message}");
        assert!(message.contains("send_stream") && message.contains("max_body_bytes"), "{message}");
        assert_eq!(server.requests(), 1, "not retried: the same answer would come again");
    }
}
