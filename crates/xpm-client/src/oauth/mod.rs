//! OAuth 2.0 with Xero identity: the authorisation code flow with PKCE (S256), `state` and
//! `nonce`; refresh with rotation; revocation; id_token validation; the loopback listener of
//! `xpmkit connect`; and the explanation of Xero's approval gate for XPM scopes.

mod approval;
mod capped_http;
mod client;
mod error;
mod flow;
mod id_token;
mod lifetime;
mod loopback;

pub use approval::diagnose_authorize_page;
pub use client::{AuthorizeRequest, DEFAULT_SCOPES, Exchanged, OAuthClient, TokenSet};
pub use error::OAuthError;
pub use flow::{ConnectError, Connected, connect_via_loopback};
pub use id_token::{IdTokenClaims, IdTokenError, IdTokenValidator};
pub use loopback::{CALLBACK_PATH, LoopbackListener, LoopbackPage};
