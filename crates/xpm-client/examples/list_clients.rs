//! Lists a practice's clients, searches them and reads one in full.
//!
//! `cargo run -p xpm-client --example list_clients`

mod common;

use std::error::Error;

use xpm_api::value::YesNo;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let demo = common::start(40).await?;
    println!("emulator at {}", demo.running.base_url());
    let clients = demo.client.clients(demo.tenant);

    let all = clients.list().send().await?;
    let active = all.iter().filter(|client| client.is_archived != Some(YesNo::Yes)).count();
    println!("{} clients, {active} not archived", all.len());
    for client in all.iter().take(10) {
        let archived = if client.is_archived == Some(YesNo::Yes) { " (archived)" } else { "" };
        println!("  {}{archived}", client.name.as_deref().unwrap_or("?"));
    }

    let query = "ltd";
    let found = clients.search(query).send().await?;
    println!("{} clients match {query:?}", found.len());

    if let Some(id) = all.first().and_then(|client| client.id()) {
        let client = clients.get(id).await?;
        println!("{} in full:", client.name.as_deref().unwrap_or("?"));
        println!("  email    {}", client.email.as_deref().unwrap_or("-"));
        println!("  contacts {}", client.contacts.as_ref().map_or(0, Vec::len));
        println!("  groups   {}", client.groups.as_ref().map_or(0, Vec::len));
        println!("  notes    {}", client.notes.as_ref().map_or(0, Vec::len));
    }
    Ok(())
}
