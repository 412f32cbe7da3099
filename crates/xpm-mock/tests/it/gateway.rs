//! The gateway's answers before any XPM handler runs.

use xpm_mock::{Emulator, EmulatorConfig};

#[tokio::test]
async fn requests_without_a_token_get_xeros_401_problem() {
    let running = Emulator::new(EmulatorConfig::default()).spawn().await.expect("emulator starts");
    let response = reqwest::get(format!("{}/client.api/list", running.api_url())).await.expect("request");
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.expect("problem JSON");
    assert_eq!(body["Title"], "Unauthorized");
    assert_eq!(body["Status"], 401);

    let unknown = reqwest::get(format!("{}/client.api/nothing", running.api_url())).await.expect("request");
    assert_eq!(unknown.status(), 404);
    let text = unknown.text().await.expect("body");
    assert!(text.contains("<Status>ERROR</Status>"), "{text}");
}
