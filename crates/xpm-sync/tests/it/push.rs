//! `xpm_sync::push` against the emulator: never a duplicate, conflicts kept, errors recorded,
//! and the store holding what XPM holds after a write.

use std::time::Duration;

use xpm_api::model::Client;
use xpm_api::request::{ClientAddRequest, ClientUpdateRequest};
use xpm_mock::faults::Fault;
use xpm_store::{EntityKind, NewOutboxEntry, OutboxStatus};
use xpm_sync::{Outcome, PushError, PushOptions};

use crate::support::{World, key_of, labels, on_both_backends};

async fn queue(world: &World, change: impl Into<xpm_sync::Change>) {
    let mut write = world.store().write().await.expect("write");
    xpm_sync::queue(&mut write, world.tenant(), change).await.expect("queued");
    write.commit().await.expect("commit");
}

/// The answer to `client.api/add` is lost after XPM made the client: the push finds the client,
/// adopts it, and a second push sends nothing.
async fn a_create_whose_answer_is_lost_is_adopted(world: &World) {
    let name = "Harbour Trust (dropped answer)";
    queue(world, ClientAddRequest::new(name).email("office@harbour.example").phone("+64 9 555 0100")).await;
    world.fault("ClientV31_Add", Fault::ApplyThenDrop { hold_ms: Duration::ZERO }, 1);

    let report = world.push().await;
    assert_eq!(labels(&report), ["adopted"], "{report:?}");
    let key = key_of(&report.entries[0].outcome);
    let in_xpm = world.clients_named(name).await;
    assert_eq!(in_xpm.len(), 1, "exactly one client in XPM");
    assert_eq!(in_xpm[0].uuid.map(|uuid| uuid.to_string()), Some(key.clone()));
    let entries = world.outbox().await;
    assert_eq!((entries[0].status, entries[0].result_key.as_deref()), (OutboxStatus::Sent, Some(key.as_str())));
    let stored = world.store().get::<Client>(world.tenant(), EntityKind::Client, &key).await.expect("read");
    assert_eq!(stored.map(|stored| stored.item.email), Some(Some("office@harbour.example".to_owned())));

    let again = world.push().await;
    assert!(again.entries.is_empty(), "nothing left to send: {again:?}");
    assert_eq!(world.clients_named(name).await.len(), 1);
    let adds = world.session.running.emulator().journal().entries();
    assert_eq!(adds.iter().filter(|entry| entry.operation == Some("ClientV31_Add")).count(), 1, "sent once");
}

on_both_backends!(
    a_create_whose_answer_is_lost_is_adopted,
    a_create_whose_answer_is_lost_is_adopted_on_sqlite,
    a_create_whose_answer_is_lost_is_adopted_on_postgres
);

/// A push killed after sending leaves its entry `sending`. The next push looks in XPM first:
/// the create that took is adopted, the one that never left is sent, once each.
async fn entries_left_sending_are_reconciled_before_any_resend(world: &World) {
    let took = ClientAddRequest::new("Took Before The Crash Ltd").email("took@example.com");
    let lost = ClientAddRequest::new("Never Left Ltd").email("never@example.com");
    for request in [&took, &lost] {
        let mut write = world.store().write().await.expect("write");
        let id = xpm_sync::queue(&mut write, world.tenant(), request.clone()).await.expect("queued");
        write.mark_sending(id).await.expect("sending");
        write.commit().await.expect("commit");
    }
    // The first request reached XPM before the process died.
    world.client.clients(world.tenant()).add(&took).await.expect("the first create took");

    let report = world.push().await;
    assert_eq!(labels(&report), ["adopted", "sent"], "{report:?}");
    assert_eq!(world.clients_named("Took Before The Crash Ltd").await.len(), 1);
    assert_eq!(world.clients_named("Never Left Ltd").await.len(), 1);
    let attempts: Vec<u32> = world.outbox().await.iter().map(|entry| entry.attempts).collect();
    assert_eq!(attempts, [1, 2], "the adopted entry was not sent again");
}

on_both_backends!(
    entries_left_sending_are_reconciled_before_any_resend,
    entries_left_sending_are_reconciled_on_sqlite,
    entries_left_sending_are_reconciled_on_postgres
);

/// A record with the same name but other fields than the create sent cannot be told from this
/// create altered by XPM: the entry becomes a conflict, and nothing is sent.
#[tokio::test]
async fn a_lookalike_record_makes_a_lost_create_a_conflict_not_a_resend() {
    let world = World::start(None).await.expect("SQLite");
    let request = ClientAddRequest::new("Lookalike Partners").email("ours@example.com");
    world
        .client
        .clients(world.tenant())
        .add(&ClientAddRequest::new("Lookalike Partners").email("theirs@example.com"))
        .await
        .expect("add");
    let mut write = world.store().write().await.expect("write");
    let id = xpm_sync::queue(&mut write, world.tenant(), request).await.expect("queued");
    write.mark_sending(id).await.expect("sending");
    write.commit().await.expect("commit");

    let report = world.push().await;
    assert_eq!(labels(&report), ["conflict"], "{report:?}");
    assert_eq!(world.clients_named("Lookalike Partners").await.len(), 1, "not sent again");
    assert_eq!(world.outbox().await[0].status, OutboxStatus::Conflict);
    world.finish().await;
}

/// An update based on a stored copy that someone then edited in XPM is a conflict: XPM keeps
/// the other edit, and the entry lists what changed.
async fn an_update_conflicting_with_an_edit_in_xpm_is_not_sent(world: &World) {
    let client = world.synced_client(0).await;
    let id = client.id().expect("uuid");
    queue(world, ClientUpdateRequest::new(id).email("ours@example.com")).await;
    assert!(
        world.store().pending_keys(world.tenant(), EntityKind::Client).await.expect("keys").contains(&id.to_string())
    );
    // Someone edits the client in XPM meanwhile.
    world
        .client
        .clients(world.tenant())
        .update(&ClientUpdateRequest::new(id).phone("+61 2 5550 1234"))
        .await
        .expect("edit");

    let report = world.push().await;
    let Outcome::Conflict { differences, .. } = &report.entries[0].outcome else { panic!("{report:?}") };
    assert_eq!(differences.iter().map(|difference| difference.field.as_str()).collect::<Vec<_>>(), ["phone"]);
    let in_xpm = world.client.clients(world.tenant()).get(id).await.expect("get");
    assert_eq!(in_xpm.phone.as_deref(), Some("+61 2 5550 1234"), "the other edit is kept");
    assert_eq!(in_xpm.email, client.email, "ours was not sent");
    let entry = &world.outbox().await[0];
    assert_eq!(entry.status, OutboxStatus::Conflict);
    assert!(entry.last_error.as_deref().is_some_and(|error| error.contains("phone")), "{entry:?}");
    assert!(world.store().pending_keys(world.tenant(), EntityKind::Client).await.expect("keys").is_empty());
}

on_both_backends!(
    an_update_conflicting_with_an_edit_in_xpm_is_not_sent,
    an_update_conflict_on_sqlite,
    an_update_conflict_on_postgres
);

/// After an update the stored record is XPM's record, field for field.
async fn after_an_update_the_store_holds_what_xpm_holds(world: &World) {
    let client = world.synced_client(1).await;
    let id = client.id().expect("uuid");
    queue(world, ClientUpdateRequest::new(id).email("accounts@harbour.example").city("Wellington")).await;
    let report = world.push().await;
    assert_eq!(labels(&report), ["sent"], "{report:?}");
    let in_xpm = world.client.clients(world.tenant()).get(id).await.expect("get");
    assert_eq!(in_xpm.email.as_deref(), Some("accounts@harbour.example"));
    let stored = world.store().get::<Client>(world.tenant(), EntityKind::Client, &id.to_string()).await.expect("read");
    assert_eq!(stored.map(|stored| stored.item), Some(in_xpm));
}

on_both_backends!(
    after_an_update_the_store_holds_what_xpm_holds,
    after_an_update_the_store_holds_xpm_s_record_on_sqlite,
    after_an_update_the_store_holds_xpm_s_record_on_postgres
);

/// A 200 whose body says `<Status>ERROR</Status>` is a failed write, with XPM's message.
#[tokio::test]
async fn a_200_with_status_error_marks_the_entry_failed() {
    let world = World::start(None).await.expect("SQLite");
    let client = world.synced_client(2).await;
    let id = client.id().expect("uuid");
    queue(&world, ClientUpdateRequest::new(id).email("x@example.com")).await;
    world.fault("ClientV31_Update", Fault::Error200 { description: "Client is locked".into() }, 1);
    let report = world.push().await;
    assert_eq!(report.entries[0].outcome, Outcome::Failed { reason: "Client is locked".into() });
    let entry = &world.outbox().await[0];
    assert_eq!(
        (entry.status, entry.last_error.as_deref(), entry.attempts),
        (OutboxStatus::Failed, Some("Client is locked"), 1)
    );
    assert!(report.needs_attention() && !report.incomplete());
    world.finish().await;
}

/// A reset before XPM ran the request leaves the outcome unknown; XPM shows no such client, so
/// the entry stays `sending` (not resent at once), and the next push sends it.
#[tokio::test]
async fn a_lost_create_not_found_is_left_for_the_next_push() {
    let world = World::start(None).await.expect("SQLite");
    queue(&world, ClientAddRequest::new("Reset Before Applying Ltd")).await;
    world.fault("ClientV31_Add", Fault::Reset, 1);
    let report = world.push().await;
    assert_eq!(labels(&report), ["unknown"], "{report:?}");
    assert!(report.incomplete() && report.stopped.is_some());
    assert_eq!(world.outbox().await[0].status, OutboxStatus::Sending);
    assert!(world.clients_named("Reset Before Applying Ltd").await.is_empty());

    let report = world.push().await;
    assert_eq!(labels(&report), ["sent"], "{report:?}");
    assert_eq!(world.clients_named("Reset Before Applying Ltd").await.len(), 1);
    world.finish().await;
}

/// A dry run sends nothing and changes nothing; a second push waits for the first.
#[tokio::test]
async fn a_dry_run_changes_nothing_and_pushes_take_turns() {
    let world = World::start(None).await.expect("SQLite");
    queue(&world, ClientAddRequest::new("Dry Run Ltd")).await;
    let report =
        xpm_sync::push(&world.client, world.store(), world.tenant(), &PushOptions::dry_run()).await.expect("dry run");
    assert_eq!(labels(&report), ["would send"]);
    assert_eq!(world.outbox().await[0].status, OutboxStatus::Pending);
    assert!(world.clients_named("Dry Run Ltd").await.is_empty());

    let held = world.store().try_lock_outbox(world.tenant()).await.expect("lock").expect("free");
    let busy = xpm_sync::push(&world.client, world.store(), world.tenant(), &PushOptions::default()).await;
    assert!(matches!(busy, Err(PushError::Busy { .. })), "{busy:?}");
    held.release().await;
    assert_eq!(labels(&world.push().await), ["sent"]);
    world.finish().await;
}

/// An update of a record the store does not hold is refused when queued: there would be no
/// stored copy to detect a conflict against. An entry that is not a change is marked failed.
#[tokio::test]
async fn what_cannot_be_pushed_is_said_when_queued() {
    let world = World::start(None).await.expect("SQLite");
    let mut write = world.store().write().await.expect("write");
    let unknown = ClientUpdateRequest::new(xpm_api::ids::ClientId::new(uuid::Uuid::from_u128(7))).email("a@b");
    let refused = xpm_sync::queue(&mut write, world.tenant(), unknown).await;
    assert!(matches!(refused, Err(PushError::NotStored { entity: "client", .. })), "{refused:?}");
    let entry = NewOutboxEntry {
        entity: "invoice".into(),
        action: "create".into(),
        entity_key: None,
        payload: "{}".into(),
        base_version: None,
    };
    write.enqueue(world.tenant(), &entry).await.expect("enqueue");
    write.commit().await.expect("commit");
    let report = world.push().await;
    assert!(
        matches!(&report.entries[0].outcome, Outcome::Failed { reason } if reason.contains("invoice")),
        "{report:?}"
    );
    world.finish().await;
}
