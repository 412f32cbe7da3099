//! `xpmkit worker`: keeps many practices synced, sharing them with other workers over one
//! database. This module sets up (which practices, one XPM client per connection, the store, the
//! signals); `worker_loop` claims and schedules, and `worker_sync` runs one claimed practice's
//! sync under its lease.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_client::{Format, XpmClient};

use super::call_target::{grants, is_called, profile_name};
use super::connections_file::{SavedConnection, data_dir, load, xpm_client};
use super::database;
use super::worker_loop::{self, Practice, Settings};
use crate::cli::{Profile, WorkerArgs};
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: WorkerArgs) -> CliResult<()> {
    let data_dir = data_dir(args.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    let chosen = reachable(&connections, args.profile, &args.tenants, &data_dir)?;
    // One client per connection: its governor keeps each practice's limits for every sync this
    // process runs through it.
    let mut clients: BTreeMap<Uuid, XpmClient> = BTreeMap::new();
    let mut practices = Vec::with_capacity(chosen.len());
    for (connection, tenant) in chosen {
        let client = match clients.get(&connection.connection_id) {
            Some(client) => client.clone(),
            None => {
                let client = xpm_client(connection, &data_dir, args.client_secret_env.as_deref(), Format::Xml)?;
                clients.insert(connection.connection_id, client.clone());
                client
            }
        };
        practices.push(Practice { tenant, name: practice_name(&connections, tenant), client });
    }
    let settings = Settings {
        worker_id: Arc::from(args.worker_id.clone().unwrap_or_else(default_worker_id)),
        interval: args.interval,
        lease: args.lease,
        concurrency: usize::from(args.concurrency),
        once: args.once,
        grace: args.grace,
        options: args.what.options(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        tracing::info!(practices = practices.len(), connections = clients.len(), "worker starting: opening the store");
        let store = database::open(&args.database, &data_dir).await?;
        for practice in &practices {
            store.register_practice(practice.tenant, settings.interval).await.map_err(CliError::Store)?;
        }
        let stop = Stop::new();
        stop.listen()?;
        let summary = worker_loop::run(&settings, &practices, &store, &stop.claiming, &stop.abandoning).await;
        store.close().await;
        let summary = summary?;
        if settings.once && summary.failed > 0 {
            return Err(CliError::Failed(anyhow::anyhow!(
                "{} of {} syncs failed (see the log above)",
                summary.failed,
                summary.synced + summary.failed
            )));
        }
        Ok(())
    })
}

/// The practices to work on, each with the connection that reaches it: every practice the stored
/// connections reach (of `profile` if given), or those `wanted` names. A practice several
/// connections reach uses the newest one granted the client list's scope, else the newest.
fn reachable<'a>(
    connections: &'a [SavedConnection],
    profile: Option<Profile>,
    wanted: &[String],
    data_dir: &Path,
) -> CliResult<Vec<(&'a SavedConnection, Uuid)>> {
    let usable: Vec<&SavedConnection> = connections
        .iter()
        .filter(|saved| profile.is_none_or(|profile| saved.profile == profile_name(profile)))
        .collect();
    let operation = OperationId::ClientList.operation();
    let mut best: BTreeMap<Uuid, &SavedConnection> = BTreeMap::new();
    for saved in usable {
        for tenant in &saved.tenants {
            let better = best.get(&tenant.tenant_id).is_none_or(|current| {
                (grants(saved, operation), saved.connected_at) > (grants(current, operation), current.connected_at)
            });
            if better {
                best.insert(tenant.tenant_id, saved);
            }
        }
    }
    if best.is_empty() {
        return Err(CliError::NotConnected {
            message: format!(
                "no stored connection in {} reaches a practice; run `xpmkit connect` first (`xpmkit connect \
                 --profile mock` for the emulator)",
                data_dir.display()
            ),
        });
    }
    if wanted.is_empty() {
        return Ok(best.into_iter().map(|(tenant, saved)| (saved, tenant)).collect());
    }
    let mut chosen = BTreeMap::new();
    for name in wanted {
        let matching: Vec<Uuid> = best
            .iter()
            .filter(|(tenant, saved)| {
                saved.tenants.iter().any(|known| known.tenant_id == **tenant && is_called(known, name))
            })
            .map(|(tenant, _)| *tenant)
            .collect();
        if matching.is_empty() {
            let choices: Vec<String> = best
                .iter()
                .map(|(tenant, saved)| format!("  {tenant}  {}", practice_name_in(saved, *tenant)))
                .collect();
            return Err(CliError::Usage {
                message: format!(
                    "no connected practice has the id or name `{name}`; choose among:\n{}",
                    choices.join("\n")
                ),
            });
        }
        for tenant in matching {
            chosen.insert(tenant, best[&tenant]);
        }
    }
    Ok(chosen.into_iter().map(|(tenant, saved)| (saved, tenant)).collect())
}

fn practice_name(connections: &[SavedConnection], tenant: Uuid) -> String {
    connections
        .iter()
        .flat_map(|saved| &saved.tenants)
        .find(|known| known.tenant_id == tenant)
        .map(|known| known.name.clone())
        .unwrap_or_default()
}

fn practice_name_in(saved: &SavedConnection, tenant: Uuid) -> &str {
    saved.tenants.iter().find(|known| known.tenant_id == tenant).map_or("", |known| known.name.as_str())
}

/// `host:pid:suffix`: readable in the lease table, and unique even when a process id is reused
/// on another machine or after a restart.
fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    let suffix = Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}", std::process::id(), &suffix[..6])
}

/// The two stages of stopping: no new claims (first SIGTERM or Ctrl-C), then running syncs
/// abandoned (a second signal, or the grace period's end, which the loop decides).
struct Stop {
    claiming: CancellationToken,
    abandoning: CancellationToken,
}

impl Stop {
    fn new() -> Self {
        Self { claiming: CancellationToken::new(), abandoning: CancellationToken::new() }
    }

    /// Listens for SIGTERM (how service managers and Kubernetes stop a process) and Ctrl-C
    /// (SIGINT); must run inside the runtime.
    fn listen(&self) -> CliResult<()> {
        #[cfg(unix)]
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("cannot listen for SIGTERM")?;
        let (claiming, abandoning) = (self.claiming.clone(), self.abandoning.clone());
        tokio::spawn(async move {
            for stage in [&claiming, &abandoning] {
                #[cfg(unix)]
                let signal = async {
                    tokio::select! {
                        _ = terminate.recv() => "SIGTERM",
                        _ = tokio::signal::ctrl_c() => "SIGINT",
                    }
                };
                #[cfg(not(unix))]
                let signal = async {
                    let _ = tokio::signal::ctrl_c().await;
                    "Ctrl-C"
                };
                let name = signal.await;
                tracing::info!(signal = name, "stop requested");
                stage.cancel();
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::connections_file::SavedTenant;

    fn connection(id: u128, age_minutes: i64, scope: &str, tenants: &[(u128, &str)]) -> SavedConnection {
        SavedConnection {
            connection_id: Uuid::from_u128(id),
            profile: "mock".into(),
            issuer: "http://127.0.0.1:8700".into(),
            client_id: "app".into(),
            user: None,
            scope: scope.into(),
            connected_at: chrono::Utc::now() - chrono::Duration::minutes(age_minutes),
            tenants: tenants
                .iter()
                .map(|(tenant, name)| SavedTenant {
                    tenant_id: Uuid::from_u128(*tenant),
                    name: (*name).into(),
                    xero_connection_id: Uuid::nil(),
                })
                .collect(),
        }
    }

    fn check(connections: &[SavedConnection], wanted: &[&str], expect: Result<&[(u128, u128)], &str>) {
        let wanted: Vec<String> = wanted.iter().map(|name| (*name).to_owned()).collect();
        let chosen = reachable(connections, None, &wanted, Path::new("/data"))
            .map(|chosen| {
                chosen
                    .into_iter()
                    .map(|(saved, tenant)| (saved.connection_id.as_u128(), tenant.as_u128()))
                    .collect::<Vec<_>>()
            })
            .map_err(|error| error.to_string());
        match (chosen, expect) {
            (Ok(chosen), Ok(expect)) => assert_eq!(chosen, expect, "{wanted:?}"),
            (Err(message), Err(fragment)) => assert!(message.contains(fragment), "{wanted:?}: {message}"),
            (chosen, expect) => panic!("{wanted:?}: got {chosen:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn every_reachable_practice_once_through_the_best_connection() {
        let connections = [
            connection(1, 60, "practicemanager", &[(10, "A"), (11, "B")]),
            connection(2, 5, "practicemanager", &[(11, "B"), (12, "C")]),
            connection(3, 1, "practicemanager.staff.read", &[(12, "C")]),
        ];
        check(&connections, &[], Ok(&[(1, 10), (2, 11), (2, 12)]));
        check(&connections, &["b", "00000000-0000-0000-0000-00000000000c"], Ok(&[(2, 11), (2, 12)]));
        check(&connections, &["D"], Err("no connected practice has the id or name `D`; choose among:"));
        check(&[], &[], Err("run `xpmkit connect` first"));
    }

    #[test]
    fn worker_ids_name_the_process() {
        let id = default_worker_id();
        assert!(id.contains(&format!(":{}:", std::process::id())), "{id}");
        assert_ne!(id, default_worker_id(), "a random suffix");
    }
}
