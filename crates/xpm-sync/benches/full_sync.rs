//! A first sync of a 15,000-client practice (about 30,000 contacts) from the emulator (limits
//! off) into SQLite, then an incremental sync with no change; PostgreSQL too when
//! `XPMKIT_TEST_DATABASE_URL` names a server. The emulator runs in a child process (this
//! binary again), as Xero is another machine, so that this process's peak RSS (`VmHWM`) and
//! CPU time are the sync's own; the child's CPU time is printed beside them, since on a small
//! machine the two share the cores. Before each full sync the peak is reset
//! (`/proc/self/clear_refs`), so each sync's peak is its own. The baseline is the same list
//! downloaded and decoded without storing it, measured in the same run, so the ratio holds on a
//! busy machine.
//!
//! After each full sync: an incremental sync with no change, then one after 100 clients were
//! edited in the emulator. Last, a first sync against an emulator with Xero's limits on, to
//! count its calls.
//!
//! `cargo bench -p xpm-sync --bench full_sync [-- CLIENTS]`

use std::io::{BufRead as _, Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use futures_util::TryStreamExt as _;
use sqlx::Connection as _;
use xpm_api::ids::ClientId;
use xpm_api::request::ClientUpdateRequest;
use xpm_client::Limits;
use xpm_client::clock::SystemClock;
use xpm_client::testing::{EmulatorSession, sign_in_at};
use xpm_mock::Emulator;
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_store::{DatabaseLocation, Store};
use xpm_sync::{SyncOptions, sync_practice};

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// Set (to the number of clients) in the child process that serves the emulator.
const EMULATOR_ROLE: &str = "XPMKIT_BENCH_EMULATOR";

/// Set in the child process when the emulator keeps Xero's limits.
const EMULATOR_LIMITS: &str = "XPMKIT_BENCH_LIMITS";

/// Clients edited before the incremental sync that has changes to read.
const EDITED: usize = 100;

#[tokio::main]
async fn main() -> Outcome {
    if let Ok(clients) = std::env::var(EMULATOR_ROLE) {
        let limits = match std::env::var_os(EMULATOR_LIMITS) {
            Some(_) => LimitSettings::XERO,
            None => LimitSettings::OFF,
        };
        return serve_emulator(clients.parse()?, limits).await;
    }
    let clients: usize = match std::env::args().skip(1).find(|arg| !arg.starts_with('-')) {
        Some(text) => text.parse()?,
        None => 15_000,
    };
    let emulator = EmulatorChild::start(clients, false)?;
    let session = sign_in_at(&emulator.base_url, &["practicemanager"], &SystemClock).await?;
    let client = session.client().build()?;
    // The edits before the incremental sync with changes go through a client of their own
    // without Xero's pace (the emulator's limits are off), so that 100 of them take a moment, not
    // the 100 seconds the sync's client would spread them over.
    let editor = session
        .client()
        .limits(Limits { concurrent: 5, per_minute: 100_000, per_day: 1_000_000, app_per_minute: 100_000 })
        .build()?;
    let tenant = emulator.tenant;
    println!(
        "{clients} clients; the emulator (pid {}) holds {:.0} MB seeded; this process {:.0} MB",
        emulator.child.id(),
        emulator.resident_mb()?,
        peak_rss_mb()?
    );

    let started = Instant::now();
    // Counted as they arrive, never held (but for the ids of clients to edit later): the
    // baseline's memory is the stream's.
    let (listed, editable) = client
        .metered()
        .clients(tenant)
        .list()
        .detailed(true)
        .stream()
        .try_fold((0_usize, Vec::new()), |(count, mut editable), listed| async move {
            let live = listed.is_deleted.is_none_or(|flag| !flag.is_yes());
            if let (true, true, Some(uuid)) = (editable.len() < EDITED, live, listed.uuid) {
                editable.push(ClientId::from(uuid));
            }
            Ok((count + 1, editable))
        })
        .await?;
    let baseline = started.elapsed().as_secs_f64();
    println!(
        "baseline: download and decode the detailed list ({listed} clients) without storing: {baseline:.3} s; \
         peak RSS so far {:.0} MB",
        peak_rss_mb()?
    );

    // `XPMKIT_BENCH_KEEP=DIR` keeps the SQLite database in DIR (which must not hold one) to look at.
    let dir = tempfile::tempdir()?;
    let path = match std::env::var_os("XPMKIT_BENCH_KEEP") {
        Some(keep) => std::path::PathBuf::from(keep).join("bench.db"),
        None => dir.path().join("bench.db"),
    };
    let sqlite = Store::open_location(DatabaseLocation::Sqlite(path.clone())).await?;
    let run = Run { client: &client, editor: &editor, tenant, baseline, emulator: &emulator, editable: &editable };
    measure("sqlite", &run, &sqlite).await?;
    // Checkpoints run beside the writer (xpm-store's checkpoint.rs); what is left of them when
    // the syncs end is the store's to finish on close.
    let mut wal = path.into_os_string();
    wal.push("-wal");
    let wal_mb = std::fs::metadata(&wal).map_or(0.0, |metadata| metadata.len() as f64 / 1e6);
    let closing = Instant::now();
    sqlite.close().await;
    println!(
        "sqlite: the WAL held {wal_mb:.1} MB after the syncs; closing the store (its last checkpoint) took {:.3} s",
        closing.elapsed().as_secs_f64()
    );

    match std::env::var("XPMKIT_TEST_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("xpmkit_syncbench_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await?;
            let mut url = url::Url::parse(&admin_url)?;
            url.set_path(&name);
            let postgres = Store::open(Some(url.as_str())).await?;
            let measured = measure("postgres", &run, &postgres).await;
            postgres.close().await;
            sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")).execute(&mut admin).await?;
            measured?;
        }
        Err(_) => println!("postgres: skipped (XPMKIT_TEST_DATABASE_URL is not set)"),
    }
    emulator.stop()?;
    under_xero_limits(clients).await
}

/// A first sync into SQLite from an emulator that keeps Xero's limits (60 calls a minute, 5 in
/// flight, 5,000 a day): the calls it takes.
async fn under_xero_limits(clients: usize) -> Outcome {
    let emulator = EmulatorChild::start(clients, true)?;
    let session = sign_in_at(&emulator.base_url, &["practicemanager"], &SystemClock).await?;
    let client = session.client().build()?;
    let dir = tempfile::tempdir()?;
    let store = Store::open_location(DatabaseLocation::Sqlite(dir.path().join("limits.db"))).await?;
    let options = SyncOptions::default().work(false);
    let full = sync_practice(&client, &store, emulator.tenant, &options).await?;
    println!(
        "sqlite, Xero's limits on: full sync {:.3} s, {} calls, {:.1} MB downloaded, {} clients added",
        full.duration.as_secs_f64(),
        full.calls,
        full.bytes as f64 / 1e6,
        full.counts_of("client").added
    );
    store.close().await;
    emulator.stop()
}

/// What every measurement shares.
struct Run<'a> {
    client: &'a xpm_client::XpmClient,
    /// Edits the emulator's clients (see `main`).
    editor: &'a xpm_client::XpmClient,
    tenant: uuid::Uuid,
    baseline: f64,
    emulator: &'a EmulatorChild,
    /// Live clients to edit for the incremental sync with changes.
    editable: &'a [ClientId],
}

/// The child's side: serves an emulator seeded with `clients`, says where on its first line of
/// output (`BASE_URL TENANT`), and stops when its input closes (the parent ended or stopped it).
async fn serve_emulator(clients: usize, limits: LimitSettings) -> Outcome {
    let seed = PracticeSeed { clients, ..PracticeSeed::default() };
    let emulator = Emulator::new(EmulatorSession::config(seed, limits));
    let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).ok_or("the emulator has no practice")?;
    let running = emulator.spawn().await?;
    let mut out = std::io::stdout();
    writeln!(out, "{} {tenant}", running.base_url())?;
    out.flush()?;
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await??;
    running.stop().await?;
    Ok(())
}

/// The emulator's child process.
struct EmulatorChild {
    child: Child,
    base_url: String,
    tenant: uuid::Uuid,
}

impl EmulatorChild {
    /// Starts the emulator with `clients`, with Xero's limits when `limited`.
    fn start(clients: usize, limited: bool) -> Result<Self, Box<dyn std::error::Error>> {
        let mut command = Command::new(std::env::current_exe()?);
        command.env(EMULATOR_ROLE, clients.to_string()).stdin(Stdio::piped()).stdout(Stdio::piped());
        if limited {
            command.env(EMULATOR_LIMITS, "xero");
        }
        let mut child = command.spawn()?;
        let stdout = child.stdout.take().ok_or("the emulator's output is not piped")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let (base_url, tenant) = line.trim().split_once(' ').ok_or("the emulator did not say where it listens")?;
        Ok(Self { base_url: base_url.to_owned(), tenant: tenant.parse()?, child })
    }

    fn resident_mb(&self) -> Result<f64, Box<dyn std::error::Error>> {
        status_mb(&format!("/proc/{}/status", self.child.id()), "VmRSS:")
    }

    fn cpu_seconds(&self) -> Result<f64, Box<dyn std::error::Error>> {
        stat_cpu_seconds(&std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?)
    }

    /// Closes the child's input and waits for it.
    fn stop(mut self) -> Outcome {
        drop(self.child.stdin.take());
        let status = self.child.wait()?;
        match status.success() {
            true => Ok(()),
            false => Err(format!("the emulator ended with {status}").into()),
        }
    }
}

async fn measure(backend: &str, run: &Run<'_>, store: &Store) -> Outcome {
    let Run { client, editor, tenant, baseline, emulator, editable } = *run;
    // `XPMKIT_BENCH_BATCH` tries another batch size, and `XPMKIT_BENCH_COMMIT` another number of clients per transaction.
    let batch = std::env::var("XPMKIT_BENCH_BATCH").ok().and_then(|text| text.parse().ok()).unwrap_or(500);
    let mut options = SyncOptions::default().work(false).batch_size(batch);
    if let Some(commit) = std::env::var("XPMKIT_BENCH_COMMIT").ok().and_then(|text| text.parse().ok()) {
        options = options.commit_size(commit);
    }
    let commit = options.commit_size;
    let resident = reset_peak_rss()?;
    let cpu = cpu_seconds()?;
    let emulator_cpu = emulator.cpu_seconds()?;
    let threads = thread_cpu_seconds()?;
    let full = sync_practice(client, store, tenant, &options).await?;
    let wall = full.duration.as_secs_f64();
    let peak = peak_rss_mb()?;
    let by_thread = cpu_by_thread_kind(&threads, &thread_cpu_seconds()?);
    println!(
        "{backend}: full sync (batches of {batch}, {commit} per commit) {wall:.3} s ({:.2}x the baseline), CPU {:.2} s \
         (the emulator's {:.2} s more), {} calls, {:.1} MB downloaded, {} clients, {} contacts, {} groups, {} staff added; \
         peak RSS {peak:.0} MB ({:.0} MB above the {resident:.0} MB resident when it started)",
        wall / baseline,
        cpu_seconds()? - cpu,
        emulator.cpu_seconds()? - emulator_cpu,
        full.calls,
        full.bytes as f64 / 1e6,
        full.counts_of("client").added,
        full.counts_of("contact").added,
        full.counts_of("group").added,
        full.counts_of("staff").added,
        peak - resident,
    );
    println!("{backend}: CPU of the full sync by thread: {by_thread}");
    let again = sync_practice(client, store, tenant, &options).await?;
    println!(
        "{backend}: incremental sync with no change {:.1} ms, {} calls, {} bytes, {} changes",
        again.duration.as_secs_f64() * 1e3,
        again.calls,
        again.bytes,
        again.changes()
    );
    // Each backend's edits give the clients another name, so that both read them as changed.
    let clients = editor.clients(tenant);
    for (index, &id) in editable.iter().enumerate() {
        clients.update(&ClientUpdateRequest::new(id).name(format!("Edited for {backend} {index}"))).await?;
    }
    let edited = sync_practice(client, store, tenant, &options).await?;
    println!(
        "{backend}: incremental sync after {} clients were edited {:.1} ms, {} calls, {:.1} kB, {} clients updated",
        editable.len(),
        edited.duration.as_secs_f64() * 1e3,
        edited.calls,
        edited.bytes as f64 / 1e3,
        edited.counts_of("client").updated
    );
    Ok(())
}

/// The CPU time (user and system, in seconds) of each thread of the process, by thread id, with
/// its name (`comm`), from `/proc/self/task/*/stat`. A thread that ended is missing.
fn thread_cpu_seconds() -> Result<std::collections::HashMap<String, (String, f64)>, Box<dyn std::error::Error>> {
    let mut threads = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc/self/task")? {
        let entry = entry?;
        // A thread may end between the listing and the read.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let name = stat.split_once('(').and_then(|(_, rest)| rest.rsplit_once(')')).map_or("?", |(name, _)| name);
        threads.insert(entry.file_name().to_string_lossy().into_owned(), (name.to_owned(), stat_cpu_seconds(&stat)?));
    }
    Ok(threads)
}

/// How much CPU each kind of thread (the name less any number: SQLite's workers, tokio's
/// workers, the main thread) used between two readings of [`thread_cpu_seconds`].
fn cpu_by_thread_kind(
    before: &std::collections::HashMap<String, (String, f64)>,
    after: &std::collections::HashMap<String, (String, f64)>,
) -> String {
    let mut kinds: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    for (id, (name, seconds)) in after {
        let earlier = before.get(id).map_or(0.0, |(_, seconds)| *seconds);
        *kinds.entry(name.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()).or_default() += seconds - earlier;
    }
    kinds.iter().map(|(kind, seconds)| format!("{kind} {seconds:.2} s")).collect::<Vec<_>>().join(", ")
}

/// Resets the process's peak resident set to its current one (writing 5 to `clear_refs`, Linux
/// 4.0 and later: <https://www.kernel.org/doc/html/latest/filesystems/proc.html>) and returns it,
/// in MB.
fn reset_peak_rss() -> Result<f64, Box<dyn std::error::Error>> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    status_mb("/proc/self/status", "VmRSS:")
}

/// The process's peak resident set (`VmHWM`), in MB.
fn peak_rss_mb() -> Result<f64, Box<dyn std::error::Error>> {
    status_mb("/proc/self/status", "VmHWM:")
}

/// A field of a process's `status` file (at `path`), in MB.
fn status_mb(path: &str, field: &str) -> Result<f64, Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string(path)?;
    let line = status.lines().find_map(|line| line.strip_prefix(field)).ok_or("no such line in a /proc status")?;
    let kb: f64 = line.trim().trim_end_matches("kB").trim().parse()?;
    Ok(kb / 1024.0)
}

/// The CPU time of every thread of the process so far (user and system), from `/proc/self/stat`,
/// whose times are in clock ticks of 1/100 s on Linux.
fn cpu_seconds() -> Result<f64, Box<dyn std::error::Error>> {
    stat_cpu_seconds(&std::fs::read_to_string("/proc/self/stat")?)
}

/// User plus system time from a `stat` line of `/proc` (a process's or a thread's).
fn stat_cpu_seconds(stat: &str) -> Result<f64, Box<dyn std::error::Error>> {
    // The fields after the command name (in parentheses, which may hold spaces): utime and
    // stime are the 14th and 15th of the line, the 12th and 13th after it.
    let after = stat.rsplit_once(')').ok_or("no command name in /proc/self/stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |index: usize| -> Result<f64, Box<dyn std::error::Error>> {
        Ok(fields.get(index).ok_or("a short /proc/self/stat")?.parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}
