//! `xpmkit mock`: run the emulator, or change app approvals on a running one.

use anyhow::Context;
use xpm_api::catalog::{API_PATH_PREFIX, Scope};
use xpm_mock::EmulatorProfile;
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed, UNAPPROVED_CLIENT_ID};
use xpm_mock::faults::{FaultRule, parse_rules};
use xpm_mock::{Clock, Emulator, EmulatorConfig, StateOrigin};

use crate::cli::{LimitsMode, MOCK_URL_ENV, MockArgs, MockCommand, MockServeArgs};
use crate::exit::{CliError, CliResult};

/// The environment variable holding the admin token: `xpmkit mock` requires it on `/__admin`
/// when set, and `xpmkit mock approve` / `revoke` send it. Never a flag, so it stays out of
/// shell history and process lists.
const ADMIN_TOKEN_ENV: &str = "XPMKIT_MOCK_ADMIN_TOKEN";

fn admin_token() -> Option<String> {
    std::env::var(ADMIN_TOKEN_ENV).ok().filter(|token| !token.is_empty())
}

pub(crate) fn run(args: MockArgs) -> CliResult<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    match args.command {
        None => runtime.block_on(serve(args.serve)),
        Some(MockCommand::Approve { client_id, scopes, url }) => {
            runtime.block_on(change_approval(&url.url, &client_id, &scopes, true))
        }
        Some(MockCommand::Revoke { client_id, scopes, url }) => {
            runtime.block_on(change_approval(&url.url, &client_id, &scopes, false))
        }
    }
}

async fn serve(args: MockServeArgs) -> CliResult<()> {
    let profile = match &args.profile {
        Some(path) => Some(EmulatorProfile::load(path).map_err(anyhow::Error::from)?),
        None => None,
    };
    let mut config = EmulatorConfig {
        practices: PracticeSeed::numbered(usize::from(args.practices), args.clients, args.seed),
        limits: match args.limits {
            LimitsMode::Xero => LimitSettings::XERO,
            LimitsMode::Off => LimitSettings::OFF,
        },
        auto_consent: args.auto_consent,
        fault_seed: args.fault_seed,
        admin_token: admin_token().map(Into::into),
        ..EmulatorConfig::default()
    };
    let profile_changes = profile.as_ref().map(|profile| profile.apply(&mut config)).unwrap_or_default();
    let scenario = match &args.faults {
        Some(path) => load_scenario(path)?,
        None => Vec::new(),
    };
    let started = std::time::Instant::now();
    let emulator = match &args.state {
        Some(path) => open_state(config, path)?,
        None => Emulator::new(config),
    };
    if let Some(per_day) = profile.as_ref().and_then(|profile| profile.calls_per_day) {
        // A state file brings its own limit settings; the profile is the newer word.
        emulator.limits().set_settings(LimitSettings { per_day, ..emulator.limits().settings() });
    }
    let fault_count = scenario.len();
    for rule in scenario {
        emulator.faults().add(rule);
    }
    if fault_count > 0 {
        say!("loaded {fault_count} fault rule(s)")?;
    }
    let (host, port) = listen_address(&args)?;
    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .with_context(|| format!("cannot listen on {host}:{port}; is another emulator running? try --port 0"))?;
    let address = listener.local_addr()?;
    // A banner nobody reads (`xpmkit mock | head -3`) is no reason to stop serving.
    let profile_shown = args.profile.as_deref().map(|path| (path, profile_changes.as_slice()));
    let _ = print_banner(&emulator, &format!("http://{address}"), started.elapsed(), profile_shown);
    if let Some(warning) = xpm_mock::exposure_warning(address, emulator.config().admin_token.is_some()) {
        eprintln!("\n{warning}\n");
    }
    emulator.serve(listener, shutdown_signal()).await.context("the emulator stopped with an error")?;
    eprintln!("emulator stopped");
    Ok(())
}

/// Loads the state file, or creates it; says on stderr which options the file overrode.
fn open_state(config: EmulatorConfig, path: &std::path::Path) -> CliResult<Emulator> {
    // The error names the file, what is wrong and what to do; the file is left as it was.
    let (emulator, origin) = Emulator::open(config, Clock::system(), path).map_err(anyhow::Error::from)?;
    if let StateOrigin::Loaded { overridden } = origin {
        for difference in overridden {
            eprintln!(
                "note: {} wins over the options ({difference}); seeding options apply only when the state file is \
                 created: move it aside to start fresh",
                path.display()
            );
        }
    }
    Ok(emulator)
}

/// The address to listen on: `--host` and `--port`, else the host and port of `--url` (or
/// `XPMKIT_MOCK_URL`), so one setting tells the emulator and the commands that reach it.
fn listen_address(args: &MockServeArgs) -> CliResult<(std::net::IpAddr, u16)> {
    let url = url::Url::parse(&args.url.url).map_err(|error| CliError::Usage {
        message: format!("the emulator URL `{}` ({MOCK_URL_ENV} or --url) is not a URL: {error}", args.url.url),
    })?;
    let host = match args.host {
        Some(host) => host,
        None => match url.host() {
            Some(url::Host::Ipv4(address)) => address.into(),
            Some(url::Host::Ipv6(address)) => address.into(),
            Some(url::Host::Domain("localhost")) => std::net::Ipv4Addr::LOCALHOST.into(),
            _ => {
                return Err(CliError::Usage {
                    message: format!(
                        "the emulator listens on an IP address, not on `{}`; use http://127.0.0.1:PORT in \
                         {MOCK_URL_ENV} or --url, or pass --host",
                        args.url.url
                    ),
                });
            }
        },
    };
    let port = args.port.or_else(|| url.port_or_known_default()).unwrap_or(DEFAULT_PORT);
    Ok((host, port))
}

/// The port when the URL has none (an `http` URL always has one).
const DEFAULT_PORT: u16 = 8700;

/// Reads a fault scenario file: one rule or an array of rules.
fn load_scenario(path: &std::path::Path) -> CliResult<Vec<FaultRule>> {
    let text = std::fs::read(path).with_context(|| format!("cannot read fault scenario {}", path.display()))?;
    parse_rules(&text)
        .map_err(|error| CliError::Usage { message: format!("{} is not a fault scenario: {error}", path.display()) })
}

fn print_banner(
    emulator: &Emulator,
    base: &str,
    startup: std::time::Duration,
    profile: Option<(&std::path::Path, &[String])>,
) -> std::io::Result<()> {
    let config = emulator.config();
    say!("xpmkit emulator of Xero identity + XPM 3.1, listening on {base} (ready in {} ms)", startup.as_millis())?;
    say!()?;
    say!("  authorize    {base}/identity/connect/authorize")?;
    say!("  token        {base}/connect/token")?;
    say!("  revocation   {base}/connect/revocation")?;
    say!("  discovery    {base}/.well-known/openid-configuration")?;
    say!("  connections  {base}/connections")?;
    say!("  XPM API      {base}{API_PATH_PREFIX}")?;
    say!("  admin        {base}/__admin")?;
    say!()?;
    say!("  demo app (every XPM scope approved)")?;
    say!("    client_id     {DEMO_CLIENT_ID}")?;
    say!("    client_secret {DEMO_CLIENT_SECRET}   (public on purpose: it only opens this emulator)")?;
    say!("  app awaiting Xero's approval (PKCE, no secret): client_id {UNAPPROVED_CLIENT_ID}")?;
    if let Some(app) = config.apps.first() {
        say!("  redirect URIs {}", app.redirect_uris.join(", "))?;
    }
    say!()?;
    for ((tenant, name), seed) in emulator.tenants().iter().zip(&config.practices) {
        say!("  practice     {name}: tenant {tenant}, {} clients (seed {})", seed.clients, seed.seed)?;
    }
    if config.practices.len() > 1 {
        say!(
            "  sign-in      connects all {} practices (untick some on the consent page, or add \
             emulator_tenants=1-3,7 to the authorize URL)",
            config.practices.len()
        )?;
    }
    let limits = emulator.limits().settings();
    if limits.enabled {
        say!(
            "  limits       {} in flight, {}/min, {}/day per tenant; {}/min per app",
            limits.concurrent,
            limits.per_minute,
            limits.per_day,
            limits.app_per_minute
        )?;
    } else {
        say!("  limits       off")?;
    }
    say!("  consent      {}", if config.auto_consent { "automatic" } else { "consent page" })?;
    if let Some(path) = emulator.state_file() {
        say!("  state        {} (kept across restarts; holds secrets, mode 0600)", path.display())?;
    }
    if let Some((path, changes)) = profile {
        say!("  profile      {}", path.display())?;
        for change in changes {
            say!("               {change}")?;
        }
        if changes.is_empty() {
            say!("               names no behaviour: the defaults apply")?;
        }
    }
    say!()?;
    say!("Press Ctrl-C to stop.")?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

async fn change_approval(url: &str, client_id: &str, scopes: &[String], approve: bool) -> CliResult<()> {
    let parsed: Vec<Scope> = scopes
        .iter()
        .map(|scope| scope.parse::<Scope>())
        .collect::<Result<_, _>>()
        .map_err(|error| CliError::Usage { message: error.to_string() })?;
    let action = if approve { "approve" } else { "revoke" };
    let endpoint = format!("{}/__admin/apps/{client_id}/{action}", url.trim_end_matches('/'));
    let body = serde_json::json!({ "scopes": parsed.iter().map(|scope| scope.as_str()).collect::<Vec<_>>() });
    let mut request = reqwest::Client::new().post(&endpoint).json(&body);
    if let Some(token) = admin_token() {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("cannot reach the emulator at {url}; is `xpmkit mock` running?"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(anyhow::anyhow!("the emulator refused to {action} scopes for {client_id}: {status} {text}").into());
    }
    say!("{}", crate::terminal::escape_controls(&text))?;
    Ok(())
}
