//! Practice leases on both backends: concurrent claimers never share a practice, an expired
//! lease is taken over (and its old holder fenced off), and a release schedules the next run.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use uuid::Uuid;
use xpm_store::{LeaseState, Store};

use crate::harness::TestDb;

const HOUR: Duration = Duration::from_secs(3600);

fn tenants(count: u128) -> Vec<Uuid> {
    (1..=count).map(|number| Uuid::from_u128(0x0001_ea5e_0000 + number)).collect()
}

/// Eight claimers, on two store handles (two pools: on PostgreSQL as two machines would be),
/// claim three at a time until nothing is due: every practice is claimed once, by one of them.
async fn concurrent_claims_are_exclusive(first: &Store, second: &Store) {
    let all = tenants(20);
    for tenant in &all {
        first.register_practice(*tenant, HOUR).await.expect("register");
    }
    let mut claimers = tokio::task::JoinSet::new();
    for number in 0..8 {
        let store = if number % 2 == 0 { first.clone() } else { second.clone() };
        let among = all.clone();
        claimers.spawn(async move {
            let holder = format!("worker-{number}");
            let mut mine = Vec::new();
            loop {
                let claimed = store.claim_due(&holder, &among, 3, HOUR).await.expect("claim");
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed);
                tokio::task::yield_now().await;
            }
        });
    }
    let mut claimed = Vec::new();
    while let Some(mine) = claimers.join_next().await {
        claimed.extend(mine.expect("a claimer ends"));
    }
    let distinct: BTreeSet<Uuid> = claimed.iter().map(|lease| lease.tenant).collect();
    assert_eq!(claimed.len(), all.len(), "no practice claimed twice: {claimed:#?}");
    assert_eq!(distinct, all.iter().copied().collect(), "every practice claimed");
    assert!(claimed.iter().all(|lease| lease.generation == 1 && lease.taken_over_from.is_none()));
    let states = first.leases().await.expect("leases");
    for lease in &claimed {
        let state = states.iter().find(|state| state.tenant == lease.tenant).expect("a row");
        assert_eq!(state.holder.as_deref(), Some(lease.holder.as_str()));
    }
    assert!(first.claim_due("late", &all, 20, HOUR).await.expect("claim").is_empty(), "all held");
}

/// A lease left to expire is taken over by the next claimer, and its old holder can neither
/// renew nor release it any more.
async fn an_expired_lease_is_taken_over(store: &Store) {
    let tenant = [Uuid::from_u128(0xdead)];
    let short = Duration::from_millis(400);
    store.register_practice(tenant[0], HOUR).await.expect("register");
    let first = store.claim_due("a", &tenant, 1, short).await.expect("claim").pop().expect("due at once");
    assert!(store.claim_due("b", &tenant, 1, short).await.expect("claim").is_empty(), "held by a");
    assert!(store.renew_lease(&first, short).await.expect("renew").is_some(), "a still holds it");

    let deadline = Instant::now() + Duration::from_secs(20);
    let taken = loop {
        if let Some(lease) = store.claim_due("b", &tenant, 1, HOUR).await.expect("claim").pop() {
            break lease;
        }
        assert!(Instant::now() < deadline, "the expired lease was never taken over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let now = store.database_now().await.expect("clock");
    assert!(now >= first.expires_at, "taken over only once a's lease had expired");
    assert_eq!(taken.taken_over_from.as_deref(), Some("a"));
    assert_eq!(taken.generation, 2);
    assert_eq!(store.renew_lease(&first, HOUR).await.expect("renew"), None, "a is fenced off");
    assert!(!store.release_lease(&first, Duration::ZERO).await.expect("release"), "a cannot release it");
    let state = row(store, tenant[0]).await;
    assert_eq!((state.holder.as_deref(), state.takeovers), (Some("b"), 1));
}

/// A release makes the practice due after the given delay, by the database's clock; a zero delay
/// lets the next claimer have it at once; registering again changes the interval only.
async fn a_release_schedules_the_next_run(store: &Store) {
    let tenant = [Uuid::from_u128(0xbeef)];
    store.register_practice(tenant[0], Duration::from_secs(900)).await.expect("register");
    let lease = store.claim_due("a", &tenant, 5, HOUR).await.expect("claim").pop().expect("due");
    assert_eq!(lease.interval, Duration::from_secs(900));
    let before = store.database_now().await.expect("clock");
    assert!(store.release_lease(&lease, lease.interval).await.expect("release"));
    let after = store.database_now().await.expect("clock");
    let state = row(store, tenant[0]).await;
    let interval = chrono::Duration::seconds(900);
    assert!(state.next_due >= before + interval && state.next_due <= after + interval, "{state:?}");
    assert_eq!((state.holder, state.expires_at), (None, None));
    assert!(store.claim_due("b", &tenant, 5, HOUR).await.expect("claim").is_empty(), "not due for 15 minutes");

    store.register_practice(tenant[0], Duration::from_secs(60)).await.expect("register again");
    let again = row(store, tenant[0]).await;
    assert_eq!((again.interval, again.next_due), (Duration::from_secs(60), state.next_due));
    assert!(!store.release_lease(&lease, Duration::ZERO).await.expect("release"), "released already");
    assert!(store.claim_due("b", &tenant, 5, HOUR).await.expect("claim").is_empty(), "still not due");
}

async fn row(store: &Store, tenant: Uuid) -> LeaseState {
    let states = store.leases().await.expect("leases");
    states.into_iter().find(|state| state.tenant == tenant).expect("a row")
}

async fn lease_story(db: &TestDb) {
    let second = Store::open_location(db.location()).await.expect("a second handle");
    concurrent_claims_are_exclusive(&db.store, &second).await;
    second.close().await;
    an_expired_lease_is_taken_over(&db.store).await;
    a_release_schedules_the_next_run(&db.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leases_on_sqlite() {
    let db = TestDb::sqlite().await;
    lease_story(&db).await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leases_on_postgres() {
    let Some(db) = TestDb::postgres("leases_on_postgres").await else { return };
    lease_story(&db).await;
    db.finish().await;
}
