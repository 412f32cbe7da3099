//! `.format(Format::Json)` on a handler: JSON on the wire, and the same models as the XML default.

use std::sync::Arc;

use chrono::Days;
use futures_util::TryStreamExt;
use parking_lot::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use xpm_api::model::{Client, Contact};
use xpm_client::clock::Clock;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::OAuthClient;
use xpm_client::{Format, XpmClient};
use xpm_mock::config::DEMO_CLIENT_ID;

use crate::support::{Harness, REDIRECT_URI, Setup};

/// A TCP pass-through to the emulator that keeps every byte the client sends through it.
struct Tap {
    base_url: String,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl Tap {
    async fn start(upstream: String) -> Tap {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (log, upstream) = (Arc::clone(&log), upstream.clone());
                tokio::spawn(async move {
                    let outbound = TcpStream::connect(upstream).await.expect("the emulator");
                    let (mut from_client, mut to_client) = inbound.into_split();
                    let (mut from_server, mut to_server) = outbound.into_split();
                    tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
                    let mut buffer = vec![0; 16 * 1024];
                    while let Ok(read @ 1..) = from_client.read(&mut buffer).await {
                        log.lock().extend_from_slice(&buffer[..read]);
                        if to_server.write_all(&buffer[..read]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Tap { base_url, sent }
    }

    /// The request heads sent since the last call, as (request line, asked for JSON).
    fn take_requests(&self) -> Vec<(String, bool)> {
        let sent = String::from_utf8_lossy(&std::mem::take(&mut *self.sent.lock())).into_owned();
        let heads = sent.split("\r\n\r\n").filter(|head| !head.trim().is_empty());
        heads
            .map(|head| {
                let line = head.lines().next().unwrap_or_default().to_owned();
                let json = head.lines().any(|line| line.eq_ignore_ascii_case("accept: application/json"));
                (line, json)
            })
            .collect()
    }
}

/// A client of the harness's connection whose calls go through `tap`.
fn client_through(harness: &Harness, tap: &Tap) -> XpmClient {
    let credentials =
        AppCredentials { client_id: DEMO_CLIENT_ID.into(), client_secret: None, redirect_uri: REDIRECT_URI.into() };
    let oauth = OAuthClient::new(Endpoints::emulator(&tap.base_url), credentials).expect("oauth client");
    XpmClient::builder(oauth, harness.store.clone(), harness.connection)
        .clock(Arc::new(harness.clock.clone()))
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_handler_in_json_asks_for_json_and_the_default_does_not() {
    let harness = Harness::launch(Setup::default()).await;
    let upstream = harness.running.base_url().trim_start_matches("http://").to_owned();
    let tap = Tap::start(upstream).await;
    let client = client_through(&harness, &tap);

    client.clients(harness.tenant).list().send().await.expect("xml");
    client.clients(harness.tenant).format(Format::Json).list().send().await.expect("json");
    client.staff(harness.tenant).format(Format::Json).list().send().await.expect("json");
    let requests = tap.take_requests();
    assert_eq!(
        requests,
        [
            ("GET /practicemanager/3.1/client.api/list HTTP/1.1".to_owned(), false),
            ("GET /practicemanager/3.1/client.api/list HTTP/1.1".to_owned(), true),
            ("GET /practicemanager/3.1/staff.api/list HTTP/1.1".to_owned(), true),
        ]
    );
}

#[tokio::test]
async fn json_answers_decode_to_the_same_models_as_xml() {
    let harness = Harness::launch(Setup::default()).await;
    let (client, tenant) = (&harness.client, harness.tenant);

    let xml = client.clients(tenant).list().detailed(true).send().await.expect("xml");
    let json = client.clients(tenant).format(Format::Json).list().detailed(true).send().await.expect("json");
    assert_eq!(json, xml);
    let id = xml[0].id().expect("a uuid");
    let xml_one = client.clients(tenant).get(id).await.expect("xml");
    assert_eq!(client.clients(tenant).format(Format::Json).get(id).await.expect("json"), xml_one);

    let xml: Vec<Client> = client.clients(tenant).paged().page_size(10).stream().try_collect().await.expect("xml");
    let json: Vec<Client> =
        client.clients(tenant).format(Format::Json).paged().page_size(10).stream().try_collect().await.expect("json");
    assert_eq!(json, xml);
    let xml: Vec<Contact> = client.contacts(tenant).paged().page_size(25).stream().try_collect().await.expect("xml");
    let json: Vec<Contact> =
        client.contacts(tenant).format(Format::Json).paged().page_size(25).stream().try_collect().await.expect("json");
    assert_eq!(json, xml);

    let xml = client.staff(tenant).list().send().await.expect("xml");
    assert_eq!(client.staff(tenant).format(Format::Json).list().send().await.expect("json"), xml);
    let xml = client.jobs(tenant).current().detailed(true).send().await.expect("xml");
    assert_eq!(client.jobs(tenant).format(Format::Json).current().detailed(true).send().await.expect("json"), xml);
    let number = xml[0].number().expect("a job number");
    let xml_one = client.jobs(tenant).get(&number).await.expect("xml");
    assert_eq!(client.jobs(tenant).format(Format::Json).get(&number).await.expect("json"), xml_one);
    let today = harness.clock.now().date_naive();
    let xml = client.time(tenant).list(today - Days::new(300), today).send().await.expect("xml");
    assert!(!xml.is_empty());
    let json = client.time(tenant).format(Format::Json).list(today - Days::new(300), today).send().await;
    assert_eq!(json.expect("json"), xml);
    let xml = client.custom_fields(tenant).definitions().send().await.expect("xml");
    assert_eq!(client.custom_fields(tenant).format(Format::Json).definitions().send().await.expect("json"), xml);
    let xml = client.job_states(tenant).list().send().await.expect("xml");
    assert_eq!(client.job_states(tenant).format(Format::Json).list().send().await.expect("json"), xml);
}
