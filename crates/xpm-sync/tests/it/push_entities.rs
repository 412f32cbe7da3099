//! Every kind of change the outbox takes, created through a lost answer (adopted, never
//! duplicated) and then updated, with the store holding XPM's record afterwards.

use std::time::Duration;

use chrono::Utc;
use xpm_api::model::{ClientGroup, Contact, Job, Time};
use xpm_api::request::{
    ClientGroupAddRequest, ClientGroupMembersRequest, ContactRequest, JobAddRequest, JobUpdateRequest, TimeAddRequest,
    TimeUpdateRequest,
};
use xpm_api::value::XpmDate;
use xpm_mock::faults::Fault;
use xpm_store::EntityKind;
use xpm_sync::Change;

use crate::support::{World, key_of, labels, on_both_backends};

const LOST: Fault = Fault::ApplyThenDrop { hold_ms: Duration::ZERO };

/// Queues and pushes one change, which must end as `expected` (`adopted` for a create whose
/// answer the emulator dropped, `sent` for the rest).
async fn push_one(world: &World, change: Change, expected: &str) -> String {
    let mut write = world.store().write().await.expect("write");
    xpm_sync::queue(&mut write, world.tenant(), change).await.expect("queued");
    write.commit().await.expect("commit");
    let report = world.push().await;
    assert_eq!(report.entries.len(), 1, "{report:?}");
    assert_eq!(labels(&report), [expected], "{report:?}");
    key_of(&report.entries[0].outcome)
}

async fn every_kind_is_created_once_and_updated(world: &World) {
    let tenant = world.tenant();
    let owner = world.synced_client(3).await;
    let owner_id = owner.id().expect("uuid");
    let today = Utc::now().date_naive();

    // A contact of the client.
    world.fault("ClientV31_ContactPost", LOST, 1);
    let contact = ContactRequest::new("Ana Ruiz").email("ana@harbour.example").position("Trustee");
    let contact_key = push_one(world, Change::contact_create(owner_id, contact), "adopted").await;
    let contacts = world.client.clients(tenant).get(owner_id).await.expect("get").contacts.unwrap_or_default();
    assert_eq!(contacts.iter().filter(|contact| contact.name.as_deref() == Some("Ana Ruiz")).count(), 1);
    let contact_id: xpm_api::ids::ContactId = contact_key.parse().expect("a contact uuid");
    let update = ContactRequest::new("Ana Ruiz").mobile("021 555 0101");
    push_one(world, Change::contact_update(contact_id, update), "sent").await;
    let stored = world.store().get::<Contact>(tenant, EntityKind::Contact, &contact_key).await.expect("read");
    assert_eq!(stored.and_then(|stored| stored.item.mobile).as_deref(), Some("021 555 0101"));

    // A group, then the client put in it.
    world.fault("ClientGroupV31_Add", LOST, 1);
    let group_key = push_one(world, ClientGroupAddRequest::new("Harbour Trusts").taxable(true).into(), "adopted").await;
    let groups = world.client.client_groups(tenant).list().send().await.expect("groups");
    assert_eq!(groups.iter().filter(|group| group.name.as_deref() == Some("Harbour Trusts")).count(), 1);
    let group_id: xpm_api::ids::GroupId = group_key.parse().expect("a group uuid");
    push_one(world, ClientGroupMembersRequest::new(group_id).add_client(owner_id).into(), "sent").await;
    let group = world.client.client_groups(tenant).get(group_id).await.expect("group");
    assert!(group.clients.unwrap_or_default().iter().any(|member| member.uuid == Some(owner_id.uuid())));
    let stored = world.store().get::<ClientGroup>(tenant, EntityKind::Group, &group_key).await.expect("read");
    assert!(stored.is_some());

    // A job for the client, then a change to it.
    world.fault("JobV31_Add", LOST, 1);
    let job = JobAddRequest::new(owner_id)
        .name("Annual accounts 2026")
        .description("Financial statements and tax return")
        .start_date(XpmDate::compact(today))
        .due_date(XpmDate::compact(today + chrono::Days::new(30)));
    let number = push_one(world, job.into(), "adopted").await;
    let jobs = world.client.jobs(tenant).for_client(owner_id).send().await.expect("jobs");
    assert_eq!(jobs.iter().filter(|job| job.name.as_deref() == Some("Annual accounts 2026")).count(), 1);
    let budget =
        JobUpdateRequest::new(&number.parse().expect("a job number")).budget(xpm_api::value::Decimal::new(1500, 0));
    push_one(world, budget.into(), "sent").await;
    let in_xpm = world.client.jobs(tenant).get(&number.parse().expect("number")).await.expect("job");
    let stored = world.store().get::<Job>(tenant, EntityKind::Job, &number).await.expect("read").expect("stored");
    assert_eq!(stored.item, in_xpm);

    // Time on a current job's task.
    let current = world.client.jobs(tenant).current().detailed(true).send().await.expect("current jobs");
    let (job_number, task) = current
        .iter()
        .find_map(|job| Some((job.number()?, job.tasks.as_ref()?.first()?.id()?)))
        .expect("a current job with a task");
    let staff = world.client.staff(tenant).list().send().await.expect("staff")[0].id().expect("a staff uuid");
    world.fault("TimeV31_Add", LOST, 1);
    let entry = TimeAddRequest::new(&job_number)
        .task_uuid(task)
        .staff_uuid(staff)
        .date(XpmDate::compact(today))
        .minutes(95)
        .note("Pushed through a lost answer");
    let time_key = push_one(world, entry.into(), "adopted").await;
    let entries = world.client.time(tenant).for_job(&job_number).send().await.expect("time");
    assert_eq!(entries.iter().filter(|entry| entry.note.as_deref() == Some("Pushed through a lost answer")).count(), 1);
    let time_id: xpm_api::ids::TimeId = time_key.parse().expect("a time uuid");
    push_one(world, TimeUpdateRequest::new(time_id).minutes(120).into(), "sent").await;
    let stored = world.store().get::<Time>(tenant, EntityKind::Time, &time_key).await.expect("read").expect("stored");
    assert_eq!(stored.item.minutes, Some(120));
    assert_eq!(stored.item, world.client.time(tenant).get(time_id).await.expect("time"));
}

on_both_backends!(
    every_kind_is_created_once_and_updated,
    every_kind_is_created_once_and_updated_on_sqlite,
    every_kind_is_created_once_and_updated_on_postgres
);
