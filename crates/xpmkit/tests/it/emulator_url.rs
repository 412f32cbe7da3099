//! One setting, `XPMKIT_MOCK_URL` (or `--url`), tells every command where the emulator is.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use xpm_mock::config::{AppRegistration, LimitSettings, PracticeSeed, UNAPPROVED_CLIENT_ID};
use xpm_mock::{Emulator, EmulatorConfig};

use crate::text;

fn xpmkit_with_url(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xpmkit"));
    command.env("XPMKIT_MOCK_URL", url).env_remove("RUST_LOG").stdin(Stdio::null());
    command
}

#[test]
fn mock_approve_and_revoke_reach_the_emulator_named_by_the_environment() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the emulator");
    let config = EmulatorConfig {
        apps: vec![AppRegistration::demo(), AppRegistration::unapproved_demo()],
        practices: vec![PracticeSeed { name: "Url Practice".into(), clients: 5, seed: 3 }],
        limits: LimitSettings::OFF,
        ..EmulatorConfig::default()
    };
    let running = runtime.block_on(Emulator::new(config).spawn()).expect("the emulator starts");
    let base = running.base_url();

    let approved = xpmkit_with_url(&base)
        .args(["mock", "approve", UNAPPROVED_CLIENT_ID, "practicemanager.client.read"])
        .output()
        .expect("xpmkit runs");
    assert_eq!(approved.status.code(), Some(0), "{}", text(&approved.stderr));
    assert!(text(&approved.stdout).contains("practicemanager.client.read"), "{}", text(&approved.stdout));

    // `--url` still wins over the environment.
    let revoked = xpmkit_with_url("http://127.0.0.1:9")
        .args(["mock", "revoke", UNAPPROVED_CLIENT_ID, "practicemanager.client.read", "--url", &base])
        .output()
        .expect("xpmkit runs");
    assert_eq!(revoked.status.code(), Some(0), "{}", text(&revoked.stderr));
}

#[test]
fn the_emulator_listens_where_the_environment_says() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let mut child = xpmkit_with_url(&url)
        .args(["mock", "--clients", "5", "--limits", "off"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("xpmkit mock starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let first = BufReader::new(stdout).lines().next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains(&format!("listening on {url} ")), "{first}");
}
