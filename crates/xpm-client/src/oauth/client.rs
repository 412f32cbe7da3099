//! [`OAuthClient`]: the authorisation code flow with PKCE, refresh with rotation, and revocation,
//! on the `oauth2` crate.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet, ErrorResponseType, ExtraTokenFields,
    HttpClientError, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, StandardErrorResponse,
    StandardRevocableToken, StandardTokenResponse, TokenResponse as _, TokenUrl,
};
use serde::{Deserialize, Serialize};

use super::error::OAuthError;
use super::id_token::{IdTokenClaims, IdTokenError, IdTokenValidator};
use crate::config::{AppCredentials, Endpoints};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::token_store::StoredTokens;

/// A sensible first request: sign-in (`openid profile email`), a refresh token
/// (`offline_access`) and broad XPM access (`practicemanager`). Least privilege asks for less:
/// see `xpm_api::scopes::plan`.
pub const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access", "practicemanager"];

/// The `id_token` field of Xero's token response. `Debug` is written by hand so the token never
/// prints.
#[derive(Clone, Default, Serialize, Deserialize)]
struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenField").field("id_token", &self.id_token.as_ref().map(|_| "[redacted]")).finish()
    }
}

impl ExtraTokenFields for IdTokenField {}

type WireTokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;

type WireClient = oauth2::Client<
    BasicErrorResponse,
    WireTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Tokens from one token-endpoint answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The access token (30 minutes on Xero).
    pub access_token: AccessToken,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    /// How long the access token lives (`expires_in`; 30 minutes when Xero does not say), for
    /// callers that keep time on another clock.
    pub lifetime: Duration,
    /// The refresh token; after a refresh this is the NEW (rotated) one, to be stored before use.
    pub refresh_token: Option<RefreshToken>,
    /// The id_token, when `openid` was granted.
    pub id_token: Option<IdToken>,
    /// The granted scopes, space-separated.
    pub scope: String,
}

impl TokenSet {
    /// The record a [`TokenStore`](crate::token_store::TokenStore) keeps.
    pub fn to_stored(&self) -> StoredTokens {
        StoredTokens {
            access_token: self.access_token.clone(),
            access_expires_at: self.expires_at,
            refresh_token: self.refresh_token.clone(),
            scope: self.scope.clone(),
            needs_reauth: false,
            binding: None,
        }
    }
}

/// What a code exchange gives: the tokens, and who signed in when `openid` was requested (the
/// claims of the id_token, already validated).
#[derive(Debug, Clone)]
pub struct Exchanged {
    /// The tokens.
    pub tokens: TokenSet,
    /// The validated id_token's claims; `None` only when `openid` was not requested.
    pub identity: Option<IdTokenClaims>,
}

/// One authorize request in flight: the URL to open and what the callback and the exchange
/// must check. `Debug` hides the state, nonce and PKCE verifier.
pub struct AuthorizeRequest {
    /// The URL to open in the browser.
    pub url: url::Url,
    state: CsrfToken,
    nonce: CsrfToken,
    verifier: PkceCodeVerifier,
    scopes: String,
}

impl fmt::Debug for AuthorizeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeRequest")
            .field("authorize_endpoint", &self.url.origin().ascii_serialization())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl AuthorizeRequest {
    /// The `state` the callback must carry back.
    pub fn state(&self) -> &str {
        self.state.secret()
    }

    /// The `nonce` the id_token must carry.
    pub fn nonce(&self) -> &str {
        self.nonce.secret()
    }

    /// The requested scopes, space-separated.
    pub fn scopes(&self) -> &str {
        &self.scopes
    }
}

/// The OAuth 2.0 client of one app against one identity service (Xero or the emulator). Cheap to
/// clone.
#[derive(Clone)]
pub struct OAuthClient {
    inner: WireClient,
    http: reqwest::Client,
    endpoints: Endpoints,
    credentials: AppCredentials,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("endpoints", &self.endpoints)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl OAuthClient {
    /// A client for `credentials` at `endpoints`. The client secret, when the app has one, is
    /// sent with HTTP Basic; PKCE is used either way.
    pub fn new(endpoints: Endpoints, credentials: AppCredentials) -> Result<Self, OAuthError> {
        // oauth2 asks for a client that does not follow redirects, so a token endpoint cannot
        // bounce credentials elsewhere.
        // A timeout, because a refresh holds the connection's refresh lock while it waits.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(OAuthError::HttpClient)?;
        Self::with_http(endpoints, credentials, http)
    }

    /// As [`new`](Self::new), with a given HTTP client (which must not follow redirects).
    pub fn with_http(
        endpoints: Endpoints,
        credentials: AppCredentials,
        http: reqwest::Client,
    ) -> Result<Self, OAuthError> {
        let invalid = |url: &str| {
            let url = url.to_owned();
            move |source| OAuthError::InvalidEndpoint { url, source }
        };
        let mut inner = oauth2::Client::new(ClientId::new(credentials.client_id.clone()))
            .set_auth_uri(AuthUrl::new(endpoints.authorize.clone()).map_err(invalid(&endpoints.authorize))?)
            .set_token_uri(TokenUrl::new(endpoints.token.clone()).map_err(invalid(&endpoints.token))?)
            .set_redirect_uri(
                RedirectUrl::new(credentials.redirect_uri.clone()).map_err(invalid(&credentials.redirect_uri))?,
            );
        if let Some(secret) = &credentials.client_secret {
            inner = inner.set_client_secret(oauth2::ClientSecret::new(secret.secret().to_owned()));
        }
        Ok(Self { inner, http, endpoints, credentials })
    }

    /// The app's `client_id`.
    pub fn client_id(&self) -> &str {
        &self.credentials.client_id
    }

    /// The endpoints this client talks to.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The app.
    pub fn credentials(&self) -> &AppCredentials {
        &self.credentials
    }

    /// The HTTP client (no redirects), for `/connections` and the JWKS.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Builds the authorize URL for `scopes`, with a fresh `state`, `nonce` and S256 PKCE
    /// challenge.
    pub fn authorize_url<S: AsRef<str>>(&self, scopes: &[S]) -> AuthorizeRequest {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let nonce = CsrfToken::new_random();
        let (url, state) = self
            .inner
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|scope| Scope::new(scope.as_ref().to_owned())))
            .set_pkce_challenge(challenge)
            .add_extra_param("nonce", nonce.secret().clone())
            .url();
        let scopes = scopes.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
        AuthorizeRequest { url, state, nonce, verifier, scopes }
    }

    /// Asks the authorize endpoint for `scopes` once, without a browser, to catch Xero's
    /// approval gate before anyone waits for a callback that will never come: an error page
    /// becomes [`OAuthError::ApprovalRequired`] (or [`OAuthError::AuthorizeFailed`]). A redirect
    /// (to a sign-in page, or straight back) is fine and is not followed.
    #[tracing::instrument(skip_all, err)]
    pub async fn preflight<S: AsRef<str>>(&self, scopes: &[S]) -> Result<(), OAuthError> {
        let request = self.authorize_url(scopes);
        match self.open_authorize(&request).await? {
            Opened::Redirect(_) => Ok(()),
            Opened::Page(page) => match super::approval::diagnose_authorize_page(&page, request.scopes()) {
                Some(error) => Err(error),
                None => Ok(()),
            },
        }
    }

    /// Opens the authorize URL without a browser and returns the code the redirect carries, once
    /// its `state` matches: for a server that consents at once, such as the emulator started
    /// with auto-consent (tests, demos, scripts). Against Xero, where a person signs in, this
    /// fails with [`OAuthError::Unexpected`]; an error page (the approval gate) is diagnosed as
    /// [`preflight`](Self::preflight) does.
    ///
    /// Test machinery, behind the `test-util` feature: a real app receives the code on its
    /// redirect URI ([`connect_via_loopback`](super::connect_via_loopback)).
    #[cfg(feature = "test-util")]
    pub async fn authorize_without_browser(&self, request: &AuthorizeRequest) -> Result<String, OAuthError> {
        let location = match self.open_authorize(request).await? {
            Opened::Redirect(location) => location,
            Opened::Page(page) => {
                return Err(super::approval::diagnose_authorize_page(&page, request.scopes()).unwrap_or_else(|| {
                    OAuthError::Unexpected("the authorize endpoint showed a page instead of redirecting back".into())
                }));
            }
        };
        let redirect = url::Url::parse(&location)
            .map_err(|_| OAuthError::MalformedCallback { reason: "the redirect Location is not a URL" })?;
        let expected = redirect.as_str().starts_with(&self.credentials.redirect_uri);
        if !expected {
            return Err(OAuthError::Unexpected(
                "the authorize endpoint redirected elsewhere than the redirect URI (to a sign-in page?)".into(),
            ));
        }
        super::loopback::code_from_callback(redirect.query().unwrap_or_default(), request.state(), request.scopes())
    }

    /// GETs the authorize URL without following a redirect.
    async fn open_authorize(&self, request: &AuthorizeRequest) -> Result<Opened, OAuthError> {
        let response = self
            .http
            .get(request.url.clone())
            .send()
            .await
            .map_err(|error| OAuthError::Transport(HttpClientError::Reqwest(Box::new(error))))?;
        if response.status().is_redirection() {
            let location = response.headers().get(reqwest::header::LOCATION).and_then(|value| value.to_str().ok());
            return Ok(Opened::Redirect(location.unwrap_or_default().to_owned()));
        }
        if response.status().is_success() {
            // A sign-in or consent page: a person's step, nothing to diagnose.
            return Ok(Opened::Page(String::new()));
        }
        let page =
            crate::body_cap::read_truncated(response, crate::body_cap::ERROR_BODY_LIMIT).await.unwrap_or_default();
        Ok(Opened::Page(String::from_utf8_lossy(&page).into_owned()))
    }

    /// Exchanges the callback's `code`, sending the request's PKCE verifier. When `openid` was
    /// requested, the id_token is validated before anything is returned (signature against the
    /// JWKS, `iss`, `aud`, `exp`, and the request's `nonce`, as OpenID Connect Core 1.0 §3.1.3.7
    /// requires), and a missing one is an error: there is no unvalidated path to forget.
    #[tracing::instrument(skip_all, err)]
    pub async fn exchange_code(&self, code: &str, request: AuthorizeRequest) -> Result<Exchanged, OAuthError> {
        let AuthorizeRequest { nonce, verifier, scopes, .. } = request;
        let response = self
            .inner
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(verifier)
            .request_async(&|request| super::capped_http::send(self.http.clone(), request))
            .await
            .map_err(map_request_error)?;
        let tokens = token_set(response, Utc::now(), None)?;
        if !scopes.split(' ').any(|scope| scope == "openid") {
            return Ok(Exchanged { tokens, identity: None });
        }
        let id_token = tokens.id_token.as_ref().ok_or(IdTokenError::Missing)?;
        let identity = self.id_token_validator().await?.validate(id_token, nonce.secret())?;
        Ok(Exchanged { tokens, identity: Some(identity) })
    }

    /// A validator for this app's id_tokens, with the JWKS fetched now.
    pub async fn id_token_validator(&self) -> Result<IdTokenValidator, OAuthError> {
        Ok(IdTokenValidator::fetch(
            &self.http,
            &self.endpoints.jwks,
            self.endpoints.issuer.clone(),
            self.credentials.client_id.clone(),
        )
        .await?)
    }

    /// Refreshes. The answer holds a NEW refresh token (Xero rotates them on every refresh); store
    /// it before using it. Should a server answer without one (RFC 6749 allows it), the token
    /// passed in is kept. `invalid_grant` becomes [`OAuthError::InvalidGrant`].
    #[tracing::instrument(skip_all, err)]
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<TokenSet, OAuthError> {
        let wire = oauth2::RefreshToken::new(refresh_token.secret().to_owned());
        let response = self
            .inner
            .exchange_refresh_token(&wire)
            .request_async(&|request| super::capped_http::send(self.http.clone(), request))
            .await
            .map_err(map_request_error)?;
        token_set(response, Utc::now(), Some(refresh_token))
    }

    /// Revokes a refresh token (RFC 7009); Xero also removes the user's connections to the app.
    ///
    /// Sent directly rather than through `oauth2`, which insists on an `https` revocation URL and
    /// so cannot reach the emulator on loopback.
    #[tracing::instrument(skip_all, err)]
    pub async fn revoke(&self, refresh_token: &RefreshToken) -> Result<(), OAuthError> {
        let mut form = vec![("token", refresh_token.secret()), ("token_type_hint", "refresh_token")];
        let mut request = self.http.post(&self.endpoints.revocation);
        match &self.credentials.client_secret {
            Some(secret) => request = request.basic_auth(&self.credentials.client_id, Some(secret.secret())),
            None => form.push(("client_id", self.credentials.client_id.as_str())),
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|error| OAuthError::Transport(HttpClientError::Reqwest(Box::new(error))))?;
        if response.status().is_success() {
            return Ok(());
        }
        let status = response.status();
        let body =
            crate::body_cap::read_truncated(response, crate::body_cap::ERROR_BODY_LIMIT).await.unwrap_or_default();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let description = body["error_description"].as_str().map(str::to_owned);
        match body["error"].as_str() {
            Some("invalid_grant") => Err(OAuthError::InvalidGrant { description }),
            Some(error) => Err(OAuthError::Rejected { error: error.to_owned(), description }),
            None => Err(OAuthError::Unexpected(format!("the revocation endpoint answered {status}"))),
        }
    }
}

/// What the authorize endpoint answered a request without a browser.
enum Opened {
    /// A redirect, with its `Location`.
    Redirect(
        #[cfg_attr(not(feature = "test-util"), expect(dead_code, reason = "read by authorize_without_browser only"))]
        String,
    ),
    /// A page: empty for a sign-in or consent page, else the error page's HTML.
    Page(String),
}

/// Converts the wire response at once, so plain-string tokens do not travel further.
fn token_set(
    response: WireTokenResponse,
    now: DateTime<Utc>,
    previous: Option<&RefreshToken>,
) -> Result<TokenSet, OAuthError> {
    let (lifetime, expires_at) = super::lifetime::expiry(now, response.expires_in())?;
    Ok(TokenSet {
        access_token: AccessToken::new(response.access_token().secret().clone()),
        expires_at,
        lifetime,
        refresh_token: response
            .refresh_token()
            .map(|token| RefreshToken::new(token.secret().clone()))
            .or_else(|| previous.cloned()),
        id_token: response.extra_fields().id_token.clone().map(IdToken::new),
        scope: response
            .scopes()
            .map(|scopes| scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(" "))
            .unwrap_or_default(),
    })
}

fn map_request_error<T>(
    error: RequestTokenError<HttpClientError<reqwest::Error>, StandardErrorResponse<T>>,
) -> OAuthError
where
    T: ErrorResponseType + AsRef<str> + fmt::Display + 'static,
{
    match error {
        RequestTokenError::ServerResponse(response) => {
            let code = response.error().as_ref().to_owned();
            let description = response.error_description().cloned();
            if code == "invalid_grant" {
                OAuthError::InvalidGrant { description }
            } else {
                OAuthError::Rejected { error: code, description }
            }
        }
        RequestTokenError::Request(HttpClientError::Other(text)) if text == super::capped_http::TOO_LARGE => {
            OAuthError::AnswerTooLarge { limit: crate::body_cap::IDENTITY_ANSWER_LIMIT }
        }
        RequestTokenError::Request(source) => OAuthError::Transport(source),
        RequestTokenError::Parse(source, _) => OAuthError::Malformed(source),
        RequestTokenError::Other(text) => OAuthError::Unexpected(text),
    }
}
