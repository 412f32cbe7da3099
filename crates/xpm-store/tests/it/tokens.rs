//! The database token store keeps only sealed records, opens them with the right key only,
//! binds each to its connection, and lets one process at a time refresh a connection.

use std::time::Duration;

use chrono::{TimeZone as _, Utc};
use sqlx::Connection as _;
use uuid::Uuid;
use xpm_client::secret::{AccessToken, RefreshToken};
use xpm_client::token_store::{
    ConnectionId, MasterKey, StoredTokens, TokenBinding, TokenSealer, TokenStore, TokenStoreError,
};
use xpm_store::DatabaseLocation;

use crate::harness::TestDb;

const ACCESS: &str = "eyJhbGciOiJSUzI1NiJ9.access-token-planted-secret";
const REFRESH: &str = "refresh-token-planted-secret-0f3c";

fn tokens() -> StoredTokens {
    StoredTokens {
        access_token: AccessToken::new(ACCESS),
        access_expires_at: Utc.with_ymd_and_hms(2026, 5, 4, 9, 42, 0).single().expect("valid time"),
        refresh_token: Some(RefreshToken::new(REFRESH)),
        scope: "openid offline_access practicemanager".to_owned(),
        needs_reauth: false,
        binding: Some(TokenBinding {
            issuer: "https://identity.xero.com".to_owned(),
            token_endpoint: "https://identity.xero.com/connect/token".to_owned(),
            revocation_endpoint: "https://identity.xero.com/connect/revocation".to_owned(),
            connections_endpoint: "https://api.xero.com/connections".to_owned(),
            api_base: "https://api.xero.com/practicemanager/3.1".to_owned(),
            client_id: "xpmkit-store-test".to_owned(),
            tenants: vec![Uuid::from_u128(0x5eed)],
        }),
    }
}

/// The sealed bytes of every row, read around the store.
async fn raw_rows(location: &DatabaseLocation) -> Vec<(String, Vec<u8>)> {
    let sql = "SELECT connection_id, sealed FROM tokens ORDER BY connection_id";
    match location {
        DatabaseLocation::Sqlite(path) => {
            let mut connection =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
            sqlx::query_as(sql).fetch_all(&mut connection).await.expect("rows")
        }
        DatabaseLocation::Postgres(url) => {
            let mut connection = sqlx::PgConnection::connect(url.as_str()).await.expect("connect");
            sqlx::query_as(sql).fetch_all(&mut connection).await.expect("rows")
        }
    }
}

/// Puts `sealed` in the row of `connection`, as someone with database access could.
async fn overwrite_row(location: &DatabaseLocation, connection: ConnectionId, sealed: &[u8]) {
    let sql = "UPDATE tokens SET sealed = $1 WHERE connection_id = $2";
    let id = connection.0.to_string();
    match location {
        DatabaseLocation::Sqlite(path) => {
            let mut db =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
            sqlx::query(sql).bind(sealed).bind(id).execute(&mut db).await.expect("update");
        }
        DatabaseLocation::Postgres(url) => {
            let mut db = sqlx::PgConnection::connect(url.as_str()).await.expect("connect");
            sqlx::query(sql).bind(sealed).bind(id).execute(&mut db).await.expect("update");
        }
    }
}

async fn sealed_records_only(db: &TestDb) {
    let key = MasterKey::generate();
    let store = db.store.token_store(TokenSealer::new(key.clone())).await.expect("token store");
    let first = ConnectionId(Uuid::from_u128(0xa));
    let second = ConnectionId(Uuid::from_u128(0xb));
    assert_eq!(store.load(first).expect("load"), None);
    store.save(first, &tokens()).expect("save");
    store.save(second, &tokens()).expect("save");
    assert_eq!(store.load(first).expect("load"), Some(tokens()));
    assert_eq!(store.connections().expect("connections"), vec![first, second]);

    // At rest: the file store's record format, with no token in it.
    let rows = raw_rows(&db.location()).await;
    assert_eq!(rows.len(), 2);
    for (_, sealed) in &rows {
        assert_eq!(&sealed[..4], b"XPMT");
        let text = String::from_utf8_lossy(sealed);
        assert!(!text.contains(ACCESS) && !text.contains(REFRESH) && !text.contains("practicemanager"));
        assert_eq!(TokenSealer::record_key(first, sealed).expect("header"), key.id());
    }
    // The same sealer opens it outside the store: the format is EncryptedFileStore's.
    assert_eq!(TokenSealer::new(key.clone()).open(first, &rows[0].1).expect("open"), tokens());

    // A record moved to another connection's row does not open.
    overwrite_row(&db.location(), second, &rows[0].1).await;
    assert!(matches!(store.load(second), Err(TokenStoreError::Tampered { connection }) if connection == second));

    // Another key does not open it, and says which key would; the old key still can as a previous key.
    let other_key = MasterKey::generate();
    let other = db.store.token_store(TokenSealer::new(other_key.clone())).await.expect("token store");
    let error = other.load(first).expect_err("wrong key");
    assert!(matches!(error, TokenStoreError::WrongKey { .. }), "{error:?}");
    assert!(!format!("{error} {error:?} {other:?}").contains(ACCESS));
    let rotated = db.store.token_store(TokenSealer::new(other_key).with_previous_key(key)).await.expect("token store");
    assert_eq!(rotated.load(first).expect("previous key opens"), Some(tokens()));

    store.delete(first).expect("delete");
    store.delete(first).expect("deleting twice is fine");
    assert_eq!(store.load(first).expect("load"), None);
    assert_eq!(store.connections().expect("connections"), vec![second]);
}

#[tokio::test]
async fn sqlite_keeps_sealed_records_only() {
    let db = TestDb::sqlite().await;
    sealed_records_only(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn postgres_keeps_sealed_records_only() {
    let Some(db) = TestDb::postgres("postgres_keeps_sealed_records_only").await else { return };
    sealed_records_only(&db).await;
    db.finish().await;
}

async fn one_refresher_at_a_time(db: &TestDb) {
    let connection = ConnectionId(Uuid::from_u128(0xc));
    // Two token stores with their own pools stand for two processes.
    let first = db.store.token_store(TokenSealer::new(MasterKey::generate())).await.expect("token store");
    let second = db.store.token_store(TokenSealer::new(MasterKey::generate())).await.expect("token store");
    let held = first.lock_refresh(connection, Duration::from_secs(1)).expect("first lock");
    let waited = second.lock_refresh(connection, Duration::from_millis(200)).expect_err("held elsewhere");
    assert!(matches!(waited, TokenStoreError::LockTimeout { .. }), "{waited:?}");
    let other_connection = ConnectionId(Uuid::from_u128(0xd));
    drop(second.lock_refresh(other_connection, Duration::from_millis(200)).expect("other connections are free"));
    drop(held);
    let again = second.lock_refresh(connection, Duration::from_secs(5)).expect("free once dropped");
    drop(again);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_lets_one_process_refresh_at_a_time() {
    let db = TestDb::sqlite().await;
    one_refresher_at_a_time(&db).await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_lets_one_process_refresh_at_a_time() {
    let Some(db) = TestDb::postgres("postgres_lets_one_process_refresh_at_a_time").await else { return };
    one_refresher_at_a_time(&db).await;
    db.finish().await;
}

/// The client refreshes an expired access token through the database store, from inside its
/// async code on a single-threaded runtime, and the rotated tokens land sealed in the table.
async fn the_client_refreshes_through_the_database(db: &TestDb) {
    use std::sync::Arc;

    use xpm_client::clock::SystemClock;
    use xpm_client::testing::EmulatorSession;
    use xpm_mock::Emulator;
    use xpm_mock::config::{LimitSettings, PracticeSeed};

    let config = EmulatorSession::config(PracticeSeed::default(), LimitSettings::XERO);
    let session = EmulatorSession::sign_in(Emulator::new(config), &["practicemanager"], &SystemClock)
        .await
        .expect("signed in to the emulator");
    let mut expired = session.store.load(session.connection).expect("load").expect("signed in");
    expired.access_expires_at = Utc::now() - chrono::Duration::minutes(5);
    // Bound as `xpmkit connect` binds a record, so the refresh passes the binding check too.
    expired.binding = Some(TokenBinding::new(session.oauth.endpoints(), session.oauth.client_id(), [session.tenant]));
    let first_refresh = expired.refresh_token.as_ref().map(|token| token.secret().to_owned());

    let tokens = Arc::new(db.store.token_store(TokenSealer::new(MasterKey::generate())).await.expect("token store"));
    tokens.save(session.connection, &expired).expect("save");
    let client = xpm_client::XpmClient::builder(session.oauth.clone(), tokens.clone(), session.connection)
        .build()
        .expect("client");
    let staff = client.staff(session.tenant).list().send().await.expect("a call after refreshing");
    assert!(!staff.is_empty());

    let renewed = tokens.load(session.connection).expect("load").expect("stored");
    assert!(renewed.access_expires_at > Utc::now(), "the refreshed access token was saved");
    let rotated = renewed.refresh_token.as_ref().map(|token| token.secret().to_owned());
    assert_ne!(rotated, first_refresh, "the rotated refresh token was saved");
    assert!(renewed.binding.is_some() && renewed.binding == expired.binding, "the binding survives a refresh");
    let rows = raw_rows(&db.location()).await;
    let secret = rotated.expect("a refresh token");
    assert!(rows.iter().all(|(_, sealed)| !String::from_utf8_lossy(sealed).contains(&secret)));
}

#[tokio::test]
async fn the_client_refreshes_through_sqlite() {
    let db = TestDb::sqlite().await;
    the_client_refreshes_through_the_database(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn the_client_refreshes_through_postgres() {
    let Some(db) = TestDb::postgres("the_client_refreshes_through_postgres").await else { return };
    the_client_refreshes_through_the_database(&db).await;
    db.finish().await;
}

async fn rotation_reseals_every_record(db: &TestDb) {
    let old_key = MasterKey::generate();
    let store = db.store.token_store(TokenSealer::new(old_key.clone())).await.expect("token store");
    let connections = [ConnectionId(Uuid::from_u128(0x1)), ConnectionId(Uuid::from_u128(0x2))];
    for connection in connections {
        store.save(connection, &tokens()).expect("save");
    }
    let new_key = MasterKey::generate();
    let report = store.rotate(new_key.clone()).expect("rotate");
    assert_eq!((report.resealed, report.old_key, report.new_key), (2, old_key.id(), new_key.id()));
    assert_eq!(store.key_id(), new_key.id());
    for connection in connections {
        assert_eq!(store.load(connection).expect("load"), Some(tokens()));
    }
    for (_, sealed) in raw_rows(&db.location()).await {
        assert_eq!(TokenSealer::record_key(connections[0], &sealed).expect("header"), new_key.id());
    }
    let stale = db.store.token_store(TokenSealer::new(old_key)).await.expect("token store");
    assert!(matches!(stale.load(connections[0]), Err(TokenStoreError::WrongKey { .. })));

    // A record no key of the store opens stops the rotation before anything changes.
    let other = db.store.token_store(TokenSealer::new(MasterKey::generate())).await.expect("token store");
    other.save(ConnectionId(Uuid::from_u128(0x3)), &tokens()).expect("save");
    let error = store.rotate(MasterKey::generate()).expect_err("one record is under another key");
    assert!(matches!(error, TokenStoreError::WrongKey { .. }), "{error:?}");
    assert_eq!(store.key_id(), new_key.id(), "the key stays");
    assert_eq!(store.load(connections[1]).expect("load"), Some(tokens()));
}

#[tokio::test]
async fn sqlite_rotation_reseals_every_record() {
    let db = TestDb::sqlite().await;
    rotation_reseals_every_record(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn postgres_rotation_reseals_every_record() {
    let Some(db) = TestDb::postgres("postgres_rotation_reseals_every_record").await else { return };
    rotation_reseals_every_record(&db).await;
    db.finish().await;
}
