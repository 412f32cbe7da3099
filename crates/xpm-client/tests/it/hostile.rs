//! A hostile or broken server: answers the client must survive without panicking, stalling or
//! holding more memory than it needs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

mod answers;
mod tokens;

/// What the server sends after the status line and headers of every answer.
#[derive(Clone)]
pub(crate) enum Body {
    /// These bytes, with their `Content-Length`.
    Fixed { content_type: &'static str, bytes: Vec<u8> },
    /// `prefix`, then spaces without end and without a `Content-Length`, until the client hangs up.
    Endless { content_type: &'static str, prefix: &'static str },
    /// A `Content-Length` of `length`, but only the first bytes of such a body.
    Claimed { content_type: &'static str, length: u64 },
}

/// A server on a loopback port that answers every request with the same response, and counts
/// the requests.
pub(crate) struct HostileServer {
    pub(crate) base: String,
    requests: Arc<AtomicUsize>,
}

impl HostileServer {
    pub(crate) async fn start(body: Body) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let body = body.clone();
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    if read_head(&mut socket).await {
                        counter.fetch_add(1, Ordering::SeqCst);
                        answer(&mut socket, body).await;
                    }
                });
            }
        });
        Self { base, requests }
    }

    /// How many requests reached the server.
    pub(crate) fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads up to the end of the request head and whatever body came with it in one read; enough
/// for the small requests the client sends.
async fn read_head(socket: &mut tokio::net::TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(read) => seen.extend_from_slice(&buffer[..read]),
        }
        if seen.windows(4).any(|window| window == b"\r\n\r\n") {
            return true;
        }
    }
}

async fn answer(socket: &mut tokio::net::TcpStream, body: Body) {
    match body {
        Body::Fixed { content_type, bytes } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                bytes.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&bytes).await;
        }
        Body::Endless { content_type, prefix } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n{prefix}");
            let chunk = vec![b' '; 64 * 1024];
            if socket.write_all(head.as_bytes()).await.is_ok() {
                while socket.write_all(&chunk).await.is_ok() {}
            }
        }
        Body::Claimed { content_type, length } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n{{"
            );
            let _ = socket.write_all(head.as_bytes()).await;
        }
    }
    let _ = socket.shutdown().await;
}
