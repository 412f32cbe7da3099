//! Where a connection's tokens may go, sealed with them.
//!
//! Whatever tells a program where to send a connection's tokens (a configuration file, say)
//! can be edited by someone who cannot read the tokens. So the record binds the tokens to the
//! endpoints, app and practices they were issued for, under the same AEAD as the tokens, and the
//! client compares that binding with its own configuration before it sends anything.

use uuid::Uuid;

use super::ConnectionId;
use crate::config::Endpoints;

/// The endpoints, app and practices a connection's tokens were issued for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenBinding {
    /// The identity issuer.
    pub issuer: String,
    /// The token endpoint, which receives the refresh token.
    pub token_endpoint: String,
    /// The revocation endpoint, which receives the refresh token on disconnect.
    pub revocation_endpoint: String,
    /// `/connections`, which receives the access token.
    pub connections_endpoint: String,
    /// The XPM API base, which receives the access token.
    pub api_base: String,
    /// The app (`client_id`) the tokens were issued to.
    pub client_id: String,
    /// The practices (tenant ids) the user connected.
    pub tenants: Vec<Uuid>,
}

/// The client's configuration differs from what the sealed record was issued for: nothing was
/// sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// An endpoint or the app differs.
    #[error(
        "the sealed tokens of connection {connection} were issued for {what} `{sealed}`, but the client \
         is set up with `{configured}`; nothing was sent. If the connection's settings were edited, \
         restore them, or connect again"
    )]
    Mismatch {
        /// The connection.
        connection: ConnectionId,
        /// Which setting differs (`issuer`, `token endpoint`, `client_id` …).
        what: &'static str,
        /// What the record was issued for.
        sealed: String,
        /// What the client would use.
        configured: String,
    },
    /// The call is for a practice the user did not connect.
    #[error(
        "connection {connection} was not authorised for practice {tenant} when it connected; nothing \
         was sent. Connect again to add the practice"
    )]
    TenantNotBound {
        /// The connection.
        connection: ConnectionId,
        /// The practice the call was for.
        tenant: Uuid,
    },
}

impl TokenBinding {
    /// The binding for tokens issued by `endpoints` to `client_id`, reaching `tenants`.
    pub fn new(endpoints: &Endpoints, client_id: &str, tenants: impl IntoIterator<Item = Uuid>) -> Self {
        Self {
            issuer: endpoints.issuer.clone(),
            token_endpoint: endpoints.token.clone(),
            revocation_endpoint: endpoints.revocation.clone(),
            connections_endpoint: endpoints.connections.clone(),
            api_base: endpoints.api_base.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            tenants: tenants.into_iter().collect(),
        }
    }

    /// Whether a client with `endpoints` and `client_id` may send these tokens.
    pub fn check(&self, connection: ConnectionId, endpoints: &Endpoints, client_id: &str) -> Result<(), BindingError> {
        let configured = Self::new(endpoints, client_id, []);
        let pairs = [
            ("issuer", &self.issuer, &configured.issuer),
            ("token endpoint", &self.token_endpoint, &configured.token_endpoint),
            ("revocation endpoint", &self.revocation_endpoint, &configured.revocation_endpoint),
            ("connections endpoint", &self.connections_endpoint, &configured.connections_endpoint),
            ("api base", &self.api_base, &configured.api_base),
            ("client_id", &self.client_id, &configured.client_id),
        ];
        match pairs.into_iter().find(|(_, sealed, configured)| sealed != configured) {
            Some((what, sealed, configured)) => {
                Err(BindingError::Mismatch { connection, what, sealed: sealed.clone(), configured: configured.clone() })
            }
            None => Ok(()),
        }
    }

    /// Whether the user connected `tenant`.
    pub fn check_tenant(&self, connection: ConnectionId, tenant: Uuid) -> Result<(), BindingError> {
        if self.tenants.contains(&tenant) { Ok(()) } else { Err(BindingError::TenantNotBound { connection, tenant }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_and_the_app_are_checked() {
        let connection = ConnectionId(Uuid::from_u128(1));
        let tenant = Uuid::from_u128(2);
        let emulator = Endpoints::emulator("http://127.0.0.1:8700");
        let binding = TokenBinding::new(&emulator, "app", [tenant]);
        assert_eq!(binding.check(connection, &emulator, "app"), Ok(()));
        assert_eq!(binding.check_tenant(connection, tenant), Ok(()));
        assert!(binding.check_tenant(connection, Uuid::from_u128(3)).is_err());
        let elsewhere = Endpoints::emulator("http://attacker.example:8700");
        let refused = binding.check(connection, &elsewhere, "app").err().map(|error| error.to_string());
        assert!(refused.is_some_and(|text| text.contains("attacker.example") && text.contains("nothing was sent")));
        assert!(binding.check(connection, &Endpoints::xero(), "app").is_err());
        assert!(binding.check(connection, &emulator, "other-app").is_err());
        for edit in [
            |endpoints: &mut Endpoints| endpoints.token = "http://attacker.example/token".into(),
            |endpoints: &mut Endpoints| endpoints.revocation = "http://attacker.example/revoke".into(),
            |endpoints: &mut Endpoints| endpoints.connections = "http://attacker.example/connections".into(),
            |endpoints: &mut Endpoints| endpoints.api_base = "http://attacker.example/api".into(),
        ] {
            let mut edited = emulator.clone();
            edit(&mut edited);
            assert!(binding.check(connection, &edited, "app").is_err(), "{edited:?}");
        }
    }
}
