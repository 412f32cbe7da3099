//! Clients, with what a detailed client carries: its contacts (and the links that hold each
//! contact's position and primary flag at this client), its group memberships and its
//! relationships.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;
use xpm_api::model::{Client, Contact};

use crate::columns::{Column, Value, int, nested, ref_name, ref_uuid, shown, text, yes_no};
use crate::events::EntityKind;
use crate::upsert::{Context, Table, Upserted, replace_children, upsert, upsert_loading};
use crate::{BatchCounts, StoreError};

pub(crate) static CLIENTS: Table<Client> = Table {
    name: "clients",
    entity: EntityKind::Client,
    key_column: "uuid",
    key: |client| client.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("name", |c| text(&c.name)),
        Column::new("title", |c| text(&c.title)),
        Column::new("gender", |c| text(&c.gender)),
        Column::new("first_name", |c| text(&c.first_name)),
        Column::new("middle_name", |c| text(&c.middle_name)),
        Column::new("last_name", |c| text(&c.last_name)),
        Column::new("other_name", |c| text(&c.other_name)),
        Column::new("email", |c| text(&c.email)),
        Column::new("date_of_birth", |c| shown(&c.date_of_birth)),
        Column::new("date_of_death", |c| shown(&c.date_of_death)),
        Column::new("place_of_birth_city", |c| text(&c.place_of_birth_city)),
        Column::new("place_of_birth_country_code", |c| text(&c.place_of_birth_country_code)),
        Column::new("address", |c| text(&c.address)),
        Column::new("city", |c| text(&c.city)),
        Column::new("region", |c| text(&c.region)),
        Column::new("post_code", |c| text(&c.post_code)),
        Column::new("country", |c| text(&c.country)),
        Column::new("postal_address", |c| text(&c.postal_address)),
        Column::new("postal_city", |c| text(&c.postal_city)),
        Column::new("postal_region", |c| text(&c.postal_region)),
        Column::new("postal_post_code", |c| text(&c.postal_post_code)),
        Column::new("postal_country", |c| text(&c.postal_country)),
        Column::new("phone", |c| text(&c.phone)),
        Column::new("fax", |c| text(&c.fax)),
        Column::new("website", |c| text(&c.website)),
        Column::new("referral_source", |c| text(&c.referral_source)),
        Column::new("export_code", |c| text(&c.export_code)),
        Column::new("industry", |c| text(&c.industry)),
        Column::new("is_prospect", |c| yes_no(&c.is_prospect)),
        Column::new("is_archived", |c| yes_no(&c.is_archived)),
        Column::new("is_deleted", |c| yes_no(&c.is_deleted)),
        Column::new("account_manager_uuid", |c| ref_uuid(&c.account_manager)),
        Column::new("account_manager_name", |c| ref_name(&c.account_manager)),
        Column::new("job_manager_uuid", |c| ref_uuid(&c.job_manager)),
        Column::new("job_manager_name", |c| ref_name(&c.job_manager)),
        Column::new("type_name", |c| nested(c.client_type.as_ref().and_then(|t| t.name.as_ref()))),
        Column::new("type_cost_markup", |c| shown(&c.client_type.as_ref().and_then(|t| t.cost_markup))),
        Column::new("type_payment_term", |c| nested(c.client_type.as_ref().and_then(|t| t.payment_term.as_ref()))),
        Column::new("type_payment_day", |c| int(&c.client_type.as_ref().and_then(|t| t.payment_day))),
        Column::new("billing_client_uuid", |c| ref_uuid(&c.billing_client)),
        Column::new("billing_client_name", |c| ref_name(&c.billing_client)),
        Column::new("tax_number", |c| text(&c.tax_number)),
        Column::new("company_number", |c| text(&c.company_number)),
        Column::new("business_number", |c| text(&c.business_number)),
        Column::new("branch_number", |c| text(&c.branch_number)),
        Column::new("business_structure", |c| text(&c.business_structure)),
        Column::new("balance_month", |c| int(&c.balance_month)),
        Column::new("gst_registered", |c| yes_no(&c.gst_registered)),
        Column::new("prepare_gst", |c| yes_no(&c.prepare_gst)),
        Column::new("gst_period", |c| text(&c.gst_period)),
        Column::new("gst_basis", |c| text(&c.gst_basis)),
        Column::new("provisional_tax_basis", |c| text(&c.provisional_tax_basis)),
        Column::new("provisional_tax_ratio", |c| shown(&c.provisional_tax_ratio)),
        Column::new("signed_tax_authority", |c| yes_no(&c.signed_tax_authority)),
        Column::new("tax_agent", |c| text(&c.tax_agent)),
        Column::new("agency_status", |c| text(&c.agency_status)),
        Column::new("return_type", |c| text(&c.return_type)),
        Column::new("prepare_activity_statement", |c| yes_no(&c.prepare_activity_statement)),
        Column::new("prepare_tax_return", |c| yes_no(&c.prepare_tax_return)),
        Column::new("auto_bas_annually", |c| yes_no(&c.auto_bas_opt_in_criteria.as_ref().and_then(|a| a.annually))),
        Column::new("auto_bas_monthly", |c| yes_no(&c.auto_bas_opt_in_criteria.as_ref().and_then(|a| a.monthly))),
        Column::new("auto_bas_quarterly", |c| yes_no(&c.auto_bas_opt_in_criteria.as_ref().and_then(|a| a.quarterly))),
        Column::new("auto_bas_opt_out", |c| yes_no(&c.auto_bas_opt_in_criteria.as_ref().and_then(|a| a.opt_out))),
        Column::new("bank_bsb", |c| text(&c.bank_bsb)),
        Column::new("bank_account_name", |c| text(&c.bank_account_name)),
        Column::new("bank_account_number", |c| text(&c.bank_account_number)),
        Column::new("bank_name", |c| text(&c.bank_name)),
        Column::new("active_ato_client", |c| yes_no(&c.active_ato_client)),
        Column::new("client_code", |c| text(&c.client_code)),
        Column::new("web_url", |c| text(&c.web_url)),
    ],
};

pub(crate) static CONTACTS: Table<Contact> = Table {
    name: "contacts",
    entity: EntityKind::Contact,
    key_column: "uuid",
    key: |contact| contact.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("name", |c| text(&c.name)),
        Column::new("mobile", |c| text(&c.mobile)),
        Column::new("email", |c| text(&c.email)),
        Column::new("phone", |c| text(&c.phone)),
        Column::new("salutation", |c| text(&c.salutation)),
        Column::new("addressee", |c| text(&c.addressee)),
        Column::new("is_deleted", |c| yes_no(&c.is_deleted)),
    ],
};

/// A first load of a practice's clients: when it began, the practice had no client, contact,
/// contact link, group membership or relationship stored ([`Store::first_load`](crate::Store::first_load)).
/// It remembers the clients and contacts stored since, so that storing a batch reads back only
/// those (a contact linked to clients of several batches, a client listed twice) and writes the
/// others as new. It is meant for one pass over the detailed client list by the one writer of
/// the practice; a row stored meanwhile by anyone else makes a batch fail on its key rather than
/// be overwritten. A key remembered from a batch that then rolled back is read and found absent,
/// which is still right.
#[derive(Debug, Default)]
pub struct FirstLoad {
    pub(crate) clients: HashSet<String>,
    pub(crate) contacts: HashSet<String>,
}

/// Clients with the JSON each is stored with (the `raw` column) written already. Writing it is
/// about a quarter of what storing a batch costs the caller's thread; a caller that reads the
/// list on a task of its own (as the sync does) encodes there, beside the writes of the batch
/// before. [`WriteTx::store_clients`](crate::WriteTx::store_clients) stores them.
#[derive(Debug, Default)]
pub struct EncodedClients {
    pub(crate) clients: Vec<Client>,
    /// By index of `clients`; `None` if one could not be encoded, which storing then reports.
    pub(crate) raws: Option<Vec<String>>,
}

impl EncodedClients {
    /// Encodes each client's JSON.
    pub fn encode(clients: Vec<Client>) -> Self {
        let raws = crate::upsert::encode_all(&CLIENTS, &clients).ok();
        Self { clients, raws }
    }

    /// The clients back, without their JSON (to change them before they are stored).
    pub fn into_clients(self) -> Vec<Client> {
        self.clients
    }

    /// The clients, in the order given.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// How many clients there are.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}

/// The contact's own fields: `Position` and `IsPrimary` belong to its link with one client.
pub(crate) fn without_link(contact: &Contact) -> Contact {
    let mut own = contact.clone();
    own.position = None;
    own.is_primary = None;
    own
}

/// Stores contacts (from `client.api/contacts` or `contact/{uuid}`); their links are untouched.
pub(crate) async fn upsert_contacts(
    connection: &mut AnyConnection,
    context: &Context,
    contacts: &[Contact],
) -> Result<Upserted, StoreError> {
    let own: Vec<Contact> = contacts.iter().map(without_link).collect();
    upsert(connection, context, &CONTACTS, &own).await
}

/// What storing a batch of clients did, per table family.
pub(crate) struct ClientsOutcome {
    pub(crate) clients: BatchCounts,
    pub(crate) contacts: BatchCounts,
}

/// Stores clients. For each client that changed, the lists it carries replace what was stored:
/// `contacts` its contact links (and the contacts themselves), `groups` its memberships,
/// `relationships` its relationships. A list the shape does not carry (`None`, as in
/// `paged-list` items) leaves the stored rows alone.
///
/// In a first load (`load`), clients and contacts the load has not stored yet are written
/// without reading them back, and their lists without deleting the rows they replace: there are
/// none (see [`FirstLoad`]).
///
/// `encoded` is each client's JSON ([`EncodedClients`]) when the caller wrote it already.
pub(crate) async fn upsert_clients(
    connection: &mut AnyConnection,
    context: &Context,
    clients: &[Client],
    encoded: Option<&[String]>,
    mut load: Option<&mut FirstLoad>,
) -> Result<ClientsOutcome, StoreError> {
    let loaded = load.as_deref_mut().map(|load| &mut load.clients);
    let outcome = upsert_loading(connection, context, &CLIENTS, clients, encoded, loaded).await?;
    let changed: Vec<(&str, &Client, bool)> = outcome
        .changed
        .iter()
        .map(|&index| (outcome.keys[index].as_str(), &clients[index], outcome.known_new[index]))
        .collect();

    let mut contacts = Vec::new();
    let mut contact_slots: HashMap<xpm_api::value::Uuid, usize> = HashMap::new();
    let mut link_parents = Vec::new();
    let mut links = Vec::new();
    let mut member_parents = Vec::new();
    let mut members = Vec::new();
    let mut relationship_parents = Vec::new();
    let mut relationships = Vec::new();
    for &(key, client, known_new) in &changed {
        // A client the load knows new has no stored lists to delete.
        let replaced = (!known_new).then_some(key);
        if let Some(list) = &client.contacts {
            link_parents.extend(replaced);
            let mut linked = HashSet::new();
            for contact in list {
                let Some(uuid) = contact.uuid else { continue };
                if !linked.insert(uuid) {
                    continue;
                }
                links.push(vec![
                    Value::Text(Some(key.into())),
                    shown(&Some(uuid)),
                    text(&contact.position),
                    yes_no(&contact.is_primary),
                ]);
                // A contact linked to several clients is stored once, as last seen.
                match contact_slots.get(&uuid) {
                    Some(&slot) => contacts[slot] = without_link(contact),
                    None => {
                        contact_slots.insert(uuid, contacts.len());
                        contacts.push(without_link(contact));
                    }
                }
            }
        }
        if let Some(groups) = &client.groups {
            member_parents.extend(replaced);
            let mut joined = HashSet::new();
            for group in groups {
                let Some(uuid) = group.uuid else { continue };
                if joined.insert(uuid) {
                    members.push(vec![
                        shown(&Some(uuid)),
                        Value::Text(Some(key.into())),
                        text(&client.name),
                        Value::Text(group.name.as_deref().map(Into::into)),
                    ]);
                }
            }
        }
        if let Some(list) = &client.relationships {
            relationship_parents.extend(replaced);
            let mut kept = HashSet::new();
            for relationship in list {
                let Some(uuid) = relationship.uuid else { continue };
                if !kept.insert(uuid) {
                    continue;
                }
                let raw = serde_json::to_string(relationship)
                    .map_err(|source| StoreError::Encode { entity: "relationship", source })?;
                relationships.push(vec![
                    shown(&Some(uuid)),
                    Value::Text(Some(key.into())),
                    text(&relationship.relationship_type),
                    ref_uuid(&relationship.related_client),
                    ref_name(&relationship.related_client),
                    int(&relationship.number_of_shares),
                    shown(&relationship.percentage),
                    shown(&relationship.start_date),
                    shown(&relationship.end_date),
                    Value::Text(Some(raw.into())),
                ]);
            }
        }
    }
    let contact_outcome =
        upsert_loading(connection, context, &CONTACTS, &contacts, None, load.map(|load| &mut load.contacts)).await?;
    let link_columns = ["client_uuid", "contact_uuid", "position", "is_primary"];
    replace_children(connection, context, "client_contacts", "client_uuid", &link_parents, &link_columns, links)
        .await?;
    let member_columns = ["group_uuid", "client_uuid", "client_name", "group_name"];
    replace_children(connection, context, "group_members", "client_uuid", &member_parents, &member_columns, members)
        .await?;
    let relationship_columns = [
        "uuid",
        "client_uuid",
        "relationship_type",
        "related_client_uuid",
        "related_client_name",
        "number_of_shares",
        "percentage",
        "start_date",
        "end_date",
        "raw",
    ];
    replace_children(
        connection,
        context,
        "relationships",
        "client_uuid",
        &relationship_parents,
        &relationship_columns,
        relationships,
    )
    .await?;
    Ok(ClientsOutcome { clients: BatchCounts::from(&outcome), contacts: BatchCounts::from(&contact_outcome) })
}
