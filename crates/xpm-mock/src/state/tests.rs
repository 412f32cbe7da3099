//! The state file round-trips everything it keeps, refuses what it cannot read without touching
//! it, and never shows its secrets.

use std::path::Path;

use chrono::DateTime;
use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::config::{AppRegistration, PracticeSeed, SigningKeyChoice};
use crate::practice::{Directory, Practice, Work};

fn config(clients: usize) -> EmulatorConfig {
    EmulatorConfig {
        practices: vec![PracticeSeed { name: "Saved".into(), clients, seed: 7 }],
        signing_key: SigningKeyChoice::Generated,
        ..EmulatorConfig::default()
    }
}

fn clock() -> Clock {
    Clock::manual(DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default())
}

/// Everything a practice holds, as the file writes it (maps in key order): equal values, equal
/// practices.
fn practice_value(practice: &Practice) -> serde_json::Value {
    serde_json::to_value(practice).expect("encodes")
}

fn assert_same_practice(left: &Practice, right: &Practice) {
    assert_eq!(left.directory.client_count(), right.directory.client_count());
    assert_eq!(left.work.job_count(), right.work.job_count());
    assert_eq!(left.work.time_count(), right.work.time_count());
    // Not `assert_eq!`: a practice printed whole would bury the report.
    assert!(practice_value(left) == practice_value(right), "the practice changed on its way through the file");
}

#[test]
fn a_generated_practice_survives_the_file_unchanged() {
    let seed = PracticeSeed { name: "Round trip".into(), clients: 300, seed: 2026 };
    let mut random = ChaCha8Rng::seed_from_u64(seed.seed);
    let directory = Directory::generate(&seed, &mut random);
    let work = Work::generate(&seed, &directory, &mut random);
    let practice = Practice { tenant_id: uuid::Uuid::from_u128(9), name: seed.name, directory, work };
    assert!(practice.work.time_count() > 100 && practice.work.job_count() > 10, "a practice with plenty in it");
    let json = serde_json::to_vec(&practice).expect("encodes");
    let back: Practice = serde_json::from_slice(&json).expect("decodes");
    assert_same_practice(&back, &practice);
}

#[test]
fn an_emulator_reopened_on_its_file_has_the_same_practices_apps_and_key() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    let (first, origin) = open(config(20), clock(), &path).expect("creates");
    assert_eq!(origin, StateOrigin::Created);
    first.clock.advance(chrono::Duration::minutes(5));
    first.save_state().expect("saves");
    let tenants = first.practices.tenants();
    let practices: Vec<serde_json::Value> =
        first.practices.each().iter().map(|practice| practice_value(&practice.read())).collect();
    let (fingerprint, now, apps) = (first.identity.fingerprint(), first.clock.now(), first.identity.apps());
    // The first emulator lets go of the file (and its lock) before the second takes it up.
    drop(first);

    let (second, origin) = open(config(20), Clock::system(), &path).expect("loads");
    assert_eq!(origin, StateOrigin::Loaded { overridden: Vec::new() });
    assert_eq!(second.practices.tenants(), tenants);
    let reloaded: Vec<serde_json::Value> =
        second.practices.each().iter().map(|practice| practice_value(&practice.read())).collect();
    assert_eq!(reloaded, practices);
    assert_eq!(second.identity.fingerprint(), fingerprint, "the same signing key and session");
    assert_eq!(second.clock.now(), now, "a manual clock is kept, even over a system clock");
    assert_eq!(second.identity.apps(), apps);
}

#[cfg(unix)]
#[test]
fn a_second_emulator_on_the_same_file_is_refused_until_the_first_lets_go() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    let (first, _) = open(config(5), clock(), &path).expect("creates");
    let Err(refused) = open(config(5), clock(), &path) else { panic!("the file is in use") };
    assert!(matches!(refused, StateError::InUse { .. }), "{refused:?}");
    let message = refused.to_string();
    assert!(message.contains("another emulator is using the state file") && message.contains("--state"), "{message}");
    drop(first);
    let (_second, origin) = open(config(5), clock(), &path).expect("free once the first is gone");
    assert!(matches!(origin, StateOrigin::Loaded { .. }));
}

#[test]
fn options_the_file_overrides_are_named() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    open(config(5), clock(), &path).expect("creates");
    let asked = EmulatorConfig {
        practices: PracticeSeed::numbered(2, 40, 1),
        limits: crate::config::LimitSettings::OFF,
        ..config(5)
    };
    let (shared, origin) = open(asked, clock(), &path).expect("loads");
    let StateOrigin::Loaded { overridden } = origin else { panic!("loaded, not created") };
    assert_eq!(overridden.len(), 2, "{overridden:?}");
    assert!(overridden[0].contains("the file holds 1 practice(s) of 5 clients (seed 7)"), "{overridden:?}");
    assert!(overridden[1].contains("rate limits"), "{overridden:?}");
    assert_eq!(shared.config.practices.len(), 1, "the configuration reports the file's practices");
    assert!(shared.limits.settings().enabled, "the file's limits apply");
}

/// Opens `path`, expecting an error, and checks the file is byte for byte what it was.
fn refused(path: &Path) -> StateError {
    let before = std::fs::read(path).expect("the file is there");
    let error = match open(config(5), clock(), path) {
        Ok(_) => panic!("a bad state file was accepted"),
        Err(error) => error,
    };
    assert_eq!(std::fs::read(path).expect("still there"), before, "a file that failed to load is left as it was");
    assert!(error.to_string().contains(&path.display().to_string()), "{error}");
    assert!(
        error.to_string().contains("move it aside") || error.to_string().contains("move the file aside"),
        "{error}"
    );
    error
}

#[test]
fn a_cut_short_damaged_or_foreign_file_is_refused_and_left_alone() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    open(config(5), clock(), &path).expect("creates");
    let whole = std::fs::read(&path).expect("reads");

    std::fs::write(&path, &whole[..whole.len() / 2]).expect("truncates");
    assert!(matches!(refused(&path), StateError::Corrupt { detail, .. } if detail.contains("ends early")));

    std::fs::write(&path, b"{\"format_version\": 1, oops}").expect("writes");
    assert!(matches!(refused(&path), StateError::Corrupt { detail, .. } if detail.contains("not valid JSON")));

    let text =
        String::from_utf8(whole.clone()).expect("UTF-8").replacen("\"format_version\":1", "\"format_version\":99", 1);
    std::fs::write(&path, text).expect("writes");
    assert!(matches!(refused(&path), StateError::UnknownVersion { found, .. } if found == "99"));

    std::fs::write(&path, b"{\"practices\": []}").expect("writes");
    assert!(matches!(refused(&path), StateError::Invalid { at, .. } if at == "format_version"));

    let text = String::from_utf8(whole).expect("UTF-8").replacen("\"per_minute\":60", "\"per_minute\":\"sixty\"", 1);
    std::fs::write(&path, text).expect("writes");
    assert!(matches!(refused(&path), StateError::Invalid { at, .. } if at == "limits.per_minute"));
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    let secret = "a-registered-app-secret-1234";
    let mut with_app = config(5);
    let mut app = AppRegistration::demo();
    app.client_id = "secret-holder".into();
    app.client_secret = Some(secret.into());
    with_app.apps.push(app);
    open(with_app, clock(), &path).expect("creates");
    let text = std::fs::read_to_string(&path).expect("reads");
    assert!(text.contains(secret), "the file keeps the secret, so the app still signs in");
    assert!(text.contains("PRIVATE KEY"), "the file keeps the signing key");

    let bytes = std::fs::read(&path).expect("reads");
    let snapshot = snapshot::decode(&bytes, &path).expect("decodes");
    let debug = format!("{snapshot:?}");
    assert!(!debug.contains(secret), "Debug shows no app secret");
    assert!(!debug.contains("PRIVATE KEY"), "Debug shows no signing key");
    let (shared, _) = open(config(5), clock(), &path).expect("loads");
    let debug = format!("{shared:?}");
    assert!(!debug.contains(secret) && !debug.contains("PRIVATE KEY"), "nor does the live state");
}

#[cfg(unix)]
#[test]
fn the_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("state.json");
    std::fs::write(&path, b"").expect("writes");
    std::fs::remove_file(&path).expect("removes");
    open(config(5), clock(), &path).expect("creates");
    let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
