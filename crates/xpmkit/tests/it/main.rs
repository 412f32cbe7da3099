//! End-to-end tests of the `xpmkit` binary: arguments in, output and exit code out.

mod advice;
mod approval;
mod call;
mod call_stream;
mod decode_stream;
mod emulator_url;
mod export;
mod logs;
mod mock_state;
mod practices;
mod push;
mod readme;
mod sync;
mod verify;
mod worker;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../xpm-api/tests/fixtures/samples").join(name)
}

fn xpmkit(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xpmkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xpmkit starts");
    let input = child.stdin.take().map(|mut input| {
        // Written from another thread while the output is read: `decode` streams, so it writes
        // while it still reads, and a full output pipe would otherwise stop both sides. A command
        // that fails on its arguments exits without reading its input; the broken pipe that
        // writing then meets is expected, and the exit code is what the test checks.
        let stdin = stdin.unwrap_or_default().to_vec();
        std::thread::spawn(move || {
            let _ = input.write_all(&stdin);
        })
    });
    let output = child.wait_with_output().expect("xpmkit finishes");
    if let Some(writer) = input {
        writer.join().expect("the input writer ends");
    }
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn decode_prints_the_client_list_as_spec_shaped_json() {
    let path = sample("client.list.xml");
    let output = xpmkit(&["decode", "ClientV31_List", path.to_str().expect("utf-8 path")], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(json["status"], "OK");
    let clients = json["clients"].as_array().expect("clients array");
    assert_eq!(clients[0]["uuid"], "01a8b481-b9ae-4b28-89e0-87e7162807a3");
    assert_eq!(clients[0]["isArchived"], "No");
    assert_eq!(clients[0]["autoBasOptInCriteria"]["opt-out"], "Yes");
    assert!(clients[0]["contacts"].as_array().is_some_and(|contacts| !contacts.is_empty()));
}

#[test]
fn decode_streams_jsonl_from_stdin_and_keeps_pagination_in_json() {
    let body = std::fs::read(sample("paged-client.list.xml")).expect("sample");
    let output = xpmkit(&["decode", "ClientV31_PagedList", "-", "--to", "jsonl"], Some(&body));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<serde_json::Value> =
        text(&output.stdout).lines().map(|line| serde_json::from_str(line).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["name"], "Test Pty Ltd");

    let output = xpmkit(&["decode", "ClientV31_PagedList"], Some(&body));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert!(json["pagination"]["links"]["next"].as_str().is_some_and(|next| next.contains("pageToken=")));
}

#[test]
fn decode_round_trips_json_back_to_xml() {
    let body = std::fs::read(sample("staff.list.xml")).expect("sample");
    let json = xpmkit(&["decode", "StaffV31_List"], Some(&body));
    let xml = xpmkit(&["decode", "StaffV31_List", "--to", "xml"], Some(&json.stdout));
    assert_eq!(xml.status.code(), Some(0), "{}", text(&xml.stderr));
    let again = xpmkit(&["decode", "StaffV31_List"], Some(&xml.stdout));
    assert_eq!(text(&again.stdout), text(&json.stdout), "xml → json → xml → json is stable");
}

#[test]
fn check_counts_items_and_errors_have_documented_exit_codes() {
    let path = sample("client.list.xml");
    let output = xpmkit(&["decode", "ClientV31_List", path.to_str().expect("utf-8 path"), "--check"], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    assert!(text(&output.stderr).starts_with("ok: "), "{}", text(&output.stderr));

    let broken = text(&std::fs::read(&path).expect("sample")).replacen("<IsArchived>No", "<IsArchived>Maybe", 1);
    let output = xpmkit(&["decode", "ClientV31_List", "--check"], Some(broken.as_bytes()));
    assert_eq!(output.status.code(), Some(3));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("Response/Clients/Client[0]/IsArchived (byte "), "{stderr}");

    let original = std::fs::read(&path).expect("sample");
    let truncated = &original[..original.len() / 2];
    let output = xpmkit(&["decode", "ClientV31_List"], Some(truncated));
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stderr).contains("truncated"));

    let xpm_error = b"<Response><Status>ERROR</Status><ErrorDescription>Client not found</ErrorDescription></Response>";
    let output = xpmkit(&["decode", "ClientV31_GetByIdentifier"], Some(xpm_error));
    assert_eq!(output.status.code(), Some(4));
    assert!(text(&output.stderr).contains("Client not found"));

    let output = xpmkit(&["decode", "ClientV31_Lst"], Some(b"<Response/>"));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean `ClientV31_List`"), "{}", text(&output.stderr));
}

#[test]
fn catalog_lists_all_operations_and_scopes_explain_and_plan() {
    let output = xpmkit(&["catalog", "--json"], None);
    let operations: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("catalog JSON");
    assert_eq!(operations.len(), 102);

    let output = xpmkit(&["scopes", "plan", "read clients", "StaffV31_List", "--json"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).expect("plan JSON");
    assert_eq!(plan["scope"], "practicemanager.client.read practicemanager.staff.read");

    let output = xpmkit(&["scopes", "explain", "practicemanager.contact"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("use `practicemanager.client`"), "{}", text(&output.stderr));
}

#[test]
fn demo_runs_the_whole_path_against_the_in_process_emulator() {
    let output = xpmkit(&["demo", "--clients", "300"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    for step in [
        "PKCE (S256)",
        "id_token signed RS256",
        "PRACTICEMANAGER",
        "XML page(s)",
        "as JSON",
        "typed XPM error",
        "unauthorized_client",
        "9. synced the practice into",
        "300 clients",
        "1 client updated",
        "mobile locally: queued in the outbox",
        "1 record(s) with a local change left alone",
        "13. push: sent update contact",
        "the store now holds mobile +61 400 555 010",
        "14. a few stored rows",
    ] {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
    let active: usize = stdout
        .split("paged through ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .expect("a client count");
    assert!((200..=300).contains(&active), "300 clients less archived and deleted ones: {active}");
}

#[test]
fn decode_refuses_a_body_that_belongs_to_another_operation() {
    let path = sample("client.list.xml");
    let output = xpmkit(&["decode", "StaffV31_List", path.to_str().expect("utf-8 path")], None);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("expected element <StaffList>, found <Clients>"), "{stderr}");

    let json = xpmkit(&["decode", "ClientV31_List", path.to_str().expect("utf-8 path")], None);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let output = xpmkit(&["decode", "StaffV31_List", "--from", "json"], Some(&json.stdout));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("found `clients`"), "{stderr}");
    assert!(stderr.contains("`staffList`"), "{stderr}");

    let single = b"<Response><Status>OK</Status><Client><UUID>x</UUID></Client></Response>";
    let output = xpmkit(&["decode", "StaffV31_GetByUuid"], Some(single));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stdout));
    assert!(text(&output.stderr).contains("expected element <Staff>, found <Client>"), "{}", text(&output.stderr));
}

#[test]
fn a_fault_scenario_names_the_wrong_field() {
    let directory = std::env::temp_dir().join(format!("xpmkit-faults-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&directory).expect("a temp dir");
    let scenario = directory.join("faults.json");
    std::fs::write(&scenario, r#"[{"matches": "*", "fault": {"kind": "latency", "seconds": 2}}]"#).expect("written");
    let output = xpmkit(&["mock", "--port", "0", "--faults", scenario.to_str().expect("utf-8 path")], None);
    let _ = std::fs::remove_dir_all(&directory);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("[0].fault: unknown field `seconds`, expected one of `millis`, `milliseconds`, `ms`"),
        "{stderr}"
    );
}

/// Runs `xpmkit` with its standard output closed at once, as `| head` does once it has enough.
fn with_closed_stdout(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xpmkit"))
        .args(args)
        .env("XPMKIT_DATA_DIR", std::env::temp_dir().join(format!("xpmkit-pipe-test-{}", uuid::Uuid::new_v4())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xpmkit starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("xpmkit finishes")
}

#[test]
fn every_command_exits_quietly_when_its_reader_goes_away() {
    let sample = sample("client.list.xml");
    let sample = sample.to_str().expect("utf-8 path");
    let commands: [&[&str]; 7] = [
        &["catalog"],
        &["catalog", "--json"],
        &["scopes", "plan", "read clients", "read jobs"],
        &["scopes", "explain", "practicemanager", "--json"],
        &["decode", "ClientV31_List", sample],
        &["decode", "ClientV31_List", sample, "--to", "jsonl"],
        &["tenants", "--json"],
    ];
    for args in commands {
        let output = with_closed_stdout(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
        assert!(output.stderr.is_empty(), "{args:?}: {}", text(&output.stderr));
    }
}

#[test]
fn scopes_plan_counts_what_it_lists_and_explains_scopes_given_as_targets() {
    let output = xpmkit(&["scopes", "plan", "read clients"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let listed = stdout.lines().find(|line| line.contains(" grants ")).map_or(0, |line| line.split(", ").count());
    assert!(stdout.contains(&format!("these scopes cover the {listed} operations asked for")), "{stdout}");

    let output = xpmkit(&["scopes", "plan", "practicemanager.contact"], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("`practicemanager.contact` is not a scope xero defines"), "{stderr}");
    assert!(stderr.contains("use `practicemanager.client`"), "{stderr}");

    let output = xpmkit(&["scopes", "plan", "practicemanager.client.read"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("is a scope, not a feature or an operation"), "{}", text(&output.stderr));

    let output = xpmkit(&["scopes", "explain", "practicemanager.invoice.read"], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("use `practicemanager.read`") && !stderr.contains("time"), "{stderr}");
}

/// `decode --check` reports characters XML 1.0 forbids, in XML and JSON input alike, with the
/// character and where it is.
#[test]
fn decode_check_reports_characters_xml_forbids() {
    let xml = "<Response><Status>OK</Status><Clients><Client><Name>a\u{1}b</Name></Client></Clients></Response>";
    let json = r#"{"status":"OK","clients":[{"name":"a\u0001b"}]}"#;
    for (body, place) in [(xml, "Response/Clients/Client[0]/Name"), (json, "clients[0].name")] {
        let output = xpmkit(&["decode", "ClientV31_List", "-", "--check"], Some(body.as_bytes()));
        assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
        let stderr = text(&output.stderr);
        assert!(stderr.contains("U+0001") && stderr.contains(place), "{stderr}");
    }
}

/// Text from a server reached the terminal with raw escape sequences; it is printed escaped.
#[test]
fn server_text_reaches_the_terminal_escaped() {
    // U+009B is a one-byte CSI to some terminals, and XML 1.0 allows it.
    let body =
        "<Response><Status>ERROR</Status><ErrorDescription>gone\u{9b}2J\u{202E}txt</ErrorDescription></Response>";
    let output = xpmkit(&["decode", "ClientV31_List", "-"], Some(body.as_bytes()));
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("gone\\u{9b}2J\\u{202e}txt"), "{stderr}");
    assert!(!stderr.contains('\u{9b}') && !stderr.contains('\u{202E}'), "{stderr}");
}
