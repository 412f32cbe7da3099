//! `xpmkit sync` and `xpmkit status`, end to end: the real binary against an in-process
//! emulator, a fresh data directory and its SQLite database; and the binary killed (SIGKILL) at
//! many points of a run, after which the database is consistent and a rerun completes.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Instant;

use xpm_api::model::Client;
use xpm_mock::faults::{Fault, FaultRule};
use xpm_store::{DatabaseLocation, EntityKind, Store};
use xpm_sync::state;

use crate::call::{Session, command};
use crate::text;

fn connected(clients: usize) -> Session {
    let session = Session::start_with_clients(clients);
    let output = session.connect(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    session
}

#[test]
fn sync_plans_mirrors_reads_only_changes_and_status_tells() {
    let session = connected(30);
    let plan = session.xpmkit(&["sync", "--plan"]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    let stdout = text(&plan.stdout);
    // Clients, staff, groups; current jobs; the 90-day trailing window of jobs and time; three
    // years of history in three windows of each.
    assert!(stdout.starts_with("plan for Call Practice: full run, 12 calls"), "{stdout}");
    assert!(stdout.contains("current jobs (job.api/current)"), "{stdout}");
    assert!(session.emulator().journal().count("ClientV31_List") == 0, "--plan reads no data");

    let first = session.xpmkit(&["sync"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    assert!(stdout.contains("full run #1"), "{stdout}");
    assert!(stdout.contains("clients       30 added      0 updated      0 removed"), "{stdout}");
    assert!(stdout.contains("12 calls"), "{stdout}");
    assert!(stdout.contains("\n  jobs "), "{stdout}");
    assert!(stdout.contains("\n  time "), "{stdout}");
    assert!(first.stderr.is_empty(), "no progress bar off a terminal: {}", text(&first.stderr));

    let second = session.xpmkit(&["sync"]);
    let stdout = text(&second.stdout);
    assert!(stdout.contains("incremental run #2"), "{stdout}");
    assert!(stdout.contains("5 calls,"), "modifiedsince, staff, current jobs, the trailing window: {stdout}");
    assert!(stdout.contains("jobs           0 added      0 updated      0 removed"), "{stdout}");
    assert!(stdout.contains("clients        0 added      0 updated      0 removed"), "{stdout}");

    let status = session.xpmkit(&["status", "--json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(json[0]["name"], "Call Practice");
    assert_eq!(json[0]["runs"].as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["runs"][0]["status"], "succeeded");
    assert!(json[0]["cursors"][state::CLIENTS_WATERMARK].is_string());
    assert!(json[0]["cursors"][state::JOBS_COMPLETE_FROM].is_string(), "{json}");
    assert!(json[0]["cursors"][state::TIME_TRAILING].is_string(), "{json}");
    assert_eq!(json[0]["outbox"]["pending"], 0);
    let status = session.xpmkit(&["status"]);
    assert!(text(&status.stdout).contains("run #2 incremental succeeded"), "{}", text(&status.stdout));

    // Clients only, and custom field values of what changed: none changed, no call for them.
    let narrow = session.xpmkit(&["sync", "--no-work", "--custom-fields"]);
    assert_eq!(narrow.status.code(), Some(0), "{}", text(&narrow.stderr));
    assert!(text(&narrow.stdout).contains("2 calls,"), "{}", text(&narrow.stdout));
    assert_eq!(session.emulator().journal().count("CustomFieldV31_Definition"), 0);
}

/// The database after a kill: every stored client has exactly the contact links its stored item
/// lists, and the watermark is never ahead of the data (set only with the whole list stored).
fn assert_consistent(store: &Store, runtime: &tokio::runtime::Runtime, tenant: uuid::Uuid, practice: usize) {
    runtime.block_on(async {
        let keys = store.keys(tenant, EntityKind::Client).await.expect("keys");
        for key in &keys {
            let client: Client = store.get(tenant, EntityKind::Client, key).await.expect("read").expect("stored").item;
            let listed: BTreeSet<String> = client
                .contacts
                .iter()
                .flatten()
                .filter_map(|contact| contact.uuid)
                .map(|uuid| uuid.to_string())
                .collect();
            let uuid = key.parse().expect("a uuid key");
            let linked: BTreeSet<String> = store
                .client_contacts(tenant, uuid)
                .await
                .expect("links")
                .into_iter()
                .filter_map(|link| link.contact.uuid.map(|uuid| uuid.to_string()))
                .collect();
            assert_eq!(linked, listed, "client {key}'s links match its stored item");
        }
        if store.cursor(tenant, state::CLIENTS_WATERMARK).await.expect("cursor").is_some() {
            assert_eq!(keys.len(), practice, "the watermark moved only with every client stored");
        }
    });
}

#[test]
fn a_sync_killed_at_any_point_leaves_the_database_consistent_and_a_rerun_completes() {
    const CLIENTS: usize = 2_000;
    let session = connected(CLIENTS);
    let tenant = session.emulator().tenants()[0].0;
    let database = |name: &str| session.data_dir.join(format!("{name}.db"));
    let url = |name: &str| format!("sqlite:{}", database(name).display());
    // How long a whole first run takes here, to spread the kills over it.
    let started = Instant::now();
    let output = session.xpmkit(&["sync", "--database-url", &url("probe")]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let whole = started.elapsed();

    let mut killed_mid_run = 0;
    for eighth in 1..=7_u32 {
        let name = format!("killed-{eighth}");
        let mut child = command(&session.data_dir)
            .args(["sync", "--database-url", &url(&name)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("xpmkit sync starts");
        std::thread::sleep(whole * eighth / 8);
        if child.try_wait().expect("status").is_none() {
            killed_mid_run += 1;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let location = DatabaseLocation::Sqlite(database(&name));
        let store = session.runtime.block_on(Store::open_location(location)).expect("the database opens");
        assert_consistent(&store, &session.runtime, tenant, CLIENTS);

        let rerun = session.xpmkit(&["sync", "--database-url", &url(&name)]);
        assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun.stderr));
        assert_consistent(&store, &session.runtime, tenant, CLIENTS);
        let stored = session.runtime.block_on(store.count(tenant, EntityKind::Client)).expect("count");
        assert_eq!(stored, CLIENTS as u64, "the rerun after kill {eighth} completes the mirror");
        let runs = session.runtime.block_on(store.runs(tenant, 20)).expect("runs");
        assert_eq!(runs[0].status, xpm_store::RunStatus::Succeeded);
        session.runtime.block_on(store.close());
    }
    assert!(killed_mid_run >= 3, "most kills land inside a run: {killed_mid_run} of 7");
}

/// A value XPM sends in an unexpected form: the run warns, names it and keeps it; `--strict`
/// exits 3 naming it.
#[test]
fn sync_warns_about_a_drifted_value_and_strict_fails_on_it() {
    let session = connected(20);
    let drift = |times| FaultRule {
        matches: "ClientV31_List".into(),
        fault: Fault::Drift { element: "IsArchived".into(), value: "Maybe\u{9b}31m".into() },
        times: Some(times),
        probability: None,
    };
    session.emulator().faults().add(drift(2));
    let strict = session.xpmkit(&["sync", "--strict"]);
    assert_eq!(strict.status.code(), Some(3), "{}", text(&strict.stderr));
    assert!(text(&strict.stderr).contains("IsArchived"), "{}", text(&strict.stderr));

    session.emulator().faults().clear();
    session.emulator().faults().add(drift(1));
    let tolerant = session.xpmkit(&["sync"]);
    assert_eq!(tolerant.status.code(), Some(0), "{}", text(&tolerant.stderr));
    let stdout = text(&tolerant.stdout);
    assert!(stdout.contains("clients       20 added"), "{stdout}");
    assert!(stdout.contains("warning: 1 value(s) XPM sent could not be read; kept as sent"), "{stdout}");
    assert!(stdout.contains(": IsArchived: expected Yes/No flag, found \"Maybe\\u{9b}31m\""), "{stdout}");
    assert!(!stdout.contains('\u{9b}'), "the server's text reaches the terminal escaped: {stdout}");
}
