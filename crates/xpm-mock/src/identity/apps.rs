//! Registered apps and Xero's approval of their XPM scopes.

use parking_lot::RwLock;
use secrecy::SecretString;
use serde::Serialize;
use xpm_api::catalog::Scope;

use super::secrets::secrets_match;
use crate::config::AppRegistration;

/// Why an app operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AppError {
    /// No app has this `client_id`.
    #[error("no app is registered with client_id `{client_id}`")]
    UnknownClient {
        /// The client id asked for.
        client_id: String,
    },
}

/// What an app looks like from outside: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppSummary {
    pub(crate) client_id: String,
    pub(crate) name: String,
    /// `true` for a PKCE app with no secret.
    pub(crate) public: bool,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) requested_scopes: Vec<&'static str>,
    pub(crate) approved_scopes: Vec<&'static str>,
}

impl From<&AppRegistration> for AppSummary {
    fn from(app: &AppRegistration) -> Self {
        Self {
            client_id: app.client_id.clone(),
            name: app.name.clone(),
            public: app.client_secret.is_none(),
            redirect_uris: app.redirect_uris.clone(),
            requested_scopes: app.requested_scopes.iter().map(|scope| scope.as_str()).collect(),
            approved_scopes: app.approved_scopes.iter().map(|scope| scope.as_str()).collect(),
        }
    }
}

/// How a client proved who it is at the token or revocation endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientAuthentication {
    /// A confidential app presented its secret.
    Secret,
    /// A public (PKCE) app, which has no secret to present.
    Public,
}

/// The registered apps.
#[derive(Debug)]
pub(crate) struct AppRegistry {
    apps: RwLock<Vec<AppRegistration>>,
}

impl AppRegistry {
    /// The apps from the configuration.
    pub(crate) fn new(apps: Vec<AppRegistration>) -> Self {
        Self { apps: RwLock::new(apps) }
    }

    /// A copy of an app's registration.
    pub(crate) fn get(&self, client_id: &str) -> Option<AppRegistration> {
        self.apps.read().iter().find(|app| app.client_id == client_id).cloned()
    }

    /// A copy of every registration, secrets included: for the state file only.
    pub(crate) fn registrations(&self) -> Vec<AppRegistration> {
        self.apps.read().clone()
    }

    /// Every app, without secrets.
    pub(crate) fn summaries(&self) -> Vec<AppSummary> {
        self.apps.read().iter().map(AppSummary::from).collect()
    }

    /// Whether Xero has approved every one of `scopes` for an app (an unknown app has none).
    /// Asked on every API call, so it reads the registration in place rather than copy it.
    pub(crate) fn approves(&self, client_id: &str, scopes: &[Scope]) -> bool {
        match self.apps.read().iter().find(|app| app.client_id == client_id) {
            Some(app) => scopes.iter().all(|scope| app.approved_scopes.contains(scope)),
            None => scopes.is_empty(),
        }
    }

    /// Checks a client's credentials. Confidential apps must present their secret (compared in
    /// constant time); public apps must not rely on one, so a presented secret is ignored.
    pub(crate) fn authenticate(&self, client_id: &str, secret: Option<&SecretString>) -> Option<ClientAuthentication> {
        let apps = self.apps.read();
        let app = apps.iter().find(|app| app.client_id == client_id)?;
        match (&app.client_secret, secret) {
            (None, _) => Some(ClientAuthentication::Public),
            (Some(registered), Some(presented)) => {
                secrets_match(secrecy::ExposeSecret::expose_secret(presented), registered)
                    .then_some(ClientAuthentication::Secret)
            }
            (Some(_), None) => None,
        }
    }

    /// Xero approves `scopes` for an app (they are also added to its requested scopes).
    pub(crate) fn approve(&self, client_id: &str, scopes: &[Scope]) -> Result<AppSummary, AppError> {
        self.update(client_id, |app| {
            app.requested_scopes.extend(scopes.iter().copied());
            app.approved_scopes.extend(scopes.iter().copied());
        })
    }

    /// Xero withdraws approval of `scopes`. Tokens already issued with them stop working on
    /// their next call, because the gateway re-checks approval every time.
    pub(crate) fn revoke_approval(&self, client_id: &str, scopes: &[Scope]) -> Result<AppSummary, AppError> {
        self.update(client_id, |app| app.approved_scopes.retain(|scope| !scopes.contains(scope)))
    }

    /// Registers an app, replacing any app with the same `client_id`. Returns whether one was
    /// replaced.
    pub(crate) fn register(&self, app: AppRegistration) -> bool {
        let mut apps = self.apps.write();
        match apps.iter_mut().find(|existing| existing.client_id == app.client_id) {
            Some(existing) => {
                *existing = app;
                true
            }
            None => {
                apps.push(app);
                false
            }
        }
    }

    fn update(&self, client_id: &str, change: impl FnOnce(&mut AppRegistration)) -> Result<AppSummary, AppError> {
        let mut apps = self.apps.write();
        let app = apps
            .iter_mut()
            .find(|app| app.client_id == client_id)
            .ok_or_else(|| AppError::UnknownClient { client_id: client_id.to_owned() })?;
        change(app);
        Ok(AppSummary::from(&*app))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_can_be_given_and_withdrawn() {
        let registry = AppRegistry::new(vec![AppRegistration::unapproved_demo()]);
        let client = crate::config::UNAPPROVED_CLIENT_ID;
        assert!(!registry.approves(client, &[Scope::ClientRead]));
        let approved = registry.approve(client, &[Scope::ClientRead, Scope::JobRead]);
        assert_eq!(approved.map(|app| app.approved_scopes.len()), Ok(2));
        assert!(registry.approves(client, &[Scope::ClientRead, Scope::JobRead]));
        let withdrawn = registry.revoke_approval(client, &[Scope::JobRead]);
        assert_eq!(withdrawn.map(|app| app.approved_scopes), Ok(vec!["practicemanager.client.read"]));
        assert!(!registry.approves(client, &[Scope::ClientRead, Scope::JobRead]));
        assert!(!registry.approves("nobody", &[Scope::ClientRead]));
        assert!(matches!(registry.approve("nobody", &[]), Err(AppError::UnknownClient { .. })));
    }

    #[test]
    fn confidential_apps_need_their_secret_and_public_apps_none() {
        let registry = AppRegistry::new(vec![AppRegistration::demo(), AppRegistration::unapproved_demo()]);
        let right = SecretString::from(crate::config::DEMO_CLIENT_SECRET);
        let wrong = SecretString::from("guess");
        let demo = crate::config::DEMO_CLIENT_ID;
        assert_eq!(registry.authenticate(demo, Some(&right)), Some(ClientAuthentication::Secret));
        assert_eq!(registry.authenticate(demo, Some(&wrong)), None);
        assert_eq!(registry.authenticate(demo, None), None);
        let public = crate::config::UNAPPROVED_CLIENT_ID;
        assert_eq!(registry.authenticate(public, None), Some(ClientAuthentication::Public));
        assert_eq!(registry.authenticate("nobody", None), None);
    }
}
