//! Decode throughput and memory on a detailed client list of a large practice.
//!
//! ```text
//! cargo bench -p xpm-api --bench decode_client_list
//! ```
//!
//! Generates the synthetic 15,000-client `client.api/list?detailed=true` body (about 48 MB) once
//! into `target/xpm-bench/`, then measures in the same run, on that file:
//!
//! - (a) a raw quick-xml event scan: `read_event_into` over a `BufReader`, touching every event
//!   and decoding nothing. No decoder built on quick-xml can beat it, so it is the baseline.
//! - (b) typed streaming: `XmlList<_, Client>`, each client dropped as soon as it is decoded.
//! - (c) typed decoding into a `Vec<Client>`.
//!
//! The same list as XPM's JSON (written once beside it) is measured the same way against its own
//! baseline, serde_json skipping the whole body (`IgnoredAny`) from memory:
//!
//! - (d) `decode_list_json` on the body in memory, into a `Vec<Client>`;
//! - (e) typed streaming from the file (`stream_list_json`, each client dropped once decoded).
//!
//! Each is run `XPM_BENCH_RUNS` times (default 9), interleaved so that drift in machine speed
//! hits all three alike; the best run is reported, with the median beside it. Peak memory is measured in child processes
//! (this binary re-run with `--child MODE FILE`) that report their `VmHWM`, so each figure is a
//! clean process's high-water mark. `XPM_BENCH_CLIENTS` changes the client count.
//! A plain harness rather than criterion: the point is one report with ratios between the three.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use serde::de::IgnoredAny;
use xpm_api::model::Client;
use xpm_api::response::{Envelope, JsonListWriter, XmlList, decode_list_json, stream_list_json};
use xpm_synth::{Layout, Practice, PracticeSpec};

/// Every reader gets the same buffer, so the comparison is about decoding, not I/O.
const READ_BUFFER: usize = 64 * 1024;

/// The share of the raw scan's speed that typed streaming must reach (the project's goal,
/// BENCHMARKS.md).
const TARGET_RATIO: f64 = 0.60;

/// The peak memory streaming must stay under (the project's goal, BENCHMARKS.md).
const TARGET_PEAK_MB: f64 = 32.0;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, mode, path] = args.as_slice()
        && flag == "--child"
    {
        return child(mode, Path::new(path));
    }

    let runs = usize::try_from(env_number("XPM_BENCH_RUNS", 9).max(1))?;
    let clients = u32::try_from(env_number("XPM_BENCH_CLIENTS", PracticeSpec::DEFAULT_CLIENTS.into()))?;
    let spec = PracticeSpec { clients, ..PracticeSpec::default() };
    let path = bench_dir()?.join(format!("client-list-{}-{:x}.xml", spec.clients, spec.seed));

    let started = Instant::now();
    let mut out = BufWriter::new(File::create(&path)?);
    let summary = Practice::new(spec).write_client_list(&mut out, Layout::default())?;
    out.flush()?;
    drop(out);
    let generation = started.elapsed();
    let megabytes = summary.bytes as f64 / 1e6;
    println!("decode_client_list: {} clients, {megabytes:.1} MB ({})", summary.clients, path.display());
    println!("  generated in {:.2} s ({:.0} MB/s)", generation.as_secs_f64(), megabytes / generation.as_secs_f64());

    // One untimed pass of each warms the page cache, the allocator and the branch predictors,
    // and checks that all three see the whole list.
    let expected = u64::from(summary.clients);
    for (name, measure) in MEASURES {
        let (_, items) = measure(&path)?;
        if name != "raw quick-xml scan" && items != expected {
            return Err(format!("{name} decoded {items} clients, expected {expected}").into());
        }
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); MEASURES.len()];
    for _ in 0..runs {
        for ((_, measure), samples) in MEASURES.iter().zip(&mut times) {
            samples.push(measure(&path)?.0);
        }
    }

    // The fastest run is the figure: other work on the machine only ever adds time, so the
    // best of several runs is the steadiest estimate of what the code costs. The median shows
    // how noisy the machine was.
    println!("  best of {runs} runs [median], MB = 10^6 bytes:");
    let raw = best(&times[0]).as_secs_f64();
    let raw_median = median(&mut times[0]).as_secs_f64();
    for ((name, _), samples) in MEASURES.iter().zip(&mut times) {
        let seconds = best(samples).as_secs_f64();
        let median_seconds = median(samples).as_secs_f64();
        let ratio = raw / seconds;
        let note = if *name == "typed streaming" {
            verdict(ratio >= TARGET_RATIO, &format!("≥ {TARGET_RATIO:.2}x"))
        } else {
            String::new()
        };
        println!(
            "  {name:<22} {:>6.0} MB/s  {seconds:>6.3} s [{median_seconds:.3} s]  {ratio:.2}x raw scan \
             [{:.2}x]{note}",
            megabytes / seconds,
            raw_median / median_seconds
        );
    }

    let json_path = path.with_extension("json");
    write_json_copy(&path, &json_path)?;
    json_section(&json_path, runs, expected)?;

    println!("  peak RSS (VmHWM of a child process reading the file):");
    for (mode, file) in
        [("scan", &path), ("stream", &path), ("vec", &path), ("json-slice", &json_path), ("json-stream", &json_path)]
    {
        let peak = child_peak_mb(mode, file)?;
        let note = if mode == "stream" || mode == "json-stream" {
            verdict(peak < TARGET_PEAK_MB, &format!("< {TARGET_PEAK_MB:.0} MB"))
        } else {
            String::new()
        };
        let label = match mode {
            "scan" => "raw quick-xml scan",
            "stream" => "typed streaming",
            "json-slice" => "json slice into Vec",
            "json-stream" => "json typed streaming",
            _ => "typed into Vec<Client>",
        };
        println!("  {label:<22} {peak:>6.1} MB{note}");
    }
    Ok(())
}

type Measure = fn(&Path) -> BenchResult<(Duration, u64)>;

const MEASURES: [(&str, Measure); 3] =
    [("raw quick-xml scan", raw_scan), ("typed streaming", typed_streaming), ("typed into Vec<Client>", typed_vec)];

fn open(path: &Path) -> BenchResult<BufReader<File>> {
    Ok(BufReader::with_capacity(READ_BUFFER, File::open(path)?))
}

/// (a) Every event read and touched, nothing decoded. Returns the number of events.
fn raw_scan(path: &Path) -> BenchResult<(Duration, u64)> {
    let source = open(path)?;
    let started = Instant::now();
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::with_capacity(4096);
    let mut events = 0u64;
    let mut touched = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Eof => break,
            event => {
                events += 1;
                touched = touched.wrapping_add(event.len());
            }
        }
    }
    black_box(touched);
    Ok((started.elapsed(), events))
}

/// (b) Clients decoded one at a time and dropped.
fn typed_streaming(path: &Path) -> BenchResult<(Duration, u64)> {
    let source = open(path)?;
    let started = Instant::now();
    let mut clients = 0u64;
    for client in XmlList::<_, Client>::new(source) {
        // A reference, so the client counts as used without copying its 1.4 KB to the stack.
        black_box(&client?);
        clients += 1;
    }
    Ok((started.elapsed(), clients))
}

/// (c) All clients decoded into one `Vec`; freeing it is not timed.
fn typed_vec(path: &Path) -> BenchResult<(Duration, u64)> {
    let source = open(path)?;
    let started = Instant::now();
    let (clients, _envelope) = XmlList::<_, Client>::new(source).collect_all()?;
    let elapsed = started.elapsed();
    let count = clients.len() as u64;
    drop(black_box(clients));
    Ok((elapsed, count))
}

/// Writes the list in `xml` as XPM's JSON to `json`, once.
fn write_json_copy(xml: &Path, json: &Path) -> BenchResult<()> {
    if json.exists() {
        return Ok(());
    }
    let (clients, envelope) = XmlList::<_, Client>::new(open(xml)?).collect_all()?;
    let mut writer = JsonListWriter::<_, Client>::start(BufWriter::new(File::create(json)?))?;
    for client in &clients {
        writer.push(client)?;
    }
    writer.finish(&Envelope { api_method: None, ..envelope })?;
    Ok(())
}

/// The JSON measures against serde_json's own skim of the body, interleaved like the XML ones.
fn json_section(path: &Path, runs: usize, expected: u64) -> BenchResult<()> {
    let megabytes = std::fs::metadata(path)?.len() as f64 / 1e6;
    println!("  the same list as JSON, {megabytes:.1} MB, best of {runs} runs [median]:");
    for (name, measure) in JSON_MEASURES {
        let (_, items) = measure(path)?;
        if name != "serde_json skip (slice)" && items != expected {
            return Err(format!("{name} decoded {items} clients, expected {expected}").into());
        }
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); JSON_MEASURES.len()];
    for _ in 0..runs {
        for ((_, measure), samples) in JSON_MEASURES.iter().zip(&mut times) {
            samples.push(measure(path)?.0);
        }
    }
    let raw = best(&times[0]).as_secs_f64();
    let raw_median = median(&mut times[0]).as_secs_f64();
    for ((name, _), samples) in JSON_MEASURES.iter().zip(&mut times) {
        let seconds = best(samples).as_secs_f64();
        let median_seconds = median(samples).as_secs_f64();
        println!(
            "  {name:<26} {:>6.0} MB/s  {seconds:>6.3} s [{median_seconds:.3} s]  {:.2}x skip [{:.2}x]",
            megabytes / seconds,
            raw / seconds,
            raw_median / median_seconds
        );
    }
    Ok(())
}

const JSON_MEASURES: [(&str, Measure); 3] = [
    ("serde_json skip (slice)", json_skip),
    ("json slice into Vec", json_slice),
    ("json typed streaming", json_streaming),
];

/// The body read into memory, untimed: the slice decoders need it whole.
fn read_body(path: &Path) -> BenchResult<Vec<u8>> {
    Ok(std::fs::read(path)?)
}

/// (d0) serde_json skipping every value: the baseline of the JSON measures.
fn json_skip(path: &Path) -> BenchResult<(Duration, u64)> {
    let body = read_body(path)?;
    let started = Instant::now();
    let skipped: IgnoredAny = serde_json::from_slice(&body)?;
    black_box(skipped);
    Ok((started.elapsed(), 0))
}

/// (d) `decode_list_json` on the body in memory.
fn json_slice(path: &Path) -> BenchResult<(Duration, u64)> {
    let body = read_body(path)?;
    let started = Instant::now();
    let (clients, _envelope) = decode_list_json::<Client>(&body)?;
    let elapsed = started.elapsed();
    let count = clients.len() as u64;
    drop(black_box(clients));
    Ok((elapsed, count))
}

/// (e) Clients decoded from the file one at a time and dropped.
fn json_streaming(path: &Path) -> BenchResult<(Duration, u64)> {
    let source = open(path)?;
    let started = Instant::now();
    let mut count = 0u64;
    stream_list_json::<Client, _, std::convert::Infallible>(source, |client| {
        black_box(&client);
        count += 1;
        Ok(())
    })?;
    Ok((started.elapsed(), count))
}

/// Runs one measurement in this process and prints its peak memory for the parent to read.
fn child(mode: &str, path: &Path) -> BenchResult<()> {
    let measure = match mode {
        "scan" => raw_scan,
        "stream" => typed_streaming,
        "vec" => typed_vec,
        "json-slice" => json_slice,
        "json-stream" => json_streaming,
        _ => return Err(format!("unknown child mode {mode}").into()),
    };
    measure(path)?;
    let status = std::fs::read_to_string("/proc/self/status")?;
    let peak = status.lines().find_map(|line| line.strip_prefix("VmHWM:")).ok_or("no VmHWM in /proc/self/status")?;
    println!("VmHWM:{}", peak.trim());
    Ok(())
}

/// Peak RSS, in MB, of a child process running `mode` on `path`.
fn child_peak_mb(mode: &str, path: &Path) -> BenchResult<f64> {
    let output = Command::new(std::env::current_exe()?).arg("--child").arg(mode).arg(path).output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("child {mode} failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let kib: f64 = stdout
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("child {mode} printed no VmHWM: {stdout}"))?;
    Ok(kib * 1024.0 / 1e6)
}

/// `target/xpm-bench`, found from this executable's path (`target/release/deps/…`).
fn bench_dir() -> BenchResult<PathBuf> {
    let exe = std::env::current_exe()?;
    let target = exe.ancestors().nth(3).map_or_else(std::env::temp_dir, Path::to_path_buf);
    let dir = target.join("xpm-bench");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn best(samples: &[Duration]) -> Duration {
    samples.iter().copied().min().unwrap_or_default()
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn verdict(met: bool, target: &str) -> String {
    format!("  (target {target}: {})", if met { "met" } else { "MISSED" })
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}
