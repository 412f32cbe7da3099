//! `staff.api` through `client.staff(tenant)`.

use xpm_api::request::{StaffAddRequest, StaffUpdateRequest};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_staff_member_is_added_read_changed_listed_disabled_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let staff = harness.client.staff(harness.tenant);
    let seeded = staff.list().await.expect("list").len();

    let mut request = StaffAddRequest::default();
    request.name = Some("Mere Tane".into());
    request.email = Some("mere@practice.example".into());
    let added = staff.add(&request).await.expect("add");
    let uuid = added.uuid.expect("the new staff member's uuid");

    let fetched = staff.get(uuid).await.expect("get");
    assert_eq!((fetched.name.as_deref(), fetched.email.as_deref()), (Some("Mere Tane"), Some("mere@practice.example")));

    let mut change = StaffUpdateRequest::default();
    change.uuid = Some(uuid);
    change.phone = Some("04 555 0199".into());
    let updated = staff.update(&change).await.expect("update");
    assert_eq!(updated.phone.as_deref(), Some("04 555 0199"));

    let listed = staff.list().await.expect("list");
    assert_eq!(listed.len(), seeded + 1);
    let ours = listed.iter().find(|member| member.uuid == Some(uuid)).expect("listed");
    assert_eq!(ours.phone.as_deref(), Some("04 555 0199"));

    staff.disable(uuid).await.expect("disable");
    staff.enable(uuid).await.expect("enable");
    let journal = harness.emulator().journal();
    assert_eq!((journal.count("StaffV31_Disable"), journal.count("StaffV31_Enable")), (1, 1));

    staff.delete(uuid).await.expect("delete");
    let listed = staff.list().await.expect("list");
    assert_eq!(listed.len(), seeded);
    assert!(listed.iter().all(|member| member.uuid != Some(uuid)));
    assert!(staff.get(uuid).await.expect_err("gone").xpm_description().is_some());
}
