//! The emulator profile reaches a running emulator's discovery document.

use xpm_client::config::Endpoints;
use xpm_mock::{Emulator, EmulatorConfig};

#[tokio::test]
async fn emulator_profile_matches_the_emulators_discovery_document() {
    let running = Emulator::new(EmulatorConfig::default()).spawn().await.expect("emulator starts");
    let endpoints = Endpoints::emulator(&running.base_url());
    let http = reqwest::Client::new();
    let discovery: serde_json::Value =
        http.get(&endpoints.discovery).send().await.expect("discovery").json().await.expect("json");
    assert_eq!(discovery["authorization_endpoint"], endpoints.authorize.as_str());
    assert_eq!(discovery["token_endpoint"], endpoints.token.as_str());
    assert_eq!(discovery["jwks_uri"], endpoints.jwks.as_str());
    assert_eq!(discovery["issuer"], endpoints.issuer.as_str());
}
