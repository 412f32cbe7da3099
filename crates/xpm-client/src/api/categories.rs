//! Job categories (`category.api`).

use xpm_api::catalog::OperationId;
use xpm_api::model::Category;

use super::list::ListBuilder;

const LIST: OperationId = OperationId::CategoryList;

handler! {
    /// The job categories of one tenant, from [`XpmClient::categories`](crate::XpmClient::categories).
    CategoriesHandler
}

impl CategoriesHandler {
    /// Every category (`CategoryV31_List`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let categories = client.categories(tenant).list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Category> {
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
