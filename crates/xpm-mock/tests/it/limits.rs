//! Rate limits over HTTP: headers on every response, 429s with Xero's headers, windows on the
//! emulator clock.

use chrono::{DateTime, Duration};
use xpm_mock::config::LimitSettings;
use xpm_mock::{Clock, EmulatorConfig};

use crate::session::Session;

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

#[tokio::test]
async fn sixty_calls_a_minute_then_429_until_the_window_turns() {
    let start = DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z").map(|at| at.to_utc()).expect("date");
    let clock = Clock::manual(start);
    let config = EmulatorConfig {
        limits: LimitSettings { offset_windows: false, ..LimitSettings::XERO },
        ..EmulatorConfig::default()
    };
    let session = Session::start(config, Some(clock.clone())).await;
    for call in 0..60u32 {
        let response = session.get("staff.api/list").send().await.expect("response");
        assert_eq!(response.status(), 200, "call {call}");
        assert_eq!(header(&response, "x-minlimit-remaining"), Some((59 - call).to_string()));
        assert_eq!(header(&response, "x-daylimit-remaining"), Some((4_999 - call).to_string()));
        assert!(header(&response, "x-appminlimit-remaining").is_some());
    }
    clock.advance(Duration::seconds(20));
    let limited = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(limited.status(), 429);
    assert_eq!(header(&limited, "x-rate-limit-problem").as_deref(), Some("minute"));
    assert_eq!(header(&limited, "retry-after").as_deref(), Some("40"), "seconds to the end of the window");
    assert_eq!(header(&limited, "x-minlimit-remaining").as_deref(), Some("0"));

    clock.advance(Duration::seconds(40));
    let next_window = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(next_window.status(), 200);
    assert_eq!(header(&next_window, "x-minlimit-remaining").as_deref(), Some("59"));
}

#[tokio::test]
async fn the_day_limit_says_day_and_limits_off_still_sends_headers() {
    let config = EmulatorConfig {
        limits: LimitSettings { per_day: 2, offset_windows: false, ..LimitSettings::XERO },
        ..EmulatorConfig::default()
    };
    let session = Session::start(config, None).await;
    for _ in 0..2 {
        assert_eq!(session.get("staff.api/list").send().await.expect("response").status(), 200);
    }
    let limited = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(limited.status(), 429);
    assert_eq!(header(&limited, "x-rate-limit-problem").as_deref(), Some("day"));
    let retry_after: i64 = header(&limited, "retry-after").and_then(|value| value.parse().ok()).expect("retry-after");
    assert!((1..=86_400).contains(&retry_after));

    let limits = session.running.emulator().limits();
    limits.set_settings(LimitSettings { enabled: false, ..limits.settings() });
    let unlimited = session.get("staff.api/list").send().await.expect("response");
    assert_eq!(unlimited.status(), 200);
    // With limits off nothing is enforced, so nothing is reported for clients to keep to.
    assert_eq!(header(&unlimited, "x-daylimit-remaining"), None);
}
