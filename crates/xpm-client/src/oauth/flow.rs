//! The whole sign-in of `xpmkit connect`: authorize in a browser, receive the code on the
//! loopback listener, exchange it, validate the id_token, and list the practices.

use std::future::Future;
use std::time::Duration;

use uuid::Uuid;

use super::client::{Exchanged, OAuthClient, TokenSet};
use super::error::OAuthError;
use super::id_token::IdTokenClaims;
use super::loopback::LoopbackListener;
use crate::connections::{Connection, ConnectionsClient, ConnectionsError};
use crate::token_store::ConnectionId;

/// A finished sign-in.
#[derive(Debug, Clone)]
pub struct Connected {
    /// The tokens.
    pub tokens: TokenSet,
    /// The validated id_token's claims, when `openid` was requested.
    pub identity: Option<IdTokenClaims>,
    /// The XPM practices the user connected (`PRACTICEMANAGER` only).
    pub practices: Vec<Connection>,
}

impl Connected {
    /// The id to store the connection under: the authorisation's `authEventId`, shared by every
    /// practice connected in this consent (a fresh id when no practice was connected).
    pub fn connection_id(&self) -> ConnectionId {
        ConnectionId(self.practices.first().map(|practice| practice.auth_event_id).unwrap_or_else(Uuid::new_v4))
    }
}

/// Why the sign-in failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// An OAuth step failed.
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// Listing the connections failed.
    #[error("cannot list the connected practices")]
    Connections(#[from] ConnectionsError),
}

/// Runs the sign-in on `listener`, whose [`redirect_uri`](LoopbackListener::redirect_uri) must be
/// the client's. `open_browser` gets the authorize URL and runs while the listener waits (the CLI
/// opens a browser or prints the URL; tests follow the redirects with an HTTP client).
pub async fn connect_via_loopback<S, F, Fut>(
    client: &OAuthClient,
    listener: LoopbackListener,
    scopes: &[S],
    timeout: Duration,
    open_browser: F,
) -> Result<Connected, ConnectError>
where
    S: AsRef<str>,
    F: FnOnce(url::Url) -> Fut,
    Fut: Future<Output = ()>,
{
    let request = client.authorize_url(scopes);
    let state = request.state().to_owned();
    let requested = request.scopes().to_owned();
    let (code, ()) = tokio::join!(listener.receive(&state, &requested, timeout), open_browser(request.url.clone()));
    let code = code?;
    let Exchanged { tokens, identity } = client.exchange_code(&code, request).await?;
    let connections = ConnectionsClient::new(client.http().clone(), client.endpoints().connections.clone());
    let practices = connections.list(&tokens.access_token).await?;
    Ok(Connected { tokens, identity, practices })
}
