//! Task types (`task.api`): the practice's kinds of work, which job tasks are instances of.

use xpm_api::catalog::OperationId;
use xpm_api::ids::TaskId;
use xpm_api::model::Task;

use super::list::ListBuilder;
use crate::error::Error;

const LIST: OperationId = OperationId::TaskList;
const GET: OperationId = OperationId::TaskGet;

handler! {
    /// The task types of one tenant, from [`XpmClient::tasks`](crate::XpmClient::tasks).
    TasksHandler
}

impl TasksHandler {
    /// Every task type (`TaskV31_List`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let task_types = client.tasks(tenant).list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Task> {
        ListBuilder::new(self.target.clone(), self.target.call(LIST))
    }

    /// One task type (`TaskV31_Get`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::TaskId) -> Result<(), xpm_client::Error> {
    /// let task_type = client.tasks(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: TaskId) -> Result<Task, Error> {
        self.target.by_identifier(GET, id.uuid()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn operations_match_the_catalog() {
        assert_bodies(&[(LIST, None), (GET, None)]);
    }
}
