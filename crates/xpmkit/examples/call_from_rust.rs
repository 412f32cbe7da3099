//! Calls XPM from Rust with `xpm_client`, through the connection `xpmkit connect` stored: the
//! sample in README.md ("Connecting"), kept compiling here.
//!
//! ```text
//! cargo run -p xpmkit -- mock --auto-consent &
//! cargo run -p xpmkit -- connect --profile mock --no-browser   # then open the printed URL
//! cargo run -p xpmkit --example call_from_rust -- CONNECTION TENANT   # ids from `xpmkit tenants`
//! ```

use std::sync::Arc;

use xpm_api::model::Client;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::OAuthClient;
use xpm_client::secret::ClientSecret;
use xpm_client::token_store::{ConnectionId, EncryptedFileStore, KeyResolver, keys};
use xpm_client::{Call, XpmClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(connection), Some(tenant)) = (args.next(), args.next()) else {
        return Err("usage: call_from_rust CONNECTION TENANT (as `xpmkit tenants` lists them)".into());
    };
    let connection = ConnectionId(connection.parse()?);
    let tenant: uuid::Uuid = tenant.parse()?;

    // The app, and where it signs in: Endpoints::xero() and your own app's id for Xero.
    let credentials = AppCredentials {
        client_id: "xpmkit-demo".into(),
        client_secret: Some(ClientSecret::new("xpmkit-demo-secret")),
        redirect_uri: "http://localhost:8765/callback".into(),
    };
    let emulator = std::env::var("XPMKIT_MOCK_URL").unwrap_or_else(|_| "http://127.0.0.1:8700".into());
    let oauth = OAuthClient::new(Endpoints::emulator(&emulator), credentials)?;

    // The tokens `xpmkit connect` sealed, opened with the same master key.
    let data_dir = std::env::var_os("XPMKIT_DATA_DIR").map(Into::into).or_else(|| keys::default_data_dir("xpmkit"));
    let data_dir: std::path::PathBuf = data_dir.ok_or("no data directory")?;
    let key = KeyResolver::new(&data_dir).env_var("XPMKIT_MASTER_KEY").resolve()?.key;
    let store = EncryptedFileStore::open(&data_dir, key)?;

    // One client per connection: it refreshes the token, keeps to the rate limits and retries GETs.
    let client = XpmClient::builder(oauth, Arc::new(store), connection).build()?;
    // Typed: a handler per area; lists are builders that end in send() or stream().
    let clients: Vec<Client> = client.clients(tenant).list().send().await?;
    // Any operation as data: the Call that `xpmkit call` sends, answered in XPM's JSON shape.
    let call = Call::by_id("StaffV31_List", tenant)?;
    let staff = client.send(call).await?.to_json()?;

    let first = clients.first().and_then(|first| first.name.as_deref()).unwrap_or("-");
    let staff_count = staff["staffList"].as_array().map_or(0, Vec::len);
    println!("{} clients (the first: {first}), {staff_count} staff", clients.len());
    Ok(())
}
