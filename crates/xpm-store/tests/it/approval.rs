//! The approval kit's tables on both backends: security settings and admin users, readiness
//! marks, contract-suite runs, and the audit chain every change to them is appended to, which a
//! tampered entry breaks.

use sqlx::Connection as _;
use xpm_store::{AdminRole, DatabaseLocation, NewVerifyRun, SecuritySetting, Store};

use crate::harness::TestDb;

const ACTOR: &str = "cli:tester";

/// Runs `sql` on the database behind `location` from a connection of its own, as someone
/// editing the database by hand would.
async fn tamper(location: &DatabaseLocation, sql: &str) {
    match location {
        DatabaseLocation::Sqlite(path) => {
            let url = format!("sqlite://{}", path.display());
            let mut connection = sqlx::SqliteConnection::connect(&url).await.expect("connect to SQLite");
            sqlx::query(sql).execute(&mut connection).await.expect("tamper");
        }
        DatabaseLocation::Postgres(url) => {
            let mut connection = sqlx::PgConnection::connect(url.as_str()).await.expect("connect to PostgreSQL");
            sqlx::query(sql).execute(&mut connection).await.expect("tamper");
        }
    }
}

async fn approval_story(store: &Store, location: &DatabaseLocation) {
    // Nothing set: an empty log is intact, and nothing is claimed.
    let chain = store.audit_chain().await.expect("chain");
    assert_eq!((chain.entries, chain.is_intact(), chain.oldest_at.clone()), (0, true, None));
    assert_eq!(store.security_settings().await.expect("settings").mfa_required, None);
    assert!(store.latest_verify_run("xero").await.expect("verify runs").is_none());

    let mut write = store.write().await.expect("write");
    write.set_security_setting(SecuritySetting::MfaRequired, "true", ACTOR).await.expect("set");
    write.set_security_setting(SecuritySetting::RetentionDays, "365", ACTOR).await.expect("set");
    write.set_security_setting(SecuritySetting::RetentionDays, "400", ACTOR).await.expect("set again");
    write.put_admin_user("ana@firm.example", AdminRole::Admin, true, ACTOR).await.expect("user");
    write.put_admin_user("bo@firm.example", AdminRole::Viewer, false, ACTOR).await.expect("user");
    write.mark_readiness("advanced-tier", Some("Advanced tier since May"), ACTOR).await.expect("mark");
    write.mark_readiness("approval-buffer", None, ACTOR).await.expect("mark");
    write.commit().await.expect("commit");

    // A transaction rolled back leaves neither the change nor its audit entry.
    let mut write = store.write().await.expect("write");
    write.set_security_setting(SecuritySetting::MfaRequired, "false", ACTOR).await.expect("set");
    write.rollback().await.expect("rollback");

    let settings = store.security_settings().await.expect("settings");
    assert_eq!((settings.mfa_required, settings.retention_days), (Some(true), Some(400)));
    let users = store.admin_users().await.expect("users");
    let summary: Vec<(&str, AdminRole, bool)> =
        users.iter().map(|user| (user.email.as_str(), user.role, user.totp_enrolled)).collect();
    assert_eq!(summary, [("ana@firm.example", AdminRole::Admin, true), ("bo@firm.example", AdminRole::Viewer, false)]);
    let marks = store.readiness_marks().await.expect("marks");
    assert_eq!(marks.len(), 2);
    assert_eq!((marks[0].item.as_str(), marks[0].note.as_deref()), ("advanced-tier", Some("Advanced tier since May")));
    assert_eq!(marks[0].marked_by, ACTOR);

    let mut write = store.write().await.expect("write");
    assert!(write.unmark_readiness("approval-buffer", Some("plan changed"), ACTOR).await.expect("unmark"));
    assert!(!write.unmark_readiness("never-marked", None, ACTOR).await.expect("unmark"));
    assert!(write.remove_admin_user("bo@firm.example", ACTOR).await.expect("remove"));
    assert!(write.unset_security_setting(SecuritySetting::RetentionDays, ACTOR).await.expect("unset"));
    let first = NewVerifyRun {
        profile: "xero",
        tenant: None,
        started_at: "2026-05-04T09:00:00Z",
        finished_at: Some("2026-05-04T09:01:00Z"),
        passed: 40,
        failed: 2,
        report_path: Some("/tmp/verify-1.md"),
    };
    write.record_verify_run(&first).await.expect("verify run");
    let second = NewVerifyRun { passed: 42, failed: 0, report_path: Some("/tmp/verify-2.md"), ..first.clone() };
    let second_id = write.record_verify_run(&second).await.expect("verify run");
    write.record_verify_run(&NewVerifyRun { profile: "mock", ..first.clone() }).await.expect("mock run");
    write.commit().await.expect("commit");

    assert_eq!(store.readiness_marks().await.expect("marks").len(), 1);
    assert_eq!(store.admin_users().await.expect("users").len(), 1);
    assert_eq!(store.security_settings().await.expect("settings").retention_days, None);
    let latest = store.latest_verify_run("xero").await.expect("verify").expect("a xero run");
    assert_eq!((latest.id, latest.passed, latest.failed), (second_id, 42, 0));
    assert_eq!(latest.report_path.as_deref(), Some("/tmp/verify-2.md"));

    // 7 changes, then unmark, remove and unset, then three verify runs: 13 entries, chained. The
    // rolled-back change and the unmark of an item never marked left none.
    let chain = store.audit_chain().await.expect("chain");
    assert_eq!((chain.entries, chain.is_intact()), (13, true), "{chain:?}");
    assert!(chain.oldest_at.is_some() && chain.oldest_at <= chain.newest_at);
    let marks_logged = store.audit_entries("readiness.mark", 10).await.expect("entries");
    assert_eq!(marks_logged.len(), 2);
    assert_eq!(marks_logged[0].subject, "approval-buffer", "newest first");
    let runs_logged = store.audit_entries("verify.run", 10).await.expect("entries");
    assert_eq!(runs_logged.iter().map(|entry| entry.subject.as_str()).collect::<Vec<_>>(), ["mock", "xero", "xero"]);
    let set = store.audit_entries("security.set", 1).await.expect("entries");
    assert_eq!(set[0].detail, r#"{"new":"400","old":"365"}"#);

    // Editing an entry in the middle breaks the chain there.
    tamper(location, "UPDATE audit_log SET actor = 'someone-else' WHERE id = 4").await;
    let chain = store.audit_chain().await.expect("chain");
    assert_eq!((chain.entries, chain.broken_at), (13, Some(4)));
}

#[tokio::test]
async fn approval_tables_on_sqlite() {
    let db = TestDb::sqlite().await;
    approval_story(&db.store, &db.location()).await;
    db.finish().await;
}

#[tokio::test]
async fn approval_tables_on_postgres() {
    let Some(db) = TestDb::postgres("approval_tables_on_postgres").await else { return };
    approval_story(&db.store, &db.location()).await;
    db.finish().await;
}
