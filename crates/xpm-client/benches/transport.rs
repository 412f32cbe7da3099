//! What the client's transport costs over a bare HTTP client, against the in-process emulator
//! with its limits off (and the governor's opened wide), so the figures are the client's own
//! work: token check, admission, tenant header, status and envelope checks, decoding.
//!
//! Two measures, each as a ratio to a baseline run in the same process:
//! - `client.api/get/{uuid}` one call at a time: reqwest alone vs `XpmClient::send` vs the typed
//!   `clients().get()` (decoded).
//! - the detailed `client.api/list` of 15,000 clients: reqwest reading the bytes vs the typed
//!   list buffered (`send`) vs decoded while it downloads (`stream`).
//!
//! `cargo bench -p xpm-client --bench transport` (set `XPM_BENCH_CLIENTS` for another size).

use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use xpm_api::catalog::OperationId;

use futures_util::TryStreamExt;
use xpm_client::Call;
use xpm_client::Limits;
use xpm_mock::config::LimitSettings;

#[path = "../examples/common/mod.rs"]
#[expect(dead_code, reason = "the benchmark connects through start_with only")]
mod common;

const WIDE_OPEN: Limits =
    Limits { concurrent: 64, per_minute: u32::MAX / 4, per_day: u32::MAX / 4, app_per_minute: u32::MAX / 4 };

/// The best of `rounds` timings of `run`.
async fn best<F, Fut>(rounds: usize, mut run: F) -> Result<Duration, Box<dyn Error>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), Box<dyn Error>>>,
{
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let started = Instant::now();
        run().await?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let clients: usize = std::env::var("XPM_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(15_000);
    let demo = common::start_with(clients, LimitSettings::OFF, |builder| builder.limits(WIDE_OPEN)).await?;
    let (client, tenant) = (&demo.client, demo.tenant);
    let grant = client.grant().await?;
    let http = reqwest::Client::new();
    let api = demo.running.api_url();
    let first = client.clients(tenant).paged().page_size(1).send().await?;
    let uuid = first.items.first().and_then(|one| one.uuid).ok_or("no client")?;
    let get_url = format!("{api}/client.api/get/{uuid}");
    let raw_get = || {
        let request =
            http.get(&get_url).bearer_auth(grant.access_token.secret()).header("xero-tenant-id", tenant.to_string());
        async move {
            let body = request.send().await?.error_for_status()?.bytes().await?;
            if body.is_empty() {
                return Err("empty body".into());
            }
            Ok::<(), Box<dyn Error>>(())
        }
    };
    let calls = 2_000;
    let per_call = |total: Duration| total / calls;
    let bare = best(3, || async {
        for _ in 0..calls {
            raw_get().await?;
        }
        Ok(())
    })
    .await?;
    let call = Call::new(OperationId::ClientGetByIdentifier, tenant).path_param("identifier", uuid.to_string());
    let sent = best(3, || async {
        for _ in 0..calls {
            client.send(call.clone()).await?;
        }
        Ok(())
    })
    .await?;
    let typed = best(3, || async {
        for _ in 0..calls {
            client.clients(tenant).get(uuid.into()).await?;
        }
        Ok(())
    })
    .await?;
    println!("client.api/get, {calls} calls one at a time (best of 3):");
    println!("  reqwest alone          {:>8.1} µs/call  1.00×", per_call(bare).as_secs_f64() * 1e6);
    let ratio = |time: Duration, base: Duration| time.as_secs_f64() / base.as_secs_f64();
    println!("  XpmClient::send        {:>8.1} µs/call  {:.2}×", per_call(sent).as_secs_f64() * 1e6, ratio(sent, bare));
    println!(
        "  clients().get (typed)  {:>8.1} µs/call  {:.2}×",
        per_call(typed).as_secs_f64() * 1e6,
        ratio(typed, bare)
    );

    let list_url = format!("{api}/client.api/list?detailed=true");
    let size = AtomicUsize::new(0);
    let bytes = best(5, || {
        let request =
            http.get(&list_url).bearer_auth(grant.access_token.secret()).header("xero-tenant-id", tenant.to_string());
        let size = &size;
        async move {
            size.store(request.send().await?.error_for_status()?.bytes().await?.len(), Ordering::Relaxed);
            Ok(())
        }
    })
    .await?;
    let buffered = best(5, || async {
        client.clients(tenant).list().detailed(true).send().await?;
        Ok(())
    })
    .await?;
    let streamed = best(5, || async {
        let mut stream = client.clients(tenant).list().detailed(true).stream();
        let mut count = 0;
        while stream.try_next().await?.is_some() {
            count += 1;
        }
        if count != clients {
            return Err(format!("streamed {count} of {clients} clients").into());
        }
        Ok(())
    })
    .await?;
    let mb = size.load(Ordering::Relaxed) as f64 / 1e6;
    let rate = |time: Duration| mb / time.as_secs_f64();
    println!("client.api/list?detailed=true, {clients} clients, {mb:.1} MB (best of 5):");
    println!("  reqwest, bytes only    {:>7.0} MB/s  1.00×", rate(bytes));
    println!("  list().send (Vec)      {:>7.0} MB/s  {:.2}×", rate(buffered), rate(buffered) / rate(bytes));
    println!("  list().stream          {:>7.0} MB/s  {:.2}×", rate(streamed), rate(streamed) / rate(bytes));
    demo.running.stop().await?;
    Ok(())
}
