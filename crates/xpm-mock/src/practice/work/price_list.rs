//! The practice's price list (`cost.api`): items read a thousand to a page.

use std::sync::Arc;

use uuid::Uuid;
use xpm_api::model::Cost;
use xpm_api::request::{CostAddRequest, CostUpdateRequest};

use super::error::{WorkError, WorkResult};
use super::ids::{money, supplier_ref};
use crate::practice::patch::patch;

/// Items per `cost.api/list` page.
pub(crate) const PAGE_SIZE: usize = 1000;

/// The price list, in the order items were added.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct PriceList {
    items: Vec<Arc<Cost>>,
}

impl PriceList {
    /// Starts a price list with `items`.
    pub(crate) fn new(items: Vec<Arc<Cost>>) -> Self {
        Self { items }
    }

    /// How many items there are.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Page `page` (1-based); empty past the end.
    pub(crate) fn page(&self, page: usize) -> Vec<Arc<Cost>> {
        let start = page.saturating_sub(1).saturating_mul(PAGE_SIZE);
        self.items.iter().skip(start).take(PAGE_SIZE).cloned().collect()
    }

    /// The item with identifier `uuid`.
    pub(crate) fn get(&self, uuid: Uuid) -> WorkResult<&Arc<Cost>> {
        self.items.iter().find(|cost| cost.uuid == Some(uuid)).ok_or_else(|| cost_not_found(uuid))
    }

    /// Adds an item.
    pub(crate) fn add(&mut self, request: &CostAddRequest) -> WorkResult<Arc<Cost>> {
        let mut cost = Cost::default();
        cost.uuid = Some(Uuid::new_v4());
        cost.description = request.description.clone();
        cost.code = Some(request.code.clone().unwrap_or_default());
        cost.note = Some(request.note.clone().unwrap_or_default());
        cost.unit_cost = Some(money(request.unit_cost.unwrap_or_default()));
        cost.unit_price = Some(money(request.unit_price.unwrap_or_default()));
        cost.income_account = Some(String::new());
        cost.cost_of_sale_account = Some(String::new());
        cost.supplier = request.supplier_uuid.map(supplier_ref);
        let cost = Arc::new(cost);
        self.items.push(Arc::clone(&cost));
        Ok(cost)
    }

    /// Changes the fields the request gives.
    pub(crate) fn update(&mut self, request: &CostUpdateRequest) -> WorkResult<Arc<Cost>> {
        let uuid = request.uuid.ok_or_else(|| WorkError::invalid("UUID is required"))?;
        let item = self.items.iter_mut().find(|cost| cost.uuid == Some(uuid)).ok_or_else(|| cost_not_found(uuid))?;
        let cost = Arc::make_mut(item);
        patch!(cost, request;
            description,
            code,
            note,
            unit_cost => money,
            unit_price => money,
            supplier <- supplier_uuid => supplier_ref,
        );
        Ok(Arc::clone(item))
    }

    /// Removes the item with identifier `uuid`.
    pub(crate) fn delete(&mut self, uuid: Uuid) -> WorkResult<()> {
        let before = self.items.len();
        self.items.retain(|cost| cost.uuid != Some(uuid));
        if self.items.len() == before { Err(cost_not_found(uuid)) } else { Ok(()) }
    }

    /// Empties the price list.
    pub(crate) fn delete_all(&mut self) {
        self.items.clear();
    }
}

fn cost_not_found(uuid: Uuid) -> WorkError {
    WorkError::not_found(format!("cost {uuid} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_a_thousand_items_and_run_dry() {
        let items = (0..1_200).map(|_| Arc::new(Cost::default())).collect();
        let list = PriceList::new(items);
        assert_eq!(list.page(1).len(), 1000);
        assert_eq!(list.page(2).len(), 200);
        assert!(list.page(3).is_empty());
    }

    #[test]
    fn add_update_delete() {
        let mut list = PriceList::default();
        let mut add = CostAddRequest::default();
        add.description = Some("Courier".into());
        add.unit_price = Some(xpm_api::value::Decimal::new(15, 0));
        let added = list.add(&add).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(added.unit_price.map(|price| price.to_string()), Some("15.00".into()));
        let mut update = CostUpdateRequest::default();
        update.uuid = added.uuid;
        update.code = Some("CR".into());
        let updated = list.update(&update).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((updated.code.as_deref(), updated.description.as_deref()), (Some("CR"), Some("Courier")));
        let uuid = added.uuid.unwrap_or_default();
        assert_eq!(list.delete(uuid), Ok(()));
        assert!(matches!(list.delete(uuid), Err(WorkError::NotFound(_))));
    }
}
