//! How fast the emulator answers, measured from outside: `xpmkit mock` runs as a child process
//! with 15,000 clients and limits off, so the load generator and the server are separate
//! processes and the server's peak memory can be read from `/proc/<pid>/status`.
//!
//! Run with `cargo bench -p xpmkit --bench emulator` (`EMULATOR_BENCH_SECONDS` shortens the
//! load runs, e.g. under a profiler). It measures:
//!
//! - startup, from the banner's `ready in N ms`;
//! - `client.api/get/{uuid}` over 32 keep-alive connections, with `wrk` when it is on `PATH`
//!   and always with a built-in hyper load generator;
//! - the ~50 MB `client.api/list?detailed=true`, read as a stream, and decoded once with
//!   [`XmlList`] to check it holds every client;
//! - the server's peak RSS (`VmHWM`).
//!
//! Every figure is printed beside its target. A miss is reported, not failed: this is a
//! benchmark, not a timed test. A wrong answer (an undecodable list, a missing client) does fail.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::header::{AUTHORIZATION, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use xpm_api::catalog::API_PATH_PREFIX;
use xpm_api::model::Client;
use xpm_api::response::XmlList;
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

const CLIENTS: usize = 15_000;
const CONNECTIONS: usize = 32;
const STREAM_RUNS: usize = 5;
const REDIRECT_URI: &str = "http://localhost:8765/callback";

const TARGET_REQUESTS_PER_SECOND: f64 = 15_000.0;
const TARGET_P99_MS: f64 = 10.0;
const TARGET_STREAM_MB_PER_SECOND: f64 = 300.0;
const TARGET_RSS_MB: f64 = 500.0;
const TARGET_STARTUP_MS: f64 = 2_000.0;

fn main() {
    let seconds = std::env::var("EMULATOR_BENCH_SECONDS").ok().and_then(|text| text.parse().ok()).unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the benchmark's tokio runtime starts");
    // Other work on the machine skews every figure; the report shows how busy it was.
    let load_before = load_average();
    let server = ServerProcess::start();
    let report = runtime.block_on(measure(&server, Duration::from_secs(seconds)));
    let peak_rss_kb = proc_status_kb(server.pid(), "VmHWM").expect("the server's /proc/<pid>/status has VmHWM");
    drop(server);
    let correct = report.print(peak_rss_kb, &load_before);
    if !correct {
        std::process::exit(1);
    }
}

/// The emulator as a child process, killed when dropped (also when the benchmark panics).
struct ServerProcess {
    child: Child,
    base: String,
    ready_ms: f64,
    spawn_to_listening: Duration,
}

impl ServerProcess {
    fn start() -> Self {
        let spawned = Instant::now();
        let clients = CLIENTS.to_string();
        let mut child = Command::new(env!("CARGO_BIN_EXE_xpmkit"))
            .args(["mock", "--port", "0", "--clients", &clients, "--limits", "off", "--auto-consent"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("`xpmkit mock` starts");
        let stdout = child.stdout.take().expect("the child's stdout is piped");
        let mut server = Self { child, base: String::new(), ready_ms: 0.0, spawn_to_listening: Duration::ZERO };
        let (banner_sender, banner) = mpsc::channel();
        // The reader keeps draining stdout after the banner so the server never blocks on a
        // full pipe.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|read| read > 0) {
                if line.contains("listening on ") {
                    let _ = banner_sender.send(line.clone());
                }
                line.clear();
            }
        });
        let line = banner.recv_timeout(Duration::from_secs(60)).expect("`xpmkit mock` prints its banner within 60 s");
        server.spawn_to_listening = spawned.elapsed();
        let (base, ready_ms) = parse_banner(&line).expect("the banner reads `listening on URL (ready in N ms)`");
        server.base = base;
        server.ready_ms = ready_ms;
        server
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `… listening on http://127.0.0.1:PORT (ready in N ms)` → the URL and N.
fn parse_banner(line: &str) -> Option<(String, f64)> {
    let (_, rest) = line.split_once("listening on ")?;
    let (base, rest) = rest.split_once(" (ready in ")?;
    let (ms, _) = rest.split_once(" ms)")?;
    Some((base.trim().to_owned(), ms.trim().parse().ok()?))
}

/// The one-minute load average, from `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// `VmHWM:  198296 kB` → 198296.
fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with(field) && line[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// The server's CPU time so far (user + system), from `/proc/<pid>/stat`.
fn server_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name, which may hold spaces; utime and stime are
    // fields 14 and 15 of the whole line, in USER_HZ ticks (100 a second on Linux).
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Server CPU spent since `before`, divided over `count` requests.
fn cpu_per(pid: u32, before: Option<Duration>, count: u64) -> Option<Duration> {
    let spent = server_cpu(pid)?.checked_sub(before?)?;
    let count = u32::try_from(count).ok().filter(|count| *count > 0)?;
    Some(spent / count)
}

/// A bearer token and tenant, obtained through the same flow an app uses.
struct Session {
    access_token: String,
    tenant: String,
}

async fn sign_in(base: &str) -> Session {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the reqwest client builds");
    let authorize = http
        .get(format!("{base}/identity/connect/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", DEMO_CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid profile email offline_access practicemanager"),
            ("state", "bench"),
        ])
        .send()
        .await
        .expect("authorize answers");
    let location = authorize
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .expect("auto-consent redirects back with a Location");
    let location = reqwest::Url::parse(location).expect("the Location is a URL");
    let code = location
        .query_pairs()
        .find_map(|(name, value)| (name == "code").then(|| value.into_owned()))
        .expect("the redirect carries a code");
    let tokens: serde_json::Value = http
        .post(format!("{base}/connect/token"))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT_URI)])
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the token endpoint answers 200")
        .json()
        .await
        .expect("the token response is JSON");
    let access_token = tokens["access_token"].as_str().expect("the token response has access_token").to_owned();
    let connections: serde_json::Value = http
        .get(format!("{base}/connections"))
        .bearer_auth(&access_token)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("/connections answers 200")
        .json()
        .await
        .expect("/connections is JSON");
    let tenant = connections[0]["tenantId"].as_str().expect("one connection with a tenantId").to_owned();
    Session { access_token, tenant }
}

/// Everything measured, for the report.
struct Report {
    base: String,
    pid: u32,
    ready_ms: f64,
    spawn_to_listening: Duration,
    wrk: Result<LoadFigures, String>,
    builtin: LoadFigures,
    stream: StreamFigures,
}

/// One load run on `client.api/get/{uuid}`; latencies in milliseconds.
struct LoadFigures {
    requests_per_second: f64,
    requests: u64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    errors: u64,
    non_200: u64,
    /// Server CPU time (user + system) per request over the whole run, warm-up included.
    server_cpu_us: Option<f64>,
}

struct StreamFigures {
    median_mb_per_second: f64,
    /// Until the status line and headers arrive: the handler has built the list by then.
    median_ms_to_headers: f64,
    runs_mb_per_second: Vec<f64>,
    bytes: u64,
    decoded_items: usize,
    decode_error: Option<String>,
    /// Server CPU time per streamed read.
    server_cpu_ms: Option<f64>,
}

async fn measure(server: &ServerProcess, duration: Duration) -> Report {
    let session = sign_in(&server.base).await;
    let api = format!("{}{API_PATH_PREFIX}", server.base);
    let uuid = first_client_uuid(&api, &session).await;
    let get_url = format!("{api}/client.api/get/{uuid}");
    let pid = server.pid();
    let cpu_before = server_cpu(pid);
    let wrk = run_wrk(&get_url, &session, duration).map(|mut figures| {
        figures.server_cpu_us = cpu_per(pid, cpu_before, figures.requests).map(|cpu| cpu.as_secs_f64() * 1e6);
        figures
    });
    let cpu_before = server_cpu(pid);
    let (mut builtin, sent) = run_builtin(&get_url, &session, duration).await;
    builtin.server_cpu_us = cpu_per(pid, cpu_before, sent).map(|cpu| cpu.as_secs_f64() * 1e6);
    let stream = run_stream(&api, &session, pid).await;
    Report {
        base: server.base.clone(),
        pid: server.pid(),
        ready_ms: server.ready_ms,
        spawn_to_listening: server.spawn_to_listening,
        wrk,
        builtin,
        stream,
    }
}

async fn first_client_uuid(api: &str, session: &Session) -> String {
    let body = reqwest::Client::new()
        .get(format!("{api}/client.api/paged-list?pageSize=5"))
        .bearer_auth(&session.access_token)
        .header("Xero-Tenant-Id", &session.tenant)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("paged-list answers 200")
        .bytes()
        .await
        .expect("paged-list body arrives");
    let first =
        XmlList::<_, Client>::new(&body[..]).next().expect("paged-list has a client").expect("paged-list decodes");
    first.uuid.expect("the client has a UUID").to_string()
}

/// `wrk -t2 -c32 -d10s --latency`, or why it did not run.
fn run_wrk(url: &str, session: &Session, duration: Duration) -> Result<LoadFigures, String> {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{}s", duration.as_secs()), "--latency"])
        .args(["-H", &format!("Authorization: Bearer {}", session.access_token)])
        .args(["-H", &format!("Xero-Tenant-Id: {}", session.tenant)])
        .arg(url)
        .output()
        .map_err(|error| format!("wrk did not run ({error}); `apt-get install -y wrk` adds it"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
}

fn parse_wrk(text: &str) -> Option<LoadFigures> {
    let after = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix).map(|rest| rest.split_whitespace().collect::<Vec<_>>()))
    };
    let requests_per_second = after("Requests/sec:")?.first()?.parse().ok()?;
    let max_ms = wrk_duration_ms(after("Latency")?.get(2)?)?;
    let p50_ms = wrk_duration_ms(after("50%")?.first()?)?;
    let p99_ms = wrk_duration_ms(after("99%")?.first()?)?;
    let requests = text.lines().find_map(|line| line.trim().split_once(" requests in ")?.0.parse().ok())?;
    let non_200 = after("Non-2xx or 3xx responses:").and_then(|words| words.first()?.parse().ok()).unwrap_or(0);
    // `Socket errors: connect 0, read 0, write 0, timeout 0`
    let errors = after("Socket errors:")
        .map_or(0, |words| words.iter().filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok()).sum());
    Some(LoadFigures { requests_per_second, requests, p50_ms, p99_ms, max_ms, errors, non_200, server_cpu_us: None })
}

/// wrk's `812.00us`, `2.87ms`, `1.02s`, `1.50m` → milliseconds.
fn wrk_duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|character: char| character.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(value * scale)
}

/// What one load task saw.
struct TaskTally {
    latencies_us: Histogram<u64>,
    errors: u64,
    non_200: u64,
    /// Answered requests, warm-up included.
    sent: u64,
}

/// 32 tasks, each on its own keep-alive HTTP/1.1 connection, after a one-second warm-up. Also
/// returns how many requests were answered, warm-up included.
async fn run_builtin(url: &str, session: &Session, duration: Duration) -> (LoadFigures, u64) {
    let get = ApiGet::new(url, session);
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop_at = warm_until + duration;
    let tasks: Vec<_> = (0..CONNECTIONS).map(|_| tokio::spawn(load_task(get.clone(), warm_until, stop_at))).collect();
    let mut total = TaskTally { latencies_us: new_histogram(), errors: 0, non_200: 0, sent: 0 };
    for task in tasks {
        let tally = task.await.expect("a load task finishes");
        total.latencies_us.add(&tally.latencies_us).expect("histograms with the same bounds merge");
        total.errors += tally.errors;
        total.non_200 += tally.non_200;
        total.sent += tally.sent;
    }
    let latencies = &total.latencies_us;
    let ms = |micros: u64| micros as f64 / 1_000.0;
    let figures = LoadFigures {
        requests_per_second: latencies.len() as f64 / duration.as_secs_f64(),
        requests: latencies.len(),
        p50_ms: ms(latencies.value_at_quantile(0.50)),
        p99_ms: ms(latencies.value_at_quantile(0.99)),
        max_ms: ms(latencies.max()),
        errors: total.errors,
        non_200: total.non_200,
        server_cpu_us: None,
    };
    (figures, total.sent)
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("1 µs to 60 s at 3 digits is a valid histogram")
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

/// An authenticated `GET` of one API URL, ready to send on a hyper connection.
#[derive(Clone)]
struct ApiGet {
    uri: hyper::Uri,
    path: hyper::Uri,
    host: HeaderValue,
    authorization: HeaderValue,
    tenant: HeaderValue,
}

impl ApiGet {
    fn new(url: &str, session: &Session) -> Self {
        let uri: hyper::Uri = url.parse().expect("the API URL parses");
        let path = hyper::Uri::from(uri.path_and_query().cloned().expect("the API URL has a path"));
        let host = HeaderValue::from_str(uri.authority().map_or("127.0.0.1", |authority| authority.as_str()))
            .expect("the authority is a header value");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", session.access_token)).expect("the token is a header value");
        authorization.set_sensitive(true);
        let tenant = HeaderValue::from_str(&session.tenant).expect("the tenant is a header value");
        Self { uri, path, host, authorization, tenant }
    }

    fn request(&self) -> hyper::Request<Empty<Bytes>> {
        let mut request = hyper::Request::new(Empty::<Bytes>::new());
        *request.uri_mut() = self.path.clone();
        let headers = request.headers_mut();
        headers.insert(HOST, self.host.clone());
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert("xero-tenant-id", self.tenant.clone());
        request
    }
}

async fn connect(uri: &hyper::Uri) -> Result<Sender, String> {
    let host = uri.host().ok_or("the URL has no host")?;
    let stream =
        tokio::net::TcpStream::connect((host, uri.port_u16().unwrap_or(80))).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|error| error.to_string())?;
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn load_task(get: ApiGet, warm_until: Instant, stop_at: Instant) -> TaskTally {
    let mut tally = TaskTally { latencies_us: new_histogram(), errors: 0, non_200: 0, sent: 0 };
    let mut sender: Option<Sender> = None;
    while Instant::now() < stop_at {
        let connection = match sender.as_mut() {
            Some(connection) => connection,
            None => match connect(&get.uri).await {
                Ok(connection) => sender.insert(connection),
                Err(_) => {
                    tally.errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let started = Instant::now();
        let outcome = match connection.send_request(get.request()).await {
            Ok(response) => {
                let status = response.status();
                response.into_body().collect().await.map(|_| status).map_err(|error| error.to_string())
            }
            Err(error) => Err(error.to_string()),
        };
        let elapsed = started.elapsed();
        let finished = Instant::now();
        if outcome.is_ok() {
            tally.sent += 1;
        }
        match outcome {
            Ok(status) if finished >= warm_until && finished < stop_at => {
                tally.latencies_us.saturating_record(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
                if status != hyper::StatusCode::OK {
                    tally.non_200 += 1;
                }
            }
            Ok(_) => {}
            Err(_) => {
                tally.errors += 1;
                sender = None;
            }
        }
    }
    tally
}

/// Reads the detailed list `STREAM_RUNS` times as a stream on one keep-alive connection,
/// counting bytes as they arrive, then once more to decode it.
async fn run_stream(api: &str, session: &Session, pid: u32) -> StreamFigures {
    let url = format!("{api}/client.api/list?detailed=true");
    let get = ApiGet::new(&url, session);
    let mut connection = connect(&get.uri).await.expect("a connection to the emulator");
    let mut runs = Vec::with_capacity(STREAM_RUNS);
    let mut to_headers = Vec::with_capacity(STREAM_RUNS);
    let mut bytes = 0;
    let cpu_before = server_cpu(pid);
    for _ in 0..STREAM_RUNS {
        connection.ready().await.expect("the connection takes the next request");
        let started = Instant::now();
        let response = connection.send_request(get.request()).await.expect("the detailed list answers");
        assert_eq!(response.status(), hyper::StatusCode::OK, "the detailed list answers 200");
        to_headers.push(started.elapsed().as_secs_f64() * 1e3);
        let mut body = response.into_body();
        let mut received = 0u64;
        while let Some(frame) = body.frame().await {
            let frame = frame.expect("the detailed list streams to the end");
            received += frame.data_ref().map_or(0, |data| data.len() as u64);
        }
        runs.push(received as f64 / 1e6 / started.elapsed().as_secs_f64());
        bytes = received;
    }
    let server_cpu_ms = cpu_per(pid, cpu_before, STREAM_RUNS as u64).map(|cpu| cpu.as_secs_f64() * 1e3);
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    to_headers.sort_by(f64::total_cmp);
    let request = || {
        reqwest::Client::new().get(&url).bearer_auth(&session.access_token).header("Xero-Tenant-Id", &session.tenant)
    };
    let body = request().send().await.expect("the detailed list answers").bytes().await.expect("the list arrives");
    let (decoded_items, decode_error) = match XmlList::<_, Client>::new(&body[..]).collect_all() {
        Ok((items, _)) if items.iter().all(|client| client.uuid.is_some()) => (items.len(), None),
        Ok((items, _)) => (items.len(), Some("a client has no UUID".to_owned())),
        Err(error) => (0, Some(error.to_string())),
    };
    StreamFigures {
        median_mb_per_second: sorted[sorted.len() / 2],
        median_ms_to_headers: to_headers[to_headers.len() / 2],
        runs_mb_per_second: runs,
        bytes,
        decoded_items,
        decode_error,
        server_cpu_ms,
    }
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "MISS" }
}

impl Report {
    /// Prints the report; returns whether every correctness check held.
    fn print(&self, peak_rss_kb: u64, load_before: &str) -> bool {
        let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
        println!();
        println!("xpmkit emulator benchmark: {CLIENTS} clients, limits off, {cpus} CPUs shared by server and load");
        println!("server: `xpmkit mock` pid {} at {}", self.pid, self.base);
        println!("load average: {load_before} before, {} after (1 min)", load_average());
        println!();
        println!("{:<46} {:>22}  {:>16}  result", "figure", "measured", "target");
        let row = |name: &str, measured: String, target: &str, result: &str| {
            println!("{name:<46} {measured:>22}  {target:>16}  {result}");
        };
        let startup_target = format!("< {TARGET_STARTUP_MS:.0} ms");
        row(
            "startup (banner `ready in`)",
            format!("{:.0} ms", self.ready_ms),
            &startup_target,
            verdict(self.ready_ms < TARGET_STARTUP_MS),
        );
        row("  spawn to listening (wall clock)", format!("{} ms", self.spawn_to_listening.as_millis()), "", "");
        match &self.wrk {
            Ok(figures) => figures.print("client.api/get/{uuid}, 32 conns, wrk -t2", &row),
            Err(reason) => println!("client.api/get/{{uuid}} with wrk: skipped: {reason}"),
        }
        self.builtin.print("client.api/get/{uuid}, 32 conns, built-in", &row);
        let stream = &self.stream;
        let runs: Vec<String> = stream.runs_mb_per_second.iter().map(|rate| format!("{rate:.0}")).collect();
        println!("client.api/list?detailed=true, {STREAM_RUNS} streamed reads (MB/s: {})", runs.join(", "));
        row(
            "  throughput (median)",
            format!("{:.0} MB/s", stream.median_mb_per_second),
            &format!(">= {TARGET_STREAM_MB_PER_SECOND:.0} MB/s"),
            verdict(stream.median_mb_per_second >= TARGET_STREAM_MB_PER_SECOND),
        );
        row("  body", format!("{:.1} MB", stream.bytes as f64 / 1e6), "", "");
        row("  time to headers (median)", format!("{:.0} ms", stream.median_ms_to_headers), "", "");
        if let Some(cpu_ms) = stream.server_cpu_ms {
            row("  server CPU per list", format!("{cpu_ms:.0} ms"), "", "");
            row(
                "  body per server CPU-second",
                format!("{:.0} MB", stream.bytes as f64 / 1e6 / (cpu_ms / 1e3)),
                "",
                "",
            );
        }
        let decoded = stream.decode_error.is_none() && stream.decoded_items == CLIENTS;
        row(
            "  decodes as XmlList<Client>",
            format!("{} items", stream.decoded_items),
            &format!("{CLIENTS} items"),
            if decoded { "PASS" } else { "FAIL" },
        );
        if let Some(error) = &stream.decode_error {
            println!("    decode error: {error}");
        }
        let rss_mb = peak_rss_kb as f64 / 1024.0;
        row(
            "server peak RSS (VmHWM)",
            format!("{rss_mb:.0} MB"),
            &format!("< {TARGET_RSS_MB:.0} MB"),
            verdict(rss_mb < TARGET_RSS_MB),
        );
        println!();
        println!("for scale, on the same spec:");
        println!("  Stoplight Prism            210-330 req/s, p99 > 500 ms, cannot produce XML");
        println!("  WireMock (static stub)     ~3,300 req/s; 2.9 GB of memory for the 46.5 MB list");
        println!();
        decoded
    }
}

impl LoadFigures {
    fn print(&self, title: &str, row: &dyn Fn(&str, String, &str, &str)) {
        println!("{title} ({} requests)", self.requests);
        row(
            "  throughput",
            format!("{:.0} req/s", self.requests_per_second),
            &format!(">= {TARGET_REQUESTS_PER_SECOND:.0} req/s"),
            verdict(self.requests_per_second >= TARGET_REQUESTS_PER_SECOND),
        );
        row("  p50", format!("{:.2} ms", self.p50_ms), "", "");
        row(
            "  p99",
            format!("{:.2} ms", self.p99_ms),
            &format!("< {TARGET_P99_MS:.0} ms"),
            verdict(self.p99_ms < TARGET_P99_MS),
        );
        row("  max", format!("{:.2} ms", self.max_ms), "", "");
        row(
            "  errors / non-200",
            format!("{} / {}", self.errors, self.non_200),
            "0 / 0",
            verdict(self.errors + self.non_200 == 0),
        );
        if let Some(cpu_us) = self.server_cpu_us {
            row("  server CPU per request", format!("{cpu_us:.0} µs"), "", "");
        }
    }
}
