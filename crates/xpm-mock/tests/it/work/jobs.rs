//! Jobs: listing windows, short and detailed shapes, get, and a job's life from add to time.

use reqwest::{Method, StatusCode};
use xpm_api::model::{Job, JobTask, Task, Time};

use super::{Api, compact, today, window};

#[tokio::test]
async fn job_list_checks_from_then_to_then_the_span() {
    let api = Api::work(120).await;
    let missing_from = api.get("/job.api/list?to=20260101").await.expect(StatusCode::BAD_REQUEST);
    assert!(missing_from.body.contains("<Status>ERROR</Status>") && missing_from.body.contains("from"));
    let missing_to = api.get("/job.api/list?from=20250101").await.expect(StatusCode::BAD_REQUEST);
    assert!(missing_to.body.contains("the to parameter"), "{}", missing_to.body);
    let too_long = api.get("/job.api/list?from=20250101&to=20260101").await.expect(StatusCode::BAD_REQUEST);
    assert!(too_long.body.contains("less than one year"), "{}", too_long.body);

    // Eighteen months of jobs come back in two windows under a year each, without overlap.
    let older: Vec<Job> = api.get(&format!("/job.api/list?{}", window(600, 300))).await.expect(StatusCode::OK).list();
    let recent: Vec<Job> = api.get(&format!("/job.api/list?{}", window(299, 0))).await.expect(StatusCode::OK).list();
    assert!(!older.is_empty() && !recent.is_empty(), "{} older, {} recent", older.len(), recent.len());
    assert!(older.iter().all(|job| recent.iter().all(|other| other.uuid != job.uuid)));
}

#[tokio::test]
async fn current_jobs_are_short_unless_detailed_and_get_has_everything() {
    let api = Api::work(120).await;
    let short: Vec<Job> = api.get("/job.api/current").await.expect(StatusCode::OK).list();
    assert!(!short.is_empty());
    assert!(short.iter().all(|job| job.tasks.is_none() && job.notes.is_none() && job.milestones.is_none()));
    assert!(short.iter().all(|job| !matches!(job.state.as_deref(), Some("Completed" | "Cancelled"))));
    let detailed: Vec<Job> = api.get("/job.api/current?detailed=true").await.expect(StatusCode::OK).list();
    assert_eq!(detailed.len(), short.len());
    assert!(detailed.iter().all(|job| job.tasks.is_some()));

    let number = short[0].id.clone().expect("a job number");
    let answer = api.get(&format!("/job.api/get/{number}")).await.expect(StatusCode::OK);
    let job: Job = answer.single();
    assert_eq!(job.uuid, short[0].uuid);
    assert!(job.tasks.is_some() && job.web_url.is_some());
    assert!(answer.body.contains("</Job><WebUrl>"), "the documented top-level WebUrl");

    let missing = api.get("/job.api/get/J999999").await.expect(StatusCode::NOT_FOUND);
    assert!(missing.body.contains("<ErrorDescription>job J999999 not found</ErrorDescription>"), "{}", missing.body);

    let client = job.client.and_then(|client| client.uuid).expect("a client");
    let theirs: Vec<Job> = api.get(&format!("/job.api/client/{client}")).await.expect(StatusCode::OK).list();
    assert!(theirs.iter().any(|job| job.id.as_deref() == Some(number.as_str())));
}

#[tokio::test]
async fn a_job_from_add_through_time_to_delete() {
    let api = Api::work(60).await;
    let (client, staff) = api.client_and_staff().await;
    let start = compact(today());
    let due = compact(today() + chrono::Days::new(30));
    let add = format!(
        "<Job><Name>Year end &amp; tax</Name><Description>FY close</Description><ClientUUID>{client}</ClientUUID>\
         <StartDate>{start}</StartDate><DueDate>{due}</DueDate></Job>"
    );
    let job: Job = api.xml(Method::POST, "/job.api/add", Some(&add)).await.expect(StatusCode::OK).single();
    let number = job.id.clone().expect("a number");
    assert!(number.starts_with('J') && number.len() == 7, "{number}");
    assert_eq!((job.name.as_deref(), job.state.as_deref()), (Some("Year end & tax"), Some("Planned")));

    let task_types: Vec<Task> = api.get("/task.api/list").await.expect(StatusCode::OK).list();
    let task_type = task_types[0].uuid.expect("a task type");
    let add_task = format!(
        "<Task><Job>{number}</Job><TaskUUID>{task_type}</TaskUUID><EstimatedMinutes>120</EstimatedMinutes></Task>"
    );
    let reply = api.xml(Method::POST, "/job.api/task", Some(&add_task)).await.expect(StatusCode::OK);
    let task = reply.status_envelope().uuid.expect("the job task's UUID");

    let assign = format!(
        r#"<Job><ID>{number}</ID><add uuid="{staff}"/><add uuid="{staff}" task-uuid="{task}"/><add-manager uuid="{staff}"/></Job>"#
    );
    let job: Job = api.xml(Method::PUT, "/job.api/assign", Some(&assign)).await.expect(StatusCode::OK).single();
    assert_eq!(job.assigned.as_ref().map(|staff| staff.len()), Some(1));
    assert_eq!(job.manager.as_ref().and_then(|manager| manager.uuid), Some(staff));
    let job_task = |job: &Job| -> JobTask {
        job.tasks.iter().flatten().find(|candidate| candidate.uuid == Some(task)).cloned().expect("the task")
    };
    assert_eq!(job_task(&job).assigned.map(|staff| staff.len()), Some(1));

    let state = format!("<Job><ID>{number}</ID><State>INPROGRESS</State></Job>");
    let job: Job = api.xml(Method::PUT, "/job.api/state", Some(&state)).await.expect(StatusCode::OK).single();
    assert_eq!(job.state.as_deref(), Some("In Progress"));
    let by_name = format!("<Job><ID>{number}</ID><State>In Progress</State></Job>");
    api.xml(Method::PUT, "/job.api/state", Some(&by_name)).await.expect(StatusCode::BAD_REQUEST);

    let note = format!(
        "<Note><Job>{number}</Job><Title>Kick-off</Title><Text>Agreed scope</Text><Public>false</Public></Note>"
    );
    let job: Job = api.xml(Method::POST, "/job.api/note", Some(&note)).await.expect(StatusCode::OK).single();
    assert!(job.notes.iter().flatten().any(|note| note.title.as_deref() == Some("Kick-off")));

    let date = compact(today());
    let timesheet = format!(
        "<Timesheet><Job>{number}</Job><TaskUUID>{task}</TaskUUID><StaffUUID>{staff}</StaffUUID><Date>{date}</Date>\
         <Start>09:00</Start><End>10:30</End><Note>Planning</Note></Timesheet>"
    );
    let time: Time = api.xml(Method::POST, "/time.api/add", Some(&timesheet)).await.expect(StatusCode::OK).single();
    assert_eq!(time.minutes, Some(90));
    assert_eq!(time.job.as_ref().and_then(|job| job.id.as_deref()), Some(number.as_str()));
    let entry = time.uuid.expect("the entry's UUID");

    let listed: Vec<Time> = api.get(&format!("/time.api/list?{}", window(30, 0))).await.expect(StatusCode::OK).list();
    assert!(listed.iter().any(|time| time.uuid == Some(entry)));
    let on_job: Vec<Time> = api.get(&format!("/time.api/job/{number}")).await.expect(StatusCode::OK).list();
    assert_eq!(on_job.len(), 1);
    let job: Job = api.get(&format!("/job.api/get/{number}")).await.expect(StatusCode::OK).single();
    assert_eq!(job_task(&job).actual_minutes, Some(90));

    api.xml(Method::DELETE, &format!("/time.api/delete/{entry}"), None).await.expect(StatusCode::OK);
    api.get(&format!("/time.api/get/{entry}")).await.expect(StatusCode::NOT_FOUND);
    let job: Job = api.get(&format!("/job.api/get/{number}")).await.expect(StatusCode::OK).single();
    assert_eq!(job_task(&job).actual_minutes, Some(0));

    let delete = format!("<Job><ID>{number}</ID></Job>");
    api.xml(Method::POST, "/job.api/delete", Some(&delete)).await.expect(StatusCode::OK);
    api.get(&format!("/job.api/get/{number}")).await.expect(StatusCode::NOT_FOUND);
}
