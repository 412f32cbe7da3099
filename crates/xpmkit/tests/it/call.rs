//! `xpmkit connect` then `xpmkit call`, end to end: an in-process emulator, the real binary, a
//! fresh data directory, and the browser played by an HTTP client that follows the redirects.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use xpm_mock::config::{AppRegistration, LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

use crate::text;

/// Clients seeded in the practice.
const CLIENTS: usize = 30;

/// An emulator with auto-consent and a data directory the binary connects into.
struct Session {
    runtime: tokio::runtime::Runtime,
    running: RunningEmulator,
    data_dir: PathBuf,
    /// The loopback port `connect` listens on, registered with the demo app.
    port: u16,
}

impl Session {
    fn start() -> Session {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the emulator");
        let port = free_port();
        let mut app = AppRegistration::demo();
        app.redirect_uris.push(format!("http://localhost:{port}/callback"));
        let config = EmulatorConfig {
            apps: vec![app, AppRegistration::unapproved_demo()],
            practices: vec![PracticeSeed { name: "Call Practice".into(), clients: CLIENTS, seed: 11 }],
            limits: LimitSettings::OFF,
            auto_consent: true,
            ..EmulatorConfig::default()
        };
        let running = runtime.block_on(Emulator::new(config).spawn()).expect("the emulator starts");
        let data_dir = std::env::temp_dir().join(format!("xpmkit-call-test-{}", uuid::Uuid::new_v4()));
        Session { runtime, running, data_dir, port }
    }

    /// Runs `xpmkit` with this session's data directory (and no master key from the environment).
    fn xpmkit(&self, args: &[&str]) -> Output {
        command(&self.data_dir).args(args).output().expect("xpmkit runs")
    }

    /// `xpmkit connect --profile mock --no-browser`, following the printed URL as a browser would.
    fn connect(&self, extra: &[&str]) -> Output {
        let base = self.running.base_url();
        let port = self.port.to_string();
        let mut args = vec!["connect", "--profile", "mock", "--url", &base, "--no-browser", "--port", &port];
        args.extend(["--timeout", "30"]);
        args.extend(extra);
        let mut child = command(&self.data_dir)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("xpmkit connect starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut printed = Vec::new();
        let mut url = None;
        for line in BufReader::new(stderr).lines() {
            let line = line.expect("stderr is text");
            if line.starts_with("http") {
                url = Some(line);
                break;
            }
            printed.push(line);
        }
        let url = url.unwrap_or_else(|| panic!("connect printed no URL: {printed:?}"));
        let page = self.runtime.block_on(async { reqwest::get(&url).await?.text().await }).expect("the browser");
        assert!(page.contains("xpmkit is connected"), "{page}");
        child.wait_with_output().expect("connect finishes")
    }

    fn emulator(&self) -> &Emulator {
        self.running.emulator()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn command(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xpmkit"));
    command.env("XPMKIT_DATA_DIR", data_dir).env_remove("XPMKIT_MASTER_KEY").stdin(Stdio::null());
    command
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

fn json(output: &Output) -> serde_json::Value {
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn call_sends_any_operation_through_the_stored_connection() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    assert!(text(&connected.stdout).contains("Call Practice"), "{}", text(&connected.stdout));

    let list = json(&session.xpmkit(&["call", "ClientV31_List"]));
    assert_eq!(list["status"], "OK");
    let clients = list["clients"].as_array().expect("a clients array");
    assert!((CLIENTS - 5..=CLIENTS).contains(&clients.len()), "{} clients", clients.len());
    let first = &clients[0];
    let uuid = first["uuid"].as_str().expect("a uuid");

    let param = format!("identifier={uuid}");
    let one = json(&session.xpmkit(&["call", "ClientV31_GetByIdentifier", "--param", &param]));
    assert_eq!(one["client"]["uuid"], first["uuid"]);
    assert_eq!(one["client"]["name"], first["name"]);

    let raw =
        session.xpmkit(&["call", "ClientV31_GetByIdentifier", "-p", &param, "--tenant", "call practice", "--raw"]);
    assert_eq!(raw.status.code(), Some(0), "{}", text(&raw.stderr));
    assert!(text(&raw.stdout).starts_with("<Response"), "{}", text(&raw.stdout));
    let raw = session.xpmkit(&["call", "ClientV31_GetByIdentifier", "-p", &param, "--format", "json", "--raw"]);
    assert!(text(&raw.stdout).starts_with(r#"{"status":"OK""#), "{}", text(&raw.stdout));

    let missing = "identifier=00000000-0000-0000-0000-000000000000";
    let unknown = session.xpmkit(&["call", "ClientV31_GetByIdentifier", "--param", missing]);
    assert_eq!(unknown.status.code(), Some(4), "XPM's own error: {}", text(&unknown.stderr));
    assert!(text(&unknown.stderr).contains("not found"), "{}", text(&unknown.stderr));
    let sent = session.emulator().journal().count("ClientV31_GetByIdentifier");
    assert_eq!(sent, 4);

    let body = session.data_dir.join("client.json");
    std::fs::write(&body, r#"{"name": "Body Test Ltd", "email": "hello@body.example"}"#).expect("a body file");
    let added = json(&session.xpmkit(&["call", "ClientV31_Add", "--body", body.to_str().expect("utf-8 path")]));
    assert_eq!(added["client"]["name"], "Body Test Ltd");
    assert_eq!(added["client"]["email"], "hello@body.example");

    // Mistakes are caught before anything is sent, with the usage exit code.
    let no_identifier = session.xpmkit(&["call", "ClientV31_GetByIdentifier"]);
    assert_eq!(no_identifier.status.code(), Some(2));
    assert!(
        text(&no_identifier.stderr).contains("needs the path parameter `identifier`"),
        "{}",
        text(&no_identifier.stderr)
    );
    let typo = session.xpmkit(&["call", "ClientV31_Lst"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(text(&typo.stderr).contains("did you mean `ClientV31_List`?"), "{}", text(&typo.stderr));
    let stray = session.xpmkit(&["call", "ClientV31_List", "--param", "pageSize=5"]);
    assert_eq!(stray.status.code(), Some(2));
    assert!(text(&stray.stderr).contains("it takes `detailed`, `modifiedSince`, `fields`"), "{}", text(&stray.stderr));
    let nobody = session.xpmkit(&["call", "ClientV31_Add"]);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(text(&nobody.stderr).contains("needs a ClientAddRequestDto request body"), "{}", text(&nobody.stderr));
    assert_eq!(session.emulator().journal().count("ClientV31_GetByIdentifier"), sent);
    assert_eq!(session.emulator().journal().count("ClientV31_List"), 1);
}

#[test]
fn call_explains_a_scope_the_connection_lacks_and_a_missing_connection() {
    let session = Session::start();
    let nothing = session.xpmkit(&["call", "StaffV31_List"]);
    assert_eq!(nothing.status.code(), Some(5), "{}", text(&nothing.stderr));
    assert!(text(&nothing.stderr).contains("run `xpmkit connect` first"), "{}", text(&nothing.stderr));

    let connected = session.connect(&["--scopes", "openid offline_access practicemanager.staff.read"]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let staff = json(&session.xpmkit(&["call", "StaffV31_List"]));
    assert!(staff["staffList"].as_array().is_some_and(|staff| !staff.is_empty()), "{staff}");

    let clients = session.xpmkit(&["call", "ClientV31_List"]);
    assert_eq!(clients.status.code(), Some(5), "{}", text(&clients.stderr));
    let stderr = text(&clients.stderr);
    assert!(stderr.contains("needs one of the scopes [practicemanager "), "{stderr}");
    assert!(stderr.contains("hint: connect again asking for it as well"), "{stderr}");
    assert!(stderr.contains("practicemanager.staff.read practicemanager.client.read"), "{stderr}");
    assert_eq!(session.emulator().journal().count("ClientV31_List"), 0, "refused before sending");
}

/// `connections.json` is not authenticated; editing its issuer once sent the bearer and refresh
/// tokens to another host. The sealed record's binding stops the call before anything is sent.
#[test]
fn an_edited_connections_file_sends_nothing_elsewhere() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let file = session.data_dir.join("connections.json");
    let original = std::fs::read_to_string(&file).expect("connections.json");

    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").expect("a listener standing in for another host");
    elsewhere.set_nonblocking(true).expect("non-blocking");
    let attacker = format!("http://{}", elsewhere.local_addr().expect("address"));
    let edited = original.replace(&session.running.base_url(), &attacker);
    assert_ne!(edited, original);
    std::fs::write(&file, edited).expect("edit connections.json");
    for args in [&["call", "ClientV31_List"][..], &["disconnect"][..]] {
        let refused = session.xpmkit(args);
        assert_eq!(refused.status.code(), Some(5), "{args:?}: {}", text(&refused.stderr));
        let stderr = text(&refused.stderr);
        assert!(stderr.contains("nothing was sent") && stderr.contains("issuer"), "{stderr}");
    }
    assert!(elsewhere.accept().is_err(), "no connection reached the other host");

    // A practice the user never connected, added by hand, is refused by the client too.
    let tenant = session.emulator().tenants()[0].0.to_string();
    let foreign = "00000000-0000-4000-8000-000000000001";
    std::fs::write(&file, original.replace(&tenant, foreign)).expect("edit connections.json");
    let refused = session.xpmkit(&["call", "ClientV31_List"]);
    assert_eq!(refused.status.code(), Some(5), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("not authorised for practice"), "{}", text(&refused.stderr));
    assert_eq!(session.emulator().journal().count("ClientV31_List"), 0, "refused before sending");
}
