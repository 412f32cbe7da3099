//! A run that fails in the middle of the job and time history: what it completed stays, with
//! the cursors saying how far back it got, and the next run reads only the windows left.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use xpm_mock::faults::{Fault, FaultRule};
use xpm_store::RunStatus;
use xpm_sync::{Operation, Progress, StepOutcome, Syncer, state};

use crate::harness::{Harness, WORK_HISTORY_DAYS};
use crate::work::{assert_work_mirrored, today};

/// The `from` of each `job.api/list` or `time.api/list` call the emulator answered.
fn window_starts(harness: &Harness, operation: &str) -> Vec<String> {
    let entries = harness.emulator().journal().entries();
    let starts = entries.iter().filter(|entry| entry.operation == Some(operation)).map(|entry| {
        let query = entry.query.clone().unwrap_or_default();
        query.split('&').find_map(|pair| pair.strip_prefix("from=")).unwrap_or_default().to_owned()
    });
    starts.collect()
}

#[tokio::test]
async fn a_run_resumes_the_backfill_without_reading_completed_windows_again() {
    let harness = Harness::sqlite(60).await;
    let tenant = harness.tenant();
    // The trailing window, then two history windows: the second history job window fails.
    let emulator = harness.emulator().clone();
    let job_windows = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&job_windows);
    let failing = Syncer::new(&harness.client, &harness.store, tenant).options(Harness::work_options()).on_progress(
        move |event| {
            if let Progress::StepStarted { step } = event
                && matches!(step.operation, Operation::JobWindow { .. })
                && seen.fetch_add(1, Ordering::SeqCst) == 2
            {
                let fault = Fault::Error200 { description: "The service is unavailable".into() };
                emulator.faults().add(FaultRule {
                    matches: "JobV31_List".into(),
                    fault,
                    times: Some(1),
                    probability: None,
                });
            }
        },
    );
    let error = failing.run().await.expect_err("the third job window fails");
    assert!(error.to_string().starts_with("jobs"), "{error}");
    let runs = harness.store.runs(tenant, 1).await.expect("runs");
    assert_eq!(runs[0].status, RunStatus::Failed);
    // The first history window of both completed: the cursors moved back to its first day.
    let trailing_from = today() - chrono::Days::new(89);
    let first_history = trailing_from - chrono::Days::new(365);
    for name in [state::JOBS_COMPLETE_FROM, state::TIME_COMPLETE_FROM] {
        let cursor = harness.store.cursor(tenant, name).await.expect("cursor").map(|cursor| cursor.value);
        assert_eq!(cursor, Some(first_history.to_string()), "{name}");
    }
    let compact = |day: chrono::NaiveDate| day.format("%Y%m%d").to_string();
    assert_eq!(
        window_starts(&harness, "JobV31_List"),
        [compact(trailing_from), compact(first_history), compact(today() - chrono::Days::new(WORK_HISTORY_DAYS))]
    );

    harness.emulator().journal().clear();
    let report = harness.sync_with(&Harness::work_options()).await.expect("the rerun completes");
    // Only the window left is read: not the trailing window, the current jobs or the first
    // history window, which the failed run completed today.
    let oldest = compact(today() - chrono::Days::new(WORK_HISTORY_DAYS));
    let only_the_oldest = vec![oldest];
    assert_eq!(window_starts(&harness, "JobV31_List"), only_the_oldest);
    assert_eq!(window_starts(&harness, "TimeV31_List"), only_the_oldest);
    assert_eq!(harness.emulator().journal().count("JobV31_Current"), 0);
    assert_eq!(report.calls, 2, "{:?}", report.steps);
    let earlier = report.steps.iter().filter(|step| matches!(step.outcome, StepOutcome::DoneEarlier { .. })).count();
    assert!(earlier >= 4, "clients, staff, groups, current jobs, the trailing window: {:?}", report.steps);
    assert_work_mirrored(&harness).await;
    harness.finish().await;
}

/// An odd value in a job or a time entry is kept and reported, as one in a client is; strict
/// decoding fails the run on it instead.
#[tokio::test]
async fn an_odd_value_in_a_job_or_a_time_entry_is_kept_and_reported() {
    let harness = Harness::sqlite(30).await;
    // Every window's answer drifts (a window may hold no job, so no element to drift).
    let drift = |operation: &str, element: &str| FaultRule {
        matches: operation.into(),
        fault: Fault::Drift { element: element.into(), value: "someday".into() },
        times: None,
        probability: None,
    };
    harness.emulator().faults().add(drift("JobV31_List", "StartDate"));
    harness.emulator().faults().add(drift("TimeV31_List", "Date"));
    let report = harness.sync_with(&Harness::work_options()).await.expect("one odd value loses nothing");
    let warned: Vec<(&str, String)> =
        report.warnings.iter().map(|warning| (warning.entity, warning.unparsed.path.clone())).collect();
    assert!(warned.contains(&("job", "StartDate".to_owned())), "{warned:?}");
    assert!(warned.contains(&("time", "Date".to_owned())), "{warned:?}");
    let drifted = harness.emulator().journal().entries().iter().filter(|entry| entry.fault == Some("drift")).count();
    assert!(report.unparsed_values >= 2 && report.unparsed_values <= drifted as u64, "{}", report.unparsed_values);
    harness.emulator().faults().clear();
    assert_work_mirrored(&harness).await;

    // A later run re-reads the trailing windows only; its time window has entries.
    harness.emulator().faults().add(drift("TimeV31_List", "Date"));
    let strict = harness.sync_with(&Harness::work_options().strict(true)).await;
    let error = strict.expect_err("strict decoding fails on the odd value");
    assert!(format!("{error:?}").contains("\"Date\""), "{error:?}");
}
