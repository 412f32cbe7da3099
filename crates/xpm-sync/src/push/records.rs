//! What the push reads from and writes to XPM for each kind of change, and how the records it
//! reads are stored.

use serde_json::{Map, Value as Json};
use uuid::Uuid;
use xpm_api::ids::{ClientId, GroupId, JobNumber, TimeId};
use xpm_api::model::{Client, ClientGroup, Contact, Job, Time};
use xpm_client::{Error, XpmClient};
use xpm_store::{StoreError, WriteTx};

use super::change::Change;

/// A record as XPM holds it.
#[derive(Debug, Clone, PartialEq)]
///
/// Clients and jobs are boxed: they are many times the size of the others.
pub(crate) enum Record {
    Client(Box<Client>),
    Contact(Contact),
    Group(ClientGroup),
    Job(Box<Job>),
    Time(Time),
}

impl Record {
    /// Its key in the store: a UUID, or a job's number.
    pub(crate) fn key(&self) -> Option<String> {
        let uuid = |uuid: Option<Uuid>| uuid.map(|uuid| uuid.to_string());
        match self {
            Self::Client(client) => uuid(client.uuid),
            Self::Contact(contact) => uuid(contact.uuid),
            Self::Group(group) => uuid(group.uuid),
            Self::Job(job) => job.id.clone(),
            Self::Time(time) => uuid(time.uuid),
        }
    }

    /// Its JSON fields, as the store keeps them.
    pub(crate) fn fields(&self) -> Map<String, Json> {
        let json = match self {
            Self::Client(client) => serde_json::to_value(client),
            Self::Contact(contact) => serde_json::to_value(contact),
            Self::Group(group) => serde_json::to_value(group),
            Self::Job(job) => serde_json::to_value(job),
            Self::Time(time) => serde_json::to_value(time),
        };
        match json {
            Ok(Json::Object(fields)) => fields,
            _ => Map::new(),
        }
    }

    /// Stores it (upsert) in the caller's transaction.
    pub(crate) async fn store(&self, write: &mut WriteTx, tenant: Uuid) -> Result<(), StoreError> {
        match self {
            Self::Client(client) => write.upsert_clients(tenant, std::slice::from_ref(&**client)).await.map(drop),
            Self::Contact(contact) => write.upsert_contacts(tenant, std::slice::from_ref(contact)).await.map(drop),
            Self::Group(group) => write.upsert_groups(tenant, std::slice::from_ref(group)).await.map(drop),
            Self::Job(job) => write.upsert_jobs(tenant, std::slice::from_ref(&**job)).await.map(drop),
            Self::Time(time) => write.upsert_time(tenant, std::slice::from_ref(time)).await.map(drop),
        }
    }
}

/// Fields left out when looking for changes between the stored copy and XPM's: lists that are
/// entities of their own (a client's contacts, a job's tasks), a contact's link to one client,
/// and XPM's web links.
pub(crate) fn ignored_fields(change: &Change) -> &'static [&'static str] {
    match change.entity() {
        xpm_store::EntityKind::Client => &["contacts", "notes", "groups", "relationships", "webUrl"],
        xpm_store::EntityKind::Contact => &["position", "isPrimary"],
        xpm_store::EntityKind::Job => &["tasks", "milestones", "notes", "webUrl"],
        _ => &["webUrl"],
    }
}

/// Request fields that are not the record's own fields (keys, nested new records, templates).
pub(crate) fn unchecked_fields(change: &Change) -> &'static [&'static str] {
    match change {
        Change::ClientCreate(_) => &["contacts"],
        Change::ContactCreate(_) | Change::ContactUpdate { .. } => &["client", "position", "isPrimary"],
        Change::GroupCreate(_) => &["clientUuid"],
        Change::GroupMembers(_) => &["uuid", "add", "remove"],
        Change::JobCreate(_) => &["templateUuid"],
        _ => &["uuid", "id"],
    }
}

/// Reads the record an update changes, as XPM has it now.
pub(crate) async fn read_current(client: &XpmClient, tenant: Uuid, change: &Change) -> Result<Option<Record>, Error> {
    Ok(Some(match change {
        Change::ClientUpdate(request) => match request.uuid {
            Some(uuid) => Record::Client(Box::new(client.clients(tenant).get(ClientId::new(uuid)).await?)),
            None => return Ok(None),
        },
        Change::ContactUpdate { contact, .. } => Record::Contact(client.contacts(tenant).get(*contact).await?),
        Change::GroupMembers(request) => match request.uuid {
            Some(uuid) => Record::Group(client.client_groups(tenant).get(GroupId::new(uuid)).await?),
            None => return Ok(None),
        },
        Change::JobUpdate(request) => match request.id.as_deref().and_then(|id| JobNumber::new(id).ok()) {
            Some(number) => Record::Job(Box::new(client.jobs(tenant).get(&number).await?)),
            None => return Ok(None),
        },
        Change::TimeUpdate(request) => match request.uuid {
            Some(uuid) => Record::Time(client.time(tenant).get(TimeId::new(uuid)).await?),
            None => return Ok(None),
        },
        _ => return Ok(None),
    }))
}

/// Sends the change and returns the record XPM answered with.
pub(crate) async fn send(client: &XpmClient, tenant: Uuid, change: &Change) -> Result<Record, Error> {
    Ok(match change {
        Change::ClientCreate(request) => Record::Client(Box::new(client.clients(tenant).add(request).await?)),
        Change::ClientUpdate(request) => Record::Client(Box::new(client.clients(tenant).update(request).await?)),
        Change::ContactCreate(request) => {
            let owner = request.client.as_ref().and_then(|owner| owner.uuid).unwrap_or_default();
            Record::Contact(client.contacts(tenant).add(ClientId::new(owner), request).await?)
        }
        Change::ContactUpdate { contact, request } => {
            Record::Contact(client.contacts(tenant).update(*contact, request).await?)
        }
        Change::GroupCreate(request) => Record::Group(client.client_groups(tenant).add(request).await?),
        Change::GroupMembers(request) => Record::Group(client.client_groups(tenant).members(request).await?),
        Change::JobCreate(request) => Record::Job(Box::new(client.jobs(tenant).add(request).await?)),
        Change::JobUpdate(request) => Record::Job(Box::new(client.jobs(tenant).update(request).await?)),
        Change::TimeCreate(request) => Record::Time(client.time(tenant).add(request).await?),
        Change::TimeUpdate(request) => Record::Time(client.time(tenant).update(request).await?),
    })
}

/// Reads back what a write made or changed (the record with `key`), as it is to be stored: a
/// contact's client comes too, for the contact's link to it.
pub(crate) async fn read_back(
    client: &XpmClient,
    tenant: Uuid,
    change: &Change,
    key: &str,
) -> Result<Vec<Record>, Error> {
    let uuid = || key.parse::<Uuid>().ok();
    let records = match change {
        Change::ClientCreate(_) | Change::ClientUpdate(_) => match uuid() {
            Some(uuid) => vec![Record::Client(Box::new(client.clients(tenant).get(ClientId::new(uuid)).await?))],
            None => Vec::new(),
        },
        Change::ContactCreate(request) | Change::ContactUpdate { request, .. } => {
            let mut records = Vec::new();
            if let Some(uuid) = uuid() {
                records.push(Record::Contact(client.contacts(tenant).get(uuid.into()).await?));
            }
            if let Some(owner) = request.client.as_ref().and_then(|owner| owner.uuid) {
                records.push(Record::Client(Box::new(client.clients(tenant).get(ClientId::new(owner)).await?)));
            }
            records
        }
        Change::GroupCreate(_) | Change::GroupMembers(_) => match uuid() {
            Some(uuid) => vec![Record::Group(client.client_groups(tenant).get(GroupId::new(uuid)).await?)],
            None => Vec::new(),
        },
        Change::JobCreate(_) | Change::JobUpdate(_) => match JobNumber::new(key) {
            Ok(number) => vec![Record::Job(Box::new(client.jobs(tenant).get(&number).await?))],
            Err(_) => Vec::new(),
        },
        Change::TimeCreate(_) | Change::TimeUpdate(_) => match uuid() {
            Some(uuid) => vec![Record::Time(client.time(tenant).get(TimeId::new(uuid)).await?)],
            None => Vec::new(),
        },
    };
    Ok(records)
}

/// The records a create would have made, found by what identifies them: a client by its name,
/// a contact by its name among its client's contacts, a group by its name, a job by its name
/// (or the number it asked for) among its client's jobs, a time entry by its staff member and
/// date among its job's entries.
pub(crate) async fn look_for_created(client: &XpmClient, tenant: Uuid, change: &Change) -> Result<Vec<Record>, Error> {
    let same = |left: Option<&str>, right: Option<&str>| match (left, right) {
        (Some(left), Some(right)) => left.trim() == right.trim(),
        _ => false,
    };
    Ok(match change {
        Change::ClientCreate(request) => {
            let name = request.name.as_deref().unwrap_or_default();
            let found = client.clients(tenant).search(name).detailed(true).send().await?;
            found
                .into_iter()
                .filter(|found| same(found.name.as_deref(), Some(name)))
                .map(|found| Record::Client(Box::new(found)))
                .collect()
        }
        Change::ContactCreate(request) => {
            let Some(owner) = request.client.as_ref().and_then(|owner| owner.uuid) else { return Ok(Vec::new()) };
            let found = client.clients(tenant).get(ClientId::new(owner)).await?;
            let contacts = found.contacts.unwrap_or_default().into_iter();
            contacts
                .filter(|contact| same(contact.name.as_deref(), request.name.as_deref()))
                .map(Record::Contact)
                .collect()
        }
        Change::GroupCreate(request) => {
            let found = client.client_groups(tenant).list().send().await?;
            found
                .into_iter()
                .filter(|group| same(group.name.as_deref(), request.name.as_deref()))
                .map(Record::Group)
                .collect()
        }
        Change::JobCreate(request) => {
            let Some(owner) = request.client_uuid else { return Ok(Vec::new()) };
            let found = client.jobs(tenant).for_client(ClientId::new(owner)).send().await?;
            let wanted = |job: &Job| match request.id.as_deref() {
                Some(number) => same(job.id.as_deref(), Some(number)),
                None => same(job.name.as_deref(), request.name.as_deref()),
            };
            found.into_iter().filter(wanted).map(|found| Record::Job(Box::new(found))).collect()
        }
        Change::TimeCreate(request) => {
            let Some(number) = request.job.as_deref().and_then(|job| JobNumber::new(job).ok()) else {
                return Ok(Vec::new());
            };
            let found = client.time(tenant).for_job(&number).send().await?;
            let wanted = |entry: &Time| {
                let staff = entry.staff.as_ref().and_then(|staff| staff.uuid);
                let day = entry.date.as_ref().map(|date| date.naive_date());
                staff == request.staff_uuid && day == request.date.as_ref().map(|date| date.naive_date())
            };
            found.into_iter().filter(wanted).map(Record::Time).collect()
        }
        _ => Vec::new(),
    })
}
