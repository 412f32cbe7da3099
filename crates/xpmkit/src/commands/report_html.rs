//! The approval kit's reports: written as Markdown, rendered to one printable, self-contained
//! HTML page by pulldown-cmark (CommonMark), and saved owner-readable.
//!
//! The reports carry text people typed (an app name, a use case, a note). In the Markdown it is
//! backslash-escaped ([`escape`]) so it reads as typed; in the HTML any raw HTML the Markdown
//! holds is rendered as text, never passed through, so a `<script>` in a use case stays text.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use pulldown_cmark::{Event, Options, Parser, html};

use crate::exit::CliResult;

/// The page's style: readable on screen, and on paper without the screen's margins.
const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;line-height:1.45;color:#111}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;\
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eee}code,pre{font-family:ui-monospace,monospace;\
font-size:.9em}pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}h1,h2{border-bottom:1px solid #ccc}\
@media print{body{margin:0;max-width:none}pre{white-space:pre-wrap}h2{page-break-after:avoid}}";

/// Escapes `text` for Markdown: the characters that format inline or open HTML, links or
/// tables get a backslash (CommonMark lets any ASCII punctuation be escaped), so does a first
/// character that could start a block, and line breaks become spaces, so the text reads as typed.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for (position, character) in text.chars().enumerate() {
        match character {
            '\r' | '\n' | '\t' => escaped.push(' '),
            character if character.is_control() => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&' | '~' => {
                escaped.push('\\');
                escaped.push(character);
            }
            character if position == 0 && character.is_ascii_punctuation() => {
                escaped.push('\\');
                escaped.push(character);
            }
            character => escaped.push(character),
        }
    }
    escaped
}

/// `text` as a Markdown code span (a path, a location): a fence longer than any run of
/// backticks inside, and `|` escaped so that it can stand in a table cell.
pub(crate) fn code(text: &str) -> String {
    let clean: String = text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect();
    let longest_run = clean.split(|character| character != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if clean.starts_with('`') || clean.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", clean.replace('|', "\\|"))
}

/// Text we wrote that carries values (paths, emails, scopes) for a table cell: `|`, `<`, `>` and
/// `&` escaped and line breaks made spaces, code spans and emphasis kept.
pub(crate) fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\r' | '\n' | '\t' => escaped.push(' '),
            character if character.is_control() => {}
            '|' | '<' | '>' | '&' => {
                escaped.push('\\');
                escaped.push(character);
            }
            character => escaped.push(character),
        }
    }
    escaped
}

/// Renders `markdown` as a complete HTML page titled `title` (escaped).
pub(crate) fn to_html(title: &str, markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        // Raw HTML becomes text, which the writer escapes: the reports write none themselves.
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut body = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut body, events);
    let mut page = String::with_capacity(body.len() + 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    // The title goes through the same escaping as body text.
    html::push_html(&mut page, std::iter::once(Event::Text(title.into())));
    page.push_str("</title>\n<style>");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n");
    page.push_str(&body);
    page.push_str("</body>\n</html>\n");
    page
}

/// Writes `name.md` and `name.html` into `dir` (created if missing), each readable by its
/// owner only (the reports name people and systems), under a temporary name renamed into place.
pub(crate) fn write_pair(dir: &Path, name: &str, title: &str, markdown: &str) -> CliResult<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let markdown_path = dir.join(format!("{name}.md"));
    let html_path = dir.join(format!("{name}.html"));
    write_private(&markdown_path, markdown.as_bytes())?;
    write_private(&html_path, to_html(title, markdown).as_bytes())?;
    Ok((markdown_path, html_path))
}

fn write_private(path: &Path, bytes: &[u8]) -> CliResult<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".xpmkit-report")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_neither_formats_nor_injects_html() {
        let typed = "<script>alert(1)</script> **bold** [x](javascript:alert(1))\n# heading";
        let markdown = format!("Use case: {}\n", escape(typed));
        let page = to_html("a <b>title</b>", &markdown);
        assert!(!page.contains("<script>") && !page.contains("<strong>") && !page.contains("<a "), "{page}");
        assert!(!page.contains("<h1>heading"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(page.contains("<title>a &lt;b&gt;title&lt;/b&gt;</title>"), "{page}");
    }

    #[test]
    fn raw_html_in_the_markdown_is_shown_as_text() {
        let page = to_html("t", "before <img src=x onerror=alert(1)> after\n\n<div>block</div>\n");
        assert!(!page.contains("<img") && !page.contains("<div>"), "{page}");
        assert!(page.contains("&lt;img"), "{page}");
    }

    #[test]
    fn code_spans_and_cells_hold_any_text() {
        assert_eq!(code("/srv/xpm|kit"), "`/srv/xpm\\|kit`");
        assert_eq!(code("a`b"), "``a`b``");
        let page = to_html("t", &format!("| a |\n|---|\n| {} {} |\n", code("/x|y"), cell("<b>|</b> `k`")));
        assert!(page.contains("<code>/x|y</code>") && page.contains("&lt;b&gt;|&lt;/b&gt; <code>k</code>"), "{page}");
    }

    #[test]
    fn tables_and_code_render() {
        let page = to_html("t", "| a | b |\n|---|---|\n| 1 | 2 |\n\n```mermaid\nflowchart LR\n  A --> B\n```\n");
        assert!(page.contains("<table>") && page.contains("<td>1</td>"), "{page}");
        assert!(page.contains("<code class=\"language-mermaid\">flowchart LR\n  A --&gt; B\n</code>"), "{page}");
    }
}
