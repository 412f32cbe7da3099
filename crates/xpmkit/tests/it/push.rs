//! `xpmkit push` end to end: the real binary against an in-process emulator, its outbox in the
//! data directory's SQLite database, and a push killed with SIGKILL while XPM holds its write.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use xpm_mock::faults::{Fault, FaultRule};

use crate::call::{Session, command, json};
use crate::text;

/// Writes `changes` (JSON) to a file in the session's data directory.
fn changes_file(session: &Session, name: &str, changes: &serde_json::Value) -> PathBuf {
    std::fs::create_dir_all(&session.data_dir).expect("data dir");
    let path = session.data_dir.join(name);
    std::fs::write(&path, changes.to_string()).expect("changes written");
    path
}

/// How many clients XPM has with this exact name, asked of XPM through `xpmkit call`.
fn clients_named(session: &Session, name: &str) -> usize {
    let found = json(&session.xpmkit(&["call", "ClientV31_Search", "--param", &format!("query={name}")]));
    let clients = found["clients"].as_array().cloned().unwrap_or_default();
    clients.iter().filter(|client| client["name"] == name).count()
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn a_push_killed_after_xpm_made_the_client_never_makes_a_second_one() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let name = "Killed Push Holdings";
    let file = changes_file(
        &session,
        "create.json",
        &serde_json::json!({"entity": "client", "action": "create", "body": {"name": name, "email": "kill@example.com"}}),
    );
    // XPM makes the client, then holds the answer for a minute: the push is killed meanwhile.
    let hold = Fault::ApplyThenDrop { hold_ms: Duration::from_secs(60) };
    session.emulator().faults().add(FaultRule {
        matches: "ClientV31_Add".into(),
        fault: hold,
        times: Some(1),
        probability: None,
    });
    let mut child = command(&session.data_dir)
        .args(["push", "--queue", path(&file)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xpmkit push starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while clients_named(&session, name) == 0 {
        assert!(Instant::now() < deadline, "the client was never created");
        assert!(child.try_wait().expect("the child").is_none(), "push ended before XPM made the client");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    // The rerun finds the client and adopts it; a third run has nothing to do.
    let rerun = session.xpmkit(&["push"]);
    assert_eq!(rerun.status.code(), Some(0), "{}\n{}", text(&rerun.stdout), text(&rerun.stderr));
    let stdout = text(&rerun.stdout);
    assert!(stdout.contains("adopted") && stdout.contains("1 adopted"), "{stdout}");
    assert_eq!(clients_named(&session, name), 1, "exactly one client in XPM");
    let again = session.xpmkit(&["push"]);
    assert!(text(&again.stdout).contains("the outbox is empty"), "{}", text(&again.stdout));
    assert_eq!(clients_named(&session, name), 1);
}

#[test]
fn push_prints_each_outcome_and_exits_6_when_xpm_refuses_a_write() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let file = changes_file(
        &session,
        "two.json",
        &serde_json::json!([
            {"entity": "client", "action": "create", "body": {"name": "Refused Ltd"}},
            {"entity": "group", "action": "create", "body": {"name": "Pushed Group", "taxable": "Yes"}}
        ]),
    );
    let dry = session.xpmkit(&["push", "--queue", path(&file), "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("would queue   create client \"Refused Ltd\""), "{}", text(&dry.stdout));
    assert!(
        text(&session.xpmkit(&["push", "--dry-run"]).stdout).contains("the outbox is empty"),
        "a dry run queues nothing"
    );

    let refuse = Fault::Error200 { description: "Client name is reserved".into() };
    session.emulator().faults().add(FaultRule {
        matches: "ClientV31_Add".into(),
        fault: refuse,
        times: Some(1),
        probability: None,
    });
    let output = session.xpmkit(&["push", "--queue", path(&file)]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(6), "{stdout}\n{}", text(&output.stderr));
    assert!(stdout.contains("failed") && stdout.contains("Client name is reserved"), "{stdout}");
    assert!(stdout.contains("sent") && stdout.contains("Pushed Group"), "{stdout}");
    assert!(stdout.contains("1 sent, 0 adopted, 0 conflict, 1 failed"), "{stdout}");
    assert!(text(&output.stderr).contains("need a person"), "{}", text(&output.stderr));
    assert_eq!(clients_named(&session, "Refused Ltd"), 0);

    let wrong =
        changes_file(&session, "wrong.json", &serde_json::json!({"entity": "client", "action": "create", "body": {}}));
    let output = session.xpmkit(&["push", "--queue", path(&wrong)]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("`name`"), "{}", text(&output.stderr));
}

#[test]
fn an_update_conflicting_with_an_edit_in_xpm_exits_6_and_xpm_keeps_the_edit() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let list = json(&session.xpmkit(&["call", "ClientV31_List"]));
    let uuid = list["clients"][0]["uuid"].as_str().expect("a client uuid").to_owned();
    let identifier = format!("identifier={uuid}");
    let before = json(&session.xpmkit(&["call", "ClientV31_GetByIdentifier", "--param", &identifier]));
    let client: xpm_api::model::Client = serde_json::from_value(before["client"].clone()).expect("a client");
    // Stored in the data directory's database, as a sync would have.
    let tenant = session.emulator().tenants()[0].0;
    let database = session.data_dir.join("xpmkit.db");
    session.runtime.block_on(async {
        let store = xpm_store::Store::open(Some(path(&database))).await.expect("store");
        let mut write = store.write().await.expect("write");
        write.upsert_clients(tenant, std::slice::from_ref(&client)).await.expect("stored");
        write.commit().await.expect("commit");
        store.close().await;
    });
    // Someone edits the phone in XPM.
    let edit = session.data_dir.join("edit.xml");
    std::fs::write(&edit, format!("<Client><UUID>{uuid}</UUID><Phone>+61 2 5550 1234</Phone></Client>")).expect("body");
    json(&session.xpmkit(&["call", "ClientV31_Update", "--body", path(&edit)]));

    let file = changes_file(
        &session,
        "update.json",
        &serde_json::json!({"entity": "client", "action": "update", "key": uuid, "body": {"email": "ours@example.com"}}),
    );
    let output = session.xpmkit(&["push", "--queue", path(&file)]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(6), "{stdout}\n{}", text(&output.stderr));
    assert!(
        stdout.contains("conflict") && stdout.contains(r#"phone: "#) && stdout.contains("+61 2 5550 1234"),
        "{stdout}"
    );
    let after = json(&session.xpmkit(&["call", "ClientV31_GetByIdentifier", "--param", &identifier]));
    assert_eq!(after["client"]["phone"], "+61 2 5550 1234", "the other edit is kept");
    assert_eq!(after["client"]["email"], before["client"]["email"], "ours was not sent");
}
