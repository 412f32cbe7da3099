//! `GET /connections` and `DELETE /connections/{id}`: which tenants an access token reaches.
//!
//! Bearer token only, no `Xero-Tenant-Id`. The list is a bare JSON array; only
//! `PRACTICEMANAGER` tenants matter to XPM.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::secret::AccessToken;

/// The tenant type of an XPM practice.
pub const PRACTICE_MANAGER: &str = "PRACTICEMANAGER";

/// One connection: a tenant the user connected to the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// The connection id (what `DELETE /connections/{id}` takes).
    pub id: Uuid,
    /// The authorisation that created it; shared by the connections of one consent.
    pub auth_event_id: Uuid,
    /// The tenant id, sent as `Xero-Tenant-Id`.
    pub tenant_id: Uuid,
    /// `PRACTICEMANAGER` for XPM, `ORGANISATION` for accounting orgs, ...
    pub tenant_type: String,
    /// The tenant's display name.
    #[serde(default)]
    pub tenant_name: Option<String>,
    /// When it was created (UTC, no offset).
    #[serde(default)]
    pub created_date_utc: Option<String>,
    /// When it was last updated (UTC, no offset).
    #[serde(default)]
    pub updated_date_utc: Option<String>,
}

impl Connection {
    /// Whether this is an XPM practice.
    pub fn is_practice_manager(&self) -> bool {
        self.tenant_type == PRACTICE_MANAGER
    }
}

/// Why a `/connections` call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectionsError {
    /// The access token was refused (expired or revoked).
    #[error("/connections refused the access token (401)")]
    Unauthorized,
    /// The connection to delete does not exist.
    #[error("connection {id} does not exist (404)")]
    NotFound {
        /// The connection id.
        id: Uuid,
    },
    /// Another status.
    #[error("/connections answered {status}")]
    Status {
        /// The HTTP status.
        status: reqwest::StatusCode,
    },
    /// The request failed or the body could not be read.
    #[error("request to /connections failed")]
    Transport(#[source] reqwest::Error),
    /// The body is longer than any list of connections.
    #[error("the /connections answer is over {limit} bytes, far more than any list of connections")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The body is not a list of connections.
    #[error("the /connections body is not a list of connections")]
    Decode(#[source] serde_path_to_error::Error<serde_json::Error>),
}

/// `/connections` at one URL.
#[derive(Debug, Clone)]
pub struct ConnectionsClient {
    http: reqwest::Client,
    url: String,
}

impl ConnectionsClient {
    /// A client for the connections endpoint `url` (e.g. [`Endpoints::connections`](crate::config::Endpoints)).
    pub fn new(http: reqwest::Client, url: impl Into<String>) -> Self {
        Self { http, url: url.into() }
    }

    /// Every connection the token reaches, of any tenant type.
    #[tracing::instrument(skip_all, err)]
    pub async fn list_all(&self, token: &AccessToken) -> Result<Vec<Connection>, ConnectionsError> {
        let response =
            self.http.get(&self.url).bearer_auth(token.secret()).send().await.map_err(ConnectionsError::Transport)?;
        match response.status() {
            status if status.is_success() => {}
            reqwest::StatusCode::UNAUTHORIZED => return Err(ConnectionsError::Unauthorized),
            status => return Err(ConnectionsError::Status { status }),
        }
        let limit = crate::body_cap::IDENTITY_ANSWER_LIMIT;
        let body = match crate::body_cap::read_capped(response, limit).await {
            Ok(body) => body,
            Err(crate::body_cap::CappedError::TooLarge) => return Err(ConnectionsError::TooLarge { limit }),
            Err(crate::body_cap::CappedError::Transport(error)) => return Err(ConnectionsError::Transport(error)),
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(ConnectionsError::Decode)
    }

    /// The XPM practices the token reaches (`tenantType == "PRACTICEMANAGER"`).
    pub async fn list(&self, token: &AccessToken) -> Result<Vec<Connection>, ConnectionsError> {
        let mut connections = self.list_all(token).await?;
        connections.retain(Connection::is_practice_manager);
        Ok(connections)
    }

    /// Disconnects one tenant (`DELETE /connections/{id}`, 204).
    #[tracing::instrument(skip_all, fields(connection = %id), err)]
    pub async fn delete(&self, token: &AccessToken, id: Uuid) -> Result<(), ConnectionsError> {
        let url = format!("{}/{id}", self.url.trim_end_matches('/'));
        let response =
            self.http.delete(url).bearer_auth(token.secret()).send().await.map_err(ConnectionsError::Transport)?;
        match response.status() {
            status if status.is_success() => Ok(()),
            reqwest::StatusCode::UNAUTHORIZED => Err(ConnectionsError::Unauthorized),
            reqwest::StatusCode::NOT_FOUND => Err(ConnectionsError::NotFound { id }),
            status => Err(ConnectionsError::Status { status }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_xeros_shape_and_keeps_practices() {
        let body = r#"[
          {"id":"e1eede29-f875-4a5d-8470-17f6a29a88b1","authEventId":"d99ecdfe-391d-43d2-b834-17636ba90e8d",
           "tenantId":"70784a63-d24b-46a9-a4db-0e70a274b056","tenantType":"PRACTICEMANAGER","tenantName":"Demo Practice",
           "createdDateUtc":"2019-07-09T23:40:30.1833130","updatedDateUtc":"2020-05-15T01:35:13.8491980"},
          {"id":"32587c85-a9b3-4306-ac30-b416e8f2c841","authEventId":"d99ecdfe-391d-43d2-b834-17636ba90e8d",
           "tenantId":"e0da6937-de07-4a14-adee-37abfac298ce","tenantType":"ORGANISATION","tenantName":"Demo Org",
           "createdDateUtc":"2020-03-23T02:24:22.2328510","updatedDateUtc":"2020-03-23T02:24:22.2328510"}
        ]"#;
        let connections: Vec<Connection> = serde_json::from_str(body).unwrap_or_default();
        let practices: Vec<&Connection> = connections.iter().filter(|c| c.is_practice_manager()).collect();
        assert_eq!(connections.len(), 2);
        assert_eq!(practices.len(), 1);
        assert_eq!(practices.first().and_then(|c| c.tenant_name.as_deref()), Some("Demo Practice"));
    }
}
