//! [`XpmClient`]: sends [`Call`]s with auth, tenant, limits and retries handled.
//!
//! Per attempt: a fresh token (refreshed once for everyone if it is about to expire), admission
//! by the [`Governor`], the request, then by status: 2xx is checked for an `ERROR` envelope;
//! 429 waits `Retry-After` (or backs off) and tries again; 401 refreshes once and tries once
//! more, unless the scope is missing; 5xx, timeouts and resets back off with jitter and try again
//! only for operations the catalog marks safe to retry. Every attempt emits one tracing event
//! (target `xpm_client::call`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use parking_lot::Mutex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::StatusCode;
use uuid::Uuid;
use xpm_api::catalog::{Operation, ScopeSet};
use xpm_api::response::{Resource, decode_status, decode_status_json};

use crate::body_stream::{BodyStream, RawBody};
use crate::call::{Call, Format, Response};
use crate::clock::{Clock, SystemClock};
use crate::error::Error;
use crate::governor::{Governor, LimitProblem, Limits, Remaining};
use crate::meter::{Meter, Usage};
use crate::oauth::OAuthClient;
use crate::session::{Grant, Session};
use crate::stream::ItemStream;
use crate::take::{Attempt, Buffered, Streamed, Success, TakeBody, log_attempt, transport_failure};
use crate::token_store::{ConnectionId, TokenStore};

/// How hard to try before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts a retry-safe operation gets when they fail with a 5xx, a timeout or a
    /// reset (waits for 429s and the one retry after a 401 come on top).
    pub attempts: u32,
    /// The first back-off; each next one doubles, with jitter.
    pub base_delay: Duration,
    /// The longest back-off.
    pub max_delay: Duration,
    /// How many 429s one call may wait out.
    pub rate_limit_waits: u32,
    /// The longest `Retry-After` the client waits; beyond it the call fails with
    /// [`Error::RateLimited`] (a day-limit breach can mean hours).
    pub max_limit_wait: Duration,
    /// The timeout of one attempt, from sending to the last byte of the answer.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            rate_limit_waits: 5,
            max_limit_wait: Duration::from_secs(15 * 60),
            // `client.api/list?detailed=true` on a big practice takes minutes (REFERENCE §5).
            timeout: Duration::from_secs(600),
        }
    }
}

/// Builds an [`XpmClient`].
#[derive(Debug)]
pub struct XpmClientBuilder {
    oauth: OAuthClient,
    store: Arc<dyn TokenStore>,
    connection: ConnectionId,
    clock: Arc<dyn Clock>,
    governor: Option<Arc<Governor>>,
    limits: Limits,
    retry: RetryPolicy,
    format: Format,
    jitter_seed: Option<u64>,
    max_body: u64,
    user_agent: String,
}

/// The default of [`XpmClientBuilder::max_body_bytes`].
const DEFAULT_MAX_BODY: u64 = 256 * 1024 * 1024;

impl XpmClientBuilder {
    /// The `User-Agent` of API calls (default `xpm-client/<version>`), so the app's calls can be
    /// told apart in Xero's logs.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The clock for limits, expiry and back-off (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The limits to keep to (default [`Limits::XERO`]). Ignored when a governor is shared in.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Shares one governor between the clients of one app (Xero counts per app and tenant, so
    /// two connections reaching the same tenant must share it).
    pub fn governor(mut self, governor: Arc<Governor>) -> Self {
        self.governor = Some(governor);
        self
    }

    /// Retry and timeout settings.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The default format of requests and answers (XML unless set).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The longest answer [`send`](XpmClient::send) reads whole (default 256 MiB, several times
    /// the detailed client list of a 15,000-client practice). A longer answer fails with
    /// [`Error::BodyTooLarge`]; [`send_stream`](XpmClient::send_stream) and
    /// [`send_body_stream`](XpmClient::send_body_stream) have no such limit, since they hold one
    /// item or chunk at a time.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body = limit;
        self
    }

    /// Seeds the back-off jitter, for reproducible tests.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<XpmClient, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.retry.timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(Error::HttpClient)?;
        let governor = self.governor.unwrap_or_else(|| Arc::new(Governor::new(self.limits, Arc::clone(&self.clock))));
        let jitter = match self.jitter_seed {
            Some(seed) => ChaCha8Rng::seed_from_u64(seed),
            None => ChaCha8Rng::from_os_rng(),
        };
        let api_base = self.oauth.endpoints().api_base.trim_end_matches('/').to_owned();
        let session = Session::new(self.oauth, self.store, self.connection, Arc::clone(&self.clock));
        Ok(XpmClient {
            meter: Arc::new(Meter::default()),
            inner: Arc::new(Inner {
                http,
                api_base,
                session,
                governor,
                clock: self.clock,
                retry: self.retry,
                format: self.format,
                max_body: self.max_body,
                jitter: Mutex::new(jitter),
            }),
        })
    }
}

/// A client for one connection (one user's consent), reaching every tenant it connected. Cheap
/// to clone; clones share tokens, limits, the refresh lock and the usage meter
/// ([`metered`](Self::metered) gives a clone with a meter of its own).
#[derive(Debug, Clone)]
pub struct XpmClient {
    inner: Arc<Inner>,
    meter: Arc<Meter>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    api_base: String,
    session: Session,
    governor: Arc<Governor>,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    format: Format,
    max_body: u64,
    jitter: Mutex<ChaCha8Rng>,
}

impl XpmClient {
    /// Starts building a client for `connection`, whose tokens are in `store`; refreshes go
    /// through `oauth`, and API calls to its endpoints' API base.
    pub fn builder(oauth: OAuthClient, store: Arc<dyn TokenStore>, connection: ConnectionId) -> XpmClientBuilder {
        XpmClientBuilder {
            oauth,
            store,
            connection,
            clock: Arc::new(SystemClock),
            governor: None,
            limits: Limits::XERO,
            retry: RetryPolicy::default(),
            format: Format::Xml,
            jitter_seed: None,
            max_body: DEFAULT_MAX_BODY,
            user_agent: concat!("xpm-client/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// The connection this client calls for.
    pub fn connection(&self) -> ConnectionId {
        self.inner.session.connection()
    }

    /// The default format.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The governor (shared with [`XpmClientBuilder::governor`] to other clients of the app).
    pub fn governor(&self) -> &Arc<Governor> {
        &self.inner.governor
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// A clone that counts its calls on a meter of its own (tokens, limits and everything else
    /// shared), so one job's calls and bytes can be read apart with [`usage`](Self::usage).
    pub fn metered(&self) -> XpmClient {
        XpmClient { inner: Arc::clone(&self.inner), meter: Arc::new(Meter::default()) }
    }

    /// The calls answered and bytes downloaded through this client's meter so far, with the
    /// server's `Date` of the first and latest answers and the day's remaining calls.
    pub fn usage(&self) -> Usage {
        self.meter.usage()
    }

    /// A valid access token and its scopes, refreshed first if it expires within a minute.
    pub async fn grant(&self) -> Result<Grant, Error> {
        self.inner.session.grant_now().await
    }

    /// Sends `call` and returns the answer once it is a 2xx whose envelope does not say `ERROR`.
    pub async fn send(&self, call: Call) -> Result<Response, Error> {
        self.run::<Buffered>(call).await
    }

    /// Sends `call`, whose answer is a list of `T`, and yields the items while the body is still
    /// downloading, in XML and JSON alike. Everything before the body (tokens, limits, retries,
    /// error statuses) is as for [`send`](Self::send); a failure inside the body (an `ERROR`
    /// envelope, a dropped connection) is the stream's last item. The body is never held whole,
    /// so [`max_body_bytes`](XpmClientBuilder::max_body_bytes) does not apply.
    pub async fn send_stream<T: Resource + Send + 'static>(&self, call: Call) -> Result<ItemStream<T>, Error> {
        self.run::<Streamed<T>>(call).await
    }

    /// Sends `call` and hands the answer's body on as it downloads, undecoded: for passing a
    /// long list on as received. As for [`send`](Self::send), an answer that says `ERROR` at its
    /// head fails the call; [`max_body_bytes`](XpmClientBuilder::max_body_bytes) does not apply.
    pub async fn send_body_stream(&self, call: Call) -> Result<BodyStream, Error> {
        self.run::<RawBody>(call).await
    }

    /// The attempt loop both kinds of call share; `B` takes the body of a 2xx answer.
    async fn run<B: TakeBody>(&self, call: Call) -> Result<B::Output, Error> {
        let operation = call.operation;
        let path = call.path_and_query()?;
        let url = format!("{}{path}", self.inner.api_base);
        let format = call.format.unwrap_or(self.inner.format);
        let mut grant = self.inner.session.grant_now().await?;
        if let Some(binding) = &grant.binding {
            binding.check_tenant(self.inner.session.connection(), call.tenant)?;
        }
        check_scope(operation, grant.scopes)?;
        let (mut attempt, mut failures, mut limit_waits, mut refreshed) = (0_u32, 0_u32, 0_u32, false);
        loop {
            attempt += 1;
            // Another failure may be retried while the failures so far leave attempts to spare.
            let may_retry = operation.retry_safe && failures + 1 < self.inner.retry.attempts;
            let sent = Sent { call: &call, url: &url, format, grant: &grant, attempt, may_retry };
            match self.attempt::<B>(sent).await {
                Attempt::Done(response) => return Ok(response),
                Attempt::Fail(error) => return Err(error),
                Attempt::RefreshAndRetry if !refreshed => {
                    refreshed = true;
                    grant = self.inner.session.grant_after_rejection(&grant.access_token).await?;
                }
                Attempt::RefreshAndRetry => {
                    return Err(Error::Unauthorized {
                        operation: operation.id,
                        detail: "the refreshed token was refused too".into(),
                    });
                }
                Attempt::RateLimited { problem, retry_after, wait } => {
                    limit_waits += 1;
                    if limit_waits > self.inner.retry.rate_limit_waits {
                        return Err(Error::RateLimited {
                            operation: operation.id,
                            problem,
                            retry_after,
                            max_wait: self.inner.retry.max_limit_wait,
                        });
                    }
                    self.sleep(wait).await;
                }
                Attempt::Retry => {
                    failures += 1;
                    let delay = self.backoff(failures);
                    tracing::debug!(
                        operation = operation.id.as_str(),
                        attempt,
                        delay_ms = delay.as_millis(),
                        "backing off"
                    );
                    self.sleep(delay).await;
                }
            }
        }
    }

    /// Sends `call` and decodes the answer as XPM's JSON shape, from XML or JSON alike.
    pub async fn send_json(&self, call: Call) -> Result<serde_json::Value, Error> {
        self.send(call).await?.to_json()
    }

    async fn attempt<B: TakeBody>(&self, sent: Sent<'_>) -> Attempt<B::Output> {
        let Sent { call, url, format, grant, attempt, may_retry } = sent;
        let operation = call.operation;
        let tenant = call.tenant;
        let governor = &self.inner.governor;
        let mut admission = governor.admit(tenant).await;
        let started = Instant::now();
        let mut request = self
            .inner
            .http
            .request(http_method(operation.method), url)
            .bearer_auth(grant.access_token.secret())
            .header("xero-tenant-id", tenant.to_string());
        if format == Format::Json {
            request =
                request.header("accept", "application/json").header("xero-features", "practice-strict-content-type");
        }
        if let Some((body, content_type)) = call.encoded_body(format) {
            request = request.header("content-type", content_type).body(body);
        }
        let answer = match request.send().await {
            Ok(answer) => answer,
            Err(error) => {
                drop(admission);
                log_attempt(operation, tenant, None, attempt, started, Remaining::default());
                return transport_failure(operation, attempt, may_retry, error);
            }
        };
        let status = answer.status();
        let remaining = Remaining::from_headers(answer.headers());
        self.meter.answered(answer.headers(), remaining);
        governor.observe(&mut admission, remaining);
        let format = body_format(answer.headers(), format);
        if status.is_success() {
            let success = Success {
                operation,
                tenant,
                status,
                format,
                remaining,
                attempt,
                may_retry,
                started,
                answer,
                admission,
                max_body: self.inner.max_body,
                meter: Arc::clone(&self.meter),
                tolerant: call.tolerant,
            };
            return B::take(success).await;
        }
        // 429 and 401 are decided by their headers, read here before the body consumes them.
        let refused = match status {
            StatusCode::TOO_MANY_REQUESTS => Some(self.rate_limited(operation, tenant, answer.headers())),
            StatusCode::UNAUTHORIZED => Some(unauthorized(operation, grant, answer.headers())),
            _ => None,
        };
        // The slot stays held until the whole body is in: the server counts the call until then.
        // Only the start of an error answer matters, and a hostile server may send no end.
        let body = crate::body_cap::read_truncated(answer, crate::body_cap::ERROR_BODY_LIMIT).await;
        drop(admission);
        if let Ok(body) = &body {
            self.meter.downloaded(body.len());
        }
        log_attempt(operation, tenant, Some(status), attempt, started, remaining);
        let body = match body {
            Ok(body) => body,
            Err(error) => return transport_failure(operation, attempt, may_retry, error),
        };
        if let Some(outcome) = refused {
            return outcome;
        }
        match status {
            StatusCode::FORBIDDEN => Attempt::Fail(Error::TenantNotConnected {
                operation: operation.id,
                tenant,
                detail: problem_detail(&body).unwrap_or_else(|| "Forbidden".into()),
            }),
            status if status.is_server_error() && may_retry => Attempt::Retry,
            status => Attempt::Fail(error_from_body(operation, status, &body, format)),
        }
    }

    /// A 429: block the tenant (or app) for `Retry-After`, or back off when Xero gave none.
    fn rate_limited<T>(
        &self,
        operation: &'static Operation,
        tenant: Uuid,
        headers: &reqwest::header::HeaderMap,
    ) -> Attempt<T> {
        let problem = LimitProblem::parse(&header_text(headers, "x-rate-limit-problem"));
        let retry_after = header_text(headers, "retry-after").trim().parse::<u64>().ok().map(Duration::from_secs);
        tracing::warn!(operation = operation.id.as_str(), %tenant, %problem, retry_after_s = retry_after.map(|wait| wait.as_secs()), "429 from xero");
        match retry_after {
            Some(wait) if wait > self.inner.retry.max_limit_wait => Attempt::Fail(Error::RateLimited {
                operation: operation.id,
                problem,
                retry_after: Some(wait),
                max_wait: self.inner.retry.max_limit_wait,
            }),
            Some(wait) => {
                let until = later(self.inner.clock.now(), wait);
                self.inner.governor.block(tenant, &problem, until);
                // The governor now holds every call to the tenant until then, this one included.
                Attempt::RateLimited { problem, retry_after, wait: Duration::ZERO }
            }
            // Concurrency and app-minute 429s come without Retry-After: a short back-off.
            None => Attempt::RateLimited { problem, retry_after, wait: self.backoff(1) },
        }
    }

    /// Exponential back-off with "equal jitter": half fixed, half random, so retries spread out
    /// without ever coming back at once.
    fn backoff(&self, failures: u32) -> Duration {
        let retry = &self.inner.retry;
        let ceiling = retry.base_delay.saturating_mul(1 << failures.saturating_sub(1).min(16)).min(retry.max_delay);
        let half = ceiling / 2;
        let random = self.inner.jitter.lock().random_range(0..=u64::try_from(half.as_millis()).unwrap_or(u64::MAX));
        half + Duration::from_millis(random)
    }

    async fn sleep(&self, wait: Duration) {
        if wait.is_zero() {
            return;
        }
        let until = later(self.inner.clock.now(), wait);
        self.inner.clock.sleep_until(until).await;
    }
}

/// One attempt's inputs.
struct Sent<'a> {
    call: &'a Call,
    url: &'a str,
    format: Format,
    grant: &'a Grant,
    /// Which attempt this is, counting every kind (for the log and the error).
    attempt: u32,
    /// Whether a 5xx, timeout or reset may be retried.
    may_retry: bool,
}

fn http_method(method: xpm_api::catalog::Method) -> reqwest::Method {
    match method {
        xpm_api::catalog::Method::Get => reqwest::Method::GET,
        xpm_api::catalog::Method::Post => reqwest::Method::POST,
        xpm_api::catalog::Method::Put => reqwest::Method::PUT,
        xpm_api::catalog::Method::Delete => reqwest::Method::DELETE,
    }
}

/// A 401: a missing scope fails; anything else (an expired or revoked token) refreshes once.
fn unauthorized<T>(operation: &'static Operation, grant: &Grant, headers: &reqwest::header::HeaderMap) -> Attempt<T> {
    if header_text(headers, "www-authenticate").contains("insufficient_scope") {
        return Attempt::Fail(Error::ScopeNotGranted {
            operation: operation.id,
            needed: ScopeSet::from(operation.scopes),
            granted: grant.scopes,
        });
    }
    tracing::debug!(operation = operation.id.as_str(), "401: refreshing the token and trying once more");
    Attempt::RefreshAndRetry
}

/// Fails before sending when the token's scopes cannot grant the operation. A token whose scope
/// list is unknown (no XPM scope) is let through; the server decides.
fn check_scope(operation: &'static Operation, granted: ScopeSet) -> Result<(), Error> {
    if granted.is_empty() || granted.grants(operation) {
        return Ok(());
    }
    Err(Error::ScopeNotGranted { operation: operation.id, needed: ScopeSet::from(operation.scopes), granted })
}

/// The answer's format by its content type, falling back to what was asked for.
fn body_format(headers: &reqwest::header::HeaderMap, asked: Format) -> Format {
    let content_type = header_text(headers, "content-type").to_ascii_lowercase();
    if content_type.contains("json") {
        Format::Json
    } else if content_type.contains("xml") {
        Format::Xml
    } else {
        asked
    }
}

/// `now + wait`, held at the last representable instant: a wait that long never ends anyway,
/// and the sum must not overflow on a server's `Retry-After`.
fn later(now: chrono::DateTime<chrono::Utc>, wait: Duration) -> chrono::DateTime<chrono::Utc> {
    chrono::Duration::from_std(wait)
        .ok()
        .and_then(|wait| now.checked_add_signed(wait))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
}

/// The `Detail` of a gateway problem body (`{"Title":"Forbidden","Detail":"AuthenticationUnsuccessful"}`).
fn problem_detail(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("Detail").or_else(|| value.get("detail"))?.as_str().map(str::to_owned)
}

/// An error status: XPM's `ErrorDescription` when the body has one, else the start of the body.
fn error_from_body(operation: &'static Operation, status: StatusCode, body: &Bytes, format: Format) -> Error {
    let described = match format {
        Format::Xml => decode_status(&body[..]).err(),
        Format::Json => decode_status_json(body).err(),
    };
    if let Some(xpm_api::response::ResponseError::Xpm(xpm)) = described {
        return Error::Xpm { operation: operation.id, status: status.as_u16(), description: xpm.description };
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]).trim().to_owned();
    let body = problem_detail(body).unwrap_or(text);
    Error::Status { operation: operation.id, status: status.as_u16(), body }
}
