//! Progress events, for a progress bar or a log: a run tells them as it goes.

use std::sync::Arc;

use crate::plan::Step;

/// Something a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// A step starts.
    StepStarted {
        /// The step.
        step: Step,
    },
    /// Items of a list were stored (told once per committed batch).
    Stored {
        /// The entity (`client`, `staff`, `group`, `job`, `time`, `custom field values`).
        entity: &'static str,
        /// Items of this step stored so far.
        so_far: u64,
    },
    /// A step ended.
    StepFinished {
        /// The step.
        step: Step,
    },
}

/// A receiver of progress events.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
