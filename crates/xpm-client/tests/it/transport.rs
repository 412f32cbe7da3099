//! The transport against the in-process emulator: auth, tenant, formats and XPM errors.

use xpm_api::model::Client;
use xpm_client::{Call, Format};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_call_lists_clients_in_xml_and_in_json() {
    let harness = Harness::launch(Setup::default()).await;
    let call = Call::by_id("ClientV31_List", harness.tenant).expect("known operation");
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
