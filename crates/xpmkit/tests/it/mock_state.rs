//! `xpmkit mock --state FILE`: a connection made with `xpmkit connect` keeps working through
//! `xpmkit call` after the emulator process is stopped (SIGTERM) and started again on its file.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use xpm_api::catalog::Scope;
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::call::{command, connect_to, free_port, json};
use crate::text;

/// Starts `xpmkit mock` on `port` with the state file, and waits for its banner.
fn start_mock(data_dir: &Path, port: u16, state: &Path) -> Child {
    let state = state.to_str().expect("a UTF-8 path");
    let args = ["--clients", "12", "--limits", "off", "--auto-consent", "--state", state];
    let (child, banner) = start_mock_with(data_dir, port, &args);
    assert!(banner.iter().any(|line| line.contains("state ")), "the banner names the state file: {banner:?}");
    child
}

/// Starts `xpmkit mock --port PORT ARGS…` and waits for its banner, which it returns.
pub(crate) fn start_mock_with(data_dir: &Path, port: u16, args: &[&str]) -> (Child, Vec<String>) {
    let port = port.to_string();
    let mut child = command(data_dir)
        .args(["mock", "--port", &port])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xpmkit mock starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("stdout is text");
        let ready = line.starts_with("Press Ctrl-C");
        banner.push(line);
        if ready {
            break;
        }
    }
    // Keep reading (and discarding) so the emulator never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, banner)
}

/// Registers `connect`'s loopback callback on `callback_port` with the demo app, as a developer
/// adds a redirect URI to their app.
pub(crate) fn register_callback(
    runtime: &tokio::runtime::Runtime,
    http: &reqwest::Client,
    base: &str,
    callback_port: u16,
) {
    let app = serde_json::json!({
        "clientId": DEMO_CLIENT_ID,
        "name": "xpmkit demo app",
        "clientSecret": DEMO_CLIENT_SECRET,
        "redirectUris": [format!("http://localhost:{callback_port}/callback")],
        "approvedScopes": Scope::ALL.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
    });
    let registered = runtime.block_on(http.post(format!("{base}/__admin/apps")).json(&app).send()).expect("admin");
    assert!(registered.status().is_success(), "{}", registered.status());
}

/// Stops the emulator as a terminal or a service manager would, and checks it saved and exited.
#[cfg(unix)]
pub(crate) fn stop_mock(child: Child) -> String {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success(), "kill -TERM failed");
    let output = child.wait_with_output().expect("the emulator exits");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("emulator stopped"), "{stderr}");
    stderr
}

#[cfg(unix)]
#[test]
fn a_connection_survives_an_emulator_restart_on_its_state_file() {
    let data_dir = std::env::temp_dir().join(format!("xpmkit-mock-state-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data_dir).expect("a data directory");
    let state = data_dir.join("emulator-state.json");
    let port = free_port();
    let callback_port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    // No pooled connections: the second emulator listens where the first one did.
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("an HTTP client");

    let mock = start_mock(&data_dir, port, &state);
    // `connect` listens on a free port; the emulator keeps the app's new redirect URI in its state file.
    register_callback(&runtime, &http, &base, callback_port);
    let connected = connect_to(&runtime, &data_dir, &base, callback_port, &[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    stop_mock(mock);

    let mock = start_mock(&data_dir, port, &state);
    // Past the access token's 30 minutes: `call` must refresh, with the refresh token the
    // restarted emulator read back from its file.
    let moved = http.post(format!("{base}/__admin/clock")).json(&serde_json::json!({"advanceSeconds": 1860}));
    assert!(runtime.block_on(moved.send()).expect("admin clock").status().is_success());
    let staff = command(&data_dir).env("XPMKIT_MOCK_URL", &base).args(["call", "StaffV31_List"]).output();
    let staff = json(&staff.expect("xpmkit runs"));
    assert!(staff["staffList"].as_array().is_some_and(|staff| !staff.is_empty()), "{staff}");
    let stderr = stop_mock(mock);
    assert!(!stderr.contains("note:"), "the same options raise no note: {stderr}");

    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&state).expect("the state file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn a_damaged_state_file_is_named_and_left_alone() {
    let data_dir = std::env::temp_dir().join(format!("xpmkit-mock-state-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data_dir).expect("a data directory");
    let state = data_dir.join("emulator-state.json");
    std::fs::write(&state, b"{\"format_version\": 1, \"practices\": [").expect("a damaged file");
    let output = command(&data_dir)
        .args(["mock", "--port", "0", "--state", state.to_str().expect("a UTF-8 path")])
        .output()
        .expect("xpmkit runs");
    let stderr = text(&output.stderr);
    let left = std::fs::read(&state).expect("the file is still there");
    let _ = std::fs::remove_dir_all(&data_dir);
    assert_eq!(left, b"{\"format_version\": 1, \"practices\": [", "a file that failed to load is left as it was");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("emulator-state.json is damaged") && stderr.contains("move it aside"), "{stderr}");
}
