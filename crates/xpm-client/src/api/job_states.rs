//! Job states (`jobstate.api`).

use xpm_api::catalog::OperationId;
use xpm_api::model::JobState;

use crate::error::Error;

const LIST: OperationId = OperationId::JobStateList;

handler! {
    /// The job states of one tenant, from [`XpmClient::job_states`](crate::XpmClient::job_states).
    JobStatesHandler
}

impl JobStatesHandler {
    /// Every job state by display name (`JobStateV31_List`). The interface codes that
    /// [`JobsHandler::set_state`](super::JobsHandler::set_state) takes are not among them.
    pub async fn list(&self) -> Result<Vec<JobState>, Error> {
        Ok(self.target.list(self.target.call(LIST)).await?.0)
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
