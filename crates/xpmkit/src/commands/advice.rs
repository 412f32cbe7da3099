//! Advice that depends on where a connection points: the emulator (whose approvals the user
//! controls with `xpmkit mock approve`) or Xero (whose approvals Xero controls).

use xpm_api::catalog::Scope;

use crate::cli::{DEFAULT_EMULATOR_URL, MOCK_URL_ENV};

/// Whether `error`, or one of its causes, is a connection that could not be made (refused,
/// unreachable, DNS): nothing reached the server.
pub(crate) fn is_unreachable(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_connect) {
            return true;
        }
        let refused = error.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(io.kind(), std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotConnected)
        });
        if refused {
            return true;
        }
        current = error.source();
    }
    false
}

/// What to check when `base` (the emulator's URL, or `None` for Xero) could not be reached.
pub(crate) fn unreachable_hint(emulator: Option<&str>) -> String {
    match emulator {
        Some(base) => format!(
            "nothing answers at {base}: is the emulator running? Start it with `xpmkit mock`{}; \
             {MOCK_URL_ENV} (or --url) tells every command where it runs",
            url_flag(base)
        ),
        None => "xero could not be reached: is the network up (or a proxy or firewall in the way)?".to_owned(),
    }
}

/// ` --url BASE` when `base` is not where commands look by default, else nothing.
pub(crate) fn url_flag(base: &str) -> String {
    let configured = std::env::var(MOCK_URL_ENV).unwrap_or_else(|_| DEFAULT_EMULATOR_URL.to_owned());
    if base.trim_end_matches('/') == configured.trim_end_matches('/') {
        String::new()
    } else {
        format!(" --url {}", base.trim_end_matches('/'))
    }
}

/// The XPM scopes among `scopes` (space-separated), leaving out identity scopes such as `openid`.
pub(crate) fn xpm_scopes(scopes: &str) -> Vec<Scope> {
    scopes.split_whitespace().filter_map(|scope| scope.parse::<Scope>().ok()).collect()
}

/// `xpmkit mock approve CLIENT SCOPES [--url BASE]`: what Xero's review does, on the emulator.
pub(crate) fn approve_command(base: &str, client_id: &str, scopes: &[Scope]) -> String {
    let scopes: Vec<&str> = scopes.iter().map(|scope| scope.as_str()).collect();
    format!("xpmkit mock approve {client_id} {}{}", scopes.join(" "), url_flag(base))
}

/// The app's scopes whose approval the emulator at `base` has withdrawn, of those in `scopes`;
/// `None` when none is, or when the emulator cannot say (it is only advice).
pub(crate) async fn withdrawn_approval(base: &str, client_id: &str, scopes: &[Scope]) -> Option<Vec<Scope>> {
    let url = format!("{}/__admin/apps", base.trim_end_matches('/'));
    let apps: serde_json::Value = reqwest::get(&url).await.ok()?.json().await.ok()?;
    let app = apps.as_array()?.iter().find(|app| app["clientId"].as_str() == Some(client_id))?;
    let approved: Vec<&str> = app["approvedScopes"].as_array()?.iter().filter_map(serde_json::Value::as_str).collect();
    let withdrawn: Vec<Scope> = scopes.iter().copied().filter(|scope| !approved.contains(&scope.as_str())).collect();
    (!withdrawn.is_empty()).then_some(withdrawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_scopes_are_left_out_of_an_approval() {
        let scopes = xpm_scopes("openid profile offline_access practicemanager practicemanager.client.read");
        assert_eq!(
            approve_command("http://127.0.0.1:8700/", "app", &scopes),
            "xpmkit mock approve app practicemanager practicemanager.client.read"
        );
    }

    #[test]
    fn a_refused_connection_is_recognised_through_its_causes() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let wrapped = anyhow::Error::new(refused).context("cannot send");
        assert!(is_unreachable(wrapped.as_ref()));
        let other = anyhow::anyhow!("bad answer");
        assert!(!is_unreachable(other.as_ref()));
    }
}
