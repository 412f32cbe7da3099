//! The write transaction: the only way data, cursors, runs and the outbox change.
//!
//! A caller stores a batch and moves the cursor that covers it in one [`WriteTx`], then commits;
//! a crash before the commit keeps neither, so the next run starts from the old cursor and
//! fetches the batch again.

use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::OwnedMutexGuard;
use uuid::Uuid;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::model::{
    Category, Client, ClientGroup, Contact, CustomFieldDefinition, CustomFieldValue, Job, Staff, Task, Time,
};

use crate::checkpoint::Checkpointer;
use crate::entities::clients::{EncodedClients, FirstLoad};
use crate::entities::{clients, custom_fields, directory, windows, work};
use crate::events::EntityKind;
use crate::location::Backend;
use crate::upsert::{Context, Table, Upserted, mark_removed, upsert};
use crate::{StoreError, now_text};

/// What storing one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct BatchCounts {
    /// Rows stored for the first time (or seen again after being marked removed).
    pub added: usize,
    /// Rows whose content changed.
    pub updated: usize,
    /// Rows identical to what was stored: no write, no event.
    pub unchanged: usize,
}

impl From<&Upserted> for BatchCounts {
    fn from(outcome: &Upserted) -> Self {
        Self { added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged }
    }
}

impl std::ops::AddAssign for BatchCounts {
    fn add_assign(&mut self, other: Self) {
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

impl std::ops::AddAssign for ClientBatch {
    fn add_assign(&mut self, other: Self) {
        self.clients += other.clients;
        self.contacts += other.contacts;
    }
}

impl std::ops::AddAssign for JobBatch {
    fn add_assign(&mut self, other: Self) {
        self.jobs += other.jobs;
        self.tasks += other.tasks;
    }
}

impl BatchCounts {
    /// Added plus updated.
    pub fn changed(&self) -> usize {
        self.added + self.updated
    }
}

/// What storing a batch of clients did, for the clients and for the contacts they carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientBatch {
    /// The clients.
    pub clients: BatchCounts,
    /// The contacts nested in the changed clients.
    pub contacts: BatchCounts,
}

/// What storing a batch of jobs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobBatch {
    /// The jobs.
    pub jobs: BatchCounts,
    /// The tasks nested in the jobs.
    pub tasks: BatchCounts,
}

/// An open write transaction (see [`Store::write`](crate::Store::write)). Dropping it without
/// [`commit`](Self::commit) rolls everything back.
pub struct WriteTx {
    pub(crate) transaction: Transaction<'static, Any>,
    _turn: OwnedMutexGuard<()>,
    run: Option<i64>,
    backend: Backend,
    checkpoints: Option<Checkpointer>,
}

impl WriteTx {
    pub(crate) fn new(
        transaction: Transaction<'static, Any>,
        turn: OwnedMutexGuard<()>,
        backend: Backend,
        checkpoints: Option<Checkpointer>,
    ) -> Self {
        Self { transaction, _turn: turn, run: None, backend, checkpoints }
    }

    /// Attributes the changes logged from now on to sync run `run`.
    pub fn for_run(&mut self, run: crate::RunId) -> &mut Self {
        self.run = Some(run.0);
        self
    }

    /// Makes every write of the transaction durable, all together.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.transaction.commit().await.map_err(StoreError::query("commit"))?;
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.kick();
        }
        Ok(())
    }

    /// Discards every write of the transaction.
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.transaction.rollback().await.map_err(StoreError::query("rollback"))
    }

    pub(crate) fn parts(&mut self, tenant: Uuid) -> (&mut AnyConnection, Context) {
        let context = Context { backend: self.backend, tenant: tenant.to_string(), run: self.run, now: now_text() };
        (&mut self.transaction, context)
    }

    /// Records (or renames) a practice, and the connection that reaches it.
    pub async fn upsert_practice(
        &mut self,
        tenant: Uuid,
        name: &str,
        connection: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let (db, context) = self.parts(tenant);
        sqlx::query(
            "INSERT INTO practices (tenant_id, name, connection_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, connection_id = excluded.connection_id, \
             updated_at = excluded.updated_at",
        )
        .bind(context.tenant.as_str())
        .bind(name)
        .bind(connection.map(|id| id.to_string()))
        .bind(context.now.as_str())
        .execute(db)
        .await
        .map_err(StoreError::query("upsert into practices"))?;
        Ok(())
    }

    /// Stores clients (see the crate docs for what a detailed client brings along).
    pub async fn upsert_clients(&mut self, tenant: Uuid, clients: &[Client]) -> Result<ClientBatch, StoreError> {
        let (db, context) = self.parts(tenant);
        let outcome = clients::upsert_clients(db, &context, clients, None, None).await?;
        Ok(ClientBatch { clients: outcome.clients, contacts: outcome.contacts })
    }

    /// Stores clients as [`upsert_clients`](Self::upsert_clients) does, as part of `load`, the
    /// first load of the practice's clients ([`Store::first_load`](crate::Store::first_load)):
    /// what the load has not stored yet is written without being read back first. Counts and
    /// change events are the same as `upsert_clients` gives.
    pub async fn load_clients(
        &mut self,
        tenant: Uuid,
        clients: &[Client],
        load: &mut FirstLoad,
    ) -> Result<ClientBatch, StoreError> {
        let (db, context) = self.parts(tenant);
        let outcome = clients::upsert_clients(db, &context, clients, None, Some(load)).await?;
        Ok(ClientBatch { clients: outcome.clients, contacts: outcome.contacts })
    }

    /// Stores clients encoded already ([`EncodedClients`]): as [`load_clients`](Self::load_clients)
    /// does with `load`, as [`upsert_clients`](Self::upsert_clients) does without.
    pub async fn store_clients(
        &mut self,
        tenant: Uuid,
        clients: &EncodedClients,
        load: Option<&mut FirstLoad>,
    ) -> Result<ClientBatch, StoreError> {
        let (db, context) = self.parts(tenant);
        let outcome = clients::upsert_clients(db, &context, &clients.clients, clients.raws.as_deref(), load).await?;
        Ok(ClientBatch { clients: outcome.clients, contacts: outcome.contacts })
    }

    /// Stores contacts' own fields; links to clients come with the clients.
    pub async fn upsert_contacts(&mut self, tenant: Uuid, contacts: &[Contact]) -> Result<BatchCounts, StoreError> {
        let (db, context) = self.parts(tenant);
        Ok(BatchCounts::from(&clients::upsert_contacts(db, &context, contacts).await?))
    }

    /// Stores client groups (and their members, when the items carry them).
    pub async fn upsert_groups(&mut self, tenant: Uuid, groups: &[ClientGroup]) -> Result<BatchCounts, StoreError> {
        let (db, context) = self.parts(tenant);
        Ok(BatchCounts::from(&directory::upsert_groups(db, &context, groups).await?))
    }

    /// Stores staff.
    pub async fn upsert_staff(&mut self, tenant: Uuid, staff: &[Staff]) -> Result<BatchCounts, StoreError> {
        self.plain(tenant, &directory::STAFF, staff).await
    }

    /// Stores jobs (and their tasks, when the items carry them).
    pub async fn upsert_jobs(&mut self, tenant: Uuid, jobs: &[Job]) -> Result<JobBatch, StoreError> {
        let (db, context) = self.parts(tenant);
        let outcome = work::upsert_jobs(db, &context, jobs).await?;
        Ok(JobBatch { jobs: BatchCounts::from(&outcome.jobs), tasks: BatchCounts::from(&outcome.tasks) })
    }

    /// Stores task types (`task.api/list`).
    pub async fn upsert_task_types(&mut self, tenant: Uuid, tasks: &[Task]) -> Result<BatchCounts, StoreError> {
        self.plain(tenant, &work::TASK_TYPES, tasks).await
    }

    /// Stores time entries.
    pub async fn upsert_time(&mut self, tenant: Uuid, entries: &[Time]) -> Result<BatchCounts, StoreError> {
        self.plain(tenant, &work::TIME_ENTRIES, entries).await
    }

    /// Stores job categories.
    pub async fn upsert_categories(
        &mut self,
        tenant: Uuid,
        categories: &[Category],
    ) -> Result<BatchCounts, StoreError> {
        self.plain(tenant, &work::CATEGORIES, categories).await
    }

    /// Stores custom field definitions.
    pub async fn upsert_custom_field_definitions(
        &mut self,
        tenant: Uuid,
        definitions: &[CustomFieldDefinition],
    ) -> Result<BatchCounts, StoreError> {
        let (db, context) = self.parts(tenant);
        Ok(BatchCounts::from(&custom_fields::upsert_definitions(db, &context, definitions).await?))
    }

    /// Replaces the custom field values of one entity (`owner` is its UUID, or a job's number).
    pub async fn replace_custom_field_values(
        &mut self,
        tenant: Uuid,
        kind: CustomFieldOwnerKind,
        owner: &str,
        values: &[CustomFieldValue],
    ) -> Result<(), StoreError> {
        let (db, context) = self.parts(tenant);
        custom_fields::replace_values(db, &context, kind, owner, values).await
    }

    /// Marks entities as gone from XPM (reconciliation found them missing). Their rows stay, with
    /// `removed_at` set, and each gets a `removed` event holding its last content. Returns how
    /// many were marked (keys unknown or already marked are skipped).
    pub async fn mark_removed(
        &mut self,
        tenant: Uuid,
        entity: EntityKind,
        keys: &[String],
    ) -> Result<usize, StoreError> {
        let (table, key_column) = table_of(entity);
        let (db, context) = self.parts(tenant);
        mark_removed(db, &context, table, entity, key_column, keys).await
    }

    /// After a complete sweep of the `job.api/list` window `from..=to`, whose items' numbers are
    /// `listed` (stored already): marks the jobs known to be created inside the window and no
    /// longer listed removed, and records that the listed ones were created inside it. Returns
    /// how many were marked.
    pub async fn sweep_job_window(
        &mut self,
        tenant: Uuid,
        window: (chrono::NaiveDate, chrono::NaiveDate),
        listed: &[String],
    ) -> Result<usize, StoreError> {
        let (db, context) = self.parts(tenant);
        windows::sweep_jobs(db, &context, window, listed).await
    }

    /// After a complete sweep of the `time.api/list` window `from..=to`, whose entries' UUIDs are
    /// `listed`: marks the stored entries dated inside the window and no longer listed removed.
    /// Returns how many were marked.
    pub async fn sweep_time_window(
        &mut self,
        tenant: Uuid,
        window: (chrono::NaiveDate, chrono::NaiveDate),
        listed: &[String],
    ) -> Result<usize, StoreError> {
        let (db, context) = self.parts(tenant);
        windows::sweep_time(db, &context, window, listed).await
    }

    /// Moves a cursor (a watermark, a page token, a window's state) of `tenant`.
    pub async fn set_cursor(&mut self, tenant: Uuid, name: &str, value: &str) -> Result<(), StoreError> {
        let run = self.run;
        let (db, context) = self.parts(tenant);
        sqlx::query(
            "INSERT INTO cursors (tenant_id, name, value, run_id, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, \
             updated_at = excluded.updated_at",
        )
        .bind(context.tenant.as_str())
        .bind(name)
        .bind(value)
        .bind(run)
        .bind(context.now.as_str())
        .execute(db)
        .await
        .map_err(StoreError::query("upsert into cursors"))?;
        Ok(())
    }

    /// Forgets a cursor (the next run starts that part from scratch).
    pub async fn clear_cursor(&mut self, tenant: Uuid, name: &str) -> Result<(), StoreError> {
        let (db, context) = self.parts(tenant);
        sqlx::query("DELETE FROM cursors WHERE tenant_id = $1 AND name = $2")
            .bind(context.tenant.as_str())
            .bind(name)
            .execute(db)
            .await
            .map_err(StoreError::query("delete from cursors"))?;
        Ok(())
    }

    async fn plain<T: serde::Serialize>(
        &mut self,
        tenant: Uuid,
        table: &Table<T>,
        items: &[T],
    ) -> Result<BatchCounts, StoreError> {
        let (db, context) = self.parts(tenant);
        Ok(BatchCounts::from(&upsert(db, &context, table, items).await?))
    }
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx").field("run", &self.run).finish_non_exhaustive()
    }
}

/// The table and key column of an entity kind.
pub(crate) fn table_of(entity: EntityKind) -> (&'static str, &'static str) {
    match entity {
        EntityKind::Client => (clients::CLIENTS.name, "uuid"),
        EntityKind::Contact => (clients::CONTACTS.name, "uuid"),
        EntityKind::Group => (directory::GROUPS.name, "uuid"),
        EntityKind::Staff => (directory::STAFF.name, "uuid"),
        EntityKind::Job => (work::JOBS.name, "id"),
        EntityKind::JobTask => (work::JOB_TASKS.name, "uuid"),
        EntityKind::TaskType => (work::TASK_TYPES.name, "uuid"),
        EntityKind::Time => (work::TIME_ENTRIES.name, "uuid"),
        EntityKind::Category => (work::CATEGORIES.name, "uuid"),
        EntityKind::CustomFieldDefinition => (custom_fields::DEFINITIONS.name, "uuid"),
    }
}
