//! `client.api/paged-list`: walking every page by its `Next` links.

use std::collections::HashSet;

use reqwest::StatusCode;
use xpm_api::model::Client;
use xpm_api::response::XmlList;

use super::{Api, id, is_yes};

#[tokio::test]
async fn paged_list_walks_every_active_client_exactly_once() {
    let api = Api::directory(230).await;
    let all = api.all_clients().await;
    let active: HashSet<_> = all
        .iter()
        .filter(|client| !is_yes(client.is_archived) && !is_yes(client.is_deleted))
        .map(|client| id(client.uuid))
        .collect();
    assert!(active.len() < all.len(), "some clients are archived or deleted");

    let prefix = format!("{}/client.api/paged-list", api.running.api_url());
    let mut path = "/client.api/paged-list?pageSize=37".to_owned();
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let answer = api.get(&path).await.expect(StatusCode::OK);
        assert!(answer.body.starts_with("<Response api-method=\"PagedList\">"), "{}", answer.body);
        let mut list = XmlList::<_, Client>::new(answer.body.as_bytes());
        for client in list.by_ref() {
            let client = client.expect("a client");
            assert!(
                client.contacts.is_none() && client.groups.is_none() && client.tax_number.is_none(),
                "reduced shape"
            );
            assert!(client.web_url.is_some());
            assert!(seen.insert(id(client.uuid)), "no client twice");
        }
        pages += 1;
        let links = list.pagination().and_then(|pagination| pagination.links.clone()).expect("pagination links");
        assert_eq!(links.first.as_deref(), Some(format!("{prefix}?pageSize=37").as_str()));
        let Some(next) = links.next else { break };
        assert!(next.starts_with(&format!("{prefix}?pageToken=")) && next.ends_with("&pageSize=37"), "{next}");
        path = next.strip_prefix(&api.running.api_url()).expect("a link to the emulator").to_owned();
    }
    assert_eq!(seen, active, "every active client, and only those");
    assert_eq!(pages, active.len().div_ceil(37));

    let first_page = api.get("/client.api/paged-list").await.expect(StatusCode::OK);
    assert_eq!(first_page.list::<Client>().len(), 50, "50 per page by default");
    assert!(first_page.body.contains(&format!("<First>{prefix}?pageSize=50</First>")));
    assert!(first_page.body.contains("&amp;pageSize=50</Next>"), "the Next link is escaped");
}

#[tokio::test]
async fn page_sizes_outside_1_to_500_and_foreign_tokens_are_refused() {
    let api = Api::directory(10).await;
    for size in ["0", "501", "-1", "ten"] {
        let answer = api.get(&format!("/client.api/paged-list?pageSize={size}")).await.expect(StatusCode::BAD_REQUEST);
        assert!(answer.body.contains("<Status>ERROR</Status>"), "{}", answer.body);
    }
    let everything = api.get("/client.api/paged-list?pageSize=500").await.expect(StatusCode::OK);
    assert!(!everything.body.contains("<Next>"), "one page holds all ten");
    api.get("/client.api/paged-list?pageToken=bm90LWEtdG9rZW4").await.expect(StatusCode::BAD_REQUEST);

    let contacts = api.get("/client.api/contacts?pageSize=1").await.expect(StatusCode::OK);
    let next = contacts.body.split("pageToken=").nth(1).and_then(|rest| rest.split('&').next()).expect("a token");
    api.get(&format!("/client.api/paged-list?pageToken={next}")).await.expect(StatusCode::BAD_REQUEST);
}
