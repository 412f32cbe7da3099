//! `xpmkit call` on a long list: printed item by item as it downloads, in every output form,
//! with the output the whole answer gave.

use xpm_mock::faults::{Fault, FaultRule};

use crate::call::{Session, json};
use crate::text;

/// Enough clients for a detailed list of several megabytes.
const CLIENTS: usize = 3_000;

#[test]
fn a_long_list_is_printed_whole_in_every_form() {
    let session = Session::start_with_clients(CLIENTS);
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let detailed = ["call", "ClientV31_List", "-p", "detailed=true"];

    let from_xml = session.xpmkit(&detailed);
    let answer = json(&from_xml);
    assert_eq!(answer["status"], "OK");
    let clients = answer["clients"].as_array().expect("clients");
    assert_eq!(clients.len(), CLIENTS);
    assert!(clients.iter().all(|client| client["uuid"].is_string()));
    // The same items decoded from XPM's JSON print the same.
    let from_json = session.xpmkit(&[&detailed[..], &["--format", "json"]].concat());
    assert_eq!(from_json.status.code(), Some(0), "{}", text(&from_json.stderr));
    assert!(from_json.stdout == from_xml.stdout, "json and xml answers print alike");

    let lines = session.xpmkit(&[&detailed[..], &["--all", "--jsonl"]].concat());
    assert_eq!(lines.status.code(), Some(0), "{}", text(&lines.stderr));
    assert_eq!(text(&lines.stdout).lines().count(), CLIENTS);

    let raw = session.xpmkit(&[&detailed[..], &["--raw"]].concat());
    assert_eq!(raw.status.code(), Some(0), "{}", text(&raw.stderr));
    assert!(raw.stdout.len() > 3_000_000, "{} bytes", raw.stdout.len());
    assert!(raw.stdout.starts_with(b"<Response"), "{}", text(&raw.stdout[..100]));
    assert_eq!(text(&raw.stdout).matches("<Client>").count(), CLIENTS);
}

#[test]
fn a_list_that_says_error_prints_nothing_and_exits_4() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    for extra in [&[][..], &["--raw"], &["--format", "json"], &["--all", "--jsonl"]] {
        session.emulator().faults().add(FaultRule {
            matches: "ClientV31_List".into(),
            fault: Fault::Error200 { description: "The list is unavailable".into() },
            times: Some(1),
            probability: None,
        });
        let output = session.xpmkit(&[&["call", "ClientV31_List"][..], extra].concat());
        assert_eq!(output.status.code(), Some(4), "{extra:?}: {}", text(&output.stderr));
        assert!(output.stdout.is_empty(), "{extra:?}: {}", text(&output.stdout));
        assert!(text(&output.stderr).contains("The list is unavailable"), "{}", text(&output.stderr));
    }
}
