//! `xpmkit push --queue FILE`: changes written as JSON, read into the outbox's typed changes.
//!
//! The file holds one change or an array of them, each
//! `{"entity": "client", "action": "update", "key": "<uuid>", "body": {…}}`: `entity` is
//! `client`, `contact`, `group`, `job` or `time`; `action` is `create` or `update`; `key` names
//! the record an update changes (a UUID, or a job's number); `body` is the request in XPM's JSON
//! form (the OpenAPI request DTO, e.g. `{"email": "accounts@harbour.example"}`).

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;
use xpm_sync::Change;

use crate::exit::{CliError, CliResult};

/// The largest file of changes read.
const MAX_QUEUE_FILE_BYTES: u64 = 16 << 20;

/// One change as the file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueuedChange {
    entity: String,
    action: String,
    #[serde(default)]
    key: Option<String>,
    body: serde_json::Value,
}

/// Reads the changes in `path` (`-` for standard input). A change that cannot be read is a usage
/// error naming its position and what is wrong.
pub(crate) fn read(path: &Path) -> CliResult<Vec<Change>> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text).context("cannot read standard input")?;
        text
    } else {
        let size = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
        if size > MAX_QUEUE_FILE_BYTES {
            return Err(CliError::Usage {
                message: format!(
                    "{} is {size} bytes; a file of changes may hold at most {MAX_QUEUE_FILE_BYTES}",
                    path.display()
                ),
            });
        }
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    parse(&text).map_err(|message| CliError::Usage { message: format!("{}: {message}", path.display()) })
}

fn parse(text: &str) -> Result<Vec<Change>, String> {
    let shape = |error: serde_json::Error| {
        format!(
            "not a change or an array of changes ({error}); a change looks like \
             {{\"entity\": \"client\", \"action\": \"update\", \"key\": \"<uuid>\", \"body\": {{\"email\": \"…\"}}}}"
        )
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(shape)?;
    let queued: Vec<QueuedChange> = if value.is_array() {
        serde_json::from_value(value).map_err(shape)?
    } else {
        vec![serde_json::from_value(value).map_err(shape)?]
    };
    queued
        .iter()
        .enumerate()
        .map(|(position, change)| {
            let body = change.body.to_string();
            Change::from_parts(&change.entity, &change.action, change.key.as_deref(), body.as_bytes())
                .map_err(|reason| format!("change [{position}]: {reason}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use xpm_api::request::ClientUpdateRequest;

    use super::*;

    #[test]
    fn a_change_or_an_array_of_them() {
        let key = "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        let one = format!(r#"{{"entity": "client", "action": "update", "key": "{key}", "body": {{"email": "a@x"}}}}"#);
        let parsed = parse(&one).expect("one change");
        let id: xpm_api::ids::ClientId = key.parse().expect("uuid");
        assert_eq!(parsed, [Change::ClientUpdate(ClientUpdateRequest::new(id).email("a@x"))]);
        let several = r#"[{"entity": "client", "action": "create", "body": {"name": "Harbour Trust"}},
                          {"entity": "group", "action": "create", "body": {"name": "Trusts"}}]"#;
        assert_eq!(parse(several).expect("two changes").len(), 2);
    }

    #[test]
    fn a_wrong_change_is_named_by_its_position() {
        let wrong = r#"[{"entity": "client", "action": "create", "body": {"name": "A"}},
                        {"entity": "invoice", "action": "create", "body": {}}]"#;
        let message = parse(wrong).expect_err("refused");
        assert!(message.starts_with("change [1]: no create of a invoice is known"), "{message}");
        let message = parse(r#"{"entity": "client", "action": "create", "body": {"nmae": "A"}}"#).expect_err("refused");
        assert!(message.contains("change [0]") && message.contains("nmae"), "{message}");
    }
}
