//! Xero identity: `/connections` (tenantType, tenantName), the scopes the token carries, its
//! lifetime and issuer (<https://developer.xero.com/documentation/guides/oauth2/auth-flow/>).

use xpm_api::catalog::{Scope, ScopeSet};

use super::Context;
use crate::finding::{Divergence, Finding};
use crate::probe::Request;
use crate::target::ServerKind;

/// Calls this module makes.
pub(crate) const CALLS: u32 = 1;

/// Xero's access-token lifetime, which the emulator copies.
const ACCESS_TOKEN_SECONDS: i64 = 1_800;

pub(crate) async fn run(context: &mut Context<'_>) {
    connections(context).await;
    token(context).await;
}

async fn connections(context: &mut Context<'_>) {
    const CHECK: &str = "identity.connections";
    const TITLE: &str = "/connections lists the practice as PRACTICEMANAGER with its name";
    let request = Request {
        check: CHECK.to_owned(),
        path: context.probe.target.connections_url.clone(),
        headers: Vec::new(),
        tenant: None,
    };
    let Some(exchange) = context.send_or_fail(&request, CHECK, TITLE).await else { return };
    let assumed = "HTTP 200, a JSON array with this tenantId, tenantType PRACTICEMANAGER and a tenantName";
    let differs = |observed: String| Divergence::new(exchange.request.clone(), assumed, observed);
    let list: Option<Vec<serde_json::Value>> = serde_json::from_slice(&exchange.body).ok();
    let tenant = context.probe.target.tenant.to_string();
    let found = list.as_ref().and_then(|list| {
        list.iter().find(|entry| entry.get("tenantId").and_then(|id| id.as_str()) == Some(tenant.as_str()))
    });
    let finding = match (exchange.status, found) {
        (200, Some(entry)) => {
            let kind = entry.get("tenantType").and_then(|kind| kind.as_str()).unwrap_or_default();
            let name = entry.get("tenantName").and_then(|name| name.as_str()).filter(|name| !name.trim().is_empty());
            context.tenant_name = name.map(str::to_owned);
            match (kind, name) {
                ("PRACTICEMANAGER", Some(_)) => {
                    let count = list.as_ref().map_or(0, Vec::len);
                    Finding::pass(
                        CHECK,
                        TITLE,
                        format!("{count} connection(s); this practice is PRACTICEMANAGER, named"),
                    )
                }
                (kind, name) => Finding::differs(
                    CHECK,
                    TITLE,
                    differs(format!(
                        "tenantType {kind:?}, tenantName {}",
                        if name.is_some() { "present" } else { "missing or empty" }
                    )),
                ),
            }
        }
        (200, None) if list.is_some() => {
            Finding::differs(CHECK, TITLE, differs("the practice is not in the list".into()))
        }
        _ => Finding::differs(CHECK, TITLE, differs(exchange.summary())),
    };
    context.push(finding);
}

async fn token(context: &mut Context<'_>) {
    let claims = match context.probe.token_claims().await {
        Ok(claims) => claims,
        Err(message) => {
            let divergence =
                Divergence::new("the access token", "a JWT whose claims carry scope, iat, exp, iss", message);
            return context.push(Finding::differs("identity.token", "the access token is a JWT", divergence));
        }
    };
    scopes(context, &claims);
    lifetime(context, &claims);
    issuer(context, &claims);
}

fn scopes(context: &mut Context<'_>, claims: &serde_json::Value) {
    const CHECK: &str = "identity.scopes";
    const TITLE: &str = "the token carries the XPM scopes the connection was granted";
    let claimed = match claims.get("scope") {
        Some(serde_json::Value::Array(scopes)) => {
            scopes.iter().filter_map(|scope| scope.as_str()).collect::<Vec<_>>().join(" ")
        }
        Some(serde_json::Value::String(scopes)) => scopes.clone(),
        _ => String::new(),
    };
    let in_token = ScopeSet::parse(&claimed);
    let granted = context.scopes;
    let names = |set: ScopeSet| set.iter().map(Scope::as_str).collect::<Vec<_>>().join(" ");
    let finding = if in_token == granted && !granted.is_empty() {
        Finding::pass(CHECK, TITLE, format!("granted: {}", names(granted)))
    } else if granted.is_empty() {
        Finding::differs(
            CHECK,
            TITLE,
            Divergence::new(
                "the token response's scope",
                "the XPM scopes Xero approved for the app",
                "no XPM scope granted: the app's XPM access is probably not approved yet",
            ),
        )
    } else {
        Finding::differs(
            CHECK,
            TITLE,
            Divergence::new(
                "the access token's scope claim",
                format!("the granted scopes: {}", names(granted)),
                format!("the token says: {}", if claimed.is_empty() { "nothing" } else { &claimed }),
            ),
        )
    };
    context.push(finding);
}

fn lifetime(context: &mut Context<'_>, claims: &serde_json::Value) {
    const CHECK: &str = "identity.token-lifetime";
    const TITLE: &str = "access tokens live 30 minutes";
    let issued = claims.get("iat").or_else(|| claims.get("nbf")).and_then(serde_json::Value::as_i64);
    let expires = claims.get("exp").and_then(serde_json::Value::as_i64);
    let Some(seconds) = issued.zip(expires).map(|(issued, expires)| expires - issued) else {
        return context.push(Finding::skipped(CHECK, TITLE, "the token has no iat/nbf and exp claims to compare"));
    };
    if let Ok(observed) = u32::try_from(seconds) {
        context.profile.access_token_seconds = Some(observed);
    }
    let finding = if seconds == ACCESS_TOKEN_SECONDS {
        Finding::pass(CHECK, TITLE, "exp − iat = 1800 s")
    } else {
        Finding::differs(
            CHECK,
            TITLE,
            Divergence::new("the access token's iat and exp", "1800 s", format!("{seconds} s"))
                .setting(format!("TokenLifetimes.access_token = {seconds} s (profile: access_token_seconds)")),
        )
    };
    context.push(finding);
}

fn issuer(context: &mut Context<'_>, claims: &serde_json::Value) {
    const CHECK: &str = "identity.issuer";
    const TITLE: &str = "the token's issuer";
    let expected = context.probe.target.issuer.trim_end_matches('/').to_owned();
    let said = claims.get("iss").and_then(serde_json::Value::as_str).unwrap_or_default().trim_end_matches('/');
    let finding = if said == expected {
        Finding::pass(CHECK, TITLE, format!("iss = {said}"))
    } else {
        let assumed = match context.kind() {
            ServerKind::Xero => format!("{expected} (Xero's identity service)"),
            ServerKind::Mock => format!("{expected} (the emulator's base URL)"),
        };
        Finding::differs(CHECK, TITLE, Divergence::new("the access token's iss", assumed, format!("iss = {said:?}")))
    };
    context.push(finding);
}
