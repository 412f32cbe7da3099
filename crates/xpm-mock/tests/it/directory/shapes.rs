//! The emulator's XML has the element structure of Xero's captured samples (names, nesting,
//! order) for client list, client get, paged-list and staff list and get.

use reqwest::{Method, StatusCode};
use xpm_api::model::{ClientGroup, Staff};

use super::structure::Structure;
use super::{Api, id};

fn sample(name: &str) -> Structure {
    let path = format!("{}/../xpm-api/tests/fixtures/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    Structure::of(&std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}")))
}

/// Client elements XPM documents (REFERENCE §2.1) that the samples' clients happen to lack:
/// individuals' names and birth date, client type, billing client, NZ and bank fields, and
/// relationship items.
const CLIENT_EXTRAS: &[&str] = &[
    "Title",
    "Gender",
    "FirstName",
    "MiddleName",
    "LastName",
    "OtherName",
    "DateOfBirth",
    "Type",
    "BillingClient",
    "BalanceMonth",
    "GSTPeriod",
    "GSTBasis",
    "ProvisionalTaxBasis",
    "ProvisionalTaxRatio",
    "TaxAgent",
    "ReturnType",
    "BankBSB",
    "BankAccountName",
    "BankAccountNumber",
    "Relationship",
];

/// What the plain `client.api/list` leaves out of the detailed shape (REFERENCE §2.1).
const NOT_IN_PLAIN_LIST: &[&str] = &[
    "TaxNumber",
    "CompanyNumber",
    "BusinessNumber",
    "BranchNumber",
    "BusinessStructure",
    "GSTRegistered",
    "PrepareGST",
    "SignedTaxAuthority",
    "AgencyStatus",
    "PrepareActivityStatement",
    "PrepareTaxReturn",
    "AutoBasOptInCriteria",
    "BankName",
    "ActiveAtoClient",
    "ClientCode",
    "Notes",
    "Groups",
    "Relationships",
];

#[tokio::test]
async fn client_list_and_get_have_the_samples_structure() {
    let api = Api::directory(80).await;
    let detailed = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK);
    assert!(detailed.body.starts_with("<Response api-method=\"List\">"));
    sample("client.list.xml").assert_matched_by(&Structure::of(&detailed.body), CLIENT_EXTRAS, &[]);

    let plain = api.get("/client.api/list").await.expect(StatusCode::OK);
    let left_out: Vec<String> =
        NOT_IN_PLAIN_LIST.iter().map(|name| format!("Response/Clients/Client/{name}")).collect();
    let left_out: Vec<&str> = left_out.iter().map(String::as_str).collect();
    sample("client.list.xml").assert_matched_by(&Structure::of(&plain.body), CLIENT_EXTRAS, &left_out);

    // A client holding what the sample's client holds, so that nothing but notes (which the
    // API cannot add) and the bank name (which it cannot set) may be missing.
    let staff: Vec<Staff> = api.get("/staff.api/list").await.expect(StatusCode::OK).list();
    let manager = id(staff[0].uuid);
    let add = format!(
        "<Client><Name>Test Company</Name><Email>test@test.com</Email><Address>123 Old Town Road</Address>\
         <City>Breakofdawn</City><Region>VIC</Region><PostCode>3000</PostCode><Country>Australia</Country>\
         <Phone>0411234567</Phone><ExportCode>1003</ExportCode><AccountManagerUUID>{manager}</AccountManagerUUID>\
         <JobManagerUUID>{manager}</JobManagerUUID><CompanyNumber>123 456 789</CompanyNumber>\
         <BusinessNumber>53 004 085 616</BusinessNumber><BranchNumber>1</BranchNumber>\
         <BusinessStructure>Trust</BusinessStructure><ClientCode>ABC01</ClientCode><Contacts>\
         <Contact><Name>Contact One</Name><Email>contactone@test.com</Email><Phone>0411111111</Phone>\
         <Salutation>Mr Contact</Salutation><Position>Test</Position><IsPrimary>Yes</IsPrimary></Contact>\
         <Contact><Name>Contact Two</Name><Mobile>0411 123 123</Mobile></Contact></Contacts></Client>"
    );
    let added: xpm_api::model::Client =
        api.xml(Method::POST, "/client.api/add", Some(&add)).await.expect(StatusCode::OK).single();
    let uuid = id(added.uuid);
    let groups: Vec<ClientGroup> = api.get("/clientgroup.api/list").await.expect(StatusCode::OK).list();
    for group in &groups[..2] {
        let members = format!("<Group><UUID>{}</UUID><add uuid=\"{uuid}\"/></Group>", id(group.uuid));
        api.xml(Method::PUT, "/clientgroup.api/members", Some(&members)).await.expect(StatusCode::OK);
    }
    let get = api.get(&format!("/client.api/get/{uuid}")).await.expect(StatusCode::OK);
    assert!(get.body.starts_with("<Response api-method=\"Get\">"));
    let missing = ["Response/Client/Notes/Note", "Response/Client/BankName"];
    sample("client.get.xml").assert_matched_by(&Structure::of(&get.body), &[], &missing);
}

#[tokio::test]
async fn paged_list_pages_have_the_samples_structure() {
    let api = Api::directory(60).await;
    let extras = ["Title", "Gender", "FirstName", "LastName", "OtherName", "DateOfBirth", "Type", "BillingClient"];
    let first = api.get("/client.api/paged-list?pageSize=25").await.expect(StatusCode::OK);
    sample("paged-client.list.xml").assert_matched_by(&Structure::of(&first.body), &extras, &[]);

    let mut page = first;
    while let Some(next) = page.body.split("<Next>").nth(1).and_then(|rest| rest.split("</Next>").next()) {
        let path = next.replace("&amp;", "&");
        let path = path.strip_prefix(&api.running.api_url()).expect("a link to the emulator").to_owned();
        page = api.get(&path).await.expect(StatusCode::OK);
    }
    let last_extras = [&extras[..], &["AccountManager", "JobManager"]].concat();
    sample("paged-client-page-2.list.xml").assert_matched_by(&Structure::of(&page.body), &last_extras, &[]);
}

#[tokio::test]
async fn staff_list_and_get_have_the_samples_structure() {
    let api = Api::directory(5).await;
    let list = api.get("/staff.api/list").await.expect(StatusCode::OK);
    assert!(list.body.starts_with("<Response api-method=\"List\">"));
    sample("staff.list.xml").assert_matched_by(&Structure::of(&list.body), &[], &[]);
    let staff: Vec<Staff> = list.list();
    let get = api.get(&format!("/staff.api/get/{}", id(staff[0].uuid))).await.expect(StatusCode::OK);
    sample("staff.get.xml").assert_matched_by(&Structure::of(&get.body), &[], &[]);
}
