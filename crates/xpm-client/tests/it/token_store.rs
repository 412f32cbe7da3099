//! The encrypted file store and its keys: sealing, tampering, rotation, key sources.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{TimeZone as _, Utc};
use uuid::Uuid;
use xpm_client::config::Endpoints;
use xpm_client::secret::{AccessToken, RefreshToken};
use xpm_client::token_store::keys::{self, KeyFormatError};
use xpm_client::token_store::{
    ConnectionId, EncryptedFileStore, KeyError, KeyResolver, KeySource, MasterKey, MemoryStore, StoredTokens,
    TokenBinding, TokenStore, TokenStoreError,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ACCESS: &str = "planted-access-9f1c2e7b-token";
const REFRESH: &str = "planted-refresh-4d8a6b30-token";

fn tokens() -> StoredTokens {
    StoredTokens {
        access_token: AccessToken::new(ACCESS),
        access_expires_at: Utc.with_ymd_and_hms(2026, 11, 28, 20, 30, 0).single().expect("valid time"),
        refresh_token: Some(RefreshToken::new(REFRESH)),
        scope: "openid offline_access practicemanager.client.read".to_owned(),
        needs_reauth: false,
        binding: Some(TokenBinding::new(&Endpoints::emulator("http://127.0.0.1:8700"), "app", [Uuid::from_u128(7)])),
    }
}

fn connection() -> ConnectionId {
    ConnectionId(Uuid::new_v4())
}

/// Every way a planted secret could appear in a file's bytes.
fn assert_absent(bytes: &[u8], secret: &str) {
    let encodings = [secret.to_owned(), STANDARD.encode(secret), URL_SAFE_NO_PAD.encode(secret)];
    for encoding in encodings {
        let found = bytes.windows(encoding.len()).any(|window| window == encoding.as_bytes());
        assert!(!found, "the sealed file holds {encoding:?}");
    }
}

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(ACCESS) && !shown.contains(REFRESH), "{shown}");
}

#[test]
fn tokens_round_trip_and_the_file_holds_neither_token() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let id = connection();
    assert_eq!(store.load(id)?, None);

    store.save(id, &tokens())?;
    assert_eq!(store.load(id)?, Some(tokens()));
    assert_eq!(store.connections()?, vec![id]);

    let bytes = fs::read(store.record_path(id))?;
    assert_absent(&bytes, ACCESS);
    assert_absent(&bytes, REFRESH);
    assert_eq!(&bytes[..4], b"XPMT");

    store.delete(id)?;
    assert_eq!(store.load(id)?, None);
    assert!(store.connections()?.is_empty());
    store.delete(id)?;
    Ok(())
}

#[cfg(unix)]
#[test]
fn directories_and_records_are_owner_only() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("data");
    let store = EncryptedFileStore::open(&data_dir, MasterKey::generate())?;
    let id = connection();
    store.save(id, &tokens())?;
    let mode = |path: &Path| fs::metadata(path).map(|metadata| metadata.permissions().mode() & 0o777);
    assert_eq!(mode(&data_dir.join("tokens"))?, 0o700);
    assert_eq!(mode(&store.record_path(id))?, 0o600);
    Ok(())
}

#[test]
fn every_write_uses_a_fresh_nonce() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let id = connection();
    store.save(id, &tokens())?;
    let first = fs::read(store.record_path(id))?;
    store.save(id, &tokens())?;
    let second = fs::read(store.record_path(id))?;
    assert_eq!(first[..9], second[..9], "same header");
    assert_ne!(first[9..33], second[9..33], "same nonce");
    assert_ne!(first[33..], second[33..], "same ciphertext");
    Ok(())
}

#[test]
fn another_key_gives_wrong_key_naming_both_ids() -> TestResult {
    let dir = tempfile::tempdir()?;
    let sealing_key = MasterKey::generate();
    let sealed_with = sealing_key.id();
    let id = connection();
    EncryptedFileStore::open(dir.path(), sealing_key)?.save(id, &tokens())?;

    let other_key = MasterKey::generate();
    let in_use = other_key.id();
    let error = EncryptedFileStore::open(dir.path(), other_key)?.load(id).expect_err("must not open");
    assert!(
        matches!(error, TokenStoreError::WrongKey { connection, record_key, current_key }
            if connection == id && record_key == sealed_with && current_key == in_use),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(&sealed_with.to_string()) && message.contains(&in_use.to_string()), "{message}");
    // The library does not know which variable or file its embedding program reads keys from.
    assert!(message.contains("provide the key") && !message.contains("XPMKIT_"), "{message}");
    Ok(())
}

#[test]
fn a_record_moved_to_another_connection_does_not_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let (victim, attacker) = (connection(), connection());
    store.save(victim, &tokens())?;
    fs::copy(store.record_path(victim), store.record_path(attacker))?;
    let error = store.load(attacker).expect_err("must not open");
    assert!(matches!(error, TokenStoreError::Tampered { connection } if connection == attacker), "{error:?}");
    Ok(())
}

#[test]
fn any_flipped_byte_fails_and_never_yields_tokens() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let id = connection();
    store.save(id, &tokens())?;
    let path = store.record_path(id);
    let original = fs::read(&path)?;
    for index in 0..original.len() {
        let mut tampered = original.clone();
        tampered[index] ^= 0x01;
        fs::write(&path, &tampered)?;
        let error = store.load(id).expect_err("a tampered record must not open");
        // The header's bytes give a format or key error; every other byte fails authentication.
        let expected = match index {
            0..=4 => matches!(error, TokenStoreError::Corrupt { .. }),
            5..=8 => matches!(error, TokenStoreError::WrongKey { .. }),
            _ => matches!(error, TokenStoreError::Tampered { .. }),
        };
        assert!(expected, "byte {index}: {error:?}");
        assert_no_secret(&error.to_string());
    }
    fs::write(&path, &original[..20])?;
    assert!(matches!(store.load(id), Err(TokenStoreError::Corrupt { .. })));
    Ok(())
}

#[test]
fn rotation_reseals_every_record_and_retires_the_old_key() -> TestResult {
    let dir = tempfile::tempdir()?;
    let old_key = MasterKey::generate();
    let store = EncryptedFileStore::open(dir.path(), old_key.clone())?;
    let ids: Vec<ConnectionId> = (0..3).map(|_| connection()).collect();
    for id in &ids {
        store.save(*id, &tokens())?;
    }
    let before = fs::read(store.record_path(ids[0]))?;

    let new_key = MasterKey::generate();
    let report = store.rotate(new_key.clone())?;
    assert_eq!((report.resealed, report.old_key, report.new_key), (3, old_key.id(), new_key.id()));
    assert_eq!(store.key_id(), new_key.id());
    assert_ne!(fs::read(store.record_path(ids[0]))?, before);
    assert!(store.record_keys()?.iter().all(|(_, key)| *key == new_key.id()));

    let with_new = EncryptedFileStore::open(dir.path(), new_key)?;
    let with_old = EncryptedFileStore::open(dir.path(), old_key)?;
    for id in &ids {
        assert_eq!(store.load(*id)?, Some(tokens()));
        assert_eq!(with_new.load(*id)?, Some(tokens()));
        assert!(matches!(with_old.load(*id), Err(TokenStoreError::WrongKey { .. })));
    }
    Ok(())
}

#[test]
fn rotation_stops_before_writing_if_a_record_does_not_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = MasterKey::generate();
    let store = EncryptedFileStore::open(dir.path(), key.clone())?;
    let (good, foreign) = (connection(), connection());
    store.save(good, &tokens())?;
    EncryptedFileStore::open(dir.path(), MasterKey::generate())?.save(foreign, &tokens())?;
    let before = fs::read(store.record_path(good))?;

    let error = store.rotate(MasterKey::generate()).expect_err("a foreign record stops the rotation");
    assert!(matches!(error, TokenStoreError::WrongKey { connection, .. } if connection == foreign), "{error:?}");
    assert_eq!(fs::read(store.record_path(good))?, before);
    assert_eq!(store.key_id(), key.id());
    Ok(())
}

#[test]
fn an_interrupted_rotation_resumes_with_the_previous_key() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (old_key, new_key) = (MasterKey::generate(), MasterKey::generate());
    let (first, second) = (connection(), connection());
    EncryptedFileStore::open(dir.path(), old_key.clone())?.save(first, &tokens())?;
    EncryptedFileStore::open(dir.path(), new_key.clone())?.save(second, &tokens())?;

    let store = EncryptedFileStore::open(dir.path(), old_key)?.with_previous_key(new_key.clone());
    assert_eq!(store.load(second)?, Some(tokens()));
    assert_eq!(store.rotate(new_key.clone())?.resealed, 2);
    let with_new = EncryptedFileStore::open(dir.path(), new_key)?;
    assert_eq!((with_new.load(first)?, with_new.load(second)?), (Some(tokens()), Some(tokens())));
    Ok(())
}

#[test]
fn the_key_file_is_created_once_and_reused() -> TestResult {
    let dir = tempfile::tempdir()?;
    assert!(KeyResolver::new(dir.path()).find_with(None)?.is_none());
    let created = KeyResolver::new(dir.path()).resolve_with(None)?;
    let path = keys::key_file_path(dir.path());
    assert_eq!(created.source, KeySource::Created(path.clone()));
    let again = KeyResolver::new(dir.path()).resolve_with(None)?;
    assert_eq!(again.source, KeySource::File(path.clone()));
    assert_eq!(again.key.id(), created.key.id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused_with_the_fix() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir()?;
    KeyResolver::new(dir.path()).resolve_with(None)?;
    let path = keys::key_file_path(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644))?;
    let error = KeyResolver::new(dir.path()).resolve_with(None).expect_err("must refuse");
    assert!(matches!(error, KeyError::InsecureFile { mode: 0o644, .. }), "{error:?}");
    assert!(error.to_string().contains(&format!("chmod 600 {}", path.display())), "{error}");

    fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
    assert!(KeyResolver::new(dir.path()).resolve_with(None).is_ok());
    Ok(())
}

#[test]
fn the_environment_variable_wins_and_is_checked() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = MasterKey::generate();
    let from_env = KeyResolver::new(dir.path()).resolve_with(Some(OsStr::new(key.to_base64().as_str())))?;
    assert_eq!(
        (from_env.source, from_env.key.id()),
        (KeySource::Env { variable: KeyResolver::DEFAULT_ENV_VAR.to_owned() }, key.id())
    );
    assert!(!keys::key_file_path(dir.path()).exists(), "no key file when the variable is set");

    let planted = "c2VjcmV0LWJ1dC10b28tc2hvcnQ=";
    for (value, reason) in [
        ("   ", KeyFormatError::Empty),
        ("#not-a-key#", KeyFormatError::NotBase64OrHex),
        (planted, KeyFormatError::WrongLength { bytes: 20 }),
    ] {
        let error = KeyResolver::new(dir.path()).resolve_with(Some(OsStr::new(value))).expect_err("malformed");
        let message = error.to_string();
        assert!(matches!(&error, KeyError::MalformedEnv { reason: found, .. } if *found == reason), "{error:?}");
        assert!(message.contains("XPMKIT_MASTER_KEY") && message.contains("base64") && message.contains("hex"));
        assert!(!message.contains(planted), "{message}");
    }
    let named = KeyResolver::new(dir.path()).env_var("MY_APP_MASTER_KEY").resolve_with(Some(OsStr::new("  ")));
    assert!(matches!(&named, Err(KeyError::MalformedEnv { variable, .. }) if variable == "MY_APP_MASTER_KEY"));
    Ok(())
}

#[test]
fn nothing_that_holds_a_secret_prints_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = MasterKey::generate();
    let key_text = key.to_base64();
    let store = EncryptedFileStore::open(dir.path(), key.clone())?;
    let id = connection();
    store.save(id, &tokens())?;
    let memory = MemoryStore::new();
    memory.save(id, &tokens())?;
    let loaded = KeyResolver::new(dir.path()).resolve_with(Some(OsStr::new(key_text.as_str())))?;

    let shown = format!("{:?} {:?} {:?} {:?} {:?} {loaded:?}", tokens(), store, memory, key, store.load(id)?);
    assert_no_secret(&shown);
    assert!(!shown.contains(key_text.as_str()), "{shown}");

    let errors: Vec<TokenStoreError> = vec![
        EncryptedFileStore::open(dir.path(), MasterKey::generate())?.load(id).expect_err("wrong key"),
        TokenStoreError::Tampered { connection: id },
        KeyError::MalformedEnv {
            variable: KeyResolver::DEFAULT_ENV_VAR.to_owned(),
            reason: KeyFormatError::NotBase64OrHex,
        }
        .into(),
    ];
    for error in errors {
        let shown = format!("{error} {error:?}");
        assert_no_secret(&shown);
        assert!(!shown.contains(key_text.as_str()), "{shown}");
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn one_process_at_a_time_holds_a_connection_refresh_lock() -> TestResult {
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir()?;
    // Two stores open the lock file separately, as two processes would.
    let first = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let second = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let (id, other) = (connection(), connection());

    let held = first.lock_refresh(id, Duration::from_secs(1))?;
    let error = second.lock_refresh(id, Duration::from_millis(60)).expect_err("the lock is held");
    assert!(matches!(error, TokenStoreError::LockTimeout { connection, .. } if connection == id), "{error:?}");
    assert!(error.to_string().contains("another process is refreshing"), "{error}");
    drop(second.lock_refresh(other, Duration::ZERO)?);

    let waiter = std::thread::spawn(move || {
        let started = Instant::now();
        second.lock_refresh(id, Duration::from_secs(5)).map(|_lock| started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(100));
    drop(held);
    let waited = waiter.join().map_err(|_| "the waiting thread panicked")??;
    assert!(waited >= Duration::from_millis(80), "took the lock after {waited:?}, while it was held");
    assert!(first.connections()?.is_empty(), "lock files are not records");
    Ok(())
}

#[test]
fn an_in_memory_store_locks_nothing() -> TestResult {
    let store = MemoryStore::new();
    let id = connection();
    let _first = store.lock_refresh(id, std::time::Duration::ZERO)?;
    let _second = store.lock_refresh(id, std::time::Duration::ZERO)?;
    Ok(())
}

/// A record replaced by a link to `/dev/zero` once read without end; links, devices and
/// oversized files are refused at once, as is a key file that is not a regular file.
#[cfg(unix)]
#[test]
fn records_and_key_files_that_are_not_small_regular_files_are_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = EncryptedFileStore::open(dir.path(), MasterKey::generate())?;
    let id = connection();
    store.save(id, &tokens())?;
    let record = store.record_path(id);
    fs::remove_file(&record)?;
    std::os::unix::fs::symlink("/dev/zero", &record)?;
    let refused = store.load(id);
    assert!(
        matches!(&refused, Err(TokenStoreError::Corrupt { reason, .. }) if reason.contains("not a regular file")),
        "{refused:?}"
    );
    fs::remove_file(&record)?;
    fs::write(&record, vec![0_u8; 1 << 20])?;
    let refused = store.load(id);
    assert!(
        matches!(&refused, Err(TokenStoreError::Corrupt { reason, .. }) if reason.contains("larger than")),
        "{refused:?}"
    );

    let key_file = keys::key_file_path(dir.path());
    std::os::unix::fs::symlink("/dev/zero", &key_file)?;
    let refused = KeyResolver::new(dir.path()).find();
    assert!(refused.is_err(), "a key file that is a link to a device is refused");
    Ok(())
}

/// Whoever can write the data directory can redirect the tokens; such a directory is refused.
#[cfg(unix)]
#[test]
fn a_data_directory_others_can_write_is_refused() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir()?;
    for mode in [0o777, 0o775, 0o757, 0o1777] {
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(mode))?;
        let refused = EncryptedFileStore::open(dir.path(), MasterKey::generate());
        let message = refused.as_ref().err().map(ToString::to_string).unwrap_or_default();
        assert!(matches!(refused, Err(TokenStoreError::InsecureDirectory { .. })), "mode {mode:o}");
        assert!(message.contains("chmod go-w"), "{message}");
    }
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755))?;
    assert!(EncryptedFileStore::open(dir.path(), MasterKey::generate()).is_ok());
    Ok(())
}
