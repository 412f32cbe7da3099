//! The CLI and the emulator log through `tracing` on standard error: off by default, `RUST_LOG`
//! honoured, `-v` for a call's attempts and waits; and no token, secret or key ever reaches it.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use xpm_client::token_store::{ConnectionId, EncryptedFileStore, KeyResolver, TokenStore as _};
use xpm_mock::config::DEMO_CLIENT_SECRET;

use crate::text;

/// `xpmkit mock` in a child process, its standard error collected by a thread.
struct MockProcess {
    child: Child,
    base: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl MockProcess {
    fn start(rust_log: &str) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xpmkit"))
            .args(["mock", "--port", "0", "--clients", "5", "--auto-consent"])
            .env("RUST_LOG", rust_log)
            .env_remove("XPMKIT_MOCK_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("xpmkit mock starts");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::spawn(move || {
            let mut collected = String::new();
            let _ = stderr.read_to_string(&mut collected);
            collected
        });
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let banner = lines.next().and_then(Result::ok).unwrap_or_default();
        // Keep reading, so the rest of the banner has somewhere to go.
        std::thread::spawn(move || lines.for_each(drop));
        let base = banner
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_else(|| panic!("no URL in the banner: {banner}"))
            .to_owned();
        MockProcess { child, base, stderr: Some(stderr) }
    }

    /// Stops the emulator and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr.take().and_then(|thread| thread.join().ok()).unwrap_or_default()
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn xpmkit(data_dir: &Path, base: &str, rust_log: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xpmkit"));
    command
        .env("XPMKIT_DATA_DIR", data_dir)
        .env("XPMKIT_MOCK_URL", base)
        .env_remove("XPMKIT_MASTER_KEY")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    if let Some(rust_log) = rust_log {
        command.env("RUST_LOG", rust_log);
    }
    command
}

/// Registers a loopback port with the demo app, then connects through it as a browser would.
fn connect(data_dir: &Path, base: &str) -> Output {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let registration = serde_json::json!({
        "clientId": "xpmkit-demo",
        "clientSecret": DEMO_CLIENT_SECRET,
        "redirectUris": [format!("http://localhost:{port}/callback")],
        "approvedScopes": ["practicemanager"],
    });
    let registered = runtime.block_on(async {
        reqwest::Client::new().post(format!("{base}/__admin/apps")).json(&registration).send().await
    });
    let status = registered.map(|response| response.status());
    assert!(status.as_ref().is_ok_and(reqwest::StatusCode::is_success), "registering the demo app: {status:?}");

    let port = port.to_string();
    let mut child = xpmkit(data_dir, base, Some("trace"))
        .args(["connect", "--profile", "mock", "--no-browser", "--port", &port, "--scopes"])
        .arg("openid profile email offline_access practicemanager")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xpmkit connect starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.expect("stderr is text");
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("http") {
            let page = runtime.block_on(async { reqwest::get(&line).await?.text().await });
            assert!(page.is_ok_and(|page| page.contains("xpmkit is connected")), "{printed}");
            break;
        }
    }
    for line in lines {
        printed.push_str(&line.unwrap_or_default());
        printed.push('\n');
    }
    let mut output = child.wait_with_output().expect("connect finishes");
    output.stderr = printed.into_bytes();
    output
}

/// Every secret the run handled: the demo app's secret, the master key, and the tokens stored.
fn secrets(data_dir: &Path) -> Vec<String> {
    let loaded = KeyResolver::new(data_dir).resolve().expect("the master key file");
    let mut secrets = vec![DEMO_CLIENT_SECRET.to_owned(), loaded.key.to_base64().to_string()];
    let connections: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data_dir.join("connections.json")).expect("connections.json"))
            .expect("JSON");
    let store = EncryptedFileStore::open(data_dir, loaded.key).expect("the token store");
    for connection in connections.as_array().expect("an array") {
        let id: uuid::Uuid = connection["connection_id"].as_str().and_then(|id| id.parse().ok()).expect("an id");
        let tokens = store.load(ConnectionId(id)).expect("readable").expect("stored");
        secrets.push(tokens.access_token.secret().to_owned());
        secrets.extend(tokens.refresh_token.map(|token| token.secret().to_owned()));
    }
    secrets
}

fn assert_no_secret(secrets: &[String], text: &str, what: &str) {
    for secret in secrets {
        let tail = &secret[secret.len().saturating_sub(24)..];
        assert!(!text.contains(secret.as_str()) && !text.contains(tail), "a secret appears in {what}");
    }
    // Every JWT (access token, id_token) starts with the base64 of `{"`.
    assert!(!text.contains("eyJ"), "a JWT appears in {what}");
}

#[test]
fn rust_log_shows_the_cli_and_the_emulator_at_work_without_a_secret() {
    let data_dir: PathBuf = std::env::temp_dir().join(format!("xpmkit-logs-test-{}", uuid::Uuid::new_v4()));
    let mock = MockProcess::start("trace");
    let base = mock.base.clone();

    let connected = connect(&data_dir, &base);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let mut secrets = secrets(&data_dir);

    let quiet = xpmkit(&data_dir, &base, None).args(["call", "StaffV31_List"]).output().expect("xpmkit runs");
    assert_eq!(quiet.status.code(), Some(0), "{}", text(&quiet.stderr));
    assert!(quiet.stderr.is_empty(), "the log is off by default: {}", text(&quiet.stderr));

    // The emulator's clock jumps past the token's life: the call meets a 401 and refreshes.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let advanced = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{base}/__admin/clock"))
            .json(&serde_json::json!({ "advanceSeconds": 1860 }))
            .send()
            .await
    });
    assert!(advanced.is_ok_and(|response| response.status().is_success()));
    let traced = xpmkit(&data_dir, &base, Some("trace")).args(["call", "StaffV31_List"]).output().expect("runs");
    assert_eq!(traced.status.code(), Some(0), "{}", text(&traced.stderr));
    secrets.extend(self::secrets(&data_dir));
    let call_log = text(&traced.stderr);
    assert!(call_log.contains("xpm call") && call_log.contains("status=401"), "{call_log}");
    assert!(call_log.contains("access token refreshed"), "{call_log}");

    let emulator_log = mock.stop();
    assert!(emulator_log.contains("consent given"), "{emulator_log}");
    let _ = std::fs::remove_dir_all(&data_dir);
    let outputs = [
        (text(&connected.stderr), "connect's log"),
        (text(&connected.stdout), "connect's output"),
        (call_log, "call's log"),
        (emulator_log, "the emulator's log"),
    ];
    for (output, what) in &outputs {
        assert_no_secret(&secrets, output, what);
    }
}

#[test]
fn verbose_calls_show_each_attempt_and_why_they_wait() {
    let data_dir: PathBuf = std::env::temp_dir().join(format!("xpmkit-verbose-test-{}", uuid::Uuid::new_v4()));
    let mock = MockProcess::start("off");
    let base = mock.base.clone();
    let connected = connect(&data_dir, &base);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let fault = serde_json::json!({
        "matches": "StaffV31_List",
        "fault": { "kind": "too_many_requests", "retry_after": 1 },
        "times": 1,
    });
    let added = runtime
        .block_on(async { reqwest::Client::new().post(format!("{base}/__admin/faults")).json(&fault).send().await });
    assert!(added.is_ok_and(|response| response.status().is_success()));

    let verbose = xpmkit(&data_dir, &base, None).args(["call", "-v", "StaffV31_List"]).output().expect("runs");
    let _ = mock.stop();
    let _ = std::fs::remove_dir_all(&data_dir);
    assert_eq!(verbose.status.code(), Some(0), "{}", text(&verbose.stderr));
    let log = text(&verbose.stderr);
    let attempts: Vec<&str> = log.lines().filter(|line| line.starts_with("xpm call")).collect();
    assert_eq!(attempts.len(), 2, "{log}");
    assert!(attempts[0].contains("status=429") && attempts[0].contains("attempt=1"), "{log}");
    assert!(attempts[1].contains("status=200") && attempts[1].contains("minute_remaining="), "{log}");
    assert!(log.contains("429 from xero") && log.contains("retry_after_s=1"), "{log}");
    assert!(
        log.contains("waiting for the rate limit") && log.contains("the Retry-After of a 429 for the practice"),
        "{log}"
    );
}
