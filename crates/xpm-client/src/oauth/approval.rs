//! Recognising Xero's approval gate on the authorize error page.
//!
//! Before Xero approves an app for Practice Manager scopes, the authorize step stops at an error
//! page (`unauthorized_client`, "Invalid scope for client") instead of redirecting back, so the
//! loopback listener never hears of it. Whoever can see the page (a test, a preflight request)
//! turns it into [`OAuthError::ApprovalRequired`] here.

use super::error::OAuthError;

/// Reads an authorize error page and returns the error it shows, if any: the approval gate as
/// [`OAuthError::ApprovalRequired`], anything else as [`OAuthError::AuthorizeFailed`]. `scopes`
/// are the requested scopes, for the explanation.
pub fn diagnose_authorize_page(html: &str, scopes: &str) -> Option<OAuthError> {
    let error = element_text(html, "id=\"error\"");
    let description = element_text(html, "id=\"error_description\"");
    match error {
        Some(error) => Some(OAuthError::from_authorize_error(&error, description.as_deref(), scopes)),
        None if html.contains("Invalid scope for client") || html.contains("unauthorized_client") => {
            Some(OAuthError::from_authorize_error("unauthorized_client", Some("Invalid scope for client"), scopes))
        }
        None => None,
    }
}

/// The text of the element whose start tag contains `attribute`, up to the next tag.
fn element_text(html: &str, attribute: &str) -> Option<String> {
    let start = html.find(attribute)?;
    let after_tag = start + html[start..].find('>')? + 1;
    let end = after_tag + html[after_tag..].find('<')?;
    Some(html[after_tag..end].trim().replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emulators_gate_page_is_recognised() {
        let page = "<p>Error: <code id=\"error\">unauthorized_client</code></p>\n\
                    <p id=\"error_description\">Invalid scope for client</p>";
        let diagnosis = diagnose_authorize_page(page, "openid practicemanager");
        assert!(matches!(diagnosis, Some(OAuthError::ApprovalRequired { .. })), "{diagnosis:?}");
        let text = diagnosis.map(|error| error.to_string()).unwrap_or_default();
        assert!(text.contains("openid practicemanager") && text.contains("XPM API access request"), "{text}");
    }

    #[test]
    fn other_pages_are_other_errors_or_nothing() {
        let page = "<code id=\"error\">invalid_request</code><p id=\"error_description\">Invalid redirect_uri</p>";
        assert!(matches!(diagnose_authorize_page(page, "x"), Some(OAuthError::AuthorizeFailed { .. })));
        assert!(diagnose_authorize_page("<html>sign in</html>", "x").is_none());
    }
}
