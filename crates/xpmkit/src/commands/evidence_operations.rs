//! The operational domains of `xpmkit evidence` (server configuration, vulnerabilities,
//! encryption at rest, audit logging, data hosting, monitoring), as `evidence_domains` reads
//! the access and cryptography domains; the same rules hold: `in place` only when the
//! configuration shows it.

use std::path::Path;

use super::approval_facts::Facts;
use super::evidence_domains::{Finding, Status, finding, in_place_if};
use super::readiness_items::day;

pub(super) fn server_configuration(facts: &Facts) -> Vec<Finding> {
    let private = |path: &Path| {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o077 == 0)
    };
    vec![
        finding(
            "data directory",
            in_place_if(private(&facts.data_dir)),
            format!(
                "{} (xpmkit refuses a data directory others can write, and keeps tokens in an owner-only tokens directory)",
                facts.data_dir.display()
            ),
            &["V14.1.3"],
        ),
        finding(
            "host hardening, WAF, HTTP security headers at the edge",
            Status::Operator,
            "the host's firewall and a web application firewall in front of the admin app (DSPANZ requires a WAF)",
            &[],
        ),
    ]
}

pub(super) fn vulnerability_management() -> Vec<Finding> {
    vec![
        finding(
            "code and dependencies",
            Status::InPlace,
            "Rust with `unsafe_code = forbid`; CI runs cargo-deny (advisories, licences, bans); the XML decoder is fuzzed",
            &["V14.2.1"],
        ),
        finding(
            "scanning and patching",
            Status::Operator,
            "scan and patch the host, the database and the deployed binary's dependencies",
            &["V14.2.1"],
        ),
    ]
}

pub(super) fn at_rest(facts: &Facts) -> Vec<Finding> {
    vec![
        if facts.tokens.key.is_some() && facts.tokens.records > 0 {
            finding(
                "tokens",
                Status::InPlace,
                format!(
                    "{} record(s) sealed with {}; no token is stored in plaintext, in files or in the database",
                    facts.tokens.records,
                    xpm_client::token_store::SEAL_ALGORITHM
                ),
                &["V6.1.1", "V6.2.2"],
            )
        } else {
            finding("tokens", Status::Gap, "no sealed token records yet: nothing connected", &["V6.1.1"])
        },
        finding(
            "mirrored practice data",
            Status::Operator,
            format!(
                "xpmkit stores it unencrypted in {} (tax and bank numbers included): encrypt the volume or use the database's encryption",
                facts.database.shown
            ),
            &["V6.1.1", "V6.1.3"],
        ),
    ]
}

pub(super) fn audit_logging(facts: &Facts) -> Vec<Finding> {
    let audit = &facts.audit;
    let chain = match (audit.entries, audit.broken_at) {
        (0, _) => finding("audit chain", Status::Gap, "the audit log is empty", &["V7.1.3", "V7.3.3"]),
        (entries, Some(id)) => finding(
            "audit chain",
            Status::Gap,
            format!("broken at entry {id} of {entries}: an entry was changed or removed"),
            &["V7.3.3"],
        ),
        (entries, None) => finding(
            "audit chain",
            Status::InPlace,
            format!(
                "{entries} entries, each SHA-256-chained to the one before, all verified; oldest {}; it records security \
                 settings, admin users and readiness marks",
                audit.oldest_at.as_deref().map(day).unwrap_or_default()
            ),
            &["V7.1.3", "V7.1.4", "V7.3.3"],
        ),
    };
    vec![
        chain,
        finding(
            "sign-ins and data access",
            Status::Gap,
            "not logged: the admin app that signs users in is not built yet",
            &["V7.2.1"],
        ),
        finding(
            "secrets in logs",
            Status::InPlace,
            "no token, secret or key is logged (tested at TRACE level)",
            &["V7.1.1"],
        ),
        finding(
            "log shipping and clock synchronisation",
            Status::Operator,
            "ship logs off the host; keep the clock synchronised (NTP)",
            &["V7.3.4"],
        ),
    ]
}

/// Whether the RFC 3339 time `at` is more than `days` days ago (an unreadable time counts as old).
fn older_than_days(at: &str, days: u32) -> bool {
    chrono::DateTime::parse_from_rfc3339(at)
        .map_or(true, |at| chrono::Utc::now().signed_duration_since(at) > chrono::Duration::days(i64::from(days)))
}

pub(super) fn data_hosting(facts: &Facts) -> Vec<Finding> {
    let retention = match facts.settings.retention_days {
        Some(days) => finding("retention policy", Status::InPlace, format!("retention_days = {days}"), &["V8.3.8"]),
        None => finding("retention policy", Status::Gap, "retention_days is not set", &["V8.3.8"]),
    };
    let purge = match (&facts.last_purge, facts.settings.retention_days) {
        (None, _) => finding(
            "last purge",
            Status::Gap,
            "no purge has run: run `xpmkit purge` on a schedule (daily from cron or a systemd timer)",
            &["V8.3.8"],
        ),
        (Some(entry), Some(days)) if older_than_days(&entry.at, days) => finding(
            "last purge",
            Status::Gap,
            format!(
                "the last purge ({}) is older than the {days}-day retention period: run `xpmkit purge` on a schedule",
                day(&entry.at)
            ),
            &["V8.3.8"],
        ),
        (Some(entry), _) => {
            finding("last purge", Status::InPlace, format!("{} by {}", day(&entry.at), entry.actor), &["V8.3.8"])
        }
    };
    vec![
        finding(
            "data location",
            Status::InPlace,
            format!(
                "{} ({}); tokens in {}",
                facts.database.shown,
                facts.database.engine(),
                facts.data_dir.join("tokens").display()
            ),
            &[],
        ),
        retention,
        purge,
        finding(
            "hosting provider and region",
            Status::Operator,
            "a dedicated (not shared) host in a low-risk jurisdiction",
            &[],
        ),
    ]
}

pub(super) fn monitoring() -> Vec<Finding> {
    vec![
        finding(
            "application logs",
            Status::InPlace,
            "structured logs on standard error (RUST_LOG), every XPM call with its status and rate-limit counts at -v",
            &["V7.1.3"],
        ),
        finding(
            "monitoring, incident response and breach reporting",
            Status::Operator,
            "alerting on the host and logs; an incident plan; report a breach or suspected breach to Xero at once (api@xero.com)",
            &[],
        ),
    ]
}
