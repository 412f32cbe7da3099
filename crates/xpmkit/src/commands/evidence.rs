//! `xpmkit evidence`: the security evidence for Xero's self-assessment, per domain (see
//! `evidence_domains`), as Markdown on standard output, Markdown and printable HTML files
//! (`--out DIR`), or JSON (`--json`). Writing the files is logged in the audit log.

use std::fmt::Write as _;

use serde_json::json;

use super::approval_facts::{self, EVIDENCE_ACTION, Facts};
use super::evidence_domains::{Domain, Status, domains};
use super::report_html::{cell, code, write_pair};
use crate::cli::EvidenceArgs;
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: EvidenceArgs) -> CliResult<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let (store, data_dir) = approval_facts::open(&args.store).await?;
        let outcome = report(&store, &data_dir, &args).await;
        store.close().await;
        outcome
    })
}

async fn report(store: &xpm_store::Store, data_dir: &std::path::Path, args: &EvidenceArgs) -> CliResult<()> {
    let facts = approval_facts::read(store, data_dir).await?;
    let found = domains(&facts);
    let gaps = count(&found, Status::Gap);
    if args.json {
        let value = json!({ "gaps": gaps, "domains": found });
        say!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    let markdown = render(&facts, &found);
    let Some(dir) = &args.out else {
        say!("{}", markdown.trim_end())?;
        return Ok(());
    };
    let (markdown_path, html_path) = write_pair(dir, "security-evidence", "xpmkit security evidence", &markdown)?;
    let mut write = store.write().await.map_err(CliError::Store)?;
    let actor = approval_facts::actor();
    let detail = json!({ "gaps": gaps, "out": markdown_path.display().to_string() });
    let event =
        xpm_store::NewAuditEvent { actor: &actor, action: EVIDENCE_ACTION, subject: "security-evidence", detail };
    write.append_audit(&event).await.map_err(CliError::Store)?;
    write.commit().await.map_err(CliError::Store)?;
    say!("wrote {} and {} ({gaps} gap(s))", markdown_path.display(), html_path.display())?;
    Ok(())
}

fn count(found: &[Domain], status: Status) -> usize {
    found.iter().flat_map(|domain| &domain.findings).filter(|finding| finding.status == status).count()
}

fn render(facts: &Facts, found: &[Domain]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Security evidence\n");
    let _ = writeln!(
        out,
        "Read from the live configuration by xpmkit {} on {}: the data directory {}, the database {}. Domains are \
         those of Xero's security standard for API consumers; requirement numbers are OWASP ASVS 4.0.3. Nothing \
         is claimed that the configuration does not show: a control that is off or not built is a **gap**, and \
         what only the operator can do is marked as the operator's job.\n",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        code(&facts.data_dir.display().to_string()),
        code(&facts.database.shown),
    );
    let _ = writeln!(
        out,
        "Summary: {} in place, {} gap(s), {} for the operator.\n",
        count(found, Status::InPlace),
        count(found, Status::Gap),
        count(found, Status::Operator)
    );
    for (number, domain) in found.iter().enumerate() {
        let _ = writeln!(out, "## {}. {}\n", number + 1, domain.name);
        let _ = writeln!(out, "Aim: {}.\n", domain.aim);
        let _ = writeln!(out, "| control | status | what the configuration shows | ASVS 4.0.3 |\n|---|---|---|---|");
        for finding in &domain.findings {
            let status = match finding.status {
                Status::Gap => format!("**{}**", finding.status.label()),
                _ => finding.status.label().to_owned(),
            };
            let asvs = if finding.asvs.is_empty() { "–".to_owned() } else { finding.asvs.join(", ") };
            let _ = writeln!(out, "| {} | {status} | {} | {asvs} |", finding.control, cell(&finding.detail));
        }
        out.push('\n');
    }
    out
}
