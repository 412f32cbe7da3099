//! Task types (`task.api`): the practice's kinds of work, which job tasks are instances of.

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::Task;

use crate::error::Error;

const LIST: OperationId = OperationId::TaskList;
const GET: OperationId = OperationId::TaskGet;

handler! {
    /// The task types of one tenant, from [`XpmClient::tasks`](crate::XpmClient::tasks).
    TasksHandler
}

impl TasksHandler {
    /// Every task type (`TaskV31_List`).
    pub async fn list(&self) -> Result<Vec<Task>, Error> {
        Ok(self.target.list(self.target.call(LIST)).await?.0)
    }

    /// One task type (`TaskV31_Get`).
    pub async fn get(&self, uuid: Uuid) -> Result<Task, Error> {
        self.target.by_identifier(GET, uuid).await
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
