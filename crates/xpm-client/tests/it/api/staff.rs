//! `staff.api` through `client.staff(tenant)`.

use xpm_api::request::{StaffAddRequest, StaffUpdateRequest};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_staff_member_is_added_read_changed_listed_disabled_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let staff = harness.client.staff(harness.tenant);
    let seeded = staff.list().send().await.expect("list").len();

    let request = StaffAddRequest::new("Mere Tane").email("mere@practice.example");
    let added = staff.add(&request).await.expect("add");
    let id = added.id().expect("the new staff member's uuid");

    let fetched = staff.get(id).await.expect("get");
    assert_eq!((fetched.name.as_deref(), fetched.email.as_deref()), (Some("Mere Tane"), Some("mere@practice.example")));

    let change = StaffUpdateRequest::new(id).phone("04 555 0199");
    let updated = staff.update(&change).await.expect("update");
    assert_eq!(updated.phone.as_deref(), Some("04 555 0199"));

    let listed = staff.list().send().await.expect("list");
    assert_eq!(listed.len(), seeded + 1);
    let ours = listed.iter().find(|member| member.id() == Some(id)).expect("listed");
    assert_eq!(ours.phone.as_deref(), Some("04 555 0199"));

    staff.disable(id).await.expect("disable");
    staff.enable(id).await.expect("enable");
    let journal = harness.emulator().journal();
    assert_eq!((journal.count("StaffV31_Disable"), journal.count("StaffV31_Enable")), (1, 1));

    staff.delete(id).await.expect("delete");
    let listed = staff.list().send().await.expect("list");
    assert_eq!(listed.len(), seeded);
    assert!(listed.iter().all(|member| member.id() != Some(id)));
    assert!(staff.get(id).await.expect_err("gone").xpm_description().is_some());
}
