//! Streams a detailed client list through `XmlList<_, Client>` and reports the peak memory used.
//!
//! ```text
//! # write the synthetic 15,000-client list (about 48 MB), then stream it
//! cargo run --release -p xpm-api --example stream_client_list -- --generate target/clients.xml
//! cargo run --release -p xpm-api --example stream_client_list -- target/clients.xml
//! ```
//!
//! Peak memory is the process's high-water mark (`VmHWM` in `/proc/self/status`, Linux only), so
//! it covers everything the process ever held, not an estimate. Each client is dropped as soon as
//! it is decoded, which is how a sync engine consumes the list.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use xpm_api::model::Client;
use xpm_api::response::XmlList;
use xpm_synth::{Layout, Practice, PracticeSpec};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, path] if flag == "--generate" => generate(path),
        [path] if !path.starts_with('-') => stream(path),
        _ => Err("usage: stream_client_list FILE | stream_client_list --generate FILE".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(path: &str) -> Result<(), String> {
    let started = Instant::now();
    let file = File::create(path).map_err(|error| format!("cannot create {path}: {error}"))?;
    let mut out = BufWriter::new(file);
    let summary = Practice::new(PracticeSpec::default())
        .write_client_list(&mut out, Layout::default())
        .and_then(|summary| out.flush().map(|()| summary))
        .map_err(|error| format!("cannot write {path}: {error}"))?;
    let seconds = started.elapsed().as_secs_f64();
    println!("wrote {} clients, {:.1} MB, to {path} in {seconds:.2} s", summary.clients, summary.bytes as f64 / 1e6);
    Ok(())
}

fn stream(path: &str) -> Result<(), String> {
    let file = File::open(path).map_err(|error| format!("cannot open {path}: {error}"))?;
    let bytes = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let started = Instant::now();
    let mut clients = 0u64;
    let mut contacts = 0u64;
    for client in XmlList::<_, Client>::new(BufReader::with_capacity(64 * 1024, file)) {
        let client = client.map_err(|error| format!("{path}: {error}"))?;
        clients += 1;
        contacts += client.contacts.map_or(0, |contacts| contacts.len() as u64);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "streamed {clients} clients ({contacts} contacts), {:.1} MB in {seconds:.3} s: {:.0} MB/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS (VmHWM): {:.1} MB", kib as f64 * 1024.0 / 1e6),
        None => println!("peak RSS: unavailable (needs Linux /proc)"),
    }
    Ok(())
}

/// The process's peak resident set size in KiB, from `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
