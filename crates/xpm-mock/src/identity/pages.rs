//! The two HTML pages of the authorize step: consent and error.
//!
//! The markup is plain and stable on purpose: tests in any language find the form fields with a
//! regular expression (`name="request_id" value="…"`, `name="tenant" value="…"`) and the error
//! with `id="error"`.

use std::fmt::Write as _;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use xpm_api::catalog::Scope;

use super::scopes::GrantedScopes;

/// What the consent page shows.
#[derive(Debug)]
pub(crate) struct ConsentPage<'a> {
    pub(crate) app_name: &'a str,
    pub(crate) user_name: &'a str,
    pub(crate) user_email: &'a str,
    pub(crate) scopes: &'a GrantedScopes,
    /// Practices to offer; empty when no XPM scope was requested.
    pub(crate) practices: &'a [(Uuid, String)],
    /// The one-time id of the held request (also the form's CSRF token).
    pub(crate) request_id: &'a str,
}

impl ConsentPage<'_> {
    /// Renders the page.
    pub(crate) fn render(&self) -> Response {
        let mut html = head("Allow access");
        let _ = write!(
            html,
            "<main>\n<h1>{app} wants to access your Xero data</h1>\n\
             <p class=\"who\">Signed in as {user} ({email}) &middot; emulated Xero identity</p>\n\
             <form method=\"post\" action=\"/identity/connect/authorize\">\n\
             <input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\n\
             <h2>{app} will be able to</h2>\n<ul class=\"scopes\">\n",
            app = escape(self.app_name),
            user = escape(self.user_name),
            email = escape(self.user_email),
            request_id = escape(self.request_id),
        );
        for scope in self.scopes.iter() {
            let _ = writeln!(html, "<li><code>{}</code> {}</li>", escape(scope.as_str()), escape(scope.consent_text()));
        }
        html.push_str("</ul>\n");
        if !self.practices.is_empty() {
            html.push_str("<h2>Practices to connect</h2>\n<ul class=\"practices\">\n");
            for (tenant_id, name) in self.practices {
                let _ = writeln!(
                    html,
                    "<li><label><input type=\"checkbox\" name=\"tenant\" value=\"{tenant_id}\" checked> {}</label></li>",
                    escape(name)
                );
            }
            html.push_str("</ul>\n");
        }
        html.push_str(
            "<p class=\"actions\">\n\
             <button type=\"submit\" name=\"decision\" value=\"allow\">Allow access</button>\n\
             <button type=\"submit\" name=\"decision\" value=\"deny\">Cancel</button>\n\
             </p>\n</form>\n</main>\n</body>\n</html>\n",
        );
        page(StatusCode::OK, html)
    }
}

/// An authorize error that stops at an error page instead of going back to the app, as Xero's
/// does for a bad client, redirect URI or scope (REFERENCE §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorPage {
    pub(crate) error: &'static str,
    pub(crate) description: String,
    /// XPM scopes that need Xero's approval before this app may request them.
    pub(crate) needs_approval: Vec<Scope>,
}

impl ErrorPage {
    /// An error page without scopes to list.
    pub(crate) fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self { error, description: description.into(), needs_approval: Vec::new() }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let mut html = head("Error");
        let _ = write!(
            html,
            "<main>\n<h1>Sorry, something went wrong</h1>\n\
             <p>Error: <code id=\"error\">{}</code></p>\n<p id=\"error_description\">{}</p>\n",
            escape(self.error),
            escape(&self.description),
        );
        if !self.needs_approval.is_empty() {
            html.push_str(
                "<p>This app has not been approved by Xero to use these scopes. \
                 Apply for Practice Manager API access, or remove them from the request:</p>\n<ul class=\"needs-approval\">\n",
            );
            for scope in &self.needs_approval {
                let _ = writeln!(html, "<li><code>{}</code></li>", scope.as_str());
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</main>\n</body>\n</html>\n");
        page(StatusCode::BAD_REQUEST, html)
    }
}

fn head(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} | Xero (emulated)</title>\n\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}}\
         li{{margin:.3em 0}}code{{background:#eef;padding:0 .2em}}</style>\n</head>\n<body>\n"
    )
}

fn page(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The consent form must not be framed by another site (clickjacking).
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
}

/// Escapes text for HTML content and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }
}
