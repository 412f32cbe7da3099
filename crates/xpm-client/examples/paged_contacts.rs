//! Walks every contact of a practice through `client.api/contacts` page tokens, fetching each
//! page only when the contacts before it have been printed.
//!
//! `cargo run -p xpm-client --example paged_contacts`

mod common;

use std::error::Error;

use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let demo = common::start(30).await?;
    println!("emulator at {}", demo.running.base_url());
    let journal = demo.running.emulator().journal();

    let mut contacts = demo.client.contacts(demo.tenant).paged().page_size(25).stream();
    let mut count = 0;
    while let Some(contact) = contacts.try_next().await? {
        count += 1;
        let email = contact.email.as_deref().filter(|email| !email.is_empty()).unwrap_or("no email");
        println!("{count:>4}  {:<32} {email}", contact.name.as_deref().unwrap_or("?"));
    }
    println!("{count} contacts in {} pages of up to 25", journal.count("ClientV31_Contacts"));

    // One page at a time, resuming from a token (a job that stops can carry on later).
    let first = demo.client.contacts(demo.tenant).paged().page_size(10).send().await?;
    if let Some(token) = first.next_page_token {
        let second = demo.client.contacts(demo.tenant).paged().page_size(10).page_token(token).send().await?;
        println!("page 2 starts with {}", second.items.first().and_then(|c| c.name.as_deref()).unwrap_or("?"));
    }
    Ok(())
}
