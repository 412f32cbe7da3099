//! The text `xpmkit sync` prints: the plan (`--plan`) and the closing summary of a run.

use std::fmt::Write as _;

use xpm_sync::{Operation, Plan, RunKind, RunReport, StepOutcome};

/// The entities a summary lists, in order, with their plural.
const ENTITIES: [(&str, &str); 7] = [
    ("client", "clients"),
    ("contact", "contacts"),
    ("group", "groups"),
    ("staff", "staff"),
    ("job", "jobs"),
    ("task", "job tasks"),
    ("time", "time"),
];

/// A short name for an operation, with the XPM endpoint it calls.
pub(crate) fn operation_name(operation: &Operation) -> String {
    match operation {
        Operation::ClientsDetailedList => "every client, detailed (client.api/list?detailed=true)".to_owned(),
        Operation::ClientsModifiedSince { since } => format!(
            "clients changed since {} UTC (client.api/list?detailed=true&modifiedsince=…)",
            since.format("%Y-%m-%dT%H:%M:%S")
        ),
        Operation::ClientsPagedList { pages } => format!("clients, {pages} pages (client.api/paged-list)"),
        Operation::ContactsPagedList { pages } => format!("contacts, {pages} pages (client.api/contacts)"),
        Operation::Staff => "staff (staff.api/list)".to_owned(),
        Operation::Groups => "client groups (clientgroup.api/list)".to_owned(),
        Operation::CurrentJobs => "current jobs (job.api/current)".to_owned(),
        Operation::JobWindow { from, to } => format!("jobs created {from} to {to} (job.api/list)"),
        Operation::TimeWindow { from, to } => format!("time {from} to {to} (time.api/list)"),
        _ => format!("{operation:?}"),
    }
}

fn kind_text(kind: RunKind) -> &'static str {
    match kind {
        RunKind::Full => "full",
        RunKind::Reconcile => "reconciling",
        _ => "incremental",
    }
}

/// Bytes for people: `1.2 MB`, `35 kB`, `512 B` (decimal units, as Xero meters egress).
pub(crate) fn bytes_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// What `--plan` prints.
pub(crate) fn plan_text(practice: &str, plan: &Plan) -> String {
    let mut text = format!(
        "plan for {practice}: {} run, {} call{}, about {} to download",
        kind_text(plan.kind),
        plan.calls(),
        if plan.calls() == 1 { "" } else { "s" },
        bytes_text(plan.estimated_bytes())
    );
    for (index, step) in plan.steps.iter().enumerate() {
        let _ = write!(
            text,
            "\n  {}. {}: {} call{}, ~{} ({})",
            index + 1,
            operation_name(&step.operation),
            step.calls,
            if step.calls == 1 { "" } else { "s" },
            bytes_text(step.estimated_bytes),
            step.why
        );
    }
    if !plan.deferred.is_empty() {
        let _ = write!(text, "\ndeferred to a later day (the day's call budget is spent):");
        for step in &plan.deferred {
            let _ = write!(text, "\n  - {}: {} calls", operation_name(&step.operation), step.calls);
        }
    }
    text
}

/// The closing summary of a run.
/// Warnings listed in the summary; the rest are counted.
const SHOWN_WARNINGS: usize = 5;

pub(crate) fn report_text(practice: &str, database: &str, report: &RunReport) -> String {
    let mut text = format!(
        "synced {practice} into {database}: {} run #{} in {:.2} s",
        kind_text(report.kind),
        report.run.0,
        report.duration.as_secs_f64()
    );
    for (entity, plural) in ENTITIES {
        let counts = report.counts_of(entity);
        let _ = write!(
            text,
            "\n  {plural:<9} {:>6} added {:>6} updated {:>6} removed",
            counts.added, counts.updated, counts.removed
        );
    }
    if report.archived_clients + report.deleted_clients > 0 {
        let _ = write!(
            text,
            "\n  among the clients read: {} archived, {} deleted (kept, with their flags)",
            report.archived_clients, report.deleted_clients
        );
    }
    if report.custom_fields_read + report.custom_fields_deferred > 0 {
        let _ =
            write!(text, "\n  custom field values read for {} changed client(s) and job(s)", report.custom_fields_read);
        if report.custom_fields_deferred > 0 {
            let _ = write!(text, ", {} waiting for the next run (the day's budget)", report.custom_fields_deferred);
        }
    }
    for (entity, records) in &report.pending {
        let _ = write!(
            text,
            "\n  pending sync: {records} {entity} record(s) kept as stored (a local change waits in the outbox)"
        );
    }
    if report.unparsed_values > 0 {
        let _ = write!(
            text,
            "\n  warning: {} value(s) XPM sent could not be read; kept as sent (`_unparsed` in the stored \
             item's JSON; `--strict` fails instead):",
            report.unparsed_values
        );
        for warning in report.warnings.iter().take(SHOWN_WARNINGS) {
            // The values came from the server: shown with their control characters escaped.
            let _ = write!(text, "\n    {}", crate::terminal::escape_controls(&warning.to_string()));
        }
        let more = report.unparsed_values.saturating_sub(SHOWN_WARNINGS as u64);
        if more > 0 {
            let _ = write!(text, "\n    … and {more} more (each is logged: RUST_LOG=warn)");
        }
    }
    for step in &report.steps {
        match &step.outcome {
            StepOutcome::DoneEarlier { run } => {
                let _ =
                    write!(text, "\n  {}: done by interrupted run #{}", operation_name(&step.step.operation), run.0);
            }
            StepOutcome::Skipped { reason } => {
                let _ = write!(text, "\n  {}: skipped, {reason}", operation_name(&step.step.operation));
            }
            _ => {}
        }
    }
    let _ = write!(
        text,
        "\n  {} call{}, {} downloaded",
        report.calls,
        if report.calls == 1 { "" } else { "s" },
        bytes_text(report.bytes)
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(35_400), "35 kB");
        assert_eq!(bytes_text(12_345_678), "12.3 MB");
    }

    #[test]
    fn the_plan_lists_each_step_with_its_cost() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-05-04T09:12:00Z").expect("valid").to_utc();
        let plan = xpm_sync::plan(&xpm_sync::PlanInput::first_run(now, 5_000));
        let text = plan_text("Demo Practice", &plan);
        assert!(text.starts_with("plan for Demo Practice: full run, 3 calls"), "{text}");
        assert!(text.contains("1. every client, detailed (client.api/list?detailed=true): 1 call"), "{text}");
        assert!(text.contains("3. client groups"), "{text}");
    }
}
