//! The transport against the in-process emulator: auth, tenant, formats and XPM errors.

use xpm_api::catalog::OperationId;
use xpm_api::catalog::Scope;
use xpm_api::model::Client;
use xpm_client::token_store::TokenStore;
use xpm_client::{Call, Error, Format};
use xpm_mock::faults::{Fault, FaultRule};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_call_lists_clients_in_xml_and_in_json() {
    let harness = Harness::launch(Setup::default()).await;
    let call = Call::new(OperationId::ClientList, harness.tenant);
    let xml = harness.client.send(call.clone()).await.expect("xml list");
    assert_eq!(xml.format(), Format::Xml);
    let (clients, _) = xml.list::<Client>().expect("decoded");
    assert_eq!(clients.len(), 25);
    let json = harness.client.send(call.format(Format::Json)).await.expect("json list");
    assert_eq!(json.format(), Format::Json);
    let (same, _) = json.list::<Client>().expect("decoded");
    assert_eq!(same, clients);
    assert_eq!(xml.remaining().minute, None, "limits are off: nothing to report");
}

fn add_client_body() -> &'static str {
    "<Client><Name>Retry Test Ltd</Name></Client>"
}

fn fault(harness: &Harness, matches: &str, fault: Fault, times: u32) {
    harness.emulator().faults().add(FaultRule {
        matches: matches.into(),
        fault,
        times: Some(times),
        probability: None,
    });
}

#[tokio::test]
async fn a_token_without_the_scope_fails_before_sending() {
    let harness = Harness::launch(Setup { scopes: "practicemanager.client.read", ..Setup::default() }).await;
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(harness.client.send(call)).await.expect_err("no staff scope");
    let Error::ScopeNotGranted { operation, needed, granted } = &error else { panic!("{error:?}") };
    assert_eq!(*operation, OperationId::StaffList);
    assert!(needed.contains(Scope::StaffRead) && needed.contains(Scope::PracticeManager), "{needed:?}");
    assert_eq!(granted.iter().collect::<Vec<_>>(), [Scope::ClientRead]);
    assert!(error.to_string().contains("practicemanager.staff.read"), "{error}");
    assert_eq!(harness.emulator().journal().count("StaffV31_List"), 0, "nothing was sent");
}

#[tokio::test]
async fn the_servers_insufficient_scope_becomes_scope_not_granted() {
    let harness = Harness::launch(Setup { scopes: "practicemanager.client.read", ..Setup::default() }).await;
    // A store that does not know the granted scopes: the client lets the server decide.
    let mut tokens = harness.store.load(harness.connection).expect("load").expect("stored");
    tokens.scope.clear();
    harness.store.save(harness.connection, &tokens).expect("save");
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(harness.another_client().send(call)).await.expect_err("no staff scope");
    assert!(matches!(error, Error::ScopeNotGranted { operation: OperationId::StaffList, .. }), "{error:?}");
    assert_eq!(harness.emulator().journal().count("StaffV31_List"), 1, "no refresh-and-retry for a scope failure");
}

#[tokio::test]
async fn an_error_envelope_with_http_200_is_a_typed_xpm_error() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, "StaffV31_List", Fault::Error200 { description: "Staff list unavailable".into() }, 1);
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(harness.client.send(call)).await.expect_err("ERROR inside a 200");
    let Error::Xpm { operation, status, description } = &error else { panic!("{error:?}") };
    assert_eq!((*operation, *status, description.as_str()), (OperationId::StaffList, 200, "Staff list unavailable"));
}

#[tokio::test]
async fn an_unknown_client_is_an_xpm_error_with_its_status() {
    let harness = Harness::launch(Setup::default()).await;
    let call = Call::new(OperationId::ClientGetByIdentifier, harness.tenant)
        .path_param("identifier", "00000000-0000-4000-8000-000000000000");
    let error = harness.clock.participate(harness.client.send(call)).await.expect_err("no such client");
    assert!(matches!(error, Error::Xpm { status: 404, .. }), "{error:?}");
    assert_eq!(error.xpm_description(), Some("client 00000000-0000-4000-8000-000000000000 not found"));
}

#[tokio::test]
async fn server_errors_and_resets_are_retried_for_reads_only() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, "StaffV31_List", Fault::Status { code: 503 }, 1);
    fault(&harness, "StaffV31_List", Fault::Reset, 1);
    let list = Call::new(OperationId::StaffList, harness.tenant);
    let answer = harness.clock.participate(harness.client.send(list)).await.expect("a read is retried");
    assert_eq!(answer.attempts(), 3);

    fault(&harness, "ClientV31_Add", Fault::Status { code: 503 }, 1);
    let add = Call::new(OperationId::ClientAdd, harness.tenant).raw_body(add_client_body(), Format::Xml);
    let error = harness.clock.participate(harness.client.send(add.clone())).await.expect_err("a write is not retried");
    assert!(matches!(error, Error::Xpm { status: 503, .. }), "{error:?}");
    fault(&harness, "ClientV31_Add", Fault::Reset, 1);
    let error = harness.clock.participate(harness.client.send(add)).await.expect_err("a write is not retried");
    let Error::Transport { attempts, retry_safe, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*attempts, *retry_safe), (1, false));
    assert!(error.to_string().contains("check whether it took effect"), "{error}");
    assert_eq!(harness.emulator().journal().count("ClientV31_Add"), 2);
}

#[tokio::test]
async fn retries_stop_after_the_configured_attempts() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, "StaffV31_List", Fault::Status { code: 500 }, 10);
    let list = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(harness.client.send(list)).await.expect_err("gives up");
    assert!(matches!(error, Error::Xpm { status: 500, .. }), "{error:?}");
    assert_eq!(harness.emulator().journal().count("StaffV31_List"), 4);
}

#[tokio::test]
async fn a_tenant_this_connection_does_not_reach_is_refused_clearly() {
    let harness = Harness::launch(Setup::default()).await;
    let stranger = uuid::Uuid::from_u128(0x5eed);
    let call = Call::new(OperationId::StaffList, stranger);
    let error = harness.clock.participate(harness.client.send(call)).await.expect_err("not connected");
    assert!(matches!(error, Error::TenantNotConnected { tenant, .. } if tenant == stranger), "{error:?}");
    assert!(!error.to_string().contains("xpmkit"), "the library leaves advice on commands to its callers: {error}");
}
