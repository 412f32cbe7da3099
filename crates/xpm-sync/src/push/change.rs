//! The changes the outbox holds, and how they are queued.

use serde_json::{Map, Value as Json};
use uuid::Uuid;
use xpm_api::ids::{ClientId, ContactId};
use xpm_api::request::{
    ClientAddRequest, ClientGroupAddRequest, ClientGroupMembersRequest, ClientUpdateRequest, ContactRequest,
    ContactRequestClient, JobAddRequest, JobUpdateRequest, RequestBody, TimeAddRequest, TimeUpdateRequest,
};
use xpm_store::{EntityKind, NewOutboxEntry, OutboxEntry, OutboxId, WriteTx};

use super::PushError;

/// A create or an update of one XPM record, as queued in the outbox.
///
/// Build one from a request (`ClientUpdateRequest::new(id).email("…").into()`), or for contacts,
/// which need their client or their own id besides the body, with [`Change::contact_create`] and
/// [`Change::contact_update`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// `client.api/add`.
    ClientCreate(ClientAddRequest),
    /// `client.api/update`.
    ClientUpdate(ClientUpdateRequest),
    /// `client.api/contact` (POST): a new contact of the client its body names.
    ContactCreate(ContactRequest),
    /// `client.api/contact/{uuid}` (PUT).
    ContactUpdate {
        /// The contact.
        contact: ContactId,
        /// The fields to change.
        request: ContactRequest,
    },
    /// `clientgroup.api/add`.
    GroupCreate(ClientGroupAddRequest),
    /// `clientgroup.api/members`: XPM's one change to an existing group.
    GroupMembers(ClientGroupMembersRequest),
    /// `job.api/add`.
    JobCreate(JobAddRequest),
    /// `job.api/update`.
    JobUpdate(JobUpdateRequest),
    /// `time.api/add`.
    TimeCreate(TimeAddRequest),
    /// `time.api/update`.
    TimeUpdate(TimeUpdateRequest),
}

/// Whether a change makes a record or changes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new record; XPM assigns its key.
    Create,
    /// An existing record, checked for conflicting edits first.
    Update,
}

impl Action {
    /// The name stored in `outbox.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
        }
    }
}

impl Change {
    /// A new contact of `client`.
    pub fn contact_create(client: ClientId, mut request: ContactRequest) -> Self {
        request.client = Some(ContactRequestClient::new(client));
        Self::ContactCreate(request)
    }

    /// A change to `contact`'s fields (and, when the request names a client, its position and
    /// primary flag there).
    pub fn contact_update(contact: ContactId, request: ContactRequest) -> Self {
        Self::ContactUpdate { contact, request }
    }

    /// The kind of record changed.
    pub fn entity(&self) -> EntityKind {
        match self {
            Self::ClientCreate(_) | Self::ClientUpdate(_) => EntityKind::Client,
            Self::ContactCreate(_) | Self::ContactUpdate { .. } => EntityKind::Contact,
            Self::GroupCreate(_) | Self::GroupMembers(_) => EntityKind::Group,
            Self::JobCreate(_) | Self::JobUpdate(_) => EntityKind::Job,
            Self::TimeCreate(_) | Self::TimeUpdate(_) => EntityKind::Time,
        }
    }

    /// Create or update.
    pub fn action(&self) -> Action {
        match self {
            Self::ClientCreate(_)
            | Self::ContactCreate(_)
            | Self::GroupCreate(_)
            | Self::JobCreate(_)
            | Self::TimeCreate(_) => Action::Create,
            _ => Action::Update,
        }
    }

    /// The key of the record an update changes (a UUID, or a job's number).
    pub fn key(&self) -> Option<String> {
        let uuid = |uuid: Option<Uuid>| uuid.map(|uuid| uuid.to_string());
        match self {
            Self::ClientUpdate(request) => uuid(request.uuid),
            Self::ContactUpdate { contact, .. } => Some(contact.to_string()),
            Self::GroupMembers(request) => uuid(request.uuid),
            Self::JobUpdate(request) => request.id.clone(),
            Self::TimeUpdate(request) => uuid(request.uuid),
            _ => None,
        }
    }

    /// The request body as JSON (the outbox's payload).
    pub fn payload(&self) -> String {
        match self {
            Self::ClientCreate(request) => request.to_json(),
            Self::ClientUpdate(request) => request.to_json(),
            Self::ContactCreate(request) | Self::ContactUpdate { request, .. } => request.to_json(),
            Self::GroupCreate(request) => request.to_json(),
            Self::GroupMembers(request) => request.to_json(),
            Self::JobCreate(request) => request.to_json(),
            Self::JobUpdate(request) => request.to_json(),
            Self::TimeCreate(request) => request.to_json(),
            Self::TimeUpdate(request) => request.to_json(),
        }
    }

    /// The payload as a JSON object, for comparing with records.
    pub(crate) fn fields(&self) -> Map<String, Json> {
        match serde_json::from_str(&self.payload()) {
            Ok(Json::Object(fields)) => fields,
            _ => Map::new(),
        }
    }

    /// The change an outbox entry holds.
    pub fn from_entry(entry: &OutboxEntry) -> Result<Self, PushError> {
        let change = &entry.change;
        Self::from_parts(&change.entity, &change.action, change.entity_key.as_deref(), change.payload.as_bytes())
            .map_err(|reason| PushError::Unreadable { id: entry.id, reason })
    }

    /// A change from its parts as the outbox (or a file of changes) writes them: the entity
    /// (`client`, `contact`, `group`, `job`, `time`), the action (`create`, `update`), the key of
    /// the record an update changes, and the request body as JSON (the OpenAPI request DTO). A
    /// key the body lacks is put in it (`uuid`, or a job's `id`). The error says what is wrong.
    pub fn from_parts(entity: &str, action: &str, key: Option<&str>, body: &[u8]) -> Result<Self, String> {
        let mut body: Json = serde_json::from_slice(body).map_err(|error| format!("the body is not JSON: {error}"))?;
        let key_field = match entity {
            "job" => "id",
            "contact" => "",
            _ => "uuid",
        };
        if let (Some(key), Json::Object(fields), "update") = (key, &mut body, action)
            && !key_field.is_empty()
            && !fields.contains_key(key_field)
        {
            fields.insert(key_field.to_owned(), Json::String(key.to_owned()));
        }
        let body = body.to_string();
        let body = body.as_bytes();
        let decode_error = |error: xpm_api::xml::DecodeError| format!("the {action} {entity} body: {error}");
        Ok(match (entity, action) {
            ("client", "create") => Self::ClientCreate(ClientAddRequest::from_json(body).map_err(decode_error)?),
            ("client", "update") => Self::ClientUpdate(ClientUpdateRequest::from_json(body).map_err(decode_error)?),
            ("contact", "create") => Self::ContactCreate(ContactRequest::from_json(body).map_err(decode_error)?),
            ("contact", "update") => Self::ContactUpdate {
                contact: key
                    .ok_or("a contact update needs the contact's UUID as its key")?
                    .parse()
                    .map_err(|error: xpm_api::ids::InvalidId| error.to_string())?,
                request: ContactRequest::from_json(body).map_err(decode_error)?,
            },
            ("group", "create") => Self::GroupCreate(ClientGroupAddRequest::from_json(body).map_err(decode_error)?),
            ("group", "update") => {
                Self::GroupMembers(ClientGroupMembersRequest::from_json(body).map_err(decode_error)?)
            }
            ("job", "create") => Self::JobCreate(JobAddRequest::from_json(body).map_err(decode_error)?),
            ("job", "update") => Self::JobUpdate(JobUpdateRequest::from_json(body).map_err(decode_error)?),
            ("time", "create") => Self::TimeCreate(TimeAddRequest::from_json(body).map_err(decode_error)?),
            ("time", "update") => Self::TimeUpdate(TimeUpdateRequest::from_json(body).map_err(decode_error)?),
            (entity, action) => {
                return Err(format!(
                    "no {action} of a {entity} is known: entities are client, contact, group, job and time, \
                     actions create and update"
                ));
            }
        })
    }

    /// A line saying what the change does, e.g. `create client "Harbour Trust"`.
    pub fn describe(&self) -> String {
        let fields = self.fields();
        let text = |name: &str| fields.get(name).and_then(Json::as_str).map(|text| format!(" {text:?}"));
        let named = match self.action() {
            Action::Create => text("name").or_else(|| text("note")).or_else(|| text("date")).unwrap_or_default(),
            Action::Update => self.key().map(|key| format!(" {key}")).unwrap_or_default(),
        };
        if let Self::GroupMembers(request) = self {
            let count = |members: &Option<Vec<_>>| members.as_ref().map_or(0, Vec::len);
            return format!(
                "update group{named}: add {} client(s), remove {}",
                count(&request.add),
                count(&request.remove)
            );
        }
        let mut set: Vec<&str> =
            fields.keys().map(String::as_str).filter(|key| !matches!(*key, "uuid" | "id")).collect();
        set.sort_unstable();
        format!("{} {}{named}: {}", self.action().as_str(), self.entity().as_str(), set.join(", "))
    }

    /// A required field the request lacks, by its JSON name.
    fn missing(&self) -> Option<&'static str> {
        let names = match self {
            Self::ClientCreate(request) => request.missing(),
            Self::ClientUpdate(request) => request.missing(),
            Self::ContactCreate(request) => {
                if request.client.as_ref().and_then(|client| client.uuid).is_none() {
                    return Some("client.uuid");
                }
                if request.name.as_deref().is_none_or(|name| name.trim().is_empty()) {
                    return Some("name");
                }
                None
            }
            Self::ContactUpdate { request, .. } => request.missing(),
            Self::GroupCreate(request) => request.missing(),
            Self::GroupMembers(request) => request.missing(),
            Self::JobCreate(request) => request.missing(),
            Self::JobUpdate(request) => request.missing(),
            Self::TimeCreate(request) => request.missing(),
            Self::TimeUpdate(request) => request.missing(),
        };
        names.map(|names| names.json)
    }
}

macro_rules! change_from {
    ($($request:ty => $variant:ident),* $(,)?) => {
        $(impl From<$request> for Change {
            fn from(request: $request) -> Self {
                Self::$variant(request)
            }
        })*
    };
}

change_from! {
    ClientAddRequest => ClientCreate,
    ClientUpdateRequest => ClientUpdate,
    ClientGroupAddRequest => GroupCreate,
    ClientGroupMembersRequest => GroupMembers,
    JobAddRequest => JobCreate,
    JobUpdateRequest => JobUpdate,
    TimeAddRequest => TimeCreate,
    TimeUpdateRequest => TimeUpdate,
}

/// Queues `change` for `tenant` in the caller's write transaction (commit it to keep the entry).
///
/// An update is based on the stored copy of its record, read here inside the transaction and
/// kept with the entry: before sending, the push compares it with XPM's current record and
/// reports a conflict instead of overwriting an edit made in XPM since. The record must be in
/// the store (sync it first), or [`PushError::NotStored`] says so.
///
/// ```no_run
/// # async fn example(store: xpm_store::Store, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_sync::PushError> {
/// use xpm_api::request::{ClientAddRequest, ClientUpdateRequest};
///
/// let mut write = store.write().await?;
/// xpm_sync::queue(&mut write, tenant, ClientAddRequest::new("Harbour Trust").email("office@harbour.example")).await?;
/// xpm_sync::queue(&mut write, tenant, ClientUpdateRequest::new(id).phone("+64 9 555 0100")).await?;
/// write.commit().await?;
/// # Ok(()) }
/// ```
pub async fn queue(write: &mut WriteTx, tenant: Uuid, change: impl Into<Change>) -> Result<OutboxId, PushError> {
    let change = change.into();
    if let Some(field) = change.missing() {
        return Err(PushError::MissingField { change: change.describe(), field });
    }
    let key = change.key();
    let base_version = match (change.action(), key.as_deref()) {
        (Action::Update, Some(key)) => {
            let stored = write.stored_raw(tenant, change.entity(), key).await?;
            Some(stored.ok_or_else(|| PushError::NotStored { entity: change.entity().as_str(), key: key.to_owned() })?)
        }
        _ => None,
    };
    let entry = NewOutboxEntry {
        entity: change.entity().as_str().to_owned(),
        action: change.action().as_str().to_owned(),
        entity_key: key,
        payload: change.payload(),
        base_version,
    };
    Ok(write.enqueue(tenant, &entry).await?)
}

#[cfg(test)]
mod tests {
    use xpm_api::ids::{ClientId, GroupId};
    use xpm_api::request::{ClientGroupMembersRequest, ClientUpdateRequest};

    use super::*;

    const CLIENT: &str = "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    fn client() -> ClientId {
        CLIENT.parse().expect("a uuid")
    }

    #[test]
    fn a_change_round_trips_through_its_outbox_form() {
        let changes = [
            Change::from(ClientAddRequest::new("Harbour Trust").email("office@harbour.example")),
            Change::from(ClientUpdateRequest::new(client()).phone("+64 9 555 0100")),
            Change::contact_create(client(), ContactRequest::new("Ana Ruiz")),
            Change::contact_update(CLIENT.parse().expect("uuid"), ContactRequest::new("Ana Ruiz").mobile("021")),
            Change::from(ClientGroupMembersRequest::new(GroupId::new(client().uuid())).add_client(client())),
        ];
        for change in changes {
            let key = change.key();
            let again = Change::from_parts(
                change.entity().as_str(),
                change.action().as_str(),
                key.as_deref(),
                change.payload().as_bytes(),
            );
            assert_eq!(again.as_ref(), Ok(&change));
        }
    }

    #[test]
    fn the_key_goes_into_a_body_that_lacks_it() {
        let body = br#"{"email": "a@x"}"#;
        let change = Change::from_parts("client", "update", Some(CLIENT), body).expect("a change");
        assert_eq!(change, Change::ClientUpdate(ClientUpdateRequest::new(client()).email("a@x")));
        assert_eq!(change.describe(), format!("update client {CLIENT}: email"));
        let job = Change::from_parts("job", "update", Some("J000309"), br#"{"name": "Audit"}"#).expect("a change");
        assert_eq!(job.key().as_deref(), Some("J000309"));
        let refused = Change::from_parts("contact", "update", None, b"{}").expect_err("needs the key");
        assert!(refused.contains("contact's UUID"), "{refused}");
        let refused = Change::from_parts("invoice", "create", None, b"{}").expect_err("unknown entity");
        assert!(refused.contains("entities are client, contact, group, job and time"), "{refused}");
    }

    #[test]
    fn required_fields_are_named() {
        let nameless = Change::ContactCreate(ContactRequest::default());
        assert_eq!(nameless.missing(), Some("client.uuid"));
        assert_eq!(Change::contact_create(client(), ContactRequest::default()).missing(), Some("name"));
        assert_eq!(Change::from(ClientAddRequest::default()).missing(), Some("name"));
        assert_eq!(Change::from(ClientAddRequest::new("A")).missing(), None);
    }
}
