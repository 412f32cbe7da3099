//! The accept loop: HTTP/1.1 connections with a header-read timeout, a cap on open connections,
//! and idle connections closed first when the cap is reached.
//!
//! `axum::serve` keeps every connection for as long as the peer likes, so 20,000 idle sockets
//! once used up the process's file descriptors and a real request waited 15 s and failed. Here a
//! connection that sends no request head within [`ConnectionSettings::header_read_timeout`]
//! (between keep-alive requests too) is closed, and at [`ConnectionSettings::max_connections`]
//! the connection that has been quiet longest gives its place to the new one, so a flood of idle
//! sockets cannot keep a real client out.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};

use crate::config::ConnectionSettings;

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests finish.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    settings: ConnectionSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let open = Arc::new(OpenConnections::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(settings.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = match Arc::clone(&slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // Full: the quietest connection makes room, then wait for its slot.
                open.close_quietest();
                tokio::select! {
                    permit = Arc::clone(&slots).acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a reset before accept: not fatal to the server.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = socket.set_nodelay(true);
        let (id, activity, closed) = open.register();
        let io = TokioIo::new(Tracked { inner: socket, activity, started: open.started });
        let connection = builder.serve_connection(io, TowerToHyperService::new(router.clone()));
        let connection = graceful.watch(connection);
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            tokio::select! {
                _ = connection => {}
                _ = closed => {}
            }
            open.forget(id);
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The open connections: when each last read or wrote, and how to close it.
struct OpenConnections {
    started: Instant,
    next_id: AtomicU64,
    connections: Mutex<HashMap<u64, Open>>,
}

/// One open connection: when it last carried bytes, and the way to close it.
struct Open {
    activity: Arc<AtomicU64>,
    close: oneshot::Sender<()>,
}

impl Default for OpenConnections {
    fn default() -> Self {
        Self { started: Instant::now(), next_id: AtomicU64::new(0), connections: Mutex::new(HashMap::new()) }
    }
}

impl OpenConnections {
    fn register(&self) -> (u64, Arc<AtomicU64>, oneshot::Receiver<()>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(AtomicU64::new(elapsed_ms(self.started)));
        let (close, closed) = oneshot::channel();
        self.connections.lock().insert(id, Open { activity: Arc::clone(&activity), close });
        (id, activity, closed)
    }

    fn forget(&self, id: u64) {
        self.connections.lock().remove(&id);
    }

    /// Closes the connection that has been quiet longest.
    fn close_quietest(&self) {
        let mut connections = self.connections.lock();
        let quietest =
            connections.iter().min_by_key(|(_, open)| open.activity.load(Ordering::Relaxed)).map(|(id, _)| *id);
        if let Some(open) = quietest.and_then(|id| connections.remove(&id)) {
            let _ = open.close.send(());
        }
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A socket that notes when it last carried bytes.
struct Tracked {
    inner: TcpStream,
    activity: Arc<AtomicU64>,
    started: Instant,
}

impl Tracked {
    fn touch(&self) {
        self.activity.store(elapsed_ms(self.started), Ordering::Relaxed);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bytes: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, bytes);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buffers: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, buffers);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
