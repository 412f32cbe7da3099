//! Where Xero (or the emulator) is, and who the app is.

use xpm_api::catalog::API_PATH_PREFIX;

use crate::secret::ClientSecret;

/// Every URL the client talks to. Defaults to Xero's real endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The browser authorisation page.
    pub authorize: String,
    /// The token endpoint.
    pub token: String,
    /// The revocation endpoint.
    pub revocation: String,
    /// OpenID Connect discovery.
    pub discovery: String,
    /// The JSON Web Key Set that signs id_tokens.
    pub jwks: String,
    /// The id_token issuer.
    pub issuer: String,
    /// `/connections`.
    pub connections: String,
    /// The XPM API base, without a trailing slash.
    pub api_base: String,
}

impl Endpoints {
    /// Xero's production endpoints.
    pub fn xero() -> Self {
        Self {
            authorize: "https://login.xero.com/identity/connect/authorize".into(),
            token: "https://identity.xero.com/connect/token".into(),
            revocation: "https://identity.xero.com/connect/revocation".into(),
            discovery: "https://identity.xero.com/.well-known/openid-configuration".into(),
            jwks: "https://identity.xero.com/.well-known/openid-configuration/jwks".into(),
            issuer: "https://identity.xero.com".into(),
            connections: "https://api.xero.com/connections".into(),
            api_base: format!("https://api.xero.com{API_PATH_PREFIX}"),
        }
    }

    /// A running emulator (`xpmkit mock`) at `base`, e.g. `http://127.0.0.1:8700`.
    pub fn emulator(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self {
            authorize: format!("{base}/identity/connect/authorize"),
            token: format!("{base}/connect/token"),
            revocation: format!("{base}/connect/revocation"),
            discovery: format!("{base}/.well-known/openid-configuration"),
            jwks: format!("{base}/.well-known/openid-configuration/jwks"),
            issuer: base.to_owned(),
            connections: format!("{base}/connections"),
            api_base: format!("{base}{API_PATH_PREFIX}"),
        }
    }
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::xero()
    }
}

/// The app's registration with Xero identity.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`; `None` for a PKCE-only app.
    pub client_secret: Option<ClientSecret>,
    /// The redirect URI registered for the app (a loopback URI for `xpmkit connect`).
    pub redirect_uri: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_endpoints_mirror_xeros_paths() {
        let emulator = Endpoints::emulator("http://127.0.0.1:8700/");
        let xero = Endpoints::xero();
        assert_eq!(emulator.api_base, "http://127.0.0.1:8700/practicemanager/3.1");
        assert!(xero.authorize.ends_with("/identity/connect/authorize"));
        assert!(emulator.authorize.ends_with("/identity/connect/authorize"));
        assert_eq!(emulator.token.rsplit('/').next(), xero.token.rsplit('/').next());
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let credentials = AppCredentials {
            client_id: "app".into(),
            client_secret: Some(ClientSecret::new("s3cr3t-planted")),
            redirect_uri: "http://localhost:8765/callback".into(),
        };
        assert!(!format!("{credentials:?}").contains("s3cr3t-planted"));
    }
}
