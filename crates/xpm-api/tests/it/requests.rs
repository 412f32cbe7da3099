//! Request bodies: each reference fixture decodes to the values it holds, is written back
//! exactly (element order, empty elements, attributes), round-trips through XML and JSON, and
//! its JSON matches the OpenAPI request DTO in both directions.

use std::fmt::Debug;

use serde_json::Value;
use xpm_api::ids::{ClientId, JobNumber};
use xpm_api::request::{
    AddCustomFieldDefinitionRequest, Clearable, ClientAddContactsRequest, ClientAddRequest, ClientArchiveRequest,
    ClientDeleteRequest, ClientDocumentRequest, ClientGroupAddRequest, ClientGroupDeleteRequest,
    ClientGroupMembersRequest, ClientRelationshipAddRequest, ClientRelationshipDeleteRequest,
    ClientRelationshipUpdateRequest, ClientUpdateRequest, ContactInsertItem, ContactRequest, CostAddRequest,
    CostDeleteAllRequest, CostDeleteRequest, CostUpdateRequest, CustomFieldValueRequest,
    CustomFieldValuesUpdateRequest, DeleteCustomFieldDefinitionRequest, JobAddRequest, JobApplyTemplateRequest,
    JobAssignRequest, JobCostAddRequest, JobCostUpdateRequest, JobDeleteRequest, JobDocumentRequest, JobNoteRequest,
    JobReorderTasksRequest, JobStateRequest, JobTaskAddRequest, JobTaskUpdateRequest, JobUpdateRequest, OptionList,
    RequestBody, RoleAssignment, StaffAddRequest, StaffAssignment, StaffIdentifierRequest, StaffUpdateRequest,
    TaskMode, TimeAddRequest, TimeUpdateRequest, UpdateCustomFieldDefinitionRequest,
};
use xpm_api::value::{ClockTime, DateForm, YesNo};
use xpm_api::xml::DecodeErrorKind;

use crate::models::{date, dec, fixture, spec, uuid};

/// The fixture as this crate writes XML: no declaration, no indentation, `<Empty/>`.
fn canonical(xml: &[u8]) -> String {
    let text = std::str::from_utf8(xml).expect("utf-8 fixture");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.trim();
    while let Some(open) = rest.find('<') {
        let between = &rest[..open];
        if !between.trim().is_empty() {
            out.push_str(between);
        }
        let close = rest[open..].find('>').expect("closed tag") + open;
        out.push_str(&rest[open..=close].replace(" />", "/>"));
        rest = &rest[close + 1..];
    }
    out
}

/// Decodes `requests/{name}`, checks that it is written back exactly, round-trips through XML
/// and JSON, and returns it with its JSON form.
fn body<T: RequestBody + Debug + PartialEq>(name: &str) -> (T, Value) {
    let xml = fixture(&format!("requests/{name}"));
    let body = T::from_xml(&xml).unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(body.to_xml(), canonical(&xml), "{name}: written as documented");
    let again = T::from_xml(body.to_xml().as_bytes()).unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(again, body, "{name}: xml round trip");
    let json = body.to_json();
    let from_json = T::from_json(json.as_bytes()).unwrap_or_else(|error| panic!("{name}: {json}: {error}"));
    assert_eq!(from_json, body, "{name}: json round trip");
    let value = serde_json::from_str(&json).expect("valid json");
    (body, value)
}

/// Decodes fixtures that together set every field, and checks them against the type's DTO.
fn complete<T: RequestBody + Debug + PartialEq>(names: &[&str]) -> Vec<T> {
    let (bodies, values): (Vec<T>, Vec<Value>) = names.iter().map(|name| body::<T>(name)).unzip();
    spec::complete(T::JSON_SCHEMA, &values);
    bodies
}

fn one<T: RequestBody + Debug + PartialEq>(name: &str) -> T {
    complete::<T>(&[name]).into_iter().next().expect("one body")
}

#[test]
fn client_add_writes_request_names_and_new_contacts() {
    let client: ClientAddRequest = one("client.add.xml");
    assert_eq!(ClientAddRequest::ROOT, "Client");
    assert_eq!(client.name.as_deref(), Some("Harbour & Hills Pty Ltd"));
    assert_eq!(client.address.as_deref(), Some("Level 3\n88 Pitt Street"));
    assert_eq!(client.fax.as_deref(), Some(""), "an empty element is kept");
    assert_eq!(client.web_site.as_deref(), Some("https://harbourhills.com.au"));
    assert_eq!(client.is_prospect, Some(YesNo::No));
    assert_eq!(client.account_manager_uuid, uuid("2b9d6f14-8a3c-4e71-b5d0-9c6e2a4f8b17"));
    assert_eq!(client.billing_client_uuid, uuid("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573"));
    assert_eq!(client.job_manager_uuid, uuid("f8235e1a-d383-48b7-9139-ba97ab8ca889"));
    let contacts = client.contacts.as_deref().expect("contacts");
    assert_eq!(contacts[0].name.as_deref(), Some("Priya Raman"));
    assert_eq!(contacts[0].is_primary, Some(YesNo::Yes));
    assert_eq!(contacts[0].salutation.as_deref(), Some("Dear Priya"));
    assert_eq!(contacts[0].addressee.as_deref(), Some("Ms P Raman"));
    assert_eq!(contacts[0].mobile.as_deref(), Some("0412 345 678"));
    assert_eq!(contacts[0].position.as_deref(), Some("Director"));
    assert_eq!(contacts[1].is_primary, Some(YesNo::No));
    assert_eq!(contacts[1].email, None);
    assert_eq!(client.date_of_birth, date("1980-02-29"));
    assert_eq!(client.date_of_birth.map(|date| date.form()), Some(DateForm::Date));
    assert_eq!(client.place_of_birth_country_code.as_deref(), Some("IN"));
    assert_eq!(client.balance_month.as_deref(), Some("Jun"), "balance month is text in requests");
    assert_eq!(client.gst_period, Some(2), "GST period is a number of months in requests");
    assert_eq!(client.prepare_gst, Some(YesNo::Yes));
    assert_eq!(client.provisional_tax_ratio, dec("12.50"));
    assert_eq!(client.signed_tax_authority, Some(YesNo::No));
    assert_eq!(client.agency_status.as_deref(), Some("With EOT"));
    assert_eq!(client.return_type.as_deref(), Some("IR4"));
    let auto_bas = client.auto_bas_opt_in_criteria.as_ref().expect("auto bas");
    assert_eq!(auto_bas.quarterly, Some(YesNo::Yes));
    assert_eq!(auto_bas.opt_out, Some(YesNo::No));
    assert_eq!(client.active_ato_client, Some(YesNo::Yes));
    assert_eq!(client.client_code.as_deref(), Some("HARB01"));

    let json: Value = serde_json::from_str(&client.to_json()).expect("json");
    assert_eq!(json["webSite"], Value::from("https://harbourhills.com.au"));
    assert_eq!(json["billingClientUuid"], Value::from("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573"));
    assert_eq!(json["gstPeriod"], Value::from(2));
    assert_eq!(json["balanceMonth"], Value::from("Jun"));
    assert_eq!(json["autoBasOptInCriteria"]["opt-out"], Value::from("No"));
    assert!(client.to_xml().contains("<Opt-Out>No</Opt-Out>"));
}

#[test]
fn client_update_archive_and_delete_need_the_uuid() {
    let update: ClientUpdateRequest = one("client.update.xml");
    assert_eq!(update.uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(update.name.as_deref(), Some("Harbour & Hills Holdings Pty Ltd"));
    assert_eq!(update.gst_period, Some(1));
    assert_eq!(update.export_code.as_deref(), Some("HARB01"));
    let archive: ClientArchiveRequest = one("client.archive.xml");
    assert_eq!(archive, ClientArchiveRequest::new(uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3").expect("uuid")));
    let delete: ClientDeleteRequest = one("client.delete.xml");
    assert_eq!(delete.uuid, archive.uuid);

    let missing = ClientUpdateRequest::from_xml(b"<Client><Name>No id</Name></Client>").expect_err("uuid required");
    assert!(matches!(missing.kind(), DecodeErrorKind::MissingElement("UUID")), "{missing}");
    assert_eq!(missing.path(), "Client");
    let missing = ClientDeleteRequest::from_json(b"{}").expect_err("uuid required");
    assert!(matches!(missing.kind(), DecodeErrorKind::MissingKey("uuid")), "{missing}");
    let wrong_root = ClientDeleteRequest::from_xml(b"<Staff><UUID/></Staff>").expect_err("wrong root");
    assert!(matches!(wrong_root.kind(), DecodeErrorKind::UnexpectedElement { expected: "Client", .. }));
}

#[test]
fn contact_bodies_carry_the_client_link() {
    let contact: ContactRequest = one("contact.add.xml");
    assert_eq!(contact.name.as_deref(), Some("Wyatt Coyle"));
    assert_eq!(contact.salutation.as_deref(), Some("Dear Wyatt"));
    assert_eq!(contact.addressee.as_deref(), Some("Mr W Coyle"));
    assert_eq!(contact.mobile.as_deref(), Some("0433 222 111"));
    assert_eq!(contact.email.as_deref(), Some("wyatt@harbourhills.com.au"));
    assert_eq!(contact.phone.as_deref(), Some(""));
    assert_eq!(contact.client.as_ref().and_then(|client| client.uuid), uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(contact.position.as_deref(), Some("Finance Manager"));
    assert_eq!(contact.is_primary, Some(YesNo::No));

    let link: ClientAddContactsRequest = one("client.contacts.xml");
    let contacts = link.contacts.as_deref().expect("contacts");
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].uuid, uuid("ab6c4656-c69f-4993-a7c1-b87461b85ff4"));
    assert_eq!(contacts[0].position.as_deref(), Some(""));
    assert_eq!(contacts[1].position.as_deref(), Some("Public Officer"));
    assert_eq!(contacts[1].is_primary, Some(YesNo::Yes));
    let empty = ClientAddContactsRequest::from_xml(b"<Client><Contacts/></Client>").expect_err("needs a contact");
    assert!(matches!(empty.kind(), DecodeErrorKind::MissingElement("Contacts")));
}

#[test]
fn group_members_use_attributes_in_xml_and_arrays_in_json() {
    let add: ClientGroupAddRequest = one("group.add.xml");
    assert_eq!(add.name.as_deref(), Some("Raman Family Group"));
    assert_eq!(add.taxable, Some(YesNo::No));
    assert_eq!(add.client_uuid, uuid("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573"));

    let (members, json) = body::<ClientGroupMembersRequest>("group.members.xml");
    spec::complete(ClientGroupMembersRequest::JSON_SCHEMA, std::slice::from_ref(&json));
    assert_eq!(members.uuid, uuid("c2f8a4e6-1b3d-4957-8a0c-e6d2b9f4a731"));
    let added: Vec<_> = members.add.iter().flatten().map(|member| member.uuid).collect();
    assert_eq!(added, [uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"), uuid("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573")]);
    assert_eq!(members.remove.as_deref().map(<[_]>::len), Some(1));
    assert_eq!(json["remove"][0]["uuid"], Value::from("5d9b3f7a-2c6e-4a18-b4d0-f1e7c3a9b562"));
    let built = ClientGroupMembersRequest::new(uuid("c2f8a4e6-1b3d-4957-8a0c-e6d2b9f4a731").expect("uuid"))
        .add_client(uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3").expect("uuid"))
        .add_client(uuid("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573").expect("uuid"))
        .remove_client(uuid("5d9b3f7a-2c6e-4a18-b4d0-f1e7c3a9b562").expect("uuid"));
    assert_eq!(built, members);

    // Attribute order, quoting and a non-empty element are all accepted.
    let loose = br#"<Group><UUID>c2f8a4e6-1b3d-4957-8a0c-e6d2b9f4a731</UUID><remove uuid='5d9b3f7a-2c6e-4a18-b4d0-f1e7c3a9b562'></remove></Group>"#;
    let loose = ClientGroupMembersRequest::from_xml(loose).expect("decodes");
    assert_eq!(loose.remove, members.remove);
    let bad = ClientGroupMembersRequest::from_xml(
        br#"<Group><UUID>c2f8a4e6-1b3d-4957-8a0c-e6d2b9f4a731</UUID><add uuid="nope"/></Group>"#,
    )
    .expect_err("bad uuid");
    assert_eq!(bad.path(), "Group/add");
    assert!(matches!(bad.kind(), DecodeErrorKind::InvalidValue { .. }), "{bad}");

    let delete: ClientGroupDeleteRequest = one("group.delete.xml");
    assert_eq!(delete.uuid, members.uuid);
}

#[test]
fn relationships_use_dashed_dates() {
    let add: ClientRelationshipAddRequest = one("relationship.add.xml");
    assert_eq!(add.client_uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(add.related_client_uuid, uuid("3e7f1a9c-5b2d-4c68-90e4-d8a6f2c1b573"));
    assert_eq!(add.relationship_type.as_deref(), Some("Shareholder"));
    assert_eq!(add.number_of_shares, Some(1000));
    assert_eq!(add.percentage, dec("25.00"));
    assert_eq!(add.start_date, date("2011-01-01"));
    assert_eq!(add.end_date.map(|date| date.form()), Some(DateForm::Date));
    let update: ClientRelationshipUpdateRequest = one("relationship.update.xml");
    assert_eq!(update.uuid, uuid("1d44f4b8-094f-4b91-a73e-b00b83593f71"));
    assert_eq!(update.number_of_shares, Some(1500));
    assert_eq!(update.percentage, dec("30.00"));
    assert_eq!(update.end_date, date("2031-06-30"));
    let delete: ClientRelationshipDeleteRequest = one("relationship.delete.xml");
    assert_eq!(delete.uuid, update.uuid);
}

#[test]
fn documents_carry_base64_content() {
    let client: ClientDocumentRequest = one("client.document.xml");
    assert_eq!(client.client_uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(client.title.as_deref(), Some("ASIC extract"));
    assert_eq!(client.text.as_deref(), Some("Company extract as at 1 July"));
    assert_eq!(client.folder.as_deref(), Some("Statutory"));
    assert_eq!(client.file_name.as_deref(), Some("asic-extract.pdf"));
    assert_eq!(client.content.as_deref(), Some("JVBERi0xLjQKJcfsj6IKNSAwIG9iago="));
    let job: JobDocumentRequest = one("job.document.xml");
    assert_eq!(job.job.as_deref(), Some("J000412"));
    assert_eq!(job.public, Some(true));
    assert_eq!(job.file_name.as_deref(), Some("accounts-fy2025-signed.pdf"));
}

#[test]
fn job_add_update_state_delete_note_template_and_reorder() {
    let add: JobAddRequest = one("job.add.xml");
    assert_eq!(add.name.as_deref(), Some("Annual Accounts FY2026"));
    assert_eq!(add.description.as_deref(), Some("Financial statements and income tax return"));
    assert_eq!(add.client_uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(add.contact_uuid, uuid("7c1e4a52-0d9b-4f36-8e2a-5b7d3c9f1e04"));
    assert_eq!(add.start_date, date("20260701"));
    assert_eq!(add.start_date.map(|date| date.form()), Some(DateForm::Compact), "request dates are yyyyMMdd");
    assert_eq!(add.due_date, date("20261031"));
    assert_eq!(add.client_number.as_deref(), Some("PO-8120"));
    assert_eq!(add.id.as_deref(), Some("HH-2026-AA"));
    assert_eq!(add.template_uuid, uuid("3479eee3-e9c8-46e4-ac65-8e4f1719b309"));
    assert_eq!(add.category_uuid, uuid("8d3f6b1a-2e9c-4a75-b4d0-c7e1f5a9b362"));
    assert_eq!(add.budget, dec("4500.00"));
    let json: Value = serde_json::from_str(&add.to_json()).expect("json");
    assert_eq!(json["startDate"], Value::from("20260701"));
    assert_eq!(json["budget"].to_string(), "4500.00", "money is an exact JSON number");

    let update: JobUpdateRequest = one("job.update.xml");
    assert_eq!(update.id.as_deref(), Some("J000412"));
    assert_eq!(update.due_date, date("20251115"));
    assert_eq!(update.category_uuid, uuid("8d3f6b1a-2e9c-4a75-b4d0-c7e1f5a9b362"));
    assert_eq!(update.budget, dec("4750.00"));

    let state: JobStateRequest = one("job.state.xml");
    assert_eq!(state.id.as_deref(), Some("J000412"));
    assert_eq!(state.state.as_deref(), Some("COMPLETED"));
    // XPM's example also sends the job's UUID; it is accepted and not kept.
    let documented = JobStateRequest::from_xml(
        b"<Job><ID>J000309</ID><UUID>0d3458b8-6fde-4389-8dbb-0a85804466ad</UUID><State>CONFIRMED</State></Job>",
    )
    .expect("decodes");
    assert_eq!(documented.to_xml(), "<Job><ID>J000309</ID><State>CONFIRMED</State></Job>");

    let delete: JobDeleteRequest = one("job.delete.xml");
    assert_eq!(delete.id.as_deref(), Some("J000405"));

    let note: JobNoteRequest = one("job.note.xml");
    assert_eq!(note.job.as_deref(), Some("J000412"));
    assert_eq!(note.title.as_deref(), Some("Client call"));
    assert_eq!(note.text.as_deref(), Some("Agreed to extend the due date\nto 15 November"));
    assert_eq!(note.folder.as_deref(), Some("Correspondence"));
    assert_eq!(note.public, Some(false), "note Public is true/false");

    let template: JobApplyTemplateRequest = one("job.applytemplate.xml");
    assert_eq!(template.template_uuid, uuid("a9c5e1f3-6b8d-4d27-8e4a-1f3c7b9d5e60"));
    assert_eq!(template.task_mode, Some(TaskMode::AppendExisting));
    let bad_mode = JobApplyTemplateRequest::from_xml(b"<Job><ID>J1</ID><TaskMode>Merge</TaskMode></Job>");
    assert!(bad_mode.is_err_and(|error| error.path() == "Job/TaskMode"));

    let reorder: JobReorderTasksRequest = one("job.reordertasks.xml");
    let order: Vec<_> = reorder.tasks.iter().flatten().map(|task| task.uuid).collect();
    assert_eq!(order, [uuid("4d8b2f6a-1e7c-4b93-a5d0-3c9e7f1b2a84"), uuid("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58")]);
}

#[test]
fn job_assign_uses_hyphenated_attributes_and_keys() {
    let (assign, json) = body::<JobAssignRequest>("job.assign.xml");
    spec::complete(JobAssignRequest::JSON_SCHEMA, std::slice::from_ref(&json));
    assert_eq!(assign.id.as_deref(), Some("J000412"));
    let add = assign.add.as_deref().expect("add");
    assert_eq!(add[0], StaffAssignment::job(uuid("96c200ce-1dd7-4b38-9830-9dc43c06e076").expect("uuid")));
    assert_eq!(
        add[1],
        StaffAssignment::task(
            uuid("9e4a7b21-6c3d-4f58-a0e2-1b8d5c7f3a96").expect("uuid"),
            uuid("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58").expect("uuid")
        )
    );
    let remove = assign.remove.as_deref().expect("remove");
    assert_eq!(remove[1].task_uuid, uuid("4d8b2f6a-1e7c-4b93-a5d0-3c9e7f1b2a84"));
    assert_eq!(
        assign.add_manager,
        Some(RoleAssignment::new(uuid("229a78d7-bb45-49ca-946c-35187c1185df").expect("uuid")))
    );
    assert!(assign.remove_manager.is_some());
    assert_eq!(assign.add_partner.as_ref().and_then(|role| role.uuid), uuid("eaa09364-1f08-4e31-82e8-d94715a8b556"));
    assert!(assign.remove_partner.is_some());
    assert_eq!(json["add"][1]["task-uuid"], Value::from("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58"));
    assert_eq!(json["add-manager"]["uuid"], Value::from("229a78d7-bb45-49ca-946c-35187c1185df"));
    assert_eq!(json["remove-manager"], serde_json::json!({}));

    // Operations may come in any order, as XPM's own example interleaves them.
    let interleaved = br#"<Job><ID>J000412</ID><remove-partner/><add uuid="96c200ce-1dd7-4b38-9830-9dc43c06e076"/><remove-manager></remove-manager></Job>"#;
    let interleaved = JobAssignRequest::from_xml(interleaved).expect("decodes");
    assert_eq!(interleaved.add.as_deref().map(<[_]>::len), Some(1));
    assert!(interleaved.remove_manager.is_some() && interleaved.remove_partner.is_some());
    assert_eq!(interleaved.add_manager, None);
    let bad = JobAssignRequest::from_xml(br#"<Job><ID>J1</ID><add uuid="x" task-uuid="y"/></Job>"#).expect_err("bad");
    assert_eq!(bad.path(), "Job/add");
}

#[test]
fn job_tasks_and_costs() {
    let add: JobTaskAddRequest = one("job.task.add.xml");
    assert_eq!(add.job.as_deref(), Some("J000412"));
    assert_eq!(add.task_uuid, uuid("b7c2e9f4-6a1d-4073-8b5e-d2f4a9c1e736"));
    assert_eq!(add.label.as_deref(), Some("Second partner review"));
    assert_eq!(add.estimated_minutes, Some(45));
    assert_eq!(add.start_date, date("20251020"));
    let update: JobTaskUpdateRequest = one("job.task.update.xml");
    assert_eq!(update.uuid, uuid("4d8b2f6a-1e7c-4b93-a5d0-3c9e7f1b2a84"));
    assert_eq!(update.description.as_deref(), Some(""));
    assert_eq!(update.estimated_minutes, Some(120));
    assert_eq!(update.due_date, date("20251010"));

    let cost: JobCostAddRequest = one("job.cost.add.xml");
    assert_eq!(cost.job.as_deref(), Some("J000412"));
    assert_eq!(cost.date, date("20250811"));
    assert_eq!(cost.code.as_deref(), Some("ASIC"));
    assert_eq!(cost.quantity, dec("1"));
    assert_eq!(cost.unit_cost, dec("321.00"));
    assert_eq!(cost.billable, Some(true), "job cost Billable is true/false");
    assert_eq!(cost.supplier_uuid, uuid("4f8a2c6e-1d9b-4e37-a5c0-7b3d9f1e6a28"));
    let cost: JobCostUpdateRequest = one("job.cost.update.xml");
    assert_eq!(cost.uuid, uuid("6e2a9f4c-8d1b-4c73-b6a0-f5e3d7c1a982"));
    assert_eq!(cost.quantity, dec("2.50"));
    assert_eq!(cost.note.as_deref(), Some(""));
    assert_eq!(cost.billable, Some(false));
}

#[test]
fn time_entries_send_minutes_as_a_json_string() {
    let entries: Vec<TimeAddRequest> = complete(&["time.add.xml", "time.add-start-end.xml"]);
    let duration = &entries[0];
    assert_eq!(TimeAddRequest::ROOT, "Timesheet");
    assert_eq!(duration.job.as_deref(), Some("J000412"));
    assert_eq!(duration.task_uuid, uuid("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58"));
    assert_eq!(duration.staff_uuid, uuid("9e4a7b21-6c3d-4f58-a0e2-1b8d5c7f3a96"));
    assert_eq!(duration.date, date("20250715"));
    assert_eq!(duration.minutes, Some(-60), "negative time is allowed");
    assert_eq!(duration.start, None);
    let json: Value = serde_json::from_str(&duration.to_json()).expect("json");
    assert_eq!(json["minutes"], Value::from("-60"), "TimeAddRequestDto types minutes as a string");
    let start_end = &entries[1];
    assert_eq!(start_end.minutes, None);
    assert_eq!(start_end.start, ClockTime::from_hm(13, 0));
    assert_eq!(start_end.end, ClockTime::from_hm(14, 30));

    let update: TimeUpdateRequest = one("time.update.xml");
    assert_eq!(update.uuid, uuid("1d7e3b9f-4a2c-4e68-b0d5-9f3a1c7e2b46"));
    assert_eq!(update.minutes, Some(165));
    assert_eq!(update.end, ClockTime::from_hm(11, 45));

    // A number is accepted too; anything else names its path.
    let lenient = TimeAddRequest::from_json(br#"{"job":"J000412","minutes":90}"#).expect("number minutes");
    assert_eq!(lenient.minutes, Some(90));
    let wrong = TimeAddRequest::from_json(br#"{"job":"J000412","minutes":"an hour"}"#).expect_err("not minutes");
    assert_eq!(wrong.path(), "minutes");
    assert!(matches!(wrong.kind(), DecodeErrorKind::Json(_)));
    let wrong = TimeAddRequest::from_json(br#"{"job":"J000412","minutes":1.5}"#).expect_err("fractional");
    assert_eq!(wrong.path(), "minutes");
    let missing = TimeUpdateRequest::from_xml(b"<Timesheet><Job>J1</Job></Timesheet>").expect_err("uuid required");
    assert!(matches!(missing.kind(), DecodeErrorKind::MissingElement("UUID")));
    let truncated = TimeAddRequest::from_json(br#"{"job":"J0"#).expect_err("truncated");
    assert!(truncated.is_truncated());
}

#[test]
fn staff_bodies() {
    let add: StaffAddRequest = one("staff.add.xml");
    assert_eq!(add.name.as_deref(), Some("Aroha Ngata"));
    assert_eq!(add.address.as_deref(), Some("12 Queen Street\nAuckland 1010"));
    assert_eq!(add.payroll_code.as_deref(), Some("AN01"));
    let update: StaffUpdateRequest = one("staff.update.xml");
    assert_eq!(update.uuid, uuid("9e4a7b21-6c3d-4f58-a0e2-1b8d5c7f3a96"));
    assert_eq!(update.address.as_deref(), Some(""));
    assert_eq!(update.email.as_deref(), Some("tom@practice.example"));
    let identifier: StaffIdentifierRequest = one("staff.identifier.xml");
    assert_eq!(identifier, StaffIdentifierRequest::new(uuid("9e4a7b21-6c3d-4f58-a0e2-1b8d5c7f3a96").expect("uuid")));
}

#[test]
fn price_list_bodies_and_delete_all() {
    let add: CostAddRequest = one("cost.add.xml");
    assert_eq!(add.description.as_deref(), Some("Company search"));
    assert_eq!(add.unit_cost, dec("22.00"));
    assert_eq!(add.unit_price, dec("30.00"));
    assert_eq!(add.supplier_uuid, uuid("4f8a2c6e-1d9b-4e37-a5c0-7b3d9f1e6a28"));
    let update: CostUpdateRequest = one("cost.update.xml");
    assert_eq!(update.uuid, uuid("e2b6f9d3-7c4a-4185-9e0b-3a8d1f6c2b94"));
    assert_eq!(update.code.as_deref(), Some(""));
    assert_eq!(update.unit_price, dec("19.50"));
    let delete: CostDeleteRequest = one("cost.delete.xml");
    assert_eq!(delete.uuid, update.uuid);

    let delete_all: CostDeleteAllRequest = one("cost.deleteall.xml");
    assert_eq!(delete_all.to_xml(), "<DeleteAll/>");
    assert_eq!(delete_all.to_json(), "{}");
    let declared = CostDeleteAllRequest::from_xml(b"<?xml version=\"1.0\"?>\n<DeleteAll />").ok();
    assert_eq!(declared, Some(CostDeleteAllRequest {}));
}

#[test]
fn custom_field_values_set_and_clear() {
    let (set, json) = body::<CustomFieldValuesUpdateRequest>("customfield.values.xml");
    spec::complete(CustomFieldValuesUpdateRequest::JSON_SCHEMA, std::slice::from_ref(&json));
    let values = set.custom_fields.as_deref().expect("values");
    assert_eq!(values.len(), 5);
    assert_eq!(values[0].uuid, uuid("9fb11831-72ce-47e2-ba04-8701a5a04809"));
    assert_eq!(values[0].name.as_deref(), Some("Engagement Signed"));
    assert_eq!(values[0].date, date("20101011").map(Clearable::Set));
    assert_eq!(values[1].number, Some(Clearable::Set(123)));
    assert_eq!(values[2].decimal, dec("123.45").map(Clearable::Set));
    assert_eq!(values[3].boolean, Some(Clearable::Set(true)));
    assert_eq!(values[4].text.as_deref(), Some("some text & more"));
    assert_eq!(json["customFields"][1]["number"], Value::from(123), "the request number is an integer");
    assert_eq!(json["customFields"][0]["date"], Value::from("20101011"));

    let (clear, json) = body::<CustomFieldValuesUpdateRequest>("customfield.clear.xml");
    spec::keys_exist(CustomFieldValuesUpdateRequest::JSON_SCHEMA, std::slice::from_ref(&json));
    let values = clear.custom_fields.as_deref().expect("values");
    assert_eq!(values[0].date, Some(Clearable::Clear), "an empty element clears the value");
    assert_eq!(values[1].number, Some(Clearable::Clear));
    assert_eq!(values[2].decimal, Some(Clearable::Clear));
    assert_eq!(values[3].boolean, Some(Clearable::Clear));
    assert_eq!(values[4].text.as_deref(), Some(""));
    assert_eq!(json["customFields"][0]["date"], Value::Null, "JSON clears with null");
    assert_eq!(values[0].text, None, "elements not sent stay untouched");

    let field = uuid("ae7e330d-a815-4f67-b8a6-be23b977e352").expect("uuid");
    let request = CustomFieldValuesUpdateRequest::new(vec![CustomFieldValueRequest::new(field).boolean(false)]);
    assert_eq!(
        request.to_xml(),
        "<CustomFields><CustomField><UUID>ae7e330d-a815-4f67-b8a6-be23b977e352</UUID><Boolean>false</Boolean></CustomField></CustomFields>"
    );
}

#[test]
fn custom_field_definitions_send_options_as_a_list() {
    let add: AddCustomFieldDefinitionRequest = one("customfield.add.xml");
    assert_eq!(add.name.as_deref(), Some("Entity Type"));
    assert_eq!(add.field_type.as_deref(), Some("Dropdown List"));
    assert_eq!(add.link_url.as_deref(), Some("https://abr.business.gov.au/ABN/View?abn=[Value]"));
    let options = add.options.as_ref().map(|options| options.0.clone());
    assert_eq!(options, Some(vec!["Company".to_owned(), "Trust".to_owned(), "Partnership".to_owned()]));
    assert_eq!(add.use_client, Some(true));
    assert_eq!(add.use_contact, Some(false));
    assert_eq!(add.use_lead, Some(true));
    assert_eq!(add.use_supplier, Some(false));
    let json: Value = serde_json::from_str(&add.to_json()).expect("json");
    assert_eq!(json["options"], serde_json::json!(["Company", "Trust", "Partnership"]));
    assert_eq!(json["useClient"], Value::Bool(true));

    let update: UpdateCustomFieldDefinitionRequest = one("customfield.update.xml");
    assert_eq!(update.uuid, uuid("b630926a-b9c8-4fd4-a931-a2c58a641de6"));
    assert_eq!(update.options.as_ref().map(|options| options.0.len()), Some(4));
    let delete: DeleteCustomFieldDefinitionRequest = one("customfield.delete.xml");
    assert_eq!(delete.uuid, update.uuid);
    let empty = AddCustomFieldDefinitionRequest::from_xml(
        b"<CustomFieldDefinition><Name>X</Name><Options /></CustomFieldDefinition>",
    )
    .expect("decodes");
    assert_eq!(empty.options, Some(OptionList::default()));
}

#[test]
fn every_request_dto_in_the_spec_has_a_type() {
    let covered = [
        ClientAddRequest::JSON_SCHEMA,
        ClientUpdateRequest::JSON_SCHEMA,
        ClientArchiveRequest::JSON_SCHEMA,
        ClientDeleteRequest::JSON_SCHEMA,
        ContactRequest::JSON_SCHEMA,
        ClientAddContactsRequest::JSON_SCHEMA,
        ClientDocumentRequest::JSON_SCHEMA,
        ClientRelationshipAddRequest::JSON_SCHEMA,
        ClientRelationshipUpdateRequest::JSON_SCHEMA,
        ClientRelationshipDeleteRequest::JSON_SCHEMA,
        ClientGroupAddRequest::JSON_SCHEMA,
        ClientGroupMembersRequest::JSON_SCHEMA,
        ClientGroupDeleteRequest::JSON_SCHEMA,
        CostAddRequest::JSON_SCHEMA,
        CostUpdateRequest::JSON_SCHEMA,
        CostDeleteRequest::JSON_SCHEMA,
        CostDeleteAllRequest::JSON_SCHEMA,
        CustomFieldValuesUpdateRequest::JSON_SCHEMA,
        AddCustomFieldDefinitionRequest::JSON_SCHEMA,
        UpdateCustomFieldDefinitionRequest::JSON_SCHEMA,
        DeleteCustomFieldDefinitionRequest::JSON_SCHEMA,
        JobStateRequest::JSON_SCHEMA,
        JobAddRequest::JSON_SCHEMA,
        JobUpdateRequest::JSON_SCHEMA,
        JobReorderTasksRequest::JSON_SCHEMA,
        JobNoteRequest::JSON_SCHEMA,
        JobDocumentRequest::JSON_SCHEMA,
        JobAssignRequest::JSON_SCHEMA,
        JobDeleteRequest::JSON_SCHEMA,
        JobTaskAddRequest::JSON_SCHEMA,
        JobTaskUpdateRequest::JSON_SCHEMA,
        JobCostAddRequest::JSON_SCHEMA,
        JobCostUpdateRequest::JSON_SCHEMA,
        JobApplyTemplateRequest::JSON_SCHEMA,
        StaffAddRequest::JSON_SCHEMA,
        StaffUpdateRequest::JSON_SCHEMA,
        StaffIdentifierRequest::JSON_SCHEMA,
        TimeAddRequest::JSON_SCHEMA,
        TimeUpdateRequest::JSON_SCHEMA,
    ];
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/xero-practicemanager-v3-1.yaml"))
        .expect("spec");
    let spec: Value = serde_norway::from_str(&spec).expect("yaml");
    let mut request_dtos: Vec<String> = Vec::new();
    for operation in spec["paths"].as_object().expect("paths").values().flat_map(|path| path.as_object()).flatten() {
        let schema = &operation.1["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        if let Some(reference) = schema.as_str() {
            request_dtos.push(reference.rsplit('/').next().unwrap_or(reference).to_owned());
        }
    }
    request_dtos.sort();
    request_dtos.dedup();
    let missing: Vec<_> = request_dtos.iter().filter(|dto| !covered.contains(&dto.as_str())).collect();
    assert!(missing.is_empty(), "request DTOs without a type: {missing:?}");
    assert_eq!(request_dtos.len(), covered.len(), "every type names a DTO the spec uses");
}

#[test]
fn setters_build_the_bodies_the_fixtures_hold() {
    let manager = uuid("6fa1c3e2-5b7d-4c8e-9f0a-1b2c3d4e5f60").expect("uuid");
    let billing = uuid("0a1b2c3d-4e5f-4607-8809-1a2b3c4d5e6f").expect("uuid");
    let add = ClientAddRequest::new("Harbour Trust")
        .email("office@harbour.example")
        .account_manager_uuid(manager)
        .contacts([ContactInsertItem::new("Ana Ruiz").is_primary(true)])
        .billing_client_uuid(billing)
        .gst_period(2);
    assert_eq!(
        add.to_xml(),
        "<Client><Name>Harbour Trust</Name><Email>office@harbour.example</Email>\
         <AccountManagerUUID>6fa1c3e2-5b7d-4c8e-9f0a-1b2c3d4e5f60</AccountManagerUUID>\
         <Contacts><Contact><Name>Ana Ruiz</Name><IsPrimary>Yes</IsPrimary></Contact></Contacts>\
         <BillingClientUUID>0a1b2c3d-4e5f-4607-8809-1a2b3c4d5e6f</BillingClientUUID><GSTPeriod>2</GSTPeriod></Client>"
    );
    let client = ClientId::new(billing);
    let update = ClientUpdateRequest::new(client).name("Harbour Trust").account_manager_uuid(manager);
    assert_eq!(
        update.to_xml(),
        "<Client><UUID>0a1b2c3d-4e5f-4607-8809-1a2b3c4d5e6f</UUID><Name>Harbour Trust</Name>\
         <AccountManagerUUID>6fa1c3e2-5b7d-4c8e-9f0a-1b2c3d4e5f60</AccountManagerUUID></Client>"
    );
    let job: JobNumber = "J000309".parse().expect("a job number");
    let time = TimeAddRequest::new(&job).minutes(90).note("Bank feeds");
    assert_eq!(time.to_json(), r#"{"job":"J000309","minutes":"90","note":"Bank feeds"}"#);
    assert_eq!(JobStateRequest::new(&job, "COMPLETED").to_xml(), "<Job><ID>J000309</ID><State>COMPLETED</State></Job>");
}

#[test]
fn json_bodies_refuse_unknown_keys_by_name_with_line_and_column() {
    let error = ClientDeleteRequest::from_json(b"{\"uuid\": \"01a8b481-b9ae-4b28-89e0-87e7162807a3\",\n \"bogus\": 1}")
        .expect_err("unknown key");
    assert!(matches!(error.kind(), DecodeErrorKind::UnknownKey { key, nearest: None } if &**key == "bogus"), "{error}");
    assert_eq!(error.line_column(), Some((2, 8)));
    let error =
        ClientDeleteRequest::from_json(br#"{"UUID": "01a8b481-b9ae-4b28-89e0-87e7162807a3"}"#).expect_err("case");
    assert_eq!(error.to_string(), "unknown key `UUID`; did you mean `uuid`? at line 1, column 7");
    let error = ClientDeleteRequest::from_json(br#"{"uuid": 5}"#).expect_err("a number");
    assert!(error.to_string().starts_with("invalid json: invalid type: integer `5`"), "{error}");
    assert!(error.to_string().ends_with("in `uuid` at line 1, column 10"), "{error}");
}
