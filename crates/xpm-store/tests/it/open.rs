//! Opening: locations, migrations applied once, and errors that name the problem and the fix
//! without showing a password.

use xpm_store::{DatabaseLocation, Store, StoreError};

use crate::harness::TestDb;

#[tokio::test]
async fn reopening_keeps_the_data_and_the_schema() {
    let db = TestDb::sqlite().await;
    let tenant = uuid::Uuid::from_u128(1);
    let mut write = db.store.write().await.expect("begin");
    write.set_cursor(tenant, "c", "v").await.expect("cursor");
    write.commit().await.expect("commit");
    db.store.close().await;
    let reopened = Store::open_location(db.location()).await.expect("migrations run again without harm");
    assert_eq!(reopened.cursor(tenant, "c").await.expect("cursor").map(|c| c.value).as_deref(), Some("v"));
    reopened.close().await;
    db.finish().await;
}

#[tokio::test]
async fn an_unreachable_postgres_server_is_named_with_the_fix() {
    // Port 9 (discard) has no PostgreSQL on any test machine.
    let error = Store::open(Some("postgres://xpm:hunter2@127.0.0.1:9/xpm")).await.expect_err("nothing listens");
    let message = error.to_string();
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    assert!(message.contains("postgres://xpm:***@127.0.0.1:9/xpm"), "{message}");
    assert!(message.contains("check that PostgreSQL runs"), "{message}");
    assert!(!format!("{message} {error:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_wrong_postgres_password_is_named_with_the_fix() {
    let Ok(url) = std::env::var(crate::harness::DATABASE_URL_VAR) else {
        eprintln!(
            "SKIPPED a_wrong_postgres_password_is_named_with_the_fix: {} is not set",
            crate::harness::DATABASE_URL_VAR
        );
        return;
    };
    let mut wrong = url::Url::parse(&url).expect("URL");
    wrong.set_password(Some("not-the-password")).expect("password");
    let error = Store::open(Some(wrong.as_str())).await.expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("check the user, password and database name"), "{message}");
    assert!(!format!("{message} {error:?}").contains("not-the-password"));
}

#[tokio::test]
async fn a_bad_location_fails_before_connecting() {
    let error = Store::open(Some("mysql://root:hunter2@db/xpm")).await.expect_err("unsupported");
    assert!(error.to_string().contains("give a file path, sqlite:///path/to/xpmkit.db or postgres://"), "{error}");
    assert!(!error.to_string().contains("hunter2"));
}

#[tokio::test]
async fn a_postgres_store_never_shows_its_password() {
    let Some(db) = TestDb::postgres("a_postgres_store_never_shows_its_password").await else { return };
    let DatabaseLocation::Postgres(url) = db.location() else { panic!("a PostgreSQL location") };
    let password = format!(":{}@", url.password().expect("the test URL has a password"));
    let shown = format!("{:?} {} {:?}", db.store, db.store.location(), db.location());
    assert!(!shown.contains(&password), "{shown}");
    assert!(shown.contains("***"), "{shown}");
    db.finish().await;
}
