//! Messages point the right way: what fixes a failure depends on whether the emulator or Xero
//! answered, and on what really happened.

use crate::call::Session;
use crate::text;

#[test]
fn the_approval_gate_on_the_emulator_points_to_mock_approve_and_exits_5() {
    let session = Session::start();
    let port = session.port.to_string();
    let args = ["connect", "--profile", "mock", "--no-browser", "--port", &port, "--client-id", "xpmkit-unapproved"];
    let refused = session.xpmkit_at_emulator(&args);
    assert_eq!(refused.status.code(), Some(5), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("approve them with `xpmkit mock approve xpmkit-unapproved practicemanager`"), "{stderr}");
    assert!(!stderr.contains("build against the emulator"), "{stderr}");

    let approved = session.xpmkit_at_emulator(&["mock", "approve", "xpmkit-unapproved", "practicemanager"]);
    assert_eq!(approved.status.code(), Some(0), "{}", text(&approved.stderr));
}

#[test]
fn an_unregistered_redirect_uri_is_told_with_the_registered_ones() {
    let session = Session::start();
    let other_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port().to_string()
    };
    let refused = session.xpmkit_at_emulator(&["connect", "--profile", "mock", "--no-browser", "--port", &other_port]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    let registered = format!("http://localhost:{}/callback)", session.port);
    assert!(
        stderr.contains("is not registered for xpmkit-demo (registered: http://localhost:8765/callback"),
        "{stderr}"
    );
    assert!(stderr.contains(&registered), "{stderr}");
    assert!(stderr.contains(&format!("hint: register http://localhost:{other_port}/callback")), "{stderr}");
}

#[test]
fn a_withdrawn_approval_is_not_sent_back_to_connect() {
    let session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    let revoked = session.xpmkit_at_emulator(&["mock", "revoke", "xpmkit-demo", "practicemanager"]);
    assert_eq!(revoked.status.code(), Some(0), "{}", text(&revoked.stderr));

    let refused = session.xpmkit(&["call", "StaffV31_List"]);
    assert_eq!(refused.status.code(), Some(5), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("connecting again does not help, approving does"), "{stderr}");
    assert!(
        stderr.contains(&format!("`xpmkit mock approve xpmkit-demo practicemanager --url {}`", session.base)),
        "{stderr}"
    );
    assert!(!stderr.contains("connects it again"), "{stderr}");
}

#[test]
fn a_refused_connection_asks_whether_the_emulator_is_up_and_a_write_was_not_sent() {
    let mut session = Session::start();
    let connected = session.connect(&[]);
    assert_eq!(connected.status.code(), Some(0), "{}", text(&connected.stderr));
    session.stop_emulator();

    let body = session.data_dir.join("client.xml");
    std::fs::write(&body, "<Client><Name>Never Sent Ltd</Name></Client>").expect("a body file");
    let refused = session.xpmkit(&["call", "ClientV31_Add", "--body", body.to_str().expect("utf-8 path")]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("the server could not be reached, so nothing was sent"), "{stderr}");
    assert!(!stderr.contains("check whether it took effect"), "{stderr}");
    assert!(stderr.contains(&format!("nothing answers at {}: is the emulator running?", session.base)), "{stderr}");

    let connect = session.xpmkit_at_emulator(&["connect", "--profile", "mock", "--no-browser", "--port", "0"]);
    assert!(text(&connect.stderr).contains("is the emulator running?"), "{}", text(&connect.stderr));
}
