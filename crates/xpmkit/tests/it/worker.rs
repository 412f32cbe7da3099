//! `xpmkit worker`, end to end: three worker processes share twenty emulated practices, reached
//! by one connection, over one database (PostgreSQL, and a SQLite file), with Xero's rate limits
//! on. Every practice is synced exactly once in the period, no limit is exceeded, a worker killed
//! with SIGKILL while holding leases loses its practices to the others soon after its lease ends,
//! and SIGTERM stops the others cleanly.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection as _;
use uuid::Uuid;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::faults::{Fault, FaultRule};
use xpm_store::{LeaseState, RunStatus, Store};

use crate::call::{Session, command};
use crate::text;

const PRACTICES: usize = 20;
/// The lease the workers take: short, so that a takeover comes quickly.
const LEASE: Duration = Duration::from_secs(2);
/// How long each client list takes to answer: longer than the lease, so a sync lives only by
/// renewing its lease, and long enough for the other workers to start and claim while the
/// first still holds its practices (on a busy machine too).
const LIST_LATENCY: Duration = Duration::from_secs(5);
/// Practices each worker syncs at once: the killed worker holds ten, and the two others have
/// ten free slots between them when its leases end, so the takeover waits for the leases only.
const CONCURRENCY: usize = 10;
/// How long the test waits for anything before failing: generous, on a busy machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// Worker processes, killed when dropped.
struct Workers(Vec<(&'static str, Child)>);

impl Drop for Workers {
    fn drop(&mut self) {
        for (_, child) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start_worker(data_dir: &Path, id: &'static str, database_url: &str) -> Child {
    let log = File::create(data_dir.join(format!("{id}.log"))).expect("a log file");
    command(data_dir)
        .args(["worker", "--database-url", database_url, "--interval", "1h", "--lease", "2s"])
        .args(["--concurrency", &CONCURRENCY.to_string(), "--grace", "20s", "--worker-id", id])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("xpmkit worker starts")
}

/// Polls `check` every 50 ms until it gives a value, failing after [`DEADLINE`] with the
/// workers' logs in `data_dir`.
fn poll<T>(what: &str, data_dir: &Path, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        if started.elapsed() > DEADLINE {
            let logs: Vec<String> = ["w0", "w1", "w2"]
                .iter()
                .map(|id| {
                    format!(
                        "--- {id}:\n{}",
                        text(&std::fs::read(data_dir.join(format!("{id}.log"))).unwrap_or_default())
                    )
                })
                .collect();
            panic!("gave up waiting for {what}\n{}", logs.join("\n"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn three_workers_share_twenty_practices(session: &Session, database_url: &str) {
    let runtime = &session.runtime;
    let emulator = session.emulator();
    let tenants: Vec<Uuid> = emulator.tenants().into_iter().map(|(tenant, _)| tenant).collect();
    assert_eq!(tenants.len(), PRACTICES);
    emulator.faults().add(FaultRule {
        matches: "ClientV31_List".into(),
        fault: Fault::Latency { ms: LIST_LATENCY },
        times: None,
        probability: None,
    });
    let store = runtime.block_on(Store::open(Some(database_url))).expect("the test's own handle");
    let leases = || runtime.block_on(store.leases()).expect("leases");
    // w1, the one to be killed, starts first and claims its share; then the others claim the
    // rest. Kill w1 once every practice is held: its syncs are then waiting for their lists.
    let mut workers = Workers(vec![("w1", start_worker(&session.data_dir, "w1", database_url))]);
    poll("w1 to claim practices", &session.data_dir, || {
        leases().iter().any(|lease| lease.holder.as_deref() == Some("w1")).then_some(())
    });
    workers.0.extend(["w0", "w2"].map(|id| (id, start_worker(&session.data_dir, id, database_url))));
    poll("every practice to be claimed", &session.data_dir, || {
        let now = leases();
        (now.len() == PRACTICES && now.iter().all(|lease| lease.holder.is_some())).then_some(())
    });
    let (_, victim) = &mut workers.0[0];
    victim.kill().expect("SIGKILL");
    victim.wait().expect("reaped");
    let killed = Instant::now();
    let dead: BTreeMap<Uuid, i64> = leases()
        .into_iter()
        .filter(|lease| lease.holder.as_deref() == Some("w1"))
        .map(|lease| (lease.tenant, lease.generation))
        .collect();
    assert!(!dead.is_empty(), "w1 died holding leases");

    // Its practices are claimed again, by the others, once its leases end.
    let taken_over = poll("the dead worker's practices to be taken over", &session.data_dir, || {
        let now = leases();
        let all = dead.iter().all(|(tenant, generation)| {
            now.iter().any(|lease| lease.tenant == *tenant && lease.generation > *generation && lease.takeovers == 1)
        });
        all.then(|| killed.elapsed())
    });
    // The leases end at most a lease after the kill; an idle worker looks every quarter lease.
    // The rest is headroom for a busy machine.
    let bound = LEASE * 2 + Duration::from_secs(1);
    assert!(taken_over <= bound, "taken over {taken_over:?} after the kill, beyond {bound:?} (lease {LEASE:?})");
    eprintln!("worker test: {} practices of the killed worker taken over {taken_over:?} after SIGKILL", dead.len());

    // Every practice synced; then a while longer (several polls of every worker) to show that
    // none is synced again within its hour.
    let succeeded = |tenant: Uuid| {
        let runs = runtime.block_on(store.runs(tenant, 10)).expect("runs");
        runs.iter().filter(|run| run.status == RunStatus::Succeeded).count()
    };
    poll("every practice to be synced", &session.data_dir, || {
        tenants.iter().all(|tenant| succeeded(*tenant) >= 1).then_some(())
    });
    std::thread::sleep(LEASE * 2);
    for tenant in &tenants {
        let runs = runtime.block_on(store.runs(*tenant, 10)).expect("runs");
        let statuses: Vec<RunStatus> = runs.iter().map(|run| run.status).collect();
        assert_eq!(succeeded(*tenant), 1, "{tenant}: synced exactly once in the period: {statuses:?}");
        if !dead.contains_key(tenant) {
            assert_eq!(statuses, [RunStatus::Succeeded], "{tenant}: one run, by one worker");
        }
    }
    let hour = chrono::Duration::minutes(59);
    let now = runtime.block_on(store.database_now()).expect("clock");
    let states = leases();
    assert!(states.iter().all(|lease| lease.next_due > now + hour), "all due in an hour: {states:#?}");

    // Within Xero's limits: no 429, at most 60 calls per practice (the test takes under a
    // minute of calls per practice), never more than 5 in flight for one practice.
    let journal = emulator.journal().entries();
    let api: Vec<_> = journal.iter().filter(|entry| entry.operation.is_some()).collect();
    assert!(api.iter().all(|entry| entry.status != 429), "no call was refused for a limit");
    for tenant in &tenants {
        let calls: Vec<_> = api.iter().filter(|entry| entry.tenant == Some(*tenant)).collect();
        assert!(!calls.is_empty() && calls.len() <= 60, "{tenant}: {} calls", calls.len());
        let most = calls
            .iter()
            .map(|call| {
                calls.iter().filter(|other| other.at <= call.at && call.at < other.at + micros(other.micros)).count()
            })
            .max()
            .unwrap_or_default();
        assert!(most <= 5, "{tenant}: {most} calls in flight at once");
    }

    // SIGTERM: the survivors stop claiming, have nothing running, and exit 0 leaving no lease held.
    for (id, child) in workers.0.iter_mut().filter(|(id, _)| *id != "w1") {
        let signalled =
            std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
        assert!(signalled.success());
        let status = poll("a worker to stop", &session.data_dir, || child.try_wait().expect("status"));
        let log = text(&std::fs::read(session.data_dir.join(format!("{id}.log"))).expect("its log"));
        assert_eq!(status.code(), Some(0), "{id}:\n{log}");
        for line in ["worker started", "claimed", "synced", "released", "stop requested", "worker stopped"] {
            assert!(log.contains(line), "{id} logged no {line:?}:\n{log}");
        }
    }
    let logs: String = ["w0", "w2"]
        .iter()
        .map(|id| text(&std::fs::read(session.data_dir.join(format!("{id}.log"))).expect("its log")))
        .collect();
    assert!(logs.contains("took over from a worker whose lease expired") && logs.contains("from=w1"), "{logs}");
    let held: Vec<LeaseState> = leases().into_iter().filter(|lease| lease.holder.is_some()).collect();
    assert!(held.is_empty(), "no lease held once the workers stopped: {held:#?}");
    runtime.block_on(store.close());
}

fn micros(micros: u64) -> chrono::Duration {
    chrono::Duration::microseconds(i64::try_from(micros).unwrap_or(i64::MAX))
}

fn connected_practices() -> Session {
    let session = Session::start_with(PracticeSeed::numbered(PRACTICES, 20, 7), LimitSettings::XERO);
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    session
}

#[test]
fn three_workers_share_twenty_practices_over_postgres() {
    let Some((admin_url, url, name)) = fresh_postgres_database() else { return };
    let session = connected_practices();
    three_workers_share_twenty_practices(&session, &url);
    session.runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("the server");
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut admin).await;
    });
}

#[test]
fn three_workers_share_twenty_practices_over_sqlite() {
    let session = connected_practices();
    let url = format!("sqlite:{}", session.data_dir.join("workers.db").display());
    three_workers_share_twenty_practices(&session, &url);
}

/// A new database on the server `XPMKIT_TEST_DATABASE_URL` names: (admin URL, its URL, its
/// name); `None`, said on stderr, without the variable.
fn fresh_postgres_database() -> Option<(String, String, String)> {
    const VARIABLE: &str = "XPMKIT_TEST_DATABASE_URL";
    let Ok(admin_url) = std::env::var(VARIABLE) else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED three_workers_share_twenty_practices_over_postgres: {VARIABLE} is not set \
             (run `.ci/postgres.sh` and export the URL it prints)"
        );
        return None;
    };
    let name = format!("xpmkit_workers_{}", Uuid::new_v4().simple());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|error| panic!("{VARIABLE} is set but the server does not answer: {error}"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.expect("create a database");
    });
    let mut url = url::Url::parse(&admin_url).expect("a URL in the variable");
    url.set_path(&name);
    Some((admin_url, url.to_string(), name))
}

/// SIGTERM during syncs, with no grace: the worker abandons them, releases their leases as due
/// at once and exits 0; `worker --once` then syncs both practices and exits.
#[test]
fn sigterm_abandons_running_syncs_and_once_picks_them_up() {
    let session = Session::start_with(PracticeSeed::numbered(2, 10, 3), LimitSettings::XERO);
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    // Client lists are slow until the worker is stopped: it is stopped in its syncs.
    session.emulator().faults().add(FaultRule {
        matches: "ClientV31_List".into(),
        fault: Fault::Latency { ms: Duration::from_secs(60) },
        times: None,
        probability: None,
    });
    let url = format!("sqlite:{}", session.data_dir.join("stop.db").display());
    let store = session.runtime.block_on(Store::open(Some(&url))).expect("the test's own handle");
    let leases = || session.runtime.block_on(store.leases()).expect("leases");
    let log = File::create(session.data_dir.join("w0.log")).expect("a log file");
    let child = command(&session.data_dir)
        .args(["worker", "--database-url", &url, "--lease", "2s", "--grace", "0s", "--worker-id", "w0"])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("xpmkit worker starts");
    let mut workers = Workers(vec![("w0", child)]);
    let tenants: Vec<Uuid> = session.emulator().tenants().into_iter().map(|(tenant, _)| tenant).collect();
    poll("both syncs to be running", &session.data_dir, || {
        let running = |tenant: &Uuid| {
            let runs = session.runtime.block_on(store.runs(*tenant, 1)).expect("runs");
            runs.first().is_some_and(|run| run.status == RunStatus::Running)
        };
        tenants.iter().all(running).then_some(())
    });
    let (_, child) = &mut workers.0[0];
    let signalled = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(signalled.expect("kill runs").success());
    let status = poll("the worker to stop", &session.data_dir, || child.try_wait().expect("status"));
    let log = text(&std::fs::read(session.data_dir.join("w0.log")).expect("its log"));
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("grace period over: abandoning running syncs") && log.contains("ending=Abandoned"), "{log}");
    let now = session.runtime.block_on(store.database_now()).expect("clock");
    for lease in leases() {
        assert_eq!(lease.holder, None, "released");
        assert!(lease.next_due <= now, "due at once for another worker: {lease:?}");
    }

    session.emulator().faults().clear();
    session.emulator().journal().clear();
    // The sync flags apply to a worker's syncs as to `xpmkit sync`'s: no jobs or time here.
    let once = command(&session.data_dir)
        .args(["worker", "--database-url", &url, "--once", "--worker-id", "w1", "--no-work"])
        .output()
        .expect("xpmkit worker --once runs");
    assert_eq!(once.status.code(), Some(0), "{}", text(&once.stderr));
    let journal = session.emulator().journal();
    assert_eq!(journal.count("ClientV31_List"), 2, "one full client list per practice");
    assert_eq!(journal.count("JobV31_Current") + journal.count("TimeV31_List"), 0, "--no-work reads no jobs or time");
    for tenant in tenants {
        let runs = session.runtime.block_on(store.runs(tenant, 10)).expect("runs");
        let statuses: Vec<RunStatus> = runs.iter().map(|run| run.status).collect();
        assert_eq!(statuses, [RunStatus::Succeeded, RunStatus::Running], "the abandoned run, then the full one");
    }
    assert!(leases().iter().all(|lease| lease.holder.is_none() && lease.next_due > now));
    session.runtime.block_on(store.close());

    let status = command(&session.data_dir).args(["status", "--json", "--database-url", &url]).output();
    let status = status.expect("xpmkit status runs");
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
    for practice in json.as_array().expect("practices") {
        let worker = &practice["worker"];
        assert_eq!((worker["intervalSeconds"].as_u64(), worker["claims"].as_u64()), (Some(900), Some(2)), "{worker}");
        assert!(worker["holder"].is_null() && worker["nextDue"].is_string(), "{worker}");
    }
    let status = command(&session.data_dir).args(["status", "--database-url", &url]).output().expect("status");
    assert!(text(&status.stdout).contains("worker schedule: every 900s, next due "), "{}", text(&status.stdout));
}
