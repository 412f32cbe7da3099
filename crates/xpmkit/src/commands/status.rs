//! `xpmkit status`: what the database holds for each practice: the last runs, the cursors, the
//! outbox, when the next reconciliation is due and, for practices workers sync, their schedule
//! and lease. Reads the database only; calls nothing.

use serde_json::{Value, json};
use xpm_store::{LeaseState, OutboxStatus, Practice, Store, SyncRun};
use xpm_sync::{PlanOptions, state};

use super::connections_file::data_dir;
use super::database;
use super::sync_summary::bytes_text;
use crate::cli::StatusArgs;
use crate::exit::{CliError, CliResult};

/// The cursors shown, in order.
const CURSORS: [&str; 11] = [
    state::CLIENTS_WATERMARK,
    state::CLIENTS_RECONCILED,
    state::STAFF_REFRESHED,
    state::GROUPS_REFRESHED,
    state::JOBS_CURRENT_READ,
    state::JOBS_TRAILING,
    state::JOBS_COMPLETE_FROM,
    state::TIME_TRAILING,
    state::TIME_COMPLETE_FROM,
    state::CUSTOM_FIELDS_PENDING,
    state::RESUME,
];

/// The outbox states counted.
const OUTBOX: [OutboxStatus; 5] =
    [OutboxStatus::Pending, OutboxStatus::Sending, OutboxStatus::Sent, OutboxStatus::Failed, OutboxStatus::Conflict];

pub(crate) fn run(args: StatusArgs) -> CliResult<()> {
    let data_dir = data_dir(args.data_dir.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = database::open(&args.database, &data_dir).await?;
        let practices = chosen(store.practices().await.map_err(CliError::Store)?, args.tenant.as_deref(), &store)?;
        let leases = store.leases().await.map_err(CliError::Store)?;
        let mut reports = Vec::new();
        for practice in &practices {
            let mut report = describe(&store, practice).await.map_err(CliError::Store)?;
            let lease = leases.iter().find(|lease| lease.tenant == practice.tenant);
            report["worker"] = lease.map_or(Value::Null, lease_json);
            reports.push(report);
        }
        store.close().await;
        if args.json {
            let mut text = serde_json::to_string_pretty(&Value::Array(reports))?;
            text.push('\n');
            say!("{}", text.trim_end())?;
        } else {
            for report in &reports {
                say!("{}", text_of(report))?;
            }
        }
        Ok(())
    })
}

fn chosen(practices: Vec<Practice>, tenant: Option<&str>, store: &Store) -> CliResult<Vec<Practice>> {
    if practices.is_empty() {
        return Err(CliError::Usage {
            message: format!("{} holds no practice yet; run `xpmkit sync` first", store.location().shown()),
        });
    }
    let Some(wanted) = tenant else { return Ok(practices) };
    let matching: Vec<Practice> = practices
        .iter()
        .filter(|practice| {
            practice.tenant.to_string() == wanted.to_ascii_lowercase() || practice.name.eq_ignore_ascii_case(wanted)
        })
        .cloned()
        .collect();
    if matching.is_empty() {
        let names: Vec<String> =
            practices.iter().map(|practice| format!("  {}  {}", practice.tenant, practice.name)).collect();
        return Err(CliError::Usage {
            message: format!("the database holds no practice `{wanted}`; it holds:\n{}", names.join("\n")),
        });
    }
    Ok(matching)
}

async fn describe(store: &Store, practice: &Practice) -> Result<Value, xpm_store::StoreError> {
    let tenant = practice.tenant;
    let runs: Vec<Value> = store.runs(tenant, 5).await?.iter().map(run_json).collect();
    let mut cursors = serde_json::Map::new();
    for name in CURSORS {
        if let Some(cursor) = store.cursor(tenant, name).await? {
            cursors.insert(name.to_owned(), cursor_json(name, cursor.value));
        }
    }
    let mut outbox = serde_json::Map::new();
    for status in OUTBOX {
        outbox.insert(status.as_str().to_owned(), json!(store.outbox(tenant, &[status]).await?.len()));
    }
    let every = chrono::Duration::from_std(PlanOptions::default().reconcile_every).unwrap_or(chrono::Duration::days(7));
    let next_reconciliation = match store.cursor(tenant, state::CLIENTS_RECONCILED).await? {
        Some(cursor) => chrono::DateTime::parse_from_rfc3339(&cursor.value)
            .map(|at| json!((at.to_utc() + every).format("%Y-%m-%dT%H:%M:%SZ").to_string()))
            .unwrap_or(Value::Null),
        None => json!("next run"),
    };
    Ok(json!({
        "tenant": tenant.to_string(),
        "name": practice.name,
        "runs": runs,
        "cursors": cursors,
        "outbox": outbox,
        "nextReconciliation": next_reconciliation,
    }))
}

/// A cursor as shown: the custom field queue as the number of records waiting (its JSON list
/// can be long), the rest as stored.
fn cursor_json(name: &str, value: String) -> Value {
    if name == state::CUSTOM_FIELDS_PENDING
        && let Ok(waiting) = serde_json::from_str::<Vec<String>>(&value)
    {
        return json!(format!("{} client(s) and job(s) waiting", waiting.len()));
    }
    json!(value)
}

/// A practice's schedule and lease as `xpmkit worker` keeps them.
fn lease_json(lease: &LeaseState) -> Value {
    let time = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    json!({
        "intervalSeconds": lease.interval.as_secs(),
        "nextDue": time(lease.next_due),
        "holder": lease.holder,
        "leaseExpires": lease.expires_at.map(time),
        "claims": lease.generation,
        "takeovers": lease.takeovers,
    })
}

fn run_json(run: &SyncRun) -> Value {
    json!({
        "id": run.id.0,
        "kind": run.kind,
        "startedAt": run.started_at,
        "finishedAt": run.finished_at,
        "status": format!("{:?}", run.status).to_lowercase(),
        "calls": run.calls_used,
        "bytes": run.bytes_downloaded,
        "counts": run.counts,
        "error": run.error,
    })
}

fn text_of(report: &Value) -> String {
    let field = |value: &Value| value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
    let name = field(&report["name"]);
    let mut lines = vec![format!("practice {}  {}", field(&report["tenant"]), crate::terminal::escape_controls(&name))];
    lines.push(format!("  next reconciliation: {}", field(&report["nextReconciliation"])));
    let worker = &report["worker"];
    if !worker.is_null() {
        let mut line =
            format!("  worker schedule: every {}s, next due {}", worker["intervalSeconds"], field(&worker["nextDue"]));
        if let Some(holder) = worker["holder"].as_str() {
            let holder = crate::terminal::escape_controls(holder);
            line.push_str(&format!(", held by {holder} until {}", field(&worker["leaseExpires"])));
        }
        lines.push(line);
    }
    if let Some(cursors) = report["cursors"].as_object() {
        for (name, value) in cursors {
            lines.push(format!("  cursor {name} = {}", field(value)));
        }
    }
    if let Some(outbox) = report["outbox"].as_object() {
        let counts: Vec<String> = outbox.iter().map(|(status, count)| format!("{count} {status}")).collect();
        lines.push(format!("  outbox: {}", counts.join(", ")));
    }
    for run in report["runs"].as_array().into_iter().flatten() {
        let bytes = run["bytes"].as_u64().unwrap_or_default();
        let mut line = format!(
            "  run #{} {} {} started {} ({} calls, {})",
            run["id"],
            field(&run["kind"]),
            field(&run["status"]),
            field(&run["startedAt"]),
            run["calls"],
            bytes_text(bytes)
        );
        if let Some(error) = run["error"].as_str() {
            line.push_str(&format!(": {}", crate::terminal::escape_controls(error)));
        }
        lines.push(line);
    }
    lines.join("\n")
}
