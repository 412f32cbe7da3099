//! Starting, serving and stopping the emulator.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;
use xpm_api::catalog::API_PATH_PREFIX;

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::limits::RateLimiter;
use crate::shared::Shared;
use crate::state::{StateError, StateOrigin};

/// The emulator: Xero identity and the XPM 3.1 API, in one router.
#[derive(Debug, Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

impl Emulator {
    /// An emulator on the system clock.
    pub fn new(config: EmulatorConfig) -> Self {
        Self::with_clock(config, Clock::system())
    }

    /// An emulator on `clock` (use [`Clock::manual`] to control time in tests).
    pub fn with_clock(config: EmulatorConfig, clock: Clock) -> Self {
        let fault_seed = config.fault_seed;
        Self { shared: Arc::new(Shared::new(config, clock, fault_seed)) }
    }

    /// An emulator whose state lives in the file at `state`: loaded from it if it exists (its
    /// practices, apps, tokens, connections, limits and virtual clock win over `config`, see
    /// [`StateOrigin::Loaded`]), else started from `config` and written there. While it serves,
    /// changes are saved within a second; [`RunningEmulator::stop`], dropping a
    /// [`RunningEmulator`], and the end of [`Emulator::serve`] save once more.
    ///
    /// The file holds app secrets and the private signing key: it is written with mode 0600.
    ///
    /// # Errors
    ///
    /// A file that cannot be read, is damaged, has another format version or does not fit; or
    /// a state that cannot be written there. A file that fails to load is left untouched.
    pub fn open(
        config: EmulatorConfig,
        clock: Clock,
        state: impl Into<PathBuf>,
    ) -> Result<(Self, StateOrigin), StateError> {
        let (shared, origin) = crate::state::open(config, clock, &state.into())?;
        Ok((Self { shared: Arc::new(shared) }, origin))
    }

    /// Saves the state file now ([`Emulator::open`]); does nothing for an emulator without one.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn save_state(&self) -> Result<(), StateError> {
        self.shared.save_state()
    }

    /// The state file, for an emulator opened with one.
    pub fn state_file(&self) -> Option<&Path> {
        self.shared.state.as_ref().map(|keeper| keeper.path())
    }

    /// The axum router serving everything, for in-process tests with `oneshot`.
    pub fn router(&self) -> Router {
        Router::new()
            .merge(crate::identity::routes())
            .merge(crate::api::routes())
            .merge(crate::admin::routes())
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&self.shared), crate::state::note_changes))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&self.shared), crate::admin_guard::guard))
            .with_state(Arc::clone(&self.shared))
    }

    /// Serves on `listener` until `shutdown` completes, then finishes in-flight requests. With a
    /// state file, saves changes as they come ([`crate::state`]) and once more at the end.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let address = listener.local_addr()?;
        self.shared.set_bound(address);
        if let Some(warning) = crate::admin_guard::exposure_warning(address, self.shared.config.admin_token.is_some()) {
            tracing::warn!("{warning}");
        }
        let settings = self.shared.config.connections;
        let autosave =
            self.shared.state.is_some().then(|| tokio::spawn(crate::state::autosave(Arc::clone(&self.shared))));
        let served = crate::listener::serve(listener, self.router(), settings, shutdown).await;
        if let Some(autosave) = autosave {
            autosave.abort();
            let shared = Arc::clone(&self.shared);
            let saved = tokio::task::spawn_blocking(move || shared.save_state()).await;
            saved.map_err(std::io::Error::other)?.map_err(std::io::Error::other)?;
        }
        served
    }

    /// Binds `127.0.0.1` on a free port and serves in the background.
    pub async fn spawn(self) -> std::io::Result<RunningEmulator> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let emulator = self.clone();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                // A dropped sender also stops the server.
                let _ = stopped.await;
            };
            emulator.serve(listener, shutdown).await
        });
        Ok(RunningEmulator { emulator: self, address, stop: Some(stop), task })
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The request journal.
    pub fn journal(&self) -> &Journal {
        &self.shared.journal
    }

    /// Fault injection.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Rate limits.
    pub fn limits(&self) -> &RateLimiter {
        &self.shared.limits
    }

    /// The practices' tenant ids and names.
    pub fn tenants(&self) -> Vec<(Uuid, String)> {
        self.shared.practices.tenants()
    }

    /// The configuration it started with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }
}

/// An emulator serving in the background; stops when dropped or on [`RunningEmulator::stop`].
#[derive(Debug)]
pub struct RunningEmulator {
    emulator: Emulator,
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        base_url_for(self.address)
    }

    /// The XPM API base, `http://127.0.0.1:PORT/practicemanager/3.1`.
    pub fn api_url(&self) -> String {
        format!("{}{API_PATH_PREFIX}", self.base_url())
    }

    /// The emulator, for its clock, journal, faults and limits.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stops accepting connections and waits for in-flight requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(join) => Err(std::io::Error::other(join)),
        }
    }
}

impl Drop for RunningEmulator {
    /// Stops the server, and saves the state file now (the server saves again when its last
    /// requests finish, if the runtime is still there to run it).
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
            if let Err(error) = self.emulator.save_state() {
                tracing::error!("{error}");
            }
        }
    }
}

fn base_url_for(address: SocketAddr) -> String {
    format!("http://{address}")
}
