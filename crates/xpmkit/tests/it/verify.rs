//! `xpmkit verify` end to end: against the emulator every check passes and the run is kept in
//! the store; against an emulator started with `mock --profile`, the differences are reported
//! with the settings that match them, and the profile verify writes back says the same.

use std::path::Path;

use xpm_mock::EmulatorProfile;
use xpm_store::{DatabaseLocation, Store};

use crate::call::{Session, command, connect_to, free_port};
use crate::mock_state::{register_callback, start_mock_with, stop_mock};
use crate::text;

fn latest_run(data_dir: &Path, profile: &str) -> (u64, u64, Option<String>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = Store::open_location(DatabaseLocation::default_in(data_dir)).await.expect("store");
        let run = store.latest_verify_run(profile).await.expect("read").expect("a recorded run");
        store.close().await;
        (run.passed, run.failed, run.report_path)
    })
}

#[test]
fn every_check_passes_against_the_emulator_and_the_run_is_kept() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let dir = &session.data_dir;
    let report = dir.join("verify.md");
    let output =
        command(dir).args(["verify", "--profile", "mock", "--out"]).arg(&report).output().expect("xpmkit runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let said_count = stderr.find("verify: at most").expect("the call count is said");
    assert!(said_count < stderr.find("passed").expect("the summary"), "the count comes first: {stderr}");
    let written = std::fs::read_to_string(&report).expect("the report");
    assert!(written.contains("None: the xpmkit emulator behaved as the emulator assumes"), "{written}");
    let (passed, failed, path) = latest_run(dir, "mock");
    assert!(passed > 40 && failed == 0, "{passed} passed, {failed} failed");
    assert_eq!(path.as_deref(), report.to_str());

    let plan = command(dir).args(["verify", "--profile", "mock", "--plan"]).output().expect("xpmkit runs");
    assert_eq!(plan.status.code(), Some(0));
    assert!(text(&plan.stdout).starts_with("verify would make at most "), "{}", text(&plan.stdout));
}

#[cfg(unix)]
#[test]
fn a_profiled_emulator_differs_where_its_profile_says_and_verify_writes_the_profile_back() {
    let data_dir = std::env::temp_dir().join(format!("xpmkit-verify-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data_dir).expect("a data directory");
    let given = data_dir.join("given-profile.json");
    let profile =
        r#"{"version": 1, "strict_rejects_mismatch": false, "xml_errors_as_200": ["ClientV31_GetByIdentifier"]}"#;
    std::fs::write(&given, profile).expect("profile");
    let (port, callback_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let http = reqwest::Client::new();
    let args = ["--clients", "12", "--limits", "off", "--auto-consent", "--profile", given.to_str().expect("UTF-8")];
    let (mock, banner) = start_mock_with(&data_dir, port, &args);
    assert!(banner.iter().any(|line| line.contains("XML errors answered with HTTP 200")), "{banner:?}");
    register_callback(&runtime, &http, &base, callback_port);
    let connected = connect_to(&runtime, &data_dir, &base, callback_port, &[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));

    let observed = data_dir.join("observed-profile.json");
    let recordings = data_dir.join("recorded");
    let output = command(&data_dir)
        .env("XPMKIT_MOCK_URL", &base)
        .args(["verify", "--profile", "mock", "--emulator-profile"])
        .arg(&observed)
        .arg("--record")
        .arg(&recordings)
        .output()
        .expect("xpmkit runs");
    stop_mock(mock);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(6), "differences need attention: {stderr}");
    assert!(stderr.contains("2 difference(s) between the emulator and what the emulator assumes"), "{stderr}");
    assert!(stdout.contains("### content.strict-mismatch"), "{stdout}");
    assert!(stdout.contains("`ContentSettings.strict_rejects_mismatch = false (profile: strict_rejects_mismatch)`"));
    assert!(
        stdout.contains("### error.unknown-id") && stdout.contains("xml_errors_as_200 += ClientV31_GetByIdentifier")
    );

    let written = EmulatorProfile::load(&observed).expect("a profile");
    assert_eq!(written.strict_rejects_mismatch, Some(false));
    let as_200 = written.xml_errors_as_200.expect("error shapes observed");
    assert_eq!(as_200.into_iter().collect::<Vec<_>>(), ["ClientV31_GetByIdentifier"]);
    assert!(recordings.join("index.json").is_file());
    assert_eq!(latest_run(&data_dir, "mock").1, 2);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn a_bad_emulator_profile_stops_the_emulator_naming_the_field_and_the_fix() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let profile = dir.path().join("profile.json");
    std::fs::write(&profile, r#"{"version": 1, "calls_per_day": "many"}"#).expect("profile");
    let output =
        command(dir.path()).args(["mock", "--port", "0", "--profile"]).arg(&profile).output().expect("xpmkit runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not an emulator profile: at `calls_per_day`"), "{stderr}");
    assert!(stderr.contains("xpmkit verify --emulator-profile"), "{stderr}");
}
