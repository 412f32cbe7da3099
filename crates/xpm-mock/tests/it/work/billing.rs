//! The price list, invoices and quotes.

use reqwest::{Method, StatusCode};
use xpm_api::model::{Cost, Invoice, InvoicePayment, Job, Quote};

use super::{Api, window};

#[tokio::test]
async fn cost_pages_are_read_until_records_is_zero() {
    let api = Api::work(30).await;
    api.get("/cost.api/list").await.expect(StatusCode::BAD_REQUEST);
    let mut all = Vec::new();
    for page in 1.. {
        let (costs, envelope) =
            api.get(&format!("/cost.api/list?page={page}")).await.expect(StatusCode::OK).list_with_envelope::<Cost>();
        assert_eq!(envelope.records, Some(costs.len() as i32));
        if costs.is_empty() {
            break;
        }
        all.extend(costs);
    }
    assert_eq!(all.len(), 1_200);

    let add = "<Cost><Description>Courier - drone</Description><Code>DRN</Code><UnitCost>10</UnitCost><UnitPrice>25.5</UnitPrice></Cost>";
    let added: Cost = api.xml(Method::POST, "/cost.api/add", Some(add)).await.expect(StatusCode::OK).single();
    assert_eq!(added.unit_price.map(|price| price.to_string()), Some("25.50".into()));
    let uuid = added.uuid.expect("a UUID");
    let update = format!("<Cost><UUID>{uuid}</UUID><Note>Trial</Note></Cost>");
    let updated: Cost = api.xml(Method::PUT, "/cost.api/update", Some(&update)).await.expect(StatusCode::OK).single();
    assert_eq!((updated.note.as_deref(), updated.code.as_deref()), (Some("Trial"), Some("DRN")));
    let fetched: Cost = api.get(&format!("/cost.api/get/{uuid}")).await.expect(StatusCode::OK).single();
    assert_eq!(fetched, updated);
    let delete = format!("<Cost><UUID>{uuid}</UUID></Cost>");
    api.xml(Method::POST, "/cost.api/delete", Some(&delete)).await.expect(StatusCode::OK);
    api.get(&format!("/cost.api/get/{uuid}")).await.expect(StatusCode::NOT_FOUND);
    api.xml(Method::POST, "/cost.api/deleteall", Some("<DeleteAll />")).await.expect(StatusCode::OK);
    let (left, envelope) = api.get("/cost.api/list?page=1").await.expect(StatusCode::OK).list_with_envelope::<Cost>();
    assert_eq!((left.len(), envelope.records), (0, Some(0)));
}

#[tokio::test]
async fn invoices_are_read_from_the_seed() {
    let api = Api::work(300).await;
    let current: Vec<Invoice> = api.get("/invoice.api/current").await.expect(StatusCode::OK).list();
    assert!(!current.is_empty() && current.iter().all(|invoice| invoice.status.as_deref() == Some("Approved")));
    assert!(current.iter().all(|invoice| invoice.jobs.is_none() && invoice.tasks.is_none()), "short shape");
    let drafts: Vec<Invoice> = api.get("/invoice.api/draft?detailed=true").await.expect(StatusCode::OK).list();
    assert!(drafts.iter().all(|invoice| invoice.status.as_deref() == Some("Draft")));
    api.get("/invoice.api/list?from=20250101").await.expect(StatusCode::BAD_REQUEST);
    let listed: Vec<Invoice> =
        api.get(&format!("/invoice.api/list?{}", window(364, 0))).await.expect(StatusCode::OK).list();
    let paid = listed.iter().find(|invoice| invoice.status.as_deref() == Some("Paid")).expect("a paid invoice");
    let number = paid.id.clone().expect("a number");

    let invoice: Invoice = api.get(&format!("/invoice.api/get/{number}")).await.expect(StatusCode::OK).single();
    assert!(invoice.jobs.is_some() || invoice.tasks.is_some(), "detailed lines");
    let payments: Vec<InvoicePayment> =
        api.get(&format!("/invoice.api/payments/{number}")).await.expect(StatusCode::OK).list();
    let total: xpm_api::value::Decimal = payments.iter().filter_map(|payment| payment.amount).sum();
    assert_eq!(Some(total), invoice.amount_paid);
    assert_eq!(invoice.amount_paid, invoice.amount_including_tax, "a paid invoice is paid in full");
    if let Some(job) = invoice.jobs.iter().flatten().next().and_then(|job| job.id.clone()) {
        let on_job: Vec<Invoice> = api.get(&format!("/invoice.api/job/{job}")).await.expect(StatusCode::OK).list();
        assert!(on_job.iter().any(|candidate| candidate.id.as_deref() == Some(number.as_str())));
    }
    api.get("/invoice.api/get/I999999").await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn quotes_are_read_and_drafted_from_jobs() {
    let api = Api::work(300).await;
    let current: Vec<Quote> = api.get("/quote.api/current").await.expect(StatusCode::OK).list();
    assert!(current.iter().all(|quote| quote.state.as_deref() == Some("Issued") && quote.tasks.is_none()));
    let drafts: Vec<Quote> = api.get("/quote.api/draft?detailed=true").await.expect(StatusCode::OK).list();
    assert!(drafts.iter().all(|quote| quote.state.as_deref() == Some("Draft") && quote.tasks.is_some()));
    api.get("/quote.api/list").await.expect(StatusCode::BAD_REQUEST);
    let listed: Vec<Quote> =
        api.get(&format!("/quote.api/list?{}", window(364, 0))).await.expect(StatusCode::OK).list();
    assert!(!listed.is_empty());

    let jobs: Vec<Job> = api.get("/job.api/current").await.expect(StatusCode::OK).list();
    let number = jobs[0].id.clone().expect("a job number");
    let reply = api.xml(Method::POST, &format!("/job.api/createestimate/{number}"), None).await.expect(StatusCode::OK);
    let quote_number = reply.status_envelope().id.expect("<ID> of the new quote");
    assert!(quote_number.starts_with('Q'), "{quote_number}");
    let quote: Quote = api.get(&format!("/quote.api/get/{quote_number}")).await.expect(StatusCode::OK).single();
    assert_eq!((quote.quote_type.as_deref(), quote.state.as_deref()), (Some("Estimate"), Some("Draft")));
    assert_eq!(quote.name, jobs[0].name);
    api.xml(Method::POST, "/job.api/createquote/J999999", None).await.expect(StatusCode::NOT_FOUND);
}
