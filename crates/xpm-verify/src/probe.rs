//! Sends the suite's requests as they are written, without the client's retries, refreshes on
//! 401 or content negotiation, so that what the server does is what the checks see. Calls are
//! paced, counted, and handed to the recorder.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use tokio::time::Instant;
use uuid::Uuid;
use xpm_client::XpmClient;

use crate::record::Recorder;
use crate::target::Target;

/// Bodies longer than this are cut off and the check fails: the suite asks only for small
/// answers (a week of changed clients, one page).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The feature header that makes XPM 3.1 answer JSON.
pub(crate) const STRICT_FEATURE: (&str, &str) = ("Xero-Features", "practice-strict-content-type");
/// Asks for JSON.
pub(crate) const ACCEPT_JSON: (&str, &str) = ("Accept", "application/json");

/// One request of the suite.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The check it serves, for the recording's file names.
    pub(crate) check: String,
    /// The path below the API base with its query (`/client.api/list?detailed=true`), or a whole
    /// URL for requests outside the API (`/connections`).
    pub(crate) path: String,
    /// Headers besides the token (never `Authorization`: that is added when sending).
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The `Xero-Tenant-Id`, when the request is for a practice.
    pub(crate) tenant: Option<Uuid>,
}

impl Request {
    /// A GET of `path` for `tenant`.
    pub(crate) fn api(check: impl Into<String>, path: impl Into<String>, tenant: Uuid) -> Self {
        Self { check: check.into(), path: path.into(), headers: Vec::new(), tenant: Some(tenant) }
    }

    /// Adds a header.
    pub(crate) fn header(mut self, (name, value): (&'static str, &str)) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The request as the report shows it: method, path and the headers that matter.
    pub(crate) fn shown(&self, target: &Target) -> String {
        let path = if self.path.starts_with("http") {
            url_path(&self.path).to_owned()
        } else {
            format!("{}{}", url_path(&target.api_base), self.path)
        };
        let mut shown = format!("GET {path}");
        let mut headers: Vec<String> = self.headers.iter().map(|(name, value)| format!("{name}: {value}")).collect();
        if let Some(tenant) = self.tenant
            && tenant != target.tenant
        {
            headers.push(format!("Xero-Tenant-Id: {tenant}"));
        }
        if !headers.is_empty() {
            shown.push_str(&format!(" ({})", headers.join(", ")));
        }
        shown
    }
}

/// The path and query of a URL (`https://api.xero.com/connections` → `/connections`).
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |index| &after_scheme[index..])
}

/// A request and the server's answer.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    /// The request, as shown in the report.
    pub(crate) request: String,
    /// The HTTP status.
    pub(crate) status: u16,
    /// The answer's headers.
    pub(crate) headers: HeaderMap,
    /// The answer's body.
    pub(crate) body: Bytes,
}

impl Exchange {
    /// A header's value as text (`None` when absent or not text).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The media type without parameters, lower case (`text/xml`).
    pub(crate) fn media_type(&self) -> String {
        let content_type = self.header("content-type").unwrap_or_default();
        content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
    }

    /// Whether the body is XML by its content type.
    pub(crate) fn is_xml(&self) -> bool {
        let media = self.media_type();
        media == "text/xml" || media == "application/xml"
    }

    /// Whether the body is JSON by its content type.
    pub(crate) fn is_json(&self) -> bool {
        self.media_type() == "application/json"
    }

    /// The XPM envelope's status (`OK` / `ERROR`) in either format, if the body has one.
    pub(crate) fn xpm_status(&self) -> Option<String> {
        let text = std::str::from_utf8(&self.body[..self.body.len().min(4096)]).ok()?;
        if let Some(start) = text.find("<Status>") {
            let rest = &text[start + "<Status>".len()..];
            return rest.find("</Status>").map(|end| rest[..end].trim().to_ascii_uppercase());
        }
        let json: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        json.get("status").and_then(serde_json::Value::as_str).map(str::to_ascii_uppercase)
    }

    /// Status, media type and XPM status in one phrase (`HTTP 404, text/xml, <Status>ERROR`).
    pub(crate) fn summary(&self) -> String {
        let media = self.media_type();
        let mut summary =
            format!("HTTP {}, {}", self.status, if media.is_empty() { "no content type" } else { &media });
        if let Some(status) = self.xpm_status() {
            summary.push_str(&format!(", status {status}"));
        }
        summary
    }
}

/// Sends requests one at a time, paced.
pub(crate) struct Probe<'a> {
    client: &'a XpmClient,
    http: reqwest::Client,
    pub(crate) target: &'a Target,
    pace: Duration,
    last: Option<Instant>,
    /// When each call of the last minute was sent, to keep under `per_minute`.
    sent: std::collections::VecDeque<Instant>,
    per_minute: usize,
    calls: u32,
    recorder: Option<&'a mut Recorder>,
    /// Every answer's rate-limit headers, for the limits check: (request, path was tenant-less,
    /// `X-DayLimit-Remaining`, `X-MinLimit-Remaining`, `X-AppMinLimit-Remaining`).
    pub(crate) rate_headers: Vec<RateHeaders>,
}

/// The rate-limit headers of one answer.
#[derive(Debug, Clone)]
pub(crate) struct RateHeaders {
    pub(crate) request: String,
    pub(crate) tenant_less: bool,
    pub(crate) day: Option<u32>,
    pub(crate) minute: Option<u32>,
    pub(crate) app_minute: Option<u32>,
}

impl<'a> Probe<'a> {
    pub(crate) fn new(
        client: &'a XpmClient,
        target: &'a Target,
        (pace, per_minute): (Duration, u32),
        recorder: Option<&'a mut Recorder>,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("xpm-verify/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(60))
            .build()?;
        let per_minute = usize::try_from(per_minute.max(1)).unwrap_or(usize::MAX);
        Ok(Self {
            client,
            http,
            target,
            pace,
            last: None,
            sent: std::collections::VecDeque::new(),
            per_minute,
            calls: 0,
            recorder,
            rate_headers: Vec::new(),
        })
    }

    /// The access token's claims (Xero's and the emulator's tokens are JWTs), read without
    /// checking the signature: the suite reports what they say, it trusts nothing in them.
    pub(crate) async fn token_claims(&self) -> Result<serde_json::Value, String> {
        let grant = self.client.grant().await.map_err(|error| format!("no usable access token: {error}"))?;
        jwt_claims(grant.access_token.secret())
    }

    /// Calls made so far.
    pub(crate) fn calls(&self) -> u32 {
        self.calls
    }

    /// Waits until a call keeps to the pace and to `per_minute` calls in any minute.
    async fn wait_turn(&mut self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.pace).await;
        }
        // An emulator with its limits off sends no rate headers and needs no budget.
        let limited = self.target.kind == crate::target::ServerKind::Xero
            || self.rate_headers.iter().any(|headers| headers.minute.is_some());
        if limited && let Some(wait) = minute_wait(&self.sent, self.per_minute, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        let now = Instant::now();
        while self.sent.front().is_some_and(|sent| now.duration_since(*sent) >= MINUTE) {
            self.sent.pop_front();
        }
        self.sent.push_back(now);
        self.last = Some(now);
    }

    /// Sends `request` and reads the whole answer. A 429 (another process spent the practice's
    /// minute) is waited out once, as `Retry-After` says, up to a minute. The error is a
    /// sentence for the report.
    pub(crate) async fn send(&mut self, request: &Request) -> Result<Exchange, String> {
        let mut exchange = self.send_once(request).await?;
        let retry_after = exchange.header("retry-after").and_then(|value| value.trim().parse::<u64>().ok());
        if exchange.status == 429
            && let Some(seconds) = retry_after.filter(|seconds| *seconds <= 60)
        {
            tracing::info!(seconds, request = %exchange.request, "rate limited; waiting as Retry-After says");
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            exchange = self.send_once(request).await?;
        }
        self.rate_headers.push(RateHeaders {
            request: exchange.request.clone(),
            tenant_less: request.tenant.is_none(),
            day: number(&exchange, "x-daylimit-remaining"),
            minute: number(&exchange, "x-minlimit-remaining"),
            app_minute: number(&exchange, "x-appminlimit-remaining"),
        });
        if let Some(recorder) = self.recorder.as_deref_mut() {
            recorder
                .save(&request.check, &exchange)
                .map_err(|error| format!("cannot record {}: {error}", exchange.request))?;
        }
        Ok(exchange)
    }

    async fn send_once(&mut self, request: &Request) -> Result<Exchange, String> {
        self.wait_turn().await;
        let shown = request.shown(self.target);
        let grant = self.client.grant().await.map_err(|error| format!("no usable access token: {error}"))?;
        let url = if request.path.starts_with("http") {
            request.path.clone()
        } else {
            format!("{}{}", self.target.api_base, request.path)
        };
        let mut builder = self.http.get(&url).bearer_auth(grant.access_token.secret());
        if let Some(tenant) = request.tenant {
            builder = builder.header("Xero-Tenant-Id", tenant.to_string());
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        self.calls += 1;
        let mut response = builder.send().await.map_err(|error| format!("{shown}: no answer: {error}"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = BytesMut::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|error| format!("{shown}: the answer broke off: {error}"))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(format!("{shown}: the answer is longer than {} MB", MAX_BODY / (1024 * 1024)));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange { request: shown, status, headers, body: body.freeze() })
    }
}

const MINUTE: Duration = Duration::from_secs(60);

/// How long to wait before another call, given when the calls of the last minute were sent,
/// so that no minute holds more than `per_minute`.
fn minute_wait(sent: &std::collections::VecDeque<Instant>, per_minute: usize, now: Instant) -> Option<Duration> {
    let recent: Vec<&Instant> = sent.iter().filter(|at| now.duration_since(**at) < MINUTE).collect();
    if recent.len() < per_minute {
        return None;
    }
    // The call that must leave the window before another may enter it.
    let leaving = recent[recent.len() - per_minute];
    Some((*leaving + MINUTE).saturating_duration_since(now))
}

/// The payload of a JWT, decoded.
fn jwt_claims(token: &str) -> Result<serde_json::Value, String> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).ok_or("the access token is not a JWT (no payload part)")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| "the access token's payload is not base64url".to_owned())?;
    serde_json::from_slice(&bytes).map_err(|_| "the access token's payload is not JSON".to_owned())
}

fn number(exchange: &Exchange, name: &str) -> Option<u32> {
    exchange.header(name).and_then(|value| value.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_minute_holds_more_than_the_budget() {
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        let sent: std::collections::VecDeque<Instant> = (0..3).map(at).collect();
        assert_eq!(minute_wait(&sent, 4, at(3)), None);
        assert_eq!(minute_wait(&sent, 3, at(3)), Some(Duration::from_secs(57)));
        assert_eq!(minute_wait(&sent, 2, at(30)), Some(Duration::from_secs(31)));
        assert_eq!(minute_wait(&sent, 3, at(61)), None, "the first call has left the window");
    }

    #[test]
    fn urls_show_their_path() {
        assert_eq!(url_path("https://api.xero.com/connections"), "/connections");
        assert_eq!(url_path("http://127.0.0.1:8700/practicemanager/3.1"), "/practicemanager/3.1");
        assert_eq!(url_path("http://host"), "/");
    }
}
