//! `xpmkit readiness` and `xpmkit readiness mark`: the approval checklist, checked against the
//! live configuration (see `readiness_items`), and marks for what only a person can tell.

use super::approval_facts;
use super::readiness_items::{Decided, ITEMS, State, check};
use crate::cli::{ApprovalStoreArgs, ReadinessArgs, ReadinessCommand};
use crate::exit::{CliError, CliResult};
use crate::terminal::escape_controls;

pub(crate) fn run(args: ReadinessArgs) -> CliResult<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match args.command {
        Some(ReadinessCommand::Mark { item, note, unmark, store }) => {
            runtime.block_on(mark(&item, note.as_deref(), unmark, &store))
        }
        None => runtime.block_on(show(args.json, &args.store)),
    }
}

async fn show(as_json: bool, args: &ApprovalStoreArgs) -> CliResult<()> {
    let (store, data_dir) = approval_facts::open(args).await?;
    let facts = approval_facts::read(&store, &data_dir).await;
    store.close().await;
    let checked = check(&facts?);
    if as_json {
        say!("{}", serde_json::to_string_pretty(&checked)?)?;
        return Ok(());
    }
    let done = checked.iter().filter(|item| item.state.is_done()).count();
    say!("readiness: {done} of {} done", checked.len())?;
    for item in &checked {
        let state = match item.state {
            State::Done => "done",
            State::Marked => "marked",
            State::Gap => "GAP",
            State::ManualPending => "pending",
        };
        say!("  [{state:^7}] {:<26} {}", item.id, escape_controls(&item.how))?;
        if let Some(next) = item.next {
            say!("            next: {next}")?;
        }
    }
    Ok(())
}

async fn mark(id: &str, note: Option<&str>, unmark: bool, args: &ApprovalStoreArgs) -> CliResult<()> {
    let item = ITEMS.iter().find(|item| item.id == id.trim().to_ascii_lowercase()).ok_or_else(|| {
        let known: Vec<&str> = ITEMS.iter().map(|item| item.id).collect();
        let nearest = known
            .iter()
            .min_by_key(|candidate| strsim::levenshtein(candidate, id))
            .filter(|candidate| strsim::levenshtein(candidate, id) <= 4)
            .map(|candidate| format!("; did you mean `{candidate}`?"))
            .unwrap_or_default();
        CliError::Usage {
            message: format!("unknown readiness item `{id}`{nearest} the items are: {}", known.join(", ")),
        }
    })?;
    if item.decided == Decided::Auto {
        return Err(CliError::Usage {
            message: format!(
                "`{}` is checked from the configuration and cannot be marked by hand; to make it done: {}",
                item.id, item.next
            ),
        });
    }
    if note.is_some_and(|note| note.chars().count() > 2_000) {
        return Err(CliError::Usage { message: "--note is longer than 2,000 characters".to_owned() });
    }
    let (store, _) = approval_facts::open(args).await?;
    let actor = approval_facts::actor();
    let mut write = store.write().await.map_err(CliError::Store)?;
    let outcome = if unmark {
        let removed = write.unmark_readiness(item.id, note, &actor).await.map_err(CliError::Store)?;
        if removed { format!("unmarked {}", item.id) } else { format!("{} was not marked; nothing changed", item.id) }
    } else {
        let mark = write.mark_readiness(item.id, note, &actor).await.map_err(CliError::Store)?;
        format!(
            "marked {} done on {} by {} (logged in the audit log)",
            item.id,
            &mark.marked_at[..10.min(mark.marked_at.len())],
            mark.marked_by
        )
    };
    write.commit().await.map_err(CliError::Store)?;
    store.close().await;
    say!("{}", escape_controls(&outcome))?;
    Ok(())
}
