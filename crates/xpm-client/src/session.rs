//! A connection's access token, kept fresh: refreshed ahead of expiry, once, however many calls
//! need it at the same moment, in this process and across processes sharing the store.
//!
//! Xero rotates the refresh token on every refresh, so two refreshes racing with the same token
//! leave one side with a dead token (`invalid_grant`). Here a refresh happens under an async
//! mutex (one per connection in this process) and the store's refresh lock (one across processes),
//! and both re-read the tokens once held, so whoever arrives second uses the first one's result.
//! The rotated token is saved before anything uses it. Should the answer to a refresh be lost
//! (connection reset, crash), the refresh is retried with the token still stored, which Xero
//! accepts for 30 minutes after rotating it.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use parking_lot::RwLock;
use xpm_api::catalog::ScopeSet;

use crate::clock::Clock;
use crate::error::Error;
use crate::oauth::{OAuthClient, OAuthError};
use crate::secret::AccessToken;
use crate::token_store::{ConnectionId, StoredTokens, TokenBinding, TokenStore};

/// Refresh this long before the access token expires, so a call never leaves with a token that
/// expires on the way.
const REFRESH_AHEAD: Duration = Duration::seconds(60);
/// How long to wait for another process's refresh.
const LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Attempts at one refresh when its answer is lost.
const REFRESH_ATTEMPTS: u32 = 3;

/// The tokens of one connection, shared by every call that uses it.
#[derive(Debug)]
pub(crate) struct Session {
    oauth: OAuthClient,
    store: Arc<dyn TokenStore>,
    connection: ConnectionId,
    clock: Arc<dyn Clock>,
    /// The tokens last read or written, with their grant (scopes parsed once per token).
    cached: RwLock<Option<Cached>>,
    refreshing: tokio::sync::Mutex<()>,
}

/// A usable access token and the scopes it carries.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The access token.
    pub access_token: AccessToken,
    /// The XPM scopes granted, parsed when the tokens were read.
    pub scopes: ScopeSet,
    /// The practices the tokens were issued for, when the record binds them.
    pub(crate) binding: Option<Arc<TokenBinding>>,
}

/// Tokens and the grant made from them.
#[derive(Debug)]
struct Cached {
    tokens: StoredTokens,
    grant: Grant,
}

impl Cached {
    fn new(tokens: StoredTokens) -> Self {
        let grant = Grant {
            access_token: tokens.access_token.clone(),
            scopes: ScopeSet::parse(&tokens.scope),
            binding: tokens.binding.clone().map(Arc::new),
        };
        Self { tokens, grant }
    }
}

impl Session {
    /// A session for `connection`, whose tokens are in `store`.
    pub(crate) fn new(
        oauth: OAuthClient,
        store: Arc<dyn TokenStore>,
        connection: ConnectionId,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self { oauth, store, connection, clock, cached: RwLock::new(None), refreshing: tokio::sync::Mutex::new(()) }
    }

    /// The connection.
    pub(crate) fn connection(&self) -> ConnectionId {
        self.connection
    }

    fn fresh(&self, tokens: &StoredTokens, now: DateTime<Utc>) -> bool {
        !tokens.needs_reauth && tokens.access_expires_at.checked_sub_signed(REFRESH_AHEAD).is_some_and(|due| due > now)
    }

    /// A token valid for at least another minute, refreshing first if needed.
    pub(crate) async fn grant_now(&self) -> Result<Grant, Error> {
        if let Some(cached) = self.cached.read().as_ref()
            && self.fresh(&cached.tokens, self.clock.now())
        {
            return Ok(cached.grant.clone());
        }
        self.refresh(None).await
    }

    /// The server refused `rejected` (401): refresh, unless someone already has since.
    pub(crate) async fn grant_after_rejection(&self, rejected: &AccessToken) -> Result<Grant, Error> {
        self.refresh(Some(rejected)).await
    }

    /// Refreshes under both locks. With `rejected`, tokens other than `rejected` count as fresh
    /// (another caller refreshed); without, any token valid for another minute does.
    async fn refresh(&self, rejected: Option<&AccessToken>) -> Result<Grant, Error> {
        let _in_process = self.refreshing.lock().await;
        let usable = |tokens: &StoredTokens, now| match rejected {
            Some(rejected) => !tokens.needs_reauth && tokens.access_token != *rejected && self.fresh(tokens, now),
            None => self.fresh(tokens, now),
        };
        if let Some(cached) = self.cached.read().as_ref()
            && usable(&cached.tokens, self.clock.now())
        {
            return Ok(cached.grant.clone());
        }
        let store = Arc::clone(&self.store);
        let connection = self.connection;
        let _across_processes = tokio::task::spawn_blocking(move || store.lock_refresh(connection, LOCK_TIMEOUT))
            .await
            .map_err(|join| Error::Internal { what: format!("the refresh lock task failed: {join}") })??;
        let stored = self.store.load(self.connection)?.ok_or(Error::NotConnected { connection: self.connection })?;
        // Before the tokens go anywhere: they must be going where they were issued.
        if let Some(binding) = &stored.binding {
            binding.check(self.connection, self.oauth.endpoints(), self.oauth.client_id())?;
        }
        if usable(&stored, self.clock.now()) {
            let cached = Cached::new(stored);
            let grant = cached.grant.clone();
            *self.cached.write() = Some(cached);
            return Ok(grant);
        }
        if stored.needs_reauth {
            return Err(self.needs_reauth("the last refresh was refused with invalid_grant"));
        }
        let Some(refresh_token) = stored.refresh_token.clone() else {
            return Err(self.needs_reauth("no refresh token was issued: ask for the offline_access scope"));
        };
        let started = self.clock.now();
        let tokens = match self.refresh_with_retries(&refresh_token).await {
            Ok(tokens) => tokens,
            Err(OAuthError::InvalidGrant { description }) => {
                let marked = StoredTokens { needs_reauth: true, ..stored };
                self.store.save(self.connection, &marked)?;
                *self.cached.write() = Some(Cached::new(marked));
                let reason = match description {
                    Some(text) => format!("xero answered invalid_grant: {text}"),
                    None => "xero answered invalid_grant".to_owned(),
                };
                return Err(self.needs_reauth(&reason));
            }
            Err(other) => return Err(Error::OAuth(other)),
        };
        let mut renewed = tokens.to_stored();
        renewed.binding = stored.binding.clone();
        // Counted from when the request left, on the session's clock; the token response's own
        // expiry (already checked) stands in should that sum leave the calendar.
        renewed.access_expires_at = started.checked_add_signed(tokens.lifetime).unwrap_or(tokens.expires_at);
        if renewed.scope.is_empty() {
            renewed.scope = stored.scope;
        }
        // Saved before use: once Xero has rotated, the old refresh token dies 30 minutes on.
        self.store.save(self.connection, &renewed)?;
        tracing::info!(connection = %self.connection, "access token refreshed");
        let cached = Cached::new(renewed);
        let grant = cached.grant.clone();
        *self.cached.write() = Some(cached);
        Ok(grant)
    }

    /// Refreshes, retrying when the answer is lost: the stored token stays usable through Xero's
    /// grace period even if the server already rotated it. The pauses are short real-time waits,
    /// not the injected clock, because other callers are waiting on this refresh.
    async fn refresh_with_retries(
        &self,
        refresh_token: &crate::secret::RefreshToken,
    ) -> Result<crate::oauth::TokenSet, OAuthError> {
        let mut attempt = 1;
        loop {
            match self.oauth.refresh(refresh_token).await {
                Err(OAuthError::Transport(error)) if attempt < REFRESH_ATTEMPTS => {
                    tracing::warn!(connection = %self.connection, attempt, error = %error, "token refresh answer lost; retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(100 << attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn needs_reauth(&self, reason: &str) -> Error {
        Error::NeedsReauth { connection: self.connection, reason: reason.to_owned() }
    }
}
