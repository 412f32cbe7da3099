//! `xpmkit mock --practices N`: the banner lists every practice, one `connect` stores them all,
//! and `call` asks which one when a connection reaches several.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};

use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::call::{command, connect_to, free_port, json};
use crate::text;

/// A `xpmkit mock` child process, killed when dropped.
struct MockProcess(Child);

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn mock_with_three_practices_connects_them_all_and_call_asks_which() {
    let data_dir = std::env::temp_dir().join(format!("xpmkit-practices-test-{}", uuid::Uuid::new_v4()));
    let base = format!("http://127.0.0.1:{}", free_port());
    let child = command(&data_dir)
        .args(["mock", "--practices", "3", "--clients", "5", "--limits", "off", "--auto-consent", "--url", &base])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("xpmkit mock starts");
    let mut mock = MockProcess(child);
    let stdout = mock.0.stdout.take().expect("stdout is piped");
    let banner: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("Press Ctrl-C"))
        .collect();
    let practices: Vec<&String> = banner.iter().filter(|line| line.trim_start().starts_with("practice ")).collect();
    assert_eq!(practices.len(), 3, "{banner:#?}");
    for name in ["Demo Practice (AU)", "Demo Practice 2 (AU)", "Demo Practice 3 (AU)"] {
        assert!(practices.iter().any(|line| line.contains(&format!("{name}: tenant "))), "{name}: {banner:#?}");
    }
    assert!(banner.iter().any(|line| line.contains("connects all 3 practices")), "{banner:#?}");

    // The demo app learns the loopback port this test's `connect` listens on.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let port = free_port();
    let registration = serde_json::json!({
        "clientId": DEMO_CLIENT_ID,
        "clientSecret": DEMO_CLIENT_SECRET,
        "redirectUris": [format!("http://localhost:{port}/callback")],
        "approvedScopes": ["practicemanager"],
    });
    let registered = runtime.block_on(async {
        reqwest::Client::new().post(format!("{base}/__admin/apps")).json(&registration).send().await
    });
    assert!(registered.expect("the admin API answers").status().is_success());

    let connected = connect_to(&runtime, &data_dir, &base, port, &[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let tenants = json(&command(&data_dir).args(["tenants", "--json"]).output().expect("tenants runs"));
    let connections = tenants.as_array().expect("an array");
    assert_eq!(connections.len(), 1, "one sign-in, one connection: {tenants}");
    let names: Vec<&str> = connections[0]["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .filter_map(|tenant| tenant["name"].as_str())
        .collect();
    assert_eq!(names, ["Demo Practice (AU)", "Demo Practice 2 (AU)", "Demo Practice 3 (AU)"], "{tenants}");

    // Without --tenant, `call` cannot choose and lists the practices.
    let ambiguous = command(&data_dir).args(["call", "StaffV31_List"]).output().expect("call runs");
    assert_eq!(ambiguous.status.code(), Some(2), "{}", text(&ambiguous.stdout));
    let stderr = text(&ambiguous.stderr);
    assert!(stderr.contains("--tenant"), "{stderr}");
    for name in &names {
        assert!(stderr.contains(name), "{name} missing from {stderr}");
    }
    let chosen = command(&data_dir)
        .args(["call", "StaffV31_List", "--tenant", "Demo Practice 2 (AU)"])
        .output()
        .expect("call runs");
    assert_eq!(json(&chosen)["status"], "OK");
    drop(mock);
    let _ = std::fs::remove_dir_all(&data_dir);
}
