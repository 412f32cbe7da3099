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
pub(crate) struct Session {
    pub(crate) runtime: tokio::runtime::Runtime,
    running: Option<RunningEmulator>,
    /// The emulator started afresh by [`restart_emulator`](Self::restart_emulator), if it was.
    restarted: Option<Emulator>,
    config: EmulatorConfig,
    pub(crate) data_dir: PathBuf,
    /// The loopback port `connect` listens on, registered with both demo apps.
    pub(crate) port: u16,
    /// The emulator's base URL, kept once it is stopped.
    pub(crate) base: String,
}

impl Session {
    pub(crate) fn start() -> Session {
        Self::start_with_clients(CLIENTS)
    }

    /// [`start`](Self::start) with `clients` clients in the practice.
    pub(crate) fn start_with_clients(clients: usize) -> Session {
        Self::start_with(vec![PracticeSeed { name: "Call Practice".into(), clients, seed: 11 }], LimitSettings::OFF)
    }

    /// [`start`](Self::start) with these practices and rate limits.
    pub(crate) fn start_with(practices: Vec<PracticeSeed>, limits: LimitSettings) -> Session {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the emulator");
        let port = free_port();
        let mut app = AppRegistration::demo();
        app.redirect_uris.push(format!("http://localhost:{port}/callback"));
        let mut unapproved = AppRegistration::unapproved_demo();
        unapproved.redirect_uris.push(format!("http://localhost:{port}/callback"));
        let config = EmulatorConfig {
            apps: vec![app, unapproved],
            practices,
            limits,
            auto_consent: true,
            ..EmulatorConfig::default()
        };
        let running = runtime.block_on(Emulator::new(config.clone()).spawn()).expect("the emulator starts");
        let data_dir = std::env::temp_dir().join(format!("xpmkit-call-test-{}", uuid::Uuid::new_v4()));
        let base = running.base_url();
        Session { runtime, running: Some(running), restarted: None, config, data_dir, port, base }
    }

    /// Runs `xpmkit` with this session's data directory (and no master key from the environment).
    pub(crate) fn xpmkit(&self, args: &[&str]) -> Output {
        command(&self.data_dir).args(args).output().expect("xpmkit runs")
    }

    /// Runs `xpmkit` as [`xpmkit`](Self::xpmkit) does, told where the emulator is by
    /// `XPMKIT_MOCK_URL`.
    pub(crate) fn xpmkit_at_emulator(&self, args: &[&str]) -> Output {
        command(&self.data_dir).env("XPMKIT_MOCK_URL", &self.base).args(args).output().expect("xpmkit runs")
    }

    /// Stops the emulator and starts a fresh one at the same address: as `xpmkit mock` restarted,
    /// it has forgotten every grant and token.
    pub(crate) fn restart_emulator(&mut self) {
        self.stop_emulator();
        let address = self.base.trim_start_matches("http://").to_owned();
        let emulator = Emulator::new(self.config.clone());
        let listener = self.runtime.block_on(tokio::net::TcpListener::bind(address)).expect("the same address again");
        self.runtime.spawn(emulator.clone().serve(listener, std::future::pending()));
        self.restarted = Some(emulator);
    }

    /// Stops the emulator and waits until its port refuses connections.
    pub(crate) fn stop_emulator(&mut self) {
        drop(self.running.take());
        let address = self.base.trim_start_matches("http://").to_owned();
        for _ in 0..100 {
            if std::net::TcpStream::connect(&address).is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("the emulator at {address} still accepts connections");
    }

    /// `xpmkit connect --profile mock --no-browser`, following the printed URL as a browser would.
    pub(crate) fn connect(&self, extra: &[&str]) -> Output {
        connect_to(&self.runtime, &self.data_dir, &self.base, self.port, extra)
    }

    pub(crate) fn emulator(&self) -> &Emulator {
        match (&self.running, &self.restarted) {
            (Some(running), _) => running.emulator(),
            (None, Some(restarted)) => restarted,
            (None, None) => panic!("the emulator was stopped"),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

pub(crate) fn command(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xpmkit"));
    command
        .env("XPMKIT_DATA_DIR", data_dir)
        .env_remove("XPMKIT_MASTER_KEY")
        .env_remove("XPMKIT_MOCK_URL")
        .env_remove("XPMKIT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    command
}

/// `xpmkit connect --profile mock --no-browser` into `data_dir`, against the emulator at `base`
/// (told by `XPMKIT_MOCK_URL`), following the printed URL as a browser would.
pub(crate) fn connect_to(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    base: &str,
    port: u16,
    extra: &[&str],
) -> Output {
    let port = port.to_string();
    let mut args = vec!["connect", "--profile", "mock", "--no-browser", "--port", &port];
    args.extend(["--timeout", "30"]);
    args.extend(extra);
    let mut child = command(data_dir)
        .env("XPMKIT_MOCK_URL", base)
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
    let page = runtime.block_on(async { reqwest::get(&url).await?.text().await }).expect("the browser");
    assert!(page.contains("xpmkit is connected"), "{page}");
    child.wait_with_output().expect("connect finishes")
}

pub(crate) fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

pub(crate) fn json(output: &Output) -> serde_json::Value {
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

#[test]
fn a_json_body_with_an_unknown_key_is_refused_in_json_words() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let body = session.data_dir.join("client.json");
    let path = body.to_str().expect("utf-8 path");

    std::fs::write(&body, r#"{"name": "Stray Key Ltd", "bogus": 1}"#).expect("a body file");
    let refused = session.xpmkit(&["call", "ClientV31_Add", "--body", path]);
    assert_eq!(refused.status.code(), Some(4), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("unknown key `bogus` at line 1, column"), "{stderr}");

    std::fs::write(&body, "{\n  \"Name\": \"Capital Ltd\"\n}").expect("a body file");
    let refused = session.xpmkit(&["call", "ClientV31_Add", "--body", path]);
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("unknown key `Name`; did you mean `name`? at line 2, column"), "{stderr}");
    assert!(!stderr.contains("element"), "{stderr}");

    std::fs::write(&body, r#"{"email": "no-name@example.com"}"#).expect("a body file");
    let refused = session.xpmkit(&["call", "ClientV31_Add", "--body", path]);
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("missing key `name`"), "{stderr}");
    assert!(!stderr.contains("element"), "{stderr}");
    let added = session.emulator().journal().count("ClientV31_Add");
    assert_eq!(added, 3, "each refused by the emulator, none added");
}

/// The files the token store keeps (sealed records and lock files).
fn token_files(data_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir.join("tokens"))
        .map(|entries| {
            entries.filter_map(Result::ok).map(|entry| entry.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn signing_in_again_replaces_the_connection_and_a_gone_server_can_be_forgotten_locally() {
    let mut session = Session::start();
    let first = session.connect(&[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    // A refresh takes the connection's lock file.
    session.emulator().clock().advance(chrono::Duration::minutes(31));
    let refreshed = session.xpmkit(&["call", "StaffV31_List"]);
    assert_eq!(refreshed.status.code(), Some(0), "{}", text(&refreshed.stderr));
    assert!(token_files(&session.data_dir).iter().any(|name| name.ends_with(".lock")), "a lock file");

    let again = session.connect(&[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("replaced connection "), "{}", text(&again.stdout));
    let tenants = json(&session.xpmkit(&["tenants", "--json"]));
    let connections = tenants.as_array().expect("an array");
    assert_eq!(connections.len(), 1, "{tenants}");
    let id = connections[0]["connection_id"].as_str().expect("an id").to_owned();
    assert_eq!(token_files(&session.data_dir), [format!("{id}.sealed")], "the stale connection left nothing");

    session.stop_emulator();
    let refused = session.xpmkit(&["disconnect"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("nothing was forgotten") && stderr.contains("--local` forgets it here"), "{stderr}");
    assert!(stderr.contains("is the emulator running?"), "{stderr}");

    let forgotten = session.xpmkit(&["disconnect", &id[..8], "--local"]);
    assert_eq!(forgotten.status.code(), Some(0), "{}", text(&forgotten.stderr));
    assert!(token_files(&session.data_dir).is_empty(), "{:?}", token_files(&session.data_dir));
    let tenants = json(&session.xpmkit(&["tenants", "--json"]));
    assert_eq!(tenants.as_array().map(Vec::len), Some(0), "{tenants}");
}

#[test]
fn call_all_follows_tokens_page_numbers_and_date_windows() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));

    let all = json(&session.xpmkit(&["call", "ClientV31_PagedList", "--all", "-p", "pageSize=7"]));
    let clients = all.as_array().expect("one JSON array");
    let pages = session.emulator().journal().count("ClientV31_PagedList");
    assert!(clients.len() > 7 && pages == clients.len().div_ceil(7), "{} clients in {pages} pages", clients.len());
    let mut uuids: Vec<&str> = clients.iter().filter_map(|client| client["uuid"].as_str()).collect();
    uuids.sort_unstable();
    uuids.dedup();
    assert_eq!(uuids.len(), clients.len(), "each client once");

    let lines = session.xpmkit(&["call", "ClientV31_PagedList", "--all", "--jsonl", "-p", "pageSize=7"]);
    assert_eq!(lines.status.code(), Some(0), "{}", text(&lines.stderr));
    let lines: Vec<serde_json::Value> =
        text(&lines.stdout).lines().map(|line| serde_json::from_str(line).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), clients.len());

    // Seven years of jobs: XPM takes windows under a year, so seven calls.
    let jobs = json(&session.xpmkit(&["call", "JobV31_List", "--all", "-p", "from=20200101", "-p", "to=20261231"]));
    assert!(jobs.as_array().is_some(), "{jobs}");
    assert_eq!(session.emulator().journal().count("JobV31_List"), 7);

    // Page numbers until an empty page; `page` is --all's to give.
    let costs = json(&session.xpmkit(&["call", "CostV31_List", "--all"]));
    let costs = costs.as_array().expect("one JSON array");
    assert!(!costs.is_empty());
    assert!(session.emulator().journal().count("CostV31_List") >= 2, "ends on an empty page");

    let write = session.xpmkit(&["call", "ClientV31_Add", "--all"]);
    assert_eq!(write.status.code(), Some(2));
    assert!(text(&write.stderr).contains("--all fetches every page of a list"), "{}", text(&write.stderr));
}

#[test]
fn after_an_emulator_restart_signing_in_again_leaves_one_working_connection() {
    let mut session = Session::start();
    let first = session.connect(&[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    session.restart_emulator();
    // The access token expires; the restarted emulator does not know the refresh token.
    session.emulator().clock().advance(chrono::Duration::minutes(31));
    let stale = session.xpmkit(&["call", "StaffV31_List"]);
    assert_eq!(stale.status.code(), Some(5), "{}", text(&stale.stderr));
    let stderr = text(&stale.stderr);
    assert!(stderr.contains("needs to be authorised again"), "{stderr}");
    assert!(stderr.contains("a restart ends every connection; signing in again replaces this one"), "{stderr}");

    let again = session.connect(&[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    let tenants = json(&session.xpmkit(&["tenants", "--json"]));
    assert_eq!(tenants.as_array().map(Vec::len), Some(1), "{tenants}");
    let staff = json(&session.xpmkit(&["call", "StaffV31_List"]));
    assert!(staff["staffList"].as_array().is_some_and(|staff| !staff.is_empty()), "{staff}");
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
    let edited = original.replace(&session.base, &attacker);
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
