//! The run as Markdown: what was checked against what, the count of calls, every difference
//! with its request, both behaviours and the setting that matches, then every check's result.

use std::fmt::Write as _;

use crate::finding::Outcome;
use crate::{ServerKind, Verification};

/// Text from the server (a practice name, a body's description) with the characters that
/// would break a Markdown table or start markup escaped.
fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '|' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '\\' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '\n' | '\r' => escaped.push(' '),
            other if other.is_control() => {}
            other => escaped.push(other),
        }
    }
    escaped
}

pub(crate) fn markdown(run: &Verification) -> String {
    let mut out = String::new();
    let server = match run.kind {
        ServerKind::Xero => "Xero",
        ServerKind::Mock => "the xpmkit emulator",
    };
    // Writing into a String cannot fail.
    let _ = writeln!(out, "# xpmkit verify: {server}\n");
    let _ = writeln!(out, "- API: {}", cell(&run.api_base));
    let name = run.tenant_name.as_deref().map(cell).unwrap_or_else(|| "(no name)".to_owned());
    let _ = writeln!(out, "- practice: {name} ({})", run.tenant);
    let _ = writeln!(out, "- scopes: {}", if run.scopes.is_empty() { "none" } else { &run.scopes });
    let _ = writeln!(out, "- run: {} to {}", run.started_at, run.finished_at);
    let _ = writeln!(out, "- calls: {} (at most {} planned), all reads", run.calls, run.planned_calls);
    let _ = writeln!(
        out,
        "- result: {} passed, {} differ or failed, {} not checked\n",
        run.passed(),
        run.problems(),
        run.skipped()
    );
    if let Some((dir, saved)) = &run.recorded {
        let _ = writeln!(out, "{saved} answers recorded in `{}` (personal data masked).\n", cell(dir));
    }

    let problems: Vec<_> = run.findings.iter().filter(|finding| finding.is_problem()).collect();
    if problems.is_empty() {
        let _ = writeln!(out, "## Differences\n\nNone: {server} behaved as the emulator assumes in every check run.\n");
    } else {
        let _ = writeln!(out, "## Differences\n");
        for finding in problems {
            let _ = writeln!(out, "### {}: {}\n", finding.check, cell(&finding.title));
            match &finding.outcome {
                Outcome::Differs(divergence) => {
                    let _ = writeln!(out, "- request: `{}`", divergence.request.replace('`', "'"));
                    let _ = writeln!(out, "- the emulator assumes: {}", cell(&divergence.assumed));
                    let _ = writeln!(out, "- {server} did: {}", cell(&divergence.observed));
                    let setting = divergence.setting.as_deref().map_or_else(
                        || "none; the emulator cannot vary this yet (please report it)".to_owned(),
                        |setting| format!("`{setting}`"),
                    );
                    let _ = writeln!(out, "- emulator setting that matches: {setting}\n");
                }
                Outcome::Failed { message } => {
                    let _ = writeln!(out, "- could not complete: {}\n", cell(message));
                }
                _ => {}
            }
        }
    }

    let _ = writeln!(out, "## Every check\n\n| check | result | detail |\n|---|---|---|");
    for finding in &run.findings {
        let (result, detail) = match &finding.outcome {
            Outcome::Pass { detail } => ("pass", cell(detail)),
            Outcome::Differs(divergence) => ("**differs**", cell(&divergence.observed)),
            Outcome::Failed { message } => ("**failed**", cell(message)),
            Outcome::Skipped { reason } => ("not checked", cell(reason)),
        };
        let _ = writeln!(out, "| `{}` {} | {result} | {detail} |", finding.check, cell(&finding.title));
    }
    let _ = writeln!(
        out,
        "\nThe emulator profile of this run (`--emulator-profile FILE`) makes `xpmkit mock --profile FILE` \
         behave as observed here where the emulator has a setting for it."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_break_the_table() {
        assert_eq!(cell("a|b <script>"), "a\\|b \\<script\\>");
        assert_eq!(cell("two\nlines"), "two lines");
    }
}
