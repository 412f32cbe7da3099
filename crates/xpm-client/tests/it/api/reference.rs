//! The practice's lookups: task types, job categories and job states.

use crate::support::{Harness, Setup};

#[tokio::test]
async fn task_types_are_listed_and_fetched_one_by_one() {
    let harness = Harness::launch(Setup::default()).await;
    let tasks = harness.client.tasks(harness.tenant);
    let listed = tasks.list().send().await.expect("list");
    assert!(listed.len() >= 20, "the seed has a full task list, got {}", listed.len());
    for task in listed.iter().take(3) {
        let fetched = tasks.get(task.id().expect("a uuid")).await.expect("get");
        assert_eq!((fetched.uuid, &fetched.name), (task.uuid, &task.name));
    }
}

#[tokio::test]
async fn categories_and_job_states_are_listed_by_name() {
    let harness = Harness::launch(Setup::default()).await;
    let categories = harness.client.categories(harness.tenant).list().send().await.expect("categories");
    let names: Vec<_> = categories.iter().filter_map(|category| category.name.as_deref()).collect();
    assert_eq!(
        names,
        ["Compliance", "Tax", "Advisory", "Bookkeeping", "Payroll", "Audit", "Company Secretarial", "Consulting"]
    );
    assert!(categories.iter().all(|category| category.uuid.is_some()));

    let states = harness.client.job_states(harness.tenant).list().send().await.expect("job states");
    let names: Vec<_> = states.iter().filter_map(|state| state.name.as_deref()).collect();
    assert_eq!(
        names,
        ["Planned", "In Progress", "Waiting on Client", "Ready for Review", "On Hold", "Completed", "Cancelled"]
    );
}
