//! Job states (`jobstate.api`).

use xpm_api::catalog::OperationId;
use xpm_api::model::JobState;

use super::list::ListBuilder;

const LIST: OperationId = OperationId::JobStateList;

handler! {
    /// The job states of one tenant, from [`XpmClient::job_states`](crate::XpmClient::job_states).
    JobStatesHandler
}

impl JobStatesHandler {
    /// Every job state by display name (`JobStateV31_List`). The interface codes that
    /// [`JobsHandler::set_state`](super::JobsHandler::set_state) takes are not among them.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let job_states = client.job_states(tenant).list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<JobState> {
        ListBuilder::new(self.target.clone(), self.target.call(LIST))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn operations_match_the_catalog() {
        assert_bodies(&[(LIST, None)]);
    }
}
