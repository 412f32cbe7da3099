//! `xpmkit connect` and `xpmkit tenants`: sign in with OAuth 2.0 + PKCE through a browser and a
//! one-shot loopback listener, then keep the connection and its XPM practices.
//!
//! Tokens are sealed in the [`EncryptedFileStore`](xpm_client::token_store::EncryptedFileStore) under the data directory (master key from
//! `XPMKIT_MASTER_KEY` or the key file there); the practices (ids and names, no secrets) are
//! saved beside them in `connections.json`.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::{self, ConnectError, Connected, LoopbackListener, LoopbackPage, OAuthClient, OAuthError};
use xpm_client::token_store::{ConnectionId, TokenBinding, TokenStore};
use xpm_mock::config::DEMO_CLIENT_ID;

use super::DEFAULT_SCOPES;
use super::advice;
use super::call_target::find_connection;
use super::connections_file::{
    SavedConnection, SavedTenant, bound_tokens, client_secret, data_dir, find_store, load, open_store, replace_stale,
    upsert, write,
};
use crate::cli::{ConnectArgs, DisconnectArgs, Profile, TenantsArgs};
use crate::exit::{Advised, CliError, CliResult};
use crate::terminal::escape_controls;

pub(crate) fn run(args: ConnectArgs) -> CliResult<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(connect(args))
}

async fn connect(args: ConnectArgs) -> CliResult<()> {
    let (profile, endpoints) = match args.profile {
        Profile::Xero => ("xero", Endpoints::xero()),
        Profile::Mock => ("mock", Endpoints::emulator(&args.mock.url)),
    };
    let client_id = match (&args.client_id, args.profile) {
        (Some(client_id), _) => client_id.clone(),
        (None, Profile::Mock) => DEMO_CLIENT_ID.to_owned(),
        (None, Profile::Xero) => {
            return Err(CliError::Usage {
                message: "--client-id (or XPMKIT_CLIENT_ID) is required for the xero profile; \
                          try `--profile mock` against `xpmkit mock` first"
                    .into(),
            });
        }
    };
    let client_secret = client_secret(args.client_secret_env.as_deref(), args.profile == Profile::Mock, &client_id)?;
    let scopes = requested_scopes(&args.scopes);
    let data_dir = data_dir(args.data_dir.as_deref())?;

    let listener = LoopbackListener::bind(args.port)
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{} for the callback; choose another --port", args.port))?
        .page(LoopbackPage::for_app("xpmkit"));
    let credentials =
        AppCredentials { client_id: client_id.clone(), client_secret, redirect_uri: listener.redirect_uri() };
    eprintln!("waiting for the browser on {} (register it as a redirect URI of the app)", listener.redirect_uri());
    let redirect_uri = credentials.redirect_uri.clone();
    let client = OAuthClient::new(endpoints.clone(), credentials)?;
    let emulator = (args.profile == Profile::Mock).then_some(args.mock.url.as_str());
    let advise = |error| advise(error, emulator, &client_id, &redirect_uri);
    // Xero stops an unapproved app at an error page the listener never hears of: ask once
    // without a browser so the user gets the explanation now rather than after the timeout.
    client.preflight(&scopes).await.map_err(advise)?;
    let no_browser = args.no_browser;
    let connected =
        oauth::connect_via_loopback(&client, listener, &scopes, Duration::from_secs(args.timeout), |url| async move {
            show_authorize_url(url.as_str(), no_browser);
        })
        .await
        .map_err(|error| match error {
            ConnectError::OAuth(error) => advise(error),
            other => other.into(),
        })?;

    let store = open_store(&data_dir)?;
    let connection_id = connected.connection_id();
    let mut stored = connected.tokens.to_stored();
    // connections.json is not authenticated: the sealed record says where its tokens may go.
    stored.binding = Some(TokenBinding::new(
        client.endpoints(),
        &client_id,
        connected.practices.iter().map(|practice| practice.tenant_id),
    ));
    store.save(connection_id, &stored).context("cannot store the tokens")?;
    let saved = saved_connection(&connected, profile, &endpoints.issuer, &client_id);
    let file = upsert(&data_dir, saved.clone())?;
    for stale in replace_stale(&data_dir, &saved)? {
        store.delete(ConnectionId(stale.connection_id))?;
        say!("replaced connection {} (the same user, app and practices)", stale.connection_id)?;
    }

    let user = saved.user.as_deref().unwrap_or("(no id_token)");
    say!("connected {client_id} as {}", escape_controls(user))?;
    say!("connection {connection_id}, scopes: {}", escape_controls(&saved.scope))?;
    if saved.tenants.is_empty() {
        say!("no Practice Manager practice was connected: choose a practice on the consent page")?;
    }
    for tenant in &saved.tenants {
        say!("  practice {}  {}", tenant.tenant_id, escape_controls(&tenant.name))?;
    }
    say!("sealed the tokens in {} and saved the practices to {}", data_dir.display(), file.display())?;
    Ok(())
}

/// What to do about a failed sign-in, which depends on whether `emulator` (its URL) or Xero
/// answered.
fn advise(error: OAuthError, emulator: Option<&str>, client_id: &str, redirect_uri: &str) -> CliError {
    let hint = match (&error, emulator) {
        (OAuthError::ApprovalRequired { scopes, .. }, Some(base)) => Some(format!(
            "this emulator plays Xero's review, and the app is not approved for these scopes: approve them \
             with `{}`",
            advice::approve_command(base, client_id, &advice::xpm_scopes(scopes))
        )),
        (OAuthError::ApprovalRequired { .. } | OAuthError::CallbackTimeout { .. }, None) => Some(
            "meanwhile, build against the emulator: `xpmkit mock`, then `xpmkit connect --profile mock`".to_owned(),
        ),
        (OAuthError::AuthorizeFailed { description: Some(description), .. }, _)
            if description.to_ascii_lowercase().contains("redirect_uri") =>
        {
            Some(format!(
                "register {redirect_uri} as a redirect URI of app {client_id}, or pass the --port of one it has{}",
                if emulator.is_some() { " (the emulator's error names the registered ones)" } else { "" }
            ))
        }
        (error, emulator) if advice::is_unreachable(error) => Some(advice::unreachable_hint(emulator)),
        _ => None,
    };
    CliError::OAuth(Advised { error, hint })
}

/// Scopes from `--scopes` (each value may hold several, space-separated), or the defaults.
fn requested_scopes(arguments: &[String]) -> Vec<String> {
    let scopes: Vec<String> = arguments.iter().flat_map(|value| value.split_whitespace()).map(str::to_owned).collect();
    if scopes.is_empty() { DEFAULT_SCOPES.iter().map(|scope| (*scope).to_owned()).collect() } else { scopes }
}

/// Opens the browser at `url` (`open` on macOS, `xdg-open` elsewhere), or prints the URL when
/// asked to or when no browser opener works.
fn show_authorize_url(url: &str, no_browser: bool) {
    if !no_browser {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        let opened = Command::new(opener)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .is_ok();
        if opened {
            eprintln!("opened the browser; if nothing appeared, open this URL:\n{url}");
            return;
        }
    }
    eprintln!("open this URL in a browser to sign in:\n{url}");
}

fn saved_connection(connected: &Connected, profile: &str, issuer: &str, client_id: &str) -> SavedConnection {
    SavedConnection {
        connection_id: connected.connection_id().0,
        profile: profile.to_owned(),
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        user: connected.identity.as_ref().map(|claims| claims.email.clone().unwrap_or_else(|| claims.sub.clone())),
        scope: connected.tokens.scope.clone(),
        connected_at: chrono::Utc::now(),
        tenants: connected
            .practices
            .iter()
            .map(|practice| SavedTenant {
                tenant_id: practice.tenant_id,
                name: practice.tenant_name.clone().unwrap_or_default(),
                xero_connection_id: practice.id,
            })
            .collect(),
    }
}

/// `xpmkit tenants`.
pub(crate) fn tenants(args: TenantsArgs) -> CliResult<()> {
    let data_dir = data_dir(args.data_dir.as_deref())?;
    let connections = load(&data_dir)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&connections)?)?;
        return Ok(());
    }
    if connections.is_empty() {
        say!("no connections in {}; run `xpmkit connect` first", data_dir.display())?;
        return Ok(());
    }
    // Only look for a key, never create one, just to list.
    let store = find_store(&data_dir)?;
    for connection in &connections {
        let tokens = match store.as_ref().map(|store| store.load(ConnectionId(connection.connection_id))) {
            Some(Ok(Some(tokens))) if tokens.needs_reauth => "needs reauth: run `xpmkit connect` again".to_owned(),
            Some(Ok(Some(_))) => "tokens sealed".to_owned(),
            Some(Ok(None)) | None => "no tokens stored".to_owned(),
            Some(Err(error)) => format!("tokens unreadable: {error}"),
        };
        let line = format!(
            "connection {} ({}, {} at {}, user {}, connected {}; {tokens})",
            connection.connection_id,
            connection.profile,
            connection.client_id,
            connection.issuer,
            connection.user.as_deref().unwrap_or("-"),
            connection.connected_at.format("%Y-%m-%d %H:%M UTC"),
        );
        say!("{}", escape_controls(&line))?;
        for tenant in &connection.tenants {
            say!("  practice {}  {}", tenant.tenant_id, escape_controls(&tenant.name))?;
        }
    }
    Ok(())
}

/// `xpmkit disconnect`: revokes the connection's refresh token at Xero (which removes its
/// practices), then forgets the tokens and the saved practices. A token Xero no longer honours
/// (`invalid_grant`) is forgotten all the same.
pub(crate) fn disconnect(args: DisconnectArgs) -> CliResult<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(disconnect_async(args))
}

async fn disconnect_async(args: DisconnectArgs) -> CliResult<()> {
    let data_dir = data_dir(args.data_dir.as_deref())?;
    let mut connections = load(&data_dir)?;
    let chosen = match (args.connection.as_deref(), connections.as_slice()) {
        (Some(wanted), _) => find_connection(&connections, wanted)?.connection_id,
        (None, [only]) => only.connection_id,
        (None, _) => {
            return Err(CliError::Usage {
                message: "name the connection to remove (see `xpmkit tenants`); there is not exactly one".into(),
            });
        }
    };
    let saved =
        connections.iter().find(|connection| connection.connection_id == chosen).cloned().ok_or_else(|| {
            CliError::Usage { message: format!("no stored connection {chosen}; see `xpmkit tenants`") }
        })?;
    let store = open_store(&data_dir)?;
    let connection_id = ConnectionId(chosen);
    let revocable = if args.local {
        None
    } else {
        let oauth = saved.oauth_client(args.client_secret_env.as_deref())?;
        bound_tokens(&store, connection_id, &oauth)?.refresh_token.map(|token| (oauth, token))
    };
    match revocable {
        None if args.local => {
            say!("did not revoke connection {chosen} (--local): it may stay listed in the app's connections")?
        }
        Some((oauth, refresh_token)) => match oauth.revoke(&refresh_token).await {
            Ok(()) => say!("revoked connection {chosen} at {}", saved.issuer)?,
            Err(error) if error.needs_reauth() => say!("xero no longer honours connection {chosen}'s token")?,
            Err(error) => {
                let restarted =
                    if saved.is_mock() { " (an emulator that restarted no longer knows the token anyway)" } else { "" };
                let local =
                    format!("`xpmkit disconnect {chosen} --local` forgets it here without revoking it{restarted}");
                let hint = Some(if advice::is_unreachable(&error) {
                    let emulator = saved.is_mock().then_some(saved.issuer.as_str());
                    format!("{}; or {local}", advice::unreachable_hint(emulator))
                } else {
                    local
                });
                return Err(CliError::Revoke(Advised { error, hint }));
            }
        },
        None => say!("no refresh token stored for {chosen}; revoke the app in Xero's connected apps if needed")?,
    }
    store.delete(connection_id)?;
    connections.retain(|connection| connection.connection_id != chosen);
    write(&data_dir, &connections)?;
    say!("forgot connection {chosen} and its {} practice(s)", saved.tenants.len())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_split_on_spaces_and_default() {
        assert_eq!(requested_scopes(&["openid offline_access".into(), "practicemanager".into()]).len(), 3);
        assert_eq!(requested_scopes(&[]), DEFAULT_SCOPES);
    }
}
