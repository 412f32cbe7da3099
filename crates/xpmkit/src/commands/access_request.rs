//! `xpmkit access-request`: the pack for Xero's XPM API access request, as Markdown and
//! printable HTML. Scopes come from the scope planner (`xpm_api::scopes::plan`), the call volume
//! from the sync planner (`access_request_volume`), and where data is kept and for how long from
//! the store's settings; nothing is restated by hand.

use std::fmt::Write as _;

use xpm_api::catalog::Scope;
use xpm_api::scopes::{Feature, Plan, Target, plan};
use xpm_store::Store;

use super::access_request_volume::{self as volume, Volume};
use super::approval_facts::{self, ACCESS_REQUEST_ACTION, Facts};
use super::report_html::{code, escape, write_pair};
use crate::cli::AccessRequestArgs;
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: AccessRequestArgs) -> CliResult<()> {
    let features = parse_features(&args.features)?;
    if args.practice_size == 0 {
        return Err(CliError::Usage { message: "--practice-size must be at least 1 client".to_owned() });
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let (store, data_dir) = approval_facts::open(&args.store).await?;
        let written = write_pack(&store, &data_dir, &args, &features).await;
        store.close().await;
        let (markdown_path, html_path) = written?;
        say!("wrote {} and {}", markdown_path.display(), html_path.display())?;
        Ok(())
    })
}

async fn write_pack(
    store: &Store,
    data_dir: &std::path::Path,
    args: &AccessRequestArgs,
    features: &[Feature],
) -> CliResult<(std::path::PathBuf, std::path::PathBuf)> {
    let facts = approval_facts::read(store, data_dir).await?;
    let targets: Vec<Target> = features.iter().copied().map(Target::from).collect();
    let scope_plan = plan(&targets);
    let include_work = features.iter().any(|feature| matches!(feature, Feature::ReadJobs | Feature::ReadTime));
    let writes = features.iter().any(|feature| !feature.is_read_only());
    let estimate = volume::estimate(
        chrono::Utc::now(),
        args.practice_size,
        include_work,
        args.sync_every,
        if writes { args.writes_per_day } else { 0 },
    );
    let app = args.app_name.as_deref().unwrap_or("the app");
    let markdown = render(app, args, features, &scope_plan, &estimate, &facts);
    let paths = write_pair(&args.out, "access-request", &format!("XPM API access request: {app}"), &markdown)?;
    let mut write = store.write().await.map_err(CliError::Store)?;
    let detail = serde_json::json!({
        "features": features.iter().map(|feature| feature.as_str()).collect::<Vec<_>>(),
        "scopes": scope_plan.scope_string(),
        "out": paths.0.display().to_string(),
    });
    let actor = approval_facts::actor();
    let event = xpm_store::NewAuditEvent { actor: &actor, action: ACCESS_REQUEST_ACTION, subject: app, detail };
    write.append_audit(&event).await.map_err(CliError::Store)?;
    write.commit().await.map_err(CliError::Store)?;
    Ok(paths)
}

/// Parses `--feature` values; an unknown one is named with the features there are.
fn parse_features(values: &[String]) -> CliResult<Vec<Feature>> {
    let mut features = Vec::new();
    for value in values {
        let feature = value.parse::<Feature>().map_err(|error| CliError::Usage {
            message: format!("--feature {error}; the features are: {}", Feature::ALL.map(Feature::as_str).join(", ")),
        })?;
        if !features.contains(&feature) {
            features.push(feature);
        }
    }
    Ok(features)
}

/// The scope a reader might expect for `feature` (`practicemanager.contact.read` for `read
/// contacts`), with why Xero has no such scope and which one to use, when Xero does not define it.
fn undefined_scope_note(feature: Feature) -> Option<String> {
    let (access, resource) = feature.as_str().split_once(' ')?;
    let mut area: String = resource.split(' ').collect();
    if let Some(stem) = area.strip_suffix("ies") {
        area = format!("{stem}y");
    } else if let Some(stem) = area.strip_suffix('s') {
        area = stem.to_owned();
    }
    let guess =
        if access == "read" { format!("practicemanager.{area}.read") } else { format!("practicemanager.{area}") };
    match guess.parse::<Scope>() {
        Err(error @ xpm_api::catalog::ParseScopeError::NotDefined { .. }) => Some(error.to_string()),
        _ => None,
    }
}

fn render(
    app: &str,
    args: &AccessRequestArgs,
    features: &[Feature],
    scopes: &Plan,
    estimate: &Volume,
    facts: &Facts,
) -> String {
    let mut out = String::new();
    let app_text = escape(app);
    let _ = writeln!(out, "# XPM API access request: {app_text}\n");
    let _ = writeln!(
        out,
        "Prepared with xpmkit {} on {}. Scopes come from xpmkit's least-privilege scope planner over Xero's \
         OpenAPI specification for XPM 3.1; call volumes from its sync planner.\n",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().format("%Y-%m-%d")
    );
    use_case(&mut out, &app_text, args.use_case.as_deref(), features);
    scope_summary(&mut out, scopes);
    feature_sections(&mut out, features, scopes);
    write_reasons(&mut out, features, scopes);
    data_stored(&mut out, features, facts);
    data_flow(&mut out, &app_text, facts, features.iter().any(|feature| !feature.is_read_only()));
    call_volume(&mut out, args, estimate);
    out
}

fn use_case(out: &mut String, app: &str, typed: Option<&str>, features: &[Feature]) {
    let _ = writeln!(out, "## Use case\n");
    if let Some(typed) = typed {
        let _ = writeln!(out, "{}\n", escape(typed));
    }
    let reads: Vec<&str> = features.iter().filter(|f| f.is_read_only()).map(|f| f.as_str()).collect();
    let writes: Vec<&str> = features.iter().filter(|f| !f.is_read_only()).map(|f| f.as_str()).collect();
    if !reads.is_empty() {
        let _ = writeln!(
            out,
            "{app} needs to {} in the practices that connect it. It mirrors what it reads into a database the \
             firm controls (`xpmkit sync`): a full read first, then only what changed (`modifiedsince`), with a \
             full reconciliation every 7 days.\n",
            reads.join(", ")
        );
    }
    if !writes.is_empty() {
        let _ = writeln!(
            out,
            "It needs to {} in XPM. Changes go through an outbox: each is checked against XPM's current record \
             before it is sent (an edit made in XPM is never overwritten), sent once, and read back.\n",
            writes.join(", ")
        );
    }
}

fn scope_summary(out: &mut String, scopes: &Plan) {
    let _ = writeln!(out, "## Scopes requested\n");
    let _ = writeln!(out, "| scope | access | grants the requested operations |\n|---|---|---|");
    for planned in scopes.scopes() {
        let access = if planned.scope.is_read_only() { "read-only" } else { "read and write" };
        let _ = writeln!(out, "| `{}` | {access} | {} |", planned.scope, planned.covers.len());
    }
    let _ = writeln!(
        out,
        "\nAuthorisation scope parameter: `{}` (`openid profile email` for the id_token, `offline_access` for \
         refresh tokens; neither is an XPM scope). No smaller set of scopes covers these operations.\n",
        scopes.authorize_scope()
    );
}

fn feature_sections(out: &mut String, features: &[Feature], scopes: &Plan) {
    let _ = writeln!(out, "## Features, operations and scopes\n");
    for feature in features {
        let operations: Vec<_> = feature.operations().collect();
        let covering: Vec<String> = scopes
            .scopes()
            .iter()
            .filter(|planned| operations.iter().any(|operation| planned.covers.contains(operation)))
            .map(|planned| format!("`{}`", planned.scope))
            .collect();
        let _ = writeln!(out, "### {feature}\n");
        let _ = writeln!(out, "Granted by the requested scope {} (any one suffices).\n", covering.join(" or "));
        if let Some(note) = undefined_scope_note(*feature) {
            let _ = writeln!(out, "Note: {note}.\n");
        }
        let _ = writeln!(out, "| operation | request |\n|---|---|");
        for operation in operations {
            let _ = writeln!(out, "| `{}` | `{} {}` |", operation.id, operation.method, operation.path);
        }
        out.push('\n');
    }
}

fn write_reasons(out: &mut String, features: &[Feature], scopes: &Plan) {
    let write_scopes: Vec<_> = scopes.scopes().iter().filter(|planned| !planned.scope.is_read_only()).collect();
    if write_scopes.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Why each write scope is needed\n");
    for planned in write_scopes {
        let served: Vec<String> = features
            .iter()
            .filter(|feature| !feature.is_read_only())
            .filter(|feature| feature.operations().any(|operation| planned.covers.contains(&operation)))
            .map(|feature| {
                let count = feature.operations().filter(|operation| planned.covers.contains(operation)).count();
                format!("{feature} ({count} write operations)")
            })
            .collect();
        let _ = writeln!(
            out,
            "- `{}`: {}. Xero grants these operations to no read-only scope, and no narrower write scope grants \
             them.",
            planned.scope,
            served.join("; ")
        );
    }
    out.push('\n');
}

/// What `xpmkit sync` keeps for a feature, or `None` when it keeps nothing for it.
fn kept_for(feature: Feature) -> Option<&'static str> {
    Some(match feature {
        Feature::ReadClients | Feature::WriteClients => {
            "clients: every field XPM sends (names, addresses, email and phone, tax, company and bank account \
             numbers, dates of birth), relationships and group memberships (`clients`, `relationships`, `group_members`)"
        }
        Feature::ReadContacts | Feature::WriteContacts => {
            "contacts: name, email, phones, salutation, and their links to clients (`contacts`, `client_contacts`)"
        }
        Feature::ReadGroups | Feature::WriteGroups => "client groups: name, taxable flag (`client_groups`)",
        Feature::ReadStaff | Feature::WriteStaff => "staff: name, email, phones, address, payroll code (`staff`)",
        Feature::ReadJobs | Feature::WriteJobs => "jobs and their tasks (`jobs`, `job_tasks`)",
        Feature::ReadTime | Feature::WriteTime => {
            "time entries: staff, job, task, date, minutes, note (`time_entries`)"
        }
        Feature::ReadCustomFields | Feature::WriteCustomFields => {
            "custom field definitions, and values of changed clients and jobs with `xpmkit sync --custom-fields` \
             (`custom_field_definitions`, `custom_field_values`)"
        }
        _ => return None,
    })
}

fn data_stored(out: &mut String, features: &[Feature], facts: &Facts) {
    let _ = writeln!(out, "## Data stored, where, and for how long\n");
    let retention = match facts.settings.retention_days {
        Some(days) => format!("{days} days (retention_days)"),
        None => "not set: **gap** (`xpmkit security set retention_days N`)".to_owned(),
    };
    let database = format!("{} ({})", code(&facts.database.shown), facts.database.engine());
    let _ = writeln!(out, "| data | where | kept for |\n|---|---|---|");
    let mut kept: Vec<&str> = features.iter().filter_map(|feature| kept_for(*feature)).collect();
    kept.dedup();
    for what in &kept {
        let _ = writeln!(out, "| {what} | {database} | {retention} |");
    }
    let not_kept: Vec<&str> = features.iter().filter(|f| kept_for(**f).is_none()).map(|f| f.as_str()).collect();
    if !not_kept.is_empty() {
        let _ = writeln!(out, "| {}: read when asked for, not stored | – | – |", not_kept.join(", "));
    }
    let _ = writeln!(
        out,
        "| change log: old and new values of every changed field (`change_events`) | {database} | {retention} |"
    );
    if features.iter().any(|feature| !feature.is_read_only()) {
        let _ = writeln!(
            out,
            "| outbox: each change to send, with the stored copy it was based on (`outbox`) | {database} | {retention} |"
        );
    }
    let _ = writeln!(
        out,
        "| OAuth tokens, sealed with {} under a master key (never in plaintext) | {} | until disconnected |",
        xpm_client::token_store::SEAL_ALGORITHM,
        code(&facts.data_dir.join("tokens").display().to_string())
    );
    let _ = writeln!(out, "| sync runs: time, calls, bytes, counts (`sync_runs`) | {database} | {retention} |\n");
}

fn data_flow(out: &mut String, app: &str, facts: &Facts, writes: bool) {
    let _ = writeln!(out, "## Data flow\n");
    let arrow = if writes { "<-->" } else { "-->" };
    let _ = writeln!(
        out,
        "```mermaid\nflowchart LR\n  xero[\"Xero: identity and XPM API\"] {arrow}|HTTPS, OAuth 2.0 bearer token| kit[\"xpmkit sync{}\"]\n  \
         kit --> store[(\"{} database\")]\n  store --> users[\"Firm users: exports, admin app\"]\n```\n",
        if writes { " and push" } else { "" },
        facts.database.engine()
    );
    let _ = writeln!(
        out,
        "1. Xero's identity service issues tokens after the practice's user consents; they are sealed at rest."
    );
    let _ = writeln!(out, "2. {app} calls the XPM API over HTTPS with the token and the practice's tenant id.");
    let _ = writeln!(out, "3. What it reads goes into the database at {}.", code(&facts.database.shown));
    let _ =
        writeln!(out, "4. The firm's users read it from there (exports, the admin app), never from Xero directly.\n");
}

fn call_volume(out: &mut String, args: &AccessRequestArgs, estimate: &Volume) {
    let _ = writeln!(out, "## Expected call volume\n");
    let _ = writeln!(
        out,
        "Per practice of {} clients, syncing every {} minutes ({} runs a day). Xero's limits per practice: {} calls \
         a minute, {} in flight, {} a day.\n",
        thousands(args.practice_size),
        args.sync_every,
        estimate.runs_per_day,
        volume::MINUTE_LIMIT,
        volume::CONCURRENT_LIMIT,
        thousands(volume::DAY_LIMIT)
    );
    let _ = writeln!(out, "| run | calls | download (estimate) | deferred to later days |\n|---|---|---|---|");
    for (name, run) in [
        ("first run", &estimate.first_run),
        ("incremental run", &estimate.incremental),
        ("reconciliation (weekly)", &estimate.reconcile),
    ] {
        let deferred: u32 = run.deferred.iter().map(|step| step.calls).sum();
        let _ = writeln!(
            out,
            "| {name} | {} | {:.1} MB | {deferred} calls |",
            run.calls(),
            run.estimated_bytes() as f64 / 1e6
        );
    }
    let share = |calls: u64| calls as f64 * 100.0 / volume::DAY_LIMIT as f64;
    let _ = writeln!(out, "\n| day | calls | of the daily limit |\n|---|---|---|");
    let _ = writeln!(out, "| incremental runs only | {} | {:.1}% |", estimate.normal_day, share(estimate.normal_day));
    let _ = writeln!(
        out,
        "| with the weekly reconciliation | {} | {:.1}% |",
        estimate.reconcile_day,
        share(estimate.reconcile_day)
    );
    if estimate.write_calls > 0 {
        let _ = writeln!(
            out,
            "| {} changes written back (up to {} calls each) | {} | {:.1}% |",
            args.writes_per_day,
            volume::CALLS_PER_WRITE,
            estimate.write_calls,
            share(estimate.write_calls)
        );
    }
    let _ = writeln!(out, "| busiest day | {} | {:.1}% |\n", estimate.busiest_day(), share(estimate.busiest_day()));
    let _ = writeln!(
        out,
        "xpmkit's client keeps to the limits before sending: no more than {} calls in flight and {} in any minute \
         per practice, counted in sliding windows and corrected by Xero's `X-MinLimit-Remaining` and \
         `X-DayLimit-Remaining` headers; a 429's `Retry-After` is obeyed. Each run also plans within the calls \
         left for the day, deferring what does not fit. Calls made by hand (`xpmkit call`) come on top.",
        volume::CONCURRENT_LIMIT,
        volume::MINUTE_LIMIT
    );
}

/// `12345` as `12,345`.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_a_reader_might_expect_are_flagged_with_the_right_one() {
        let note = undefined_scope_note(Feature::ReadContacts).expect("no contact scope");
        assert!(note.contains("`practicemanager.contact.read` is not a scope xero defines"), "{note}");
        assert!(note.contains("use `practicemanager.client.read`"), "{note}");
        let note = undefined_scope_note(Feature::WriteGroups).expect("no group scope");
        assert!(note.contains("use `practicemanager.client`"), "{note}");
        assert_eq!(undefined_scope_note(Feature::ReadClients), None);
        assert_eq!(undefined_scope_note(Feature::WriteTime), None);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(5_000), "5,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn an_unknown_feature_lists_the_features() {
        let error = parse_features(&["read clients".into(), "read dragons".into()]).expect_err("unknown");
        let text = error.to_string();
        assert!(text.contains("unknown feature `read dragons`"), "{text}");
        assert!(text.contains("the features are: read clients, write clients, read contacts"), "{text}");
    }
}
