//! `GET /__admin`, the URL the emulator prints, answers with the admin API's index, and the
//! index holds every admin route there is.

use xpm_mock::admin_index::ADMIN_ROUTES;
use xpm_mock::{Emulator, EmulatorConfig};

#[tokio::test]
async fn the_admin_url_answers_with_every_route_and_what_it_does() {
    let running = Emulator::new(EmulatorConfig::default()).spawn().await.expect("the emulator starts");
    let base = running.base_url();
    let http = reqwest::Client::new();
    let index = http.get(format!("{base}/__admin")).send().await.expect("an answer");
    assert_eq!(index.status(), reqwest::StatusCode::OK);
    let index: serde_json::Value = index.json().await.expect("JSON");
    let routes = index["routes"].as_array().expect("routes");
    assert_eq!(routes.len(), ADMIN_ROUTES.len());
    for route in routes {
        assert!(route["does"].as_str().is_some_and(|does| !does.is_empty()), "{route}");
    }
    // Each listed route exists: a GET where one is listed answers, anything else is not a 404.
    for route in ADMIN_ROUTES {
        let path = route.path.replace("{client_id}", "xpmkit-demo");
        let method = if route.methods.contains("GET") { reqwest::Method::GET } else { reqwest::Method::OPTIONS };
        let answer = http.request(method, format!("{base}{path}")).send().await.expect("an answer");
        assert_ne!(answer.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
    }
    let readme = include_str!("../../../../README.md");
    for route in ADMIN_ROUTES {
        assert!(readme.contains(&format!("`{}`", route.path)), "README.md does not list {}", route.path);
    }
}
