//! Idle and slow sockets: the emulator closes them and keeps room for real clients (20,000 idle
//! sockets once made a real request wait 15 s and fail).

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpStream;
use xpm_mock::config::{ConnectionSettings, LimitSettings};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

async fn emulator(max_connections: usize, header_read_timeout: Duration) -> RunningEmulator {
    let config = EmulatorConfig {
        limits: LimitSettings::OFF,
        connections: ConnectionSettings { max_connections, header_read_timeout },
        ..EmulatorConfig::default()
    };
    Emulator::new(config).spawn().await.expect("the emulator starts")
}

fn address(running: &RunningEmulator) -> String {
    running.base_url().trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn a_socket_that_sends_nothing_is_closed_after_the_header_timeout() {
    let running = emulator(64, Duration::from_millis(300)).await;
    let mut idle = TcpStream::connect(address(&running)).await.expect("connects");
    let mut partial = TcpStream::connect(address(&running)).await.expect("connects");
    tokio::io::AsyncWriteExt::write_all(&mut partial, b"GET /.well-known/openid-configuration HTTP/1.1\r\nHo")
        .await
        .expect("writes");
    for socket in [&mut idle, &mut partial] {
        let mut buffer = [0_u8; 512];
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buffer)).await;
        assert!(read.is_ok(), "the emulator closed the socket within 5 s");
    }
}

#[tokio::test]
async fn idle_sockets_beyond_the_cap_do_not_keep_a_real_client_out() {
    let running = emulator(32, Duration::from_secs(60)).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(address(&running)).await.expect("connects"));
    }
    let started = Instant::now();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("a client");
    let discovery = format!("{}/.well-known/openid-configuration", running.base_url());
    let response = http.get(&discovery).send().await.expect("the real request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(2), "answered in {:?}", started.elapsed());
    drop(idle);
}
