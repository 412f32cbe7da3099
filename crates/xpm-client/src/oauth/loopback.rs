//! The one-shot loopback listener that receives the authorisation callback
//! (`GET /callback?code=..&state=..`) on `127.0.0.1`.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::error::OAuthError;

/// The callback path on the loopback redirect URI.
pub const CALLBACK_PATH: &str = "/callback";

/// The most the listener reads of a request head.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// How long one connection may take to send its request head. Browsers open speculative
/// connections that send nothing; one of those must not hold up the real callback.
const REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// A listener bound to `127.0.0.1:port`, waiting for one authorisation callback.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
    page: LoopbackPage,
}

/// The wording of the small page the browser shows after the callback, so the app can speak in
/// its own name. Plain text; it is escaped into the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopbackPage {
    /// Appended to each page's title: `Connected | {title}`.
    pub title: String,
    /// The page after a successful callback.
    pub connected: String,
    /// The start of the page after a failed one; `: {error}. You can close this tab.` follows.
    pub failed: String,
}

impl LoopbackPage {
    /// The pages for an application called `name`: "{name} is connected. You can close this tab."
    pub fn for_app(name: &str) -> Self {
        Self {
            title: name.to_owned(),
            connected: format!("{name} is connected. You can close this tab."),
            failed: format!("{name} could not connect"),
        }
    }
}

impl Default for LoopbackPage {
    fn default() -> Self {
        Self {
            title: "Xero sign-in".to_owned(),
            connected: "Connected to Xero. You can close this tab.".to_owned(),
            failed: "Could not connect to Xero".to_owned(),
        }
    }
}

/// What the callback carried: the code, checked against the expected `state`.
#[derive(Debug)]
enum Callback {
    Code(String),
    Failed(OAuthError),
    /// A callback without this sign-in's `state`: answer 400 and keep waiting. Any web page can
    /// send the browser to the loopback URI, so such a callback must not end the sign-in.
    Foreign,
    /// Not the callback (a favicon request, say): answer 404 and keep waiting.
    Other,
}

impl LoopbackListener {
    /// Binds `127.0.0.1:port`; port 0 picks a free port.
    pub async fn bind(port: u16) -> Result<Self, OAuthError> {
        let listener =
            TcpListener::bind(("127.0.0.1", port)).await.map_err(|source| OAuthError::Listener { port, source })?;
        let port = listener.local_addr().map_err(|source| OAuthError::Listener { port, source })?.port();
        Ok(Self { listener, port, page: LoopbackPage::default() })
    }

    /// Words the page the browser shows after the callback.
    #[must_use]
    pub fn page(mut self, page: LoopbackPage) -> Self {
        self.page = page;
        self
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to register with the app: `http://localhost:{port}/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits for the callback, answers the browser with a small page, and returns the code once
    /// `state` matches. Gives up after `timeout`; `scopes` go into the timeout's explanation.
    pub async fn receive(self, expected_state: &str, scopes: &str, timeout: Duration) -> Result<String, OAuthError> {
        let waited = timeout;
        match tokio::time::timeout(timeout, self.accept_callback(expected_state, scopes)).await {
            Ok(result) => result,
            Err(_) => Err(OAuthError::CallbackTimeout { waited, scopes: scopes.to_owned() }),
        }
    }

    async fn accept_callback(&self, expected_state: &str, scopes: &str) -> Result<String, OAuthError> {
        loop {
            let (mut stream, _) =
                self.listener.accept().await.map_err(|source| OAuthError::Listener { port: self.port, source })?;
            let Ok(Ok(target)) = tokio::time::timeout(REQUEST_HEAD_TIMEOUT, read_request_target(&mut stream)).await
            else {
                continue;
            };
            match parse_callback(&target, expected_state, scopes) {
                Callback::Code(code) => {
                    self.respond(&mut stream, "200 OK", "Connected", &self.page.connected).await;
                    return Ok(code);
                }
                Callback::Failed(error) => {
                    let message = format!("{}: {error}. You can close this tab.", self.page.failed);
                    self.respond(&mut stream, "400 Bad Request", "Not connected", &message).await;
                    return Err(error);
                }
                Callback::Foreign => {
                    tracing::warn!("ignored a callback without this sign-in's state; still waiting");
                    let message = "This link does not belong to the sign-in in progress, which goes on. \
                                   You can close this tab.";
                    self.respond(&mut stream, "400 Bad Request", "Ignored", message).await;
                }
                Callback::Other => self.respond(&mut stream, "404 Not Found", "Not found", "Not found.").await,
            }
        }
    }
}

/// Reads the request head and returns its target (`/callback?code=..`).
async fn read_request_target(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Ok(target.to_owned()),
        _ => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a GET request")),
    }
}

/// Reads `code`, `state` and `error` from a callback target.
fn parse_callback(target: &str, expected_state: &str, scopes: &str) -> Callback {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != CALLBACK_PATH {
        return Callback::Other;
    }
    // RFC 6749 §4.1.2.1: error redirects carry the request's `state` too, so a callback without
    // it, error or not, did not come from this sign-in.
    let state = url::form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == "state").map(|(_, value)| value);
    if !state.is_some_and(|state| crate::secret::same_secret(&state, expected_state)) {
        return Callback::Foreign;
    }
    match code_from_callback(query, expected_state, scopes) {
        Ok(code) => Callback::Code(code),
        Err(error) => Callback::Failed(error),
    }
}

/// The code in a callback's query string, once its `state` matches; an `error=` becomes the
/// matching [`OAuthError`] (the approval gate among them).
pub(super) fn code_from_callback(query: &str, expected_state: &str, scopes: &str) -> Result<String, OAuthError> {
    let field = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    };
    if let Some(error) = field("error") {
        let description = field("error_description");
        return Err(OAuthError::from_authorize_error(&error, description.as_deref(), scopes));
    }
    let state_matches = field("state").is_some_and(|state| crate::secret::same_secret(&state, expected_state));
    if !state_matches {
        return Err(OAuthError::StateMismatch);
    }
    field("code")
        .filter(|code| !code.is_empty())
        .ok_or(OAuthError::MalformedCallback { reason: "the callback has no code" })
}

impl LoopbackListener {
    async fn respond(&self, stream: &mut TcpStream, status: &str, title: &str, message: &str) {
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {}</title></head>\
             <body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\"><h1>{title}</h1><p>{}</p></body>\
             </html>\n",
            escape(&self.page.title),
            escape(message)
        );
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        // The browser may have gone away; the flow's outcome does not depend on this page.
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(target: &str, expect: &str) {
        let found = match parse_callback(target, "s1", "openid practicemanager") {
            Callback::Code(code) => format!("code {code}"),
            Callback::Failed(OAuthError::ApprovalRequired { .. }) => "approval".to_owned(),
            Callback::Failed(OAuthError::StateMismatch) => "state".to_owned(),
            Callback::Failed(error) => format!("failed {error}"),
            Callback::Foreign => "foreign".to_owned(),
            Callback::Other => "other".to_owned(),
        };
        assert_eq!(found, expect, "{target}");
    }

    #[test]
    fn callbacks_are_read_and_checked() {
        check("/callback?code=abc&state=s1&scope=openid", "code abc");
        check("/callback?code=abc&state=s2", "foreign");
        check("/callback?code=abc", "foreign");
        check("/callback?error=access_denied", "foreign");
        check("/callback?error=access_denied&state=s2", "foreign");
        check("/favicon.ico", "other");
        check("/callback?error=unauthorized_client&error_description=Invalid+scope+for+client&state=s1", "approval");
        check("/callback?error=access_denied&state=s1", "failed authorisation failed: access_denied");
        check("/callback?state=s1", "failed the authorisation callback is malformed: the callback has no code");
    }
}
