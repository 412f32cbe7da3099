//! Runs that meet faults: resets, truncated bodies, 429s, 503s and an access token that expires
//! mid-run. Each leaves the store consistent (every stored client with its links, the cursor
//! never ahead of the data), and a later run completes the mirror.

use chrono::Duration;
use xpm_api::model::Client;
use xpm_api::xml::XmlRecord as _;
use xpm_mock::faults::{Fault, FaultRule};
use xpm_store::{EntityKind, RunStatus};
use xpm_sync::state;

use crate::harness::Harness;

fn fault(harness: &Harness, operation: &str, fault: Fault, times: u32) {
    let rule = FaultRule { matches: operation.into(), fault, times: Some(times), probability: None };
    harness.emulator().faults().add(rule);
}

async fn rerun_completes(harness: &Harness) {
    harness.emulator().faults().clear();
    let report = harness.sync().await.expect("the rerun completes");
    assert!(report.calls >= 1);
    harness.assert_mirrors_the_emulator().await;
}

#[tokio::test]
async fn a_body_cut_short_twice_fails_the_run_without_moving_the_cursor_and_a_rerun_completes() {
    let harness = Harness::sqlite(150).await;
    // The step reads the list again once after a break; two truncations fail it.
    fault(&harness, "ClientV31_List", Fault::Truncate, 2);
    let error = harness.sync().await.expect_err("the list broke off twice");
    assert!(error.client_error().is_some(), "{error}");
    assert_eq!(harness.store.cursor(harness.tenant(), state::CLIENTS_WATERMARK).await.expect("cursor"), None);
    let runs = harness.store.runs(harness.tenant(), 1).await.expect("runs");
    assert_eq!(runs[0].status, RunStatus::Failed);
    assert!(runs[0].error.as_deref().is_some_and(|text| text.starts_with("clients")), "{:?}", runs[0].error);
    rerun_completes(&harness).await;
    harness.finish().await;
}

#[tokio::test]
async fn one_truncated_list_is_read_again_within_the_run() {
    let harness = Harness::sqlite(150).await;
    fault(&harness, "ClientV31_List", Fault::Truncate, 1);
    let report = harness.sync().await.expect("the second reading completes the step");
    assert_eq!(report.counts_of("client").added, 150);
    harness.assert_mirrors_the_emulator().await;
    harness.finish().await;
}

#[tokio::test]
async fn a_list_cut_short_counts_each_client_once_whatever_the_commit_size() {
    // 40 clients a batch: every batch commits on its own, or a few (100) or all share one.
    for commit_size in [1, 100, 5_000] {
        let harness = Harness::sqlite(150).await;
        fault(&harness, "ClientV31_List", Fault::Truncate, 1);
        let options = Harness::options().commit_size(commit_size);
        let report = harness.sync_with(&options).await.expect("the second reading completes the step");
        assert_eq!(report.counts_of("client").added, 150, "{commit_size} clients per commit");
        harness.assert_mirrors_the_emulator().await;
        let again = harness.sync_with(&options.full(true)).await.expect("a second run");
        assert_eq!(again.changes(), 0, "{commit_size} clients per commit: {again:?}");
        harness.finish().await;
    }
}

#[tokio::test]
async fn resets_503s_and_429s_are_retried_by_the_client() {
    let harness = Harness::sqlite(60).await;
    fault(&harness, "ClientV31_List", Fault::Reset, 1);
    fault(&harness, "StaffV31_List", Fault::Status { code: 503 }, 1);
    fault(&harness, "ClientGroupV31_List", Fault::TooManyRequests { retry_after: 1 }, 1);
    let report = harness.sync().await.expect("retried through");
    assert_eq!(report.counts_of("client").added, 60);
    assert!(report.calls >= 5, "the failed attempts count too: {}", report.calls);
    harness.assert_mirrors_the_emulator().await;
    harness.finish().await;
}

#[tokio::test]
async fn a_failed_later_step_keeps_the_completed_one_and_the_rerun_does_not_redo_it() {
    let harness = Harness::sqlite(60).await;
    // Staff fails for good (more 503s than the client's attempts).
    fault(&harness, "StaffV31_List", Fault::Status { code: 503 }, 10);
    let error = harness.sync().await.expect_err("staff fails");
    assert!(error.to_string().starts_with("staff"), "{error}");
    let resume = harness.store.cursor(harness.tenant(), state::RESUME).await.expect("cursor").expect("marker");
    assert!(resume.value.contains("clients"), "{}", resume.value);

    harness.emulator().faults().clear();
    harness.emulator().journal().clear();
    let options = Harness::options().full(true);
    let report =
        xpm_sync::sync_practice(&harness.client, &harness.store, harness.tenant(), &options).await.expect("rerun");
    assert_eq!(harness.emulator().journal().count("ClientV31_List"), 0, "the completed client list is not read again");
    assert!(matches!(report.steps[0].outcome, xpm_sync::StepOutcome::DoneEarlier { .. }));
    harness.assert_mirrors_the_emulator().await;
    assert_eq!(harness.store.cursor(harness.tenant(), state::RESUME).await.expect("cursor"), None);
    harness.finish().await;
}

#[tokio::test]
async fn an_access_token_that_expires_mid_run_is_refreshed() {
    let harness = Harness::sqlite(60).await;
    harness.sync().await.expect("first run");
    // The emulator's clock passes the access token's expiry; ours does not, so the client
    // learns it from the 401 and refreshes.
    harness.emulator().clock().advance(Duration::minutes(31));
    let report = harness.sync().await.expect("refreshed");
    assert_eq!(report.changes(), 0);
    harness.assert_mirrors_the_emulator().await;
    harness.finish().await;
}

/// One odd value in one client (XPM's output drifting): the tolerant default keeps the list and
/// the value; `strict` fails the run.
#[tokio::test]
async fn a_drifted_value_is_kept_and_reported_and_strict_fails_on_it() {
    let harness = Harness::sqlite(60).await;
    let drift = || Fault::Drift { element: "IsArchived".into(), value: "Maybe".into() };
    fault(&harness, "ClientV31_List", drift(), 1);
    let report = harness.sync().await.expect("one odd value does not lose the list");
    assert_eq!(report.counts_of("client").added, 60);
    assert_eq!(report.unparsed_values, 1);
    let [warning] = report.warnings.as_slice() else { panic!("{:?}", report.warnings) };
    assert_eq!((warning.unparsed.path.as_str(), warning.unparsed.found.as_str()), ("IsArchived", "Maybe"));
    let key = warning.key.clone().expect("the client's key");
    assert!(warning.to_string().contains(&format!("client {key}: IsArchived: expected Yes/No flag")), "{warning}");

    // Stored with the field unset and the value as XPM sent it.
    let stored = harness.store.get::<Client>(harness.tenant(), EntityKind::Client, &key).await.expect("read");
    let client = stored.expect("the drifted client is stored").item;
    assert_eq!(client.is_archived, None);
    assert_eq!(client.unparsed().len(), 1);
    assert_eq!(client.unparsed()[0].found, "Maybe");
    assert!(client.name.is_some() && client.contacts.is_some(), "the rest of the client is read");

    // Strict: the same answer fails the run, and nothing moves.
    let strict = Harness::sqlite(60).await;
    fault(&strict, "ClientV31_List", drift(), 2);
    let options = Harness::options().strict(true);
    let error = xpm_sync::sync_practice(&strict.client, &strict.store, strict.tenant(), &options)
        .await
        .expect_err("strict decoding fails on the value");
    let source = error.client_error().expect("a client error");
    assert_eq!(source.kind(), xpm_client::ErrorKind::Decode, "{source}");
    let mut chain = source.to_string();
    let mut cause = std::error::Error::source(source);
    while let Some(next) = cause {
        chain.push_str(&format!(": {next}"));
        cause = next.source();
    }
    assert!(chain.contains("IsArchived") && chain.contains("Maybe"), "{chain}");
    assert_eq!(strict.store.cursor(strict.tenant(), state::CLIENTS_WATERMARK).await.expect("cursor"), None);
    strict.finish().await;
    harness.finish().await;
}
