//! Job categories (`category.api`).

use xpm_api::catalog::OperationId;
use xpm_api::model::Category;

use crate::error::Error;

const LIST: OperationId = OperationId::CategoryList;

handler! {
    /// The job categories of one tenant, from [`XpmClient::categories`](crate::XpmClient::categories).
    CategoriesHandler
}

impl CategoriesHandler {
    /// Every category (`CategoryV31_List`).
    pub async fn list(&self) -> Result<Vec<Category>, Error> {
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
