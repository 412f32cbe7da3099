//! The table of all 102 operations and lookups by id.

use super::error::CatalogError;
#[cfg(test)]
use super::id::OperationId;
use super::operation::Operation;
use super::suggest;
use super::table::{billing, client, client_group, custom_field, job, practice, staff, time};

/// How many operations the XPM 3.1 spec defines.
pub const OPERATION_COUNT: usize = 102;

/// Every XPM 3.1 operation, in spec order (grouped by tag).
///
/// The integration test `tests/it/catalog.rs` compares this table with the spec field by field.
pub static OPERATIONS: &[Operation] = &ALL;

static ALL: [Operation; OPERATION_COUNT] = concat(&[
    practice::CATEGORY,
    client::CLIENT,
    client_group::CLIENT_GROUP,
    billing::COST,
    custom_field::CUSTOM_FIELD,
    billing::INVOICE,
    job::JOB,
    job::JOB2,
    practice::JOB_STATE,
    billing::QUOTE,
    staff::STAFF,
    practice::TASK,
    practice::TEMPLATE,
    time::TIME,
]);

/// Joins the per-resource tables into one array; a wrong total fails the build.
const fn concat(groups: &[&[Operation]]) -> [Operation; OPERATION_COUNT] {
    let mut all = [groups[0][0]; OPERATION_COUNT];
    let mut filled = 0;
    let mut group = 0;
    while group < groups.len() {
        let mut index = 0;
        while index < groups[group].len() {
            all[filled] = groups[group][index];
            filled += 1;
            index += 1;
        }
        group += 1;
    }
    assert!(filled == OPERATION_COUNT, "the operation tables must hold exactly 102 operations");
    // `OperationId::operation` indexes this array by discriminant.
    let mut index = 0;
    while index < OPERATION_COUNT {
        assert!(all[index].id as usize == index, "the operation tables must follow OperationId's order");
        index += 1;
    }
    all
}

/// Finds an operation by its `operationId`, ignoring ASCII case.
pub fn operation(id: &str) -> Option<&'static Operation> {
    let id = id.trim();
    OPERATIONS.iter().find(|operation| operation.id.as_str().eq_ignore_ascii_case(id))
}

/// Like [`operation`], but says which id was probably meant when there is no match.
///
/// ```
/// use xpm_api::catalog::{lookup, CatalogError};
///
/// assert_eq!(lookup("clientv31_list").map(|op| op.path), Ok("/client.api/list"));
/// let error = lookup("ClientV31_Lsit").expect_err("a typo");
/// assert_eq!(
///     error.to_string(),
///     "unknown operation `ClientV31_Lsit`; did you mean `ClientV31_List`?"
/// );
/// ```
pub fn lookup(id: &str) -> Result<&'static Operation, CatalogError> {
    operation(id).ok_or_else(|| CatalogError::UnknownOperation { id: id.to_owned(), suggestion: suggest_operation(id) })
}

/// The operation id nearest to `id`, ignoring case, underscores and the `V31` infix.
pub(crate) fn suggest_operation(id: &str) -> Option<&'static str> {
    suggest::closest(id, OPERATIONS.iter().map(|operation| operation.id.as_str()), normalize_id)
}

/// Reduces an operation id to the letters and digits that carry meaning.
fn normalize_id(id: &str) -> String {
    suggest::loose(id).replace("v31", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_ignoring_case() {
        for (position, operation) in OPERATIONS.iter().enumerate() {
            let first =
                OPERATIONS.iter().position(|other| other.id.as_str().eq_ignore_ascii_case(operation.id.as_str()));
            assert_eq!(first, Some(position), "duplicate id {}", operation.id);
        }
    }

    #[test]
    fn lookup_ignores_case_and_suggests() {
        assert_eq!(operation("STAFFV31_LIST").map(|op| op.id), Some(OperationId::StaffList));
        let cases = [
            ("ClientList", Some("ClientV31_List")),
            ("TimeV31_Delet", Some("TimeV31_Delete")),
            ("JobV31_Reordertask", Some("JobV31_ReOrderTasks")),
            ("SomethingElseEntirely", None),
        ];
        for (input, expect) in cases {
            assert_eq!(
                lookup(input),
                Err(CatalogError::UnknownOperation { id: input.to_owned(), suggestion: expect }),
                "{input}"
            );
        }
    }

    #[test]
    fn unknown_operation_without_suggestion_says_what_ids_look_like() {
        let error = lookup("nope").expect_err("no such operation");
        assert_eq!(
            error.to_string(),
            "unknown operation `nope`; operation ids look like `ClientV31_List` (the spec's operationId)"
        );
    }

    #[test]
    fn retry_safe_is_exactly_get() {
        for operation in OPERATIONS {
            assert_eq!(operation.retry_safe, operation.is_read(), "{}", operation.id);
        }
    }
}
