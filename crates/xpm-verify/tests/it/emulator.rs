//! `xpm_verify::Suite` against emulators.

use std::collections::BTreeSet;

use xpm_client::clock::SystemClock;
use xpm_client::config::Endpoints;
use xpm_client::testing::EmulatorSession;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, EmulatorProfile};
use xpm_verify::{Outcome, ServerKind, Suite, Target, Verification};

async fn session(config: EmulatorConfig, scopes: &[&str]) -> EmulatorSession {
    EmulatorSession::sign_in(Emulator::new(config), scopes, &SystemClock).await.expect("sign in")
}

/// Xero's limits but for the minute: the suite's ~64 calls would otherwise wait a minute for
/// the window (the pacing has its own unit test).
fn config() -> EmulatorConfig {
    let limits = LimitSettings { per_minute: 600, ..LimitSettings::XERO };
    EmulatorSession::config(PracticeSeed { clients: 60, ..PracticeSeed::default() }, limits)
}

fn suite<'a>(client: &'a xpm_client::XpmClient, session: &EmulatorSession) -> Suite<'a> {
    let endpoints = Endpoints::emulator(&session.running.base_url());
    Suite::new(client, Target::new(ServerKind::Mock, &endpoints, session.tenant)).calls_per_minute(500)
}

async fn verify(session: &EmulatorSession) -> Verification {
    let client = session.client().build().expect("client");
    suite(&client, session).run().await.expect("the suite runs")
}

fn problems(run: &Verification) -> Vec<String> {
    run.findings.iter().filter(|finding| finding.is_problem()).map(|finding| format!("{finding:?}")).collect()
}

fn outcome<'a>(run: &'a Verification, check: &str) -> &'a Outcome {
    &run.findings.iter().find(|finding| finding.check == check).unwrap_or_else(|| panic!("no check {check}")).outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_check_passes_against_the_emulator() {
    let session = session(config(), &["practicemanager"]).await;
    let client = session.client().build().expect("client");
    let suite = suite(&client, &session);
    let planned = suite.planned_calls().await.expect("planned");
    let run = suite.run().await.expect("the suite runs");

    assert_eq!(problems(&run), Vec::<String>::new(), "{}", run.to_markdown());
    assert!(run.calls <= planned && run.calls + 3 >= planned, "{} calls, {planned} planned", run.calls);
    // Every read operation of the spec the broad scope allows was called and decoded.
    let reads = run.findings.iter().filter(|finding| finding.check.starts_with("read.")).collect::<Vec<_>>();
    assert_eq!(reads.len(), 47, "one read check per GET operation the broad scope grants");
    let skipped: Vec<&str> =
        reads.iter().filter(|f| matches!(f.outcome, Outcome::Skipped { .. })).map(|f| f.check.as_str()).collect();
    assert!(skipped.len() <= 3, "too many reads lacked an id to use: {skipped:?}");
    for check in [
        "identity.connections",
        "identity.scopes",
        "identity.token-lifetime",
        "identity.issuer",
        "content.xml-default",
        "content.json-strict",
        "content.json-needs-feature",
        "content.strict-mismatch",
        "paging.default-size",
        "paging.tokens",
        "paging.size-limit",
        "window.modifiedsince-future",
        "window.modifiedsince-spelling",
        "window.over-a-year",
        "window.missing-to",
        "error.unknown-id",
        "error.bad-parameter",
        "error.unknown-tenant",
        "scopes.job-staff",
        "limits.headers",
        "limits.tenant-less",
    ] {
        assert!(matches!(outcome(&run, check), Outcome::Pass { .. }), "{check}: {:?}", outcome(&run, check));
    }
    // The observed behaviours are the emulator's defaults.
    let profile = &run.profile;
    assert_eq!(profile.strict_rejects_mismatch, Some(true));
    assert_eq!(profile.xml_errors_as_200, Some(BTreeSet::new()));
    assert_eq!(profile.job_staff_accepts_broad_scopes, Some(false));
    assert_eq!(profile.calls_per_day, Some(5_000));
    assert_eq!(profile.access_token_seconds, Some(1_800));
    let report = run.to_markdown();
    assert!(report.contains("None: the xpmkit emulator behaved as the emulator assumes"), "{report}");
    let json = serde_json::to_value(&run).expect("the run as JSON (`xpmkit verify --json`)");
    assert_eq!((json["kind"].as_str(), json["profile"]["calls_per_day"].as_u64()), (Some("mock"), Some(5_000)));
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(run.findings.len()));
    assert!(report.contains(&format!("calls: {}", run.calls)), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_scopes_check_the_missing_scope_answer_and_skip_what_they_cannot_read() {
    let session = session(config(), &["practicemanager.client.read", "practicemanager.staff.read"]).await;
    let run = verify(&session).await;
    assert_eq!(problems(&run), Vec::<String>::new(), "{}", run.to_markdown());
    assert!(matches!(outcome(&run, "error.missing-scope"), Outcome::Pass { .. }));
    assert!(matches!(outcome(&run, "window.over-a-year"), Outcome::Skipped { .. }));
    assert!(matches!(outcome(&run, "scopes.job-staff"), Outcome::Skipped { .. }));
    assert!(!run.findings.iter().any(|finding| finding.check == "read.JobV31_Current"), "job reads are not granted");
    assert!(run.calls <= run.planned_calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn differences_name_the_setting_and_the_profile_reproduces_them() {
    let mut different = config();
    different.content.strict_rejects_mismatch = false;
    different.content.xml_errors_as_200 = ["*".to_owned()].into();
    different.job_staff_accepts_broad_scopes = true;
    let session = session(different, &["practicemanager"]).await;
    let run = verify(&session).await;

    for check in
        ["content.strict-mismatch", "error.unknown-id", "error.bad-parameter", "window.over-a-year", "scopes.job-staff"]
    {
        let Outcome::Differs(divergence) = outcome(&run, check) else {
            panic!("{check} should differ: {:?}", outcome(&run, check));
        };
        assert!(divergence.setting.is_some(), "{check} names no setting: {divergence:?}");
        assert!(divergence.request.starts_with("GET /practicemanager/3.1/"), "{divergence:?}");
    }
    let report = run.to_markdown();
    assert!(report.contains("ContentSettings.strict_rejects_mismatch = false"), "{report}");
    assert!(report.contains("job_staff_accepts_broad_scopes = true"), "{report}");
    let profile = run.profile.clone();
    assert_eq!(profile.strict_rejects_mismatch, Some(false));
    assert_eq!(profile.job_staff_accepts_broad_scopes, Some(true));
    let as_200 = profile.xml_errors_as_200.clone().expect("error shapes observed");
    assert!(as_200.contains("ClientV31_GetByIdentifier") && as_200.contains("JobV31_List"), "{as_200:?}");

    // The profile, written and read back, makes a default emulator behave the same.
    let text = profile.to_json();
    let read = EmulatorProfile::parse(&text, std::path::Path::new("profile.json")).expect("profile parses");
    let mut reproduced = config();
    assert!(!read.apply(&mut reproduced).is_empty());
    let again = verify(&session_with(reproduced).await).await;
    let strip = |mut profile: EmulatorProfile| {
        profile.observed = None;
        profile
    };
    assert_eq!(strip(again.profile.clone()), strip(profile));
    let checks = |run: &Verification| {
        run.findings
            .iter()
            .filter(|finding| finding.is_problem())
            .map(|finding| finding.check.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(checks(&again), checks(&run));
}

async fn session_with(config: EmulatorConfig) -> EmulatorSession {
    session(config, &["practicemanager"]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_mask_personal_data_and_hold_no_token() {
    let session = session(config(), &["practicemanager"]).await;
    let client = session.client().build().expect("client");
    let dir = tempfile::tempdir().expect("temporary directory");
    let suite = suite(&client, &session).record(dir.path()).expect("recorder");
    let run = suite.run().await.expect("the suite runs");
    let (_, saved) = run.recorded.clone().expect("recorded");
    assert_eq!(saved, run.calls as usize);

    let staff = client.staff(session.tenant).list().send().await.expect("staff");
    let names: Vec<String> =
        staff.iter().filter_map(|member| member.name.clone()).filter(|name| name.len() > 3).collect();
    assert!(!names.is_empty());
    let access_token = session.tokens.access_token.secret().to_owned();
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).expect("listing") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("text");
        files += 1;
        assert!(!text.contains(&access_token), "{} holds the access token", path.display());
        for name in &names {
            let at = text.find(name.as_str()).map(|at| &text[at.saturating_sub(80)..(at + 40).min(text.len())]);
            assert!(at.is_none(), "{} holds the name {name}: {at:?}", path.display());
        }
    }
    assert_eq!(files, saved + 1, "one file per answer and the index");
    // A recorded list still decodes strictly: the masks keep each field's form.
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).expect("index")).expect("json");
    let staff_list = index
        .as_array()
        .and_then(|entries| entries.iter().find(|entry| entry["check"] == "read.StaffV31_List"))
        .and_then(|entry| entry["file"].as_str())
        .expect("the staff list was recorded");
    let body = std::fs::read(dir.path().join(staff_list)).expect("body");
    let decoded = xpm_api::response::XmlList::<_, xpm_api::model::Staff>::new(&body[..]).collect_all();
    assert_eq!(decoded.expect("decodes").0.len(), staff.len());
}
