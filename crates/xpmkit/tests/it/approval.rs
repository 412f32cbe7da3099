//! The approval kit end to end: `readiness` checks what it can see (a connection to the
//! emulator, sealed tokens, settings, the audit chain, recorded verify runs) and keeps marks for
//! the rest; `access-request` writes its pack from the planners; `evidence` shows a gap exactly
//! when MFA or TLS is off; and none of them ever prints a token, key or secret.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use xpm_client::token_store::{ConnectionId, EncryptedFileStore, KeyResolver, TokenStore as _};
use xpm_store::{DatabaseLocation, NewVerifyRun, Store};

use crate::call::{Session, command};
use crate::text;

fn run(data_dir: &Path, args: &[&str]) -> Output {
    command(data_dir).args(args).output().expect("xpmkit runs")
}

fn ok(data_dir: &Path, args: &[&str]) -> String {
    let output = run(data_dir, args);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
    text(&output.stdout)
}

fn json(data_dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(data_dir, args)).expect("JSON on stdout")
}

fn private_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).expect("chmod");
    dir
}

/// The readiness item `id`: (state, how it was decided).
fn item(data_dir: &Path, id: &str) -> (String, String) {
    let items = json(data_dir, &["readiness", "--json"]);
    let found = items.as_array().expect("items").iter().find(|item| item["id"] == id).expect("the item").clone();
    (found["state"].as_str().expect("state").to_owned(), found["how"].as_str().expect("how").to_owned())
}

fn record_verify_run(data_dir: &Path, failed: u64) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = Store::open_location(DatabaseLocation::default_in(data_dir)).await.expect("store");
        let mut write = store.write().await.expect("write");
        let run = NewVerifyRun {
            profile: "xero",
            tenant: None,
            started_at: "2026-05-04T09:00:00Z",
            finished_at: Some("2026-05-04T09:02:00Z"),
            passed: 40,
            failed,
            report_path: None,
        };
        write.record_verify_run(&run).await.expect("record");
        write.commit().await.expect("commit");
        store.close().await;
    });
}

#[test]
fn readiness_checks_the_configuration_and_keeps_marks_for_the_rest() {
    let session = Session::start_with_clients(10);
    let output = session.connect(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let dir = session.data_dir.as_path();

    let (state, how) = item(dir, "oauth-flow");
    assert_eq!(state, "done");
    assert!(
        how.starts_with("auto: 1 stored connection(s): 0 to Xero, 1 to the emulator; scopes granted: practicemanager"),
        "{how}"
    );
    assert_eq!(item(dir, "mock-api-ready").0, "done");
    let (state, how) = item(dir, "tokens-sealed");
    assert_eq!(state, "done");
    assert!(how.contains("1 of 1 record(s) sealed (XChaCha20-Poly1305)"), "{how}");
    // No Xero connection: nothing shows the developer app or a test practice, and no one said so.
    assert_eq!(item(dir, "developer-app").0, "manual-pending");
    assert_eq!(item(dir, "test-practice").0, "manual-pending");
    assert_eq!(item(dir, "mfa-enforced").0, "gap");
    assert_eq!(item(dir, "audit-chain"), ("gap".to_owned(), "auto: the audit log is empty".to_owned()));

    // Marks: what only a person can tell, with the date and note, logged in the audit chain.
    ok(dir, &["readiness", "mark", "client-communication-plan", "--note", "emailed the three firms"]);
    let (state, how) = item(dir, "client-communication-plan");
    assert_eq!(state, "marked");
    assert!(how.starts_with("marked by hand on 20") && how.ends_with(": emailed the three firms"), "{how}");
    assert!(item(dir, "audit-chain").1.starts_with("auto: 1 entries, every hash verified"));
    let refused = run(dir, &["readiness", "mark", "tokens-sealed"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("cannot be marked by hand"), "{}", text(&refused.stderr));
    let unknown = run(dir, &["readiness", "mark", "client-comms-plan"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("the items are: developer-app, oauth-flow"), "{}", text(&unknown.stderr));
    ok(dir, &["readiness", "mark", "client-communication-plan", "--unmark"]);
    assert_eq!(item(dir, "client-communication-plan").0, "manual-pending");

    // Settings and verify runs the checklist reads.
    ok(dir, &["security", "set", "retention_days", "365"]);
    assert_eq!(item(dir, "retention-set"), ("done".to_owned(), "auto: retention_days = 365".to_owned()));
    assert_eq!(item(dir, "contract-suite-xero").0, "gap");
    record_verify_run(dir, 3);
    assert_eq!(
        item(dir, "contract-suite-xero"),
        ("gap".to_owned(), "auto: last run on 2026-05-04: 40 passed, 3 failed".to_owned())
    );
    record_verify_run(dir, 0);
    assert_eq!(item(dir, "contract-suite-xero").0, "done");
    let summary = ok(dir, &["readiness"]);
    assert!(summary.starts_with("readiness: 6 of 15 done"), "{summary}");
}

#[test]
fn access_request_writes_the_pack_from_the_planners() {
    let dir = private_dir();
    let out = dir.path().join("pack");
    let out_text = out.to_str().expect("utf-8");
    let data = dir.path().join("data");
    let features = ["--feature", "read clients", "--feature", "write contacts", "--feature", "read invoices"];
    let mut args = vec!["access-request", "--out", out_text, "--practice-size", "2000"];
    args.extend(features);
    args.extend(["--app-name", "Harbour <b>Sync</b>", "--use-case", "Keep the CRM in step <script>alert(1)</script>"]);
    std::fs::create_dir(&data).expect("data dir");
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o700)).expect("chmod");
    ok(&data, &args);

    let markdown = std::fs::read_to_string(out.join("access-request.md")).expect("markdown");
    let html = std::fs::read_to_string(out.join("access-request.html")).expect("html");
    // The scopes are the planner's, as `xpmkit scopes plan` gives them.
    let planned = json(&data, &["scopes", "plan", "read clients", "write contacts", "read invoices", "--json"]);
    let authorize = planned["authorizeScope"].as_str().expect("scope");
    assert!(markdown.contains(&format!("Authorisation scope parameter: `{authorize}`")), "{markdown}");
    assert!(markdown.contains("`practicemanager.contact` is not a scope xero defines"), "{markdown}");
    assert!(
        markdown.contains("## Why each write scope is needed\n\n- `practicemanager.client`: write contacts"),
        "{markdown}"
    );
    assert!(markdown.contains("not set: **gap**"), "retention is not set: {markdown}");
    assert!(markdown.contains("```mermaid\nflowchart LR"), "{markdown}");
    // 2,000 clients: the planner's first run is the detailed list, staff and groups.
    assert!(markdown.contains("| first run | 3 | 6.4 MB | 0 calls |"), "{markdown}");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<table>"), "{html}");
    assert!(!html.contains("<script>") && !html.contains("<b>Sync"), "typed text stays text: {html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    // Written down, the scopes count as identified.
    let (state, how) = item(&data, "scopes-identified");
    assert_eq!(state, "done");
    assert!(how.contains(&format!("for {}", planned["scope"].as_str().expect("scope"))), "{how}");

    let unknown = run(&data, &["access-request", "--feature", "read dragons", "--out", out_text]);
    assert_eq!(unknown.status.code(), Some(2));
    let error = text(&unknown.stderr);
    assert!(
        error.contains("unknown feature `read dragons`")
            && error.contains("the features are: read clients, write clients"),
        "{error}"
    );
}

/// The status of `control` in the evidence's JSON.
fn status(evidence: &Value, control: &str) -> String {
    evidence["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .flat_map(|domain| domain["findings"].as_array().expect("findings").iter())
        .find(|finding| finding["control"] == control)
        .map(|finding| finding["status"].as_str().expect("status").to_owned())
        .unwrap_or_else(|| panic!("no finding {control}"))
}

#[test]
fn evidence_shows_a_gap_exactly_when_mfa_or_tls_is_off() {
    let dir = private_dir();
    let data = dir.path();
    let evidence = || json(data, &["evidence", "--json"]);
    let first = evidence();
    assert_eq!((status(&first, "MFA").as_str(), status(&first, "admin app (inbound)").as_str()), ("gap", "gap"));

    ok(data, &["security", "set", "mfa_required", "true"]);
    assert_eq!(status(&evidence(), "MFA"), "gap", "required, but no users");
    ok(data, &["security", "add-user", "ana@firm.example", "--role", "admin", "--totp-enrolled"]);
    assert_eq!(status(&evidence(), "MFA"), "in-place");
    ok(data, &["security", "add-user", "bo@firm.example", "--role", "viewer"]);
    assert_eq!(status(&evidence(), "MFA"), "gap", "one user without TOTP");
    ok(data, &["security", "add-user", "bo@firm.example", "--role", "viewer", "--totp-enrolled"]);
    assert_eq!(status(&evidence(), "MFA"), "in-place");
    ok(data, &["security", "set", "mfa_required", "false"]);
    assert_eq!(status(&evidence(), "MFA"), "gap");
    ok(data, &["security", "set", "mfa_required", "true"]);

    ok(data, &["security", "set", "behind_tls_proxy", "true"]);
    assert_eq!(status(&evidence(), "admin app (inbound)"), "in-place");
    let cert = data.join("cert.pem");
    ok(data, &["security", "set", "tls_cert_path", cert.to_str().expect("utf-8")]);
    ok(data, &["security", "set", "tls_key_path", data.join("key.pem").to_str().expect("utf-8")]);
    assert_eq!(status(&evidence(), "admin app (inbound)"), "gap", "the files named do not exist");
    std::fs::write(&cert, "certificate").expect("cert");
    std::fs::write(data.join("key.pem"), "key").expect("key");
    let last = evidence();
    assert_eq!(
        (status(&last, "MFA").as_str(), status(&last, "admin app (inbound)").as_str()),
        ("in-place", "in-place")
    );
    assert_eq!(status(&last, "roles"), "in-place");
    assert_eq!(status(&last, "audit chain"), "in-place");
    assert_eq!(status(&last, "mirrored practice data"), "operator");

    let bad = run(data, &["security", "set", "mfa_required", "maybe"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("`maybe` is not a valid value for mfa_required: true or false"));

    let out = data.join("evidence");
    let said = ok(data, &["evidence", "--out", out.to_str().expect("utf-8")]);
    assert!(said.starts_with("wrote ") && said.contains("security-evidence.html"), "{said}");
    let markdown = std::fs::read_to_string(out.join("security-evidence.md")).expect("markdown");
    assert!(markdown.contains("## 1. Encryption key management") && markdown.contains("## 10. Security monitoring"));
    assert!(
        markdown.contains(
            "| MFA | in place | mfa_required = true; all 2 admin user(s) have TOTP enrolled | V2.8.1, V4.3.1 |"
        ),
        "{markdown}"
    );
    assert!(item(data, "security-assessment").1.starts_with("not marked; evidence written on"));
}

#[test]
fn approval_outputs_never_hold_a_token_key_or_secret() {
    let session = Session::start_with_clients(5);
    let output = session.connect(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let dir = session.data_dir.as_path();
    let key = KeyResolver::new(dir).without_env_var().find().expect("key").expect("a key file").key;
    let store = EncryptedFileStore::open(dir, key.clone()).expect("token store");
    let connection: ConnectionId = store.connections().expect("records")[0];
    let tokens = store.load(connection).expect("load").expect("tokens");
    let key_file = std::fs::read_to_string(dir.join("master.key")).expect("key file");
    let mut secrets = vec![
        tokens.access_token.secret().to_owned(),
        key.to_base64().to_string(),
        key_file.trim().to_owned(),
        "xpmkit-demo-secret".to_owned(),
    ];
    secrets.extend(tokens.refresh_token.map(|token| token.secret().to_owned()));

    ok(dir, &["security", "add-user", "ana@firm.example", "--role", "admin", "--totp-enrolled"]);
    let out = dir.join("reports");
    let out_text = out.to_str().expect("utf-8");
    let mut seen = String::new();
    for args in [
        vec!["readiness"],
        vec!["readiness", "--json"],
        vec!["evidence"],
        vec!["evidence", "--json"],
        vec!["evidence", "--out", out_text],
        vec!["access-request", "--feature", "read clients", "--out", out_text],
        vec!["security", "show"],
    ] {
        let output = run(dir, &args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
        seen.push_str(&text(&output.stdout));
        seen.push_str(&text(&output.stderr));
    }
    for file in ["security-evidence.md", "security-evidence.html", "access-request.md", "access-request.html"] {
        seen.push_str(&std::fs::read_to_string(out.join(file)).expect("report"));
    }
    assert!(seen.contains("XChaCha20-Poly1305"), "the reports say how tokens are kept");
    for secret in &secrets {
        assert!(secret.len() >= 16, "a real secret to look for");
        assert!(!seen.contains(secret.as_str()), "a secret reached the approval kit's output");
    }
}

#[test]
fn purge_follows_the_retention_policy_and_closes_the_evidence_gap() {
    let dir = private_dir();
    let data = dir.path();
    let refused = run(data, &["purge"]);
    assert_eq!(refused.status.code(), Some(2), "no policy, no purge");
    assert!(text(&refused.stderr).contains("xpmkit security set retention_days 365"), "{}", text(&refused.stderr));
    assert_eq!(status(&json(data, &["evidence", "--json"]), "last purge"), "gap");

    ok(data, &["security", "set", "retention_days", "30"]);
    let dry = ok(data, &["purge", "--dry-run"]);
    assert!(dry.starts_with("purge of what is older than 30 days") && dry.contains("would delete"), "{dry}");
    assert!(dry.contains("dry run: nothing was deleted or logged"), "{dry}");
    assert_eq!(status(&json(data, &["evidence", "--json"]), "last purge"), "gap", "a dry run is no purge");

    let done = ok(data, &["purge", "--older-than", "7"]);
    assert!(done.contains("older than 7 days") && done.contains("deleted"), "{done}");
    assert_eq!(status(&json(data, &["evidence", "--json"]), "last purge"), "in-place");
}
