//! Job categories (`category.api`).

use xpm_api::model::Category;

use super::target::Target;
use crate::call::Format;
use crate::error::Error;

const LIST: &str = "CategoryV31_List";

/// The job categories of one tenant, from [`XpmClient::categories`](crate::XpmClient::categories).
#[derive(Debug, Clone)]
pub struct CategoriesHandler {
    target: Target,
}

impl CategoriesHandler {
    pub(crate) fn new(target: Target) -> Self {
        Self { target }
    }

    /// Sends and answers in `format` (XML unless the client was built otherwise).
    #[must_use]
    pub fn format(self, format: Format) -> Self {
        Self { target: self.target.with_format(format) }
    }

    /// Every category (`CategoryV31_List`).
    pub async fn list(&self) -> Result<Vec<Category>, Error> {
        Ok(self.target.list(self.target.call(LIST)?).await?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::target::assert_operations;

    #[test]
    fn operations_match_the_catalog() {
        assert_operations(&[(LIST, None)]);
    }
}
