//! The findings of `xpmkit evidence`, per domain of Xero's security standard for API consumers
//! (<https://developer.xero.com/partner/security-standard-for-xero-api-consumers>, based on
//! DSPANZ's Security Standard for Add-on Marketplaces), each read from the configuration.
//!
//! A finding is `in place` only when the configuration shows it; a control that is off or unset
//! is a `gap`; what xpmkit cannot do for the operator (hosting, WAF, scanning, incident response)
//! is marked `operator`. ASVS numbers are OWASP ASVS 4.0.3 requirements.

use serde::Serialize;
use xpm_store::AdminRole;

use super::approval_facts::Facts;
use super::evidence_operations::{
    at_rest, audit_logging, data_hosting, monitoring, server_configuration, vulnerability_management,
};

/// Where a control stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    /// The configuration shows it.
    InPlace,
    /// Off, unset, or not built.
    Gap,
    /// The operator's job: xpmkit cannot do or see it.
    Operator,
}

impl Status {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::InPlace => "in place",
            Self::Gap => "GAP",
            Self::Operator => "operator's job",
        }
    }
}

/// One control and what the configuration shows of it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    pub(crate) control: &'static str,
    pub(crate) status: Status,
    pub(crate) detail: String,
    /// OWASP ASVS 4.0.3 requirements it answers.
    pub(crate) asvs: &'static [&'static str],
}

/// A domain of the standard and its findings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Domain {
    pub(crate) name: &'static str,
    /// The domain's aim, in DSPANZ's words summarised.
    pub(crate) aim: &'static str,
    pub(crate) findings: Vec<Finding>,
}

pub(super) fn finding(
    control: &'static str,
    status: Status,
    detail: impl Into<String>,
    asvs: &'static [&'static str],
) -> Finding {
    Finding { control, status, detail: detail.into(), asvs }
}

pub(super) fn in_place_if(condition: bool) -> Status {
    if condition { Status::InPlace } else { Status::Gap }
}

/// Every domain, in the standard's order.
pub(crate) fn domains(facts: &Facts) -> Vec<Domain> {
    vec![
        Domain {
            name: "Encryption key management",
            aim: "effective key management protects client data",
            findings: key_management(facts),
        },
        Domain {
            name: "Encryption in transit",
            aim: "client data is protected while it moves",
            findings: in_transit(facts),
        },
        Domain {
            name: "Authentication",
            aim: "users who reach the app are authenticated",
            findings: authentication(facts),
        },
        Domain {
            name: "Indirect access to data",
            aim: "no unauthorised party reaches customer data",
            findings: indirect_access(facts),
        },
        Domain {
            name: "App server configuration",
            aim: "the app's server is secure",
            findings: server_configuration(facts),
        },
        Domain {
            name: "Vulnerability management",
            aim: "the app is secure against common vulnerabilities",
            findings: vulnerability_management(),
        },
        Domain { name: "Encryption at rest", aim: "client data is protected while stored", findings: at_rest(facts) },
        Domain {
            name: "Audit logging",
            aim: "appropriate audit logging is in place and kept",
            findings: audit_logging(facts),
        },
        Domain {
            name: "Data hosting",
            aim: "client data is not hosted in high-risk places",
            findings: data_hosting(facts),
        },
        Domain {
            name: "Security monitoring and breach reporting",
            aim: "threats are detected and breaches reported",
            findings: monitoring(),
        },
    ]
}

fn key_management(facts: &Facts) -> Vec<Finding> {
    let tokens = &facts.tokens;
    let key = match &tokens.key {
        Some(key) if key.beside_tokens => finding(
            "master key",
            Status::InPlace,
            format!(
                "key {} from {}, readable by its owner only; it sits in the data directory beside the sealed tokens, \
                 so a copy of that directory holds both: prefer XPMKIT_MASTER_KEY from a secret manager",
                key.id, key.source
            ),
            &["V6.4.1", "V2.10.4"],
        ),
        Some(key) => finding(
            "master key",
            Status::InPlace,
            format!("key {} from {}", key.id, key.source),
            &["V6.4.1", "V2.10.4"],
        ),
        None => finding("master key", Status::Gap, "no master key yet: nothing has been connected", &["V6.4.1"]),
    };
    let sealed = match (&tokens.key, tokens.records) {
        (_, 0) => {
            finding("OAuth tokens", Status::Gap, "no token records yet: connect first (`xpmkit connect`)", &["V6.2.2"])
        }
        (Some(_), records) if tokens.records_with_current_key == records => finding(
            "OAuth tokens",
            Status::InPlace,
            format!(
                "{records} record(s), each sealed with {} (fresh random 24-byte nonce per write, bound to its connection id), \
                 all with the current key; OAuth 2.0 with PKCE, refresh tokens rotated on every refresh",
                xpm_client::token_store::SEAL_ALGORITHM
            ),
            &["V6.2.2", "V6.3.1"],
        ),
        (_, records) => finding(
            "OAuth tokens",
            Status::Gap,
            format!(
                "{} of {records} record(s) do not open with the current key: run `xpmkit keys rotate`",
                records - tokens.records_with_current_key
            ),
            &["V6.2.2"],
        ),
    };
    let rotation = finding(
        "key rotation",
        Status::InPlace,
        "`xpmkit keys rotate` generates a new key and re-seals every record (resumable if interrupted)",
        &["V1.6.3"],
    );
    vec![key, sealed, rotation]
}

fn in_transit(facts: &Facts) -> Vec<Finding> {
    let xero = facts.connections_on("xero").len();
    let mock = facts.connections_on("mock").len();
    let mut outbound = format!(
        "xpmkit reaches Xero only at its https endpoints, with rustls and the webpki root certificates ({xero} Xero connection(s))"
    );
    if mock > 0 {
        outbound.push_str(&format!("; {mock} emulator connection(s) use plain HTTP and are for development only"));
    }
    let settings = &facts.settings;
    let inbound = match (&settings.tls_cert_path, &settings.tls_key_path, settings.behind_tls_proxy) {
        (Some(cert), Some(key), _) => {
            let missing: Vec<String> =
                [cert, key].iter().filter(|path| !path.is_file()).map(|path| path.display().to_string()).collect();
            if missing.is_empty() {
                finding(
                    "admin app (inbound)",
                    Status::InPlace,
                    format!("TLS with certificate {} and key {}", cert.display(), key.display()),
                    &["V9.1.1", "V9.1.3"],
                )
            } else {
                finding(
                    "admin app (inbound)",
                    Status::Gap,
                    format!("TLS files not found: {}", missing.join(", ")),
                    &["V9.1.1"],
                )
            }
        }
        (_, _, Some(true)) => finding(
            "admin app (inbound)",
            Status::InPlace,
            "behind_tls_proxy = true: a reverse proxy terminates TLS (its protocol versions and ciphers are the operator's to keep to TLS 1.2+)",
            &["V9.1.1", "V9.1.3"],
        ),
        _ => finding(
            "admin app (inbound)",
            Status::Gap,
            "TLS is off: set tls_cert_path and tls_key_path, or behind_tls_proxy true (`xpmkit security set …`)",
            &["V9.1.1"],
        ),
    };
    let database = &facts.database;
    let database_finding = finding(
        "database connection",
        in_place_if(database.transport_encrypted()),
        match (database.backend, database.sslmode.as_deref()) {
            (xpm_store::Backend::Sqlite, _) => "embedded SQLite file: no network connection".to_owned(),
            (_, Some(mode)) => format!("PostgreSQL with sslmode={mode}"),
            (_, None) => "PostgreSQL URL without sslmode: add sslmode=verify-full (or require)".to_owned(),
        },
        &["V9.2.2"],
    );
    vec![finding("Xero API (outbound)", Status::InPlace, outbound, &["V9.2.1", "V9.2.2"]), inbound, database_finding]
}

fn authentication(facts: &Facts) -> Vec<Finding> {
    let users = facts.users.len();
    let enrolled = facts.enrolled_users();
    let mfa = match (facts.settings.mfa_required, users) {
        (Some(true), 0) => {
            finding("MFA", Status::Gap, "mfa_required = true, but there are no admin users", &["V2.8.1", "V4.3.1"])
        }
        (Some(true), _) if enrolled == users => finding(
            "MFA",
            Status::InPlace,
            format!("mfa_required = true; all {users} admin user(s) have TOTP enrolled"),
            &["V2.8.1", "V4.3.1"],
        ),
        (Some(true), _) => finding(
            "MFA",
            Status::Gap,
            format!("mfa_required = true, but only {enrolled} of {users} admin user(s) have TOTP enrolled"),
            &["V2.8.1", "V4.3.1"],
        ),
        (Some(false), _) => finding("MFA", Status::Gap, "mfa_required = false", &["V4.3.1"]),
        (None, _) => finding("MFA", Status::Gap, "mfa_required is not set", &["V4.3.1"]),
    };
    let settings = &facts.settings;
    let sessions = match (settings.session_idle_minutes, settings.session_absolute_hours) {
        (Some(idle), Some(absolute)) => finding(
            "sessions",
            Status::InPlace,
            format!("a session ends after {idle} idle minutes and {absolute} hours at most"),
            &["V3.3.2"],
        ),
        _ => finding(
            "sessions",
            Status::Gap,
            "session_idle_minutes and session_absolute_hours must both be set",
            &["V3.3.2"],
        ),
    };
    vec![mfa, sessions]
}

fn indirect_access(facts: &Facts) -> Vec<Finding> {
    let holders = |role: AdminRole| -> Vec<&str> {
        facts.users.iter().filter(|user| user.role == role).map(|user| user.email.as_str()).collect()
    };
    let admins = holders(AdminRole::Admin);
    let mut roles = Vec::new();
    for role in [AdminRole::Admin, AdminRole::Operator, AdminRole::Viewer] {
        let emails = holders(role);
        if !emails.is_empty() {
            roles.push(format!("{role}: {}", emails.join(", ")));
        }
    }
    let role_finding = if admins.is_empty() {
        finding(
            "roles",
            Status::Gap,
            "no admin user is configured (`xpmkit security add-user EMAIL --role admin`)",
            &["V4.1.3"],
        )
    } else {
        finding("roles", Status::InPlace, roles.join("; "), &["V4.1.3"])
    };
    let scopes: Vec<String> = facts.connections.iter().map(|connection| connection.scope.clone()).collect();
    // `practicemanager` grants every operation, writes included: never least privilege unless
    // the app really needs all of it, which the access request has to argue.
    let broad = scopes.iter().any(|scope| scope.split_whitespace().any(|scope| scope == "practicemanager"));
    let scope_finding = if scopes.is_empty() {
        finding(
            "API scopes",
            Status::InPlace,
            "no connection yet; `xpmkit access-request` plans the least-privilege scopes",
            &["V4.1.3"],
        )
    } else if broad {
        finding(
            "API scopes",
            Status::Gap,
            format!(
                "granted: {}; the broad `practicemanager` grants every operation: connect with the scopes `xpmkit access-request` plans",
                scopes.join(" | ")
            ),
            &["V4.1.3"],
        )
    } else {
        finding("API scopes", Status::InPlace, format!("granted: {}", scopes.join(" | ")), &["V4.1.3"])
    };
    vec![
        role_finding,
        scope_finding,
        finding("staff and support access", Status::Operator, "who can reach the server, database and backups", &[]),
    ]
}
