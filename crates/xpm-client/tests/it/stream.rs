//! Lists decoded while they download (`XpmClient::send_stream`, `clients().list().stream()`).

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use xpm_api::catalog::OperationId;
use xpm_api::model::Client;
use xpm_client::Limits;
use xpm_client::{Call, Error, Format};
use xpm_mock::faults::{Fault, FaultRule};

use crate::support::{Harness, Setup};

fn fault(harness: &Harness, fault: Fault) {
    harness.emulator().faults().add(FaultRule {
        matches: "ClientV31_List".into(),
        fault,
        times: Some(1),
        probability: None,
    });
}

#[tokio::test]
async fn a_streamed_detailed_list_equals_the_buffered_one_in_xml_and_json() {
    let harness = Harness::launch(Setup { clients: 1_500, ..Setup::default() }).await;
    let clients = harness.client.clients(harness.tenant);
    let buffered = clients.list().detailed(true).send().await.expect("buffered list");
    let streamed: Vec<Client> = clients.list().detailed(true).stream().try_collect().await.expect("items");
    assert_eq!(streamed.len(), 1_500);
    assert_eq!(streamed, buffered);
    let json = harness.client.clients(harness.tenant).format(Format::Json);
    let from_json: Vec<Client> = json.list().detailed(true).stream().try_collect().await.expect("items");
    assert_eq!(from_json, buffered);
}

#[tokio::test]
async fn an_error_envelope_ends_the_stream_with_a_typed_error() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, Fault::Error200 { description: "The list is unavailable".into() });
    let call = Call::new(OperationId::ClientList, harness.tenant);
    let items: Vec<Result<Client, Error>> = harness.client.send_stream(call).await.expect("headers").collect().await;
    let [Err(Error::Xpm { status: 200, description, .. })] = items.as_slice() else { panic!("{items:?}") };
    assert_eq!(description, "The list is unavailable");
}

#[tokio::test]
async fn a_body_cut_short_ends_the_stream_with_an_error_not_a_short_list() {
    let harness = Harness::launch(Setup { clients: 200, ..Setup::default() }).await;
    fault(&harness, Fault::Truncate);
    let items: Vec<Result<Client, Error>> = harness.client.clients(harness.tenant).list().stream().collect().await;
    let (last, before) = items.split_last().expect("some items");
    assert!(before.iter().all(Result::is_ok), "only the last item is an error");
    assert!(matches!(last, Err(Error::Decode { operation: OperationId::ClientList, .. })), "{last:?}");
    assert!(before.len() < 200);
}

#[tokio::test]
async fn dropping_a_stream_gives_its_in_flight_slot_back() {
    let harness = Harness::launch_with(Setup { clients: 2_000, ..Setup::default() }, |builder| {
        builder.limits(Limits { concurrent: 1, ..Limits::XERO })
    })
    .await;
    let clients = harness.client.clients(harness.tenant);
    let mut stream = clients.list().detailed(true).stream();
    let first = stream.next().await.expect("an item").expect("a client");
    assert!(first.uuid.is_some());
    drop(stream);
    // With one slot, the next call can only go once the dropped stream released it.
    let next = tokio::time::timeout(Duration::from_secs(10), clients.get(first.id().expect("uuid")));
    let again = next.await.expect("the slot came back").expect("get");
    assert_eq!(again.uuid, first.uuid);
}

/// A detailed list far beyond the buffered-body ceiling: `send` refuses it at the ceiling, while
/// the item stream (XML and JSON) and the body stream hand all of it on.
#[tokio::test]
async fn streams_are_not_held_to_the_buffered_ceiling() {
    const CEILING: u64 = 64 * 1024;
    let harness =
        Harness::launch_with(Setup { clients: 1_500, ..Setup::default() }, |builder| builder.max_body_bytes(CEILING))
            .await;
    let list = || Call::new(OperationId::ClientList, harness.tenant).query("detailed", "true");
    let buffered = harness.client.send(list()).await;
    assert!(matches!(buffered, Err(Error::BodyTooLarge { limit: CEILING, .. })), "{buffered:?}");

    for format in [Format::Xml, Format::Json] {
        let mut items = harness.client.send_stream::<Client>(list().format(format)).await.expect("headers");
        assert!(items.envelope().is_none(), "no envelope before the end");
        let mut count = 0;
        while let Some(item) = items.next().await {
            assert!(item.expect("a client").uuid.is_some());
            count += 1;
        }
        assert_eq!(count, 1_500, "{format:?}");
        assert!(items.envelope().is_some(), "{format:?}: the envelope once the list has ended");
    }

    let mut body = harness.client.send_body_stream(list()).await.expect("headers");
    assert_eq!(body.format(), Format::Xml);
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        bytes.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert!(bytes.len() as u64 > 10 * CEILING, "{} bytes", bytes.len());
    let (clients, _) =
        xpm_api::response::XmlList::<_, Client>::new(&bytes[..]).collect_all().expect("the body as sent");
    assert_eq!(clients.len(), 1_500);
}

#[tokio::test]
async fn a_body_stream_that_says_error_up_front_fails_the_call() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, Fault::Error200 { description: "The list is unavailable".into() });
    let call = Call::new(OperationId::ClientList, harness.tenant);
    let result = harness.client.send_body_stream(call).await;
    let Err(Error::Xpm { status: 200, description, .. }) = &result else { panic!("{result:?}") };
    assert_eq!(description, "The list is unavailable");
}

#[tokio::test]
async fn a_json_list_with_an_error_status_ends_the_stream_with_a_typed_error() {
    let harness = Harness::launch(Setup::default()).await;
    fault(&harness, Fault::Error200 { description: "The list is unavailable".into() });
    let call = Call::new(OperationId::ClientList, harness.tenant).format(Format::Json);
    let items: Vec<Result<Client, Error>> = harness.client.send_stream(call).await.expect("headers").collect().await;
    let [Err(Error::Xpm { status: 200, description, .. })] = items.as_slice() else { panic!("{items:?}") };
    assert_eq!(description, "The list is unavailable");
}

#[tokio::test]
async fn a_metered_client_counts_calls_and_bytes_and_reads_the_servers_date() {
    let harness = Harness::launch(Setup { clients: 300, ..Setup::default() }).await;
    let server_now = harness.emulator().clock().now();
    let run = harness.client.metered();
    let streamed: Vec<Client> =
        run.clients(harness.tenant).list().detailed(true).stream().try_collect().await.expect("items");
    let staff = run.staff(harness.tenant).list().send().await.expect("staff");
    let usage = run.usage();
    assert_eq!(usage.calls, 2);
    let xml = Call::new(OperationId::ClientList, harness.tenant).query("detailed", "true");
    let body_len = harness.client.send(xml).await.expect("buffered").body().len() as u64;
    assert!(usage.bytes > body_len, "the detailed list ({body_len} bytes) and the staff list: {}", usage.bytes);
    assert_eq!(streamed.len(), 300);
    assert!(!staff.is_empty());
    // The emulator's clock, not ours, in whole seconds as HTTP dates are.
    let first = usage.first_server_date.expect("a Date header");
    assert_eq!(first.timestamp(), server_now.timestamp());
    assert_eq!(run.usage().calls, 2, "the buffered call went through another meter");
    assert_eq!(harness.client.usage().calls, 1);
}
