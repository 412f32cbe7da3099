//! The columns an export writes: from `--fields`, from a mapping file, or every field, each
//! reading one store field (or a constant) through the mapping's transforms.

use xpm_store::{ExportEntity, ExportField, ExportValue};

use super::mapping::{ColumnSpec, Mapping, Transform};
use crate::exit::{CliError, CliResult};

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutputColumn {
    /// Its header (the CSV header, the JSON key).
    pub(crate) header: String,
    pub(crate) source: Source,
    pub(crate) transform: Transform,
}

/// Where a column's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// The store field at this position of [`Plan::fields`].
    Field(usize),
    /// The same text on every row.
    Constant(String),
}

/// What to read from the store and how to write it out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// The store fields to read, each once, in first-use order.
    pub(crate) fields: Vec<&'static str>,
    pub(crate) columns: Vec<OutputColumn>,
}

impl Plan {
    /// Every default field of `entity`, each under its own name.
    pub(crate) fn every_field(entity: ExportEntity, include_removed: bool) -> Self {
        let names: Vec<&'static str> = entity.default_fields(include_removed).iter().map(|field| field.name).collect();
        Self::of_fields(&names)
    }

    /// `--fields`: these fields, in this order, each under its own name.
    pub(crate) fn chosen(entity: ExportEntity, wanted: &[String]) -> CliResult<Self> {
        let known = entity.fields();
        let mut names = Vec::with_capacity(wanted.len());
        for name in wanted {
            let field = find(entity, &known, name.trim(), "--fields")?;
            if names.contains(&field.name) {
                return Err(CliError::Usage { message: format!("--fields names `{}` twice", field.name) });
            }
            names.push(field.name);
        }
        Ok(Self::of_fields(&names))
    }

    /// A mapping file's columns.
    pub(crate) fn mapped(entity: ExportEntity, mapping: &Mapping, file: &str) -> CliResult<Self> {
        let known = entity.fields();
        let mut plan = Self { fields: Vec::new(), columns: Vec::new() };
        for (index, spec) in mapping.columns.iter().enumerate() {
            let place = format!("{file}, column {} (`{}`)", index + 1, spec.header);
            if plan.columns.iter().any(|column| column.header == spec.header) {
                return Err(CliError::Usage { message: format!("{place}: the header is used twice") });
            }
            let source = match (&spec.field, &spec.value) {
                (Some(name), None) => {
                    let field = find(entity, &known, name, &place)?;
                    check_transform(spec, field, &place)?;
                    let position = plan.fields.iter().position(|known| *known == field.name).unwrap_or_else(|| {
                        plan.fields.push(field.name);
                        plan.fields.len() - 1
                    });
                    Source::Field(position)
                }
                (None, Some(value)) => Source::Constant(value.clone()),
                _ => {
                    return Err(CliError::Usage {
                        message: format!("{place}: give either `field` (a stored field) or `value` (a constant)"),
                    });
                }
            };
            plan.columns.push(OutputColumn { header: spec.header.clone(), source, transform: spec.transform() });
        }
        Ok(plan)
    }

    fn of_fields(names: &[&'static str]) -> Self {
        let columns = names
            .iter()
            .enumerate()
            .map(|(index, name)| OutputColumn {
                header: (*name).to_owned(),
                source: Source::Field(index),
                transform: Transform::default(),
            })
            .collect();
        Self { fields: names.to_vec(), columns }
    }

    /// The column headers.
    pub(crate) fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|column| column.header.clone()).collect()
    }

    /// One output row from one store row (whose values follow [`fields`](Self::fields)).
    pub(crate) fn apply(&self, row: &[ExportValue]) -> Result<Vec<ExportValue>, String> {
        self.columns
            .iter()
            .map(|column| {
                let value = match &column.source {
                    Source::Field(index) => row.get(*index).cloned().unwrap_or(ExportValue::Null),
                    Source::Constant(text) => ExportValue::Text(text.clone()),
                };
                column.transform.apply(value).map_err(|problem| format!("column `{}`: {problem}", column.header))
            })
            .collect()
    }
}

/// The field called `name`, or a usage error naming the nearest known field and listing them.
fn find(entity: ExportEntity, known: &[ExportField], name: &str, place: &str) -> CliResult<ExportField> {
    if let Some(field) = known.iter().find(|field| field.name == name) {
        return Ok(*field);
    }
    let nearest = known
        .iter()
        .min_by_key(|field| strsim::damerau_levenshtein(&name.to_ascii_lowercase(), field.name))
        .map(|field| field.name)
        .unwrap_or_default();
    let all: Vec<&str> = known.iter().map(|field| field.name).collect();
    Err(CliError::Usage {
        message: format!(
            "{place}: {entity} have no field `{name}`; did you mean `{nearest}`?\nfields of {entity}: {}",
            all.join(", ")
        ),
    })
}

/// Refuses a transform that cannot apply to the field's values (a date format on a flag).
fn check_transform(spec: &ColumnSpec, field: ExportField, place: &str) -> CliResult<()> {
    use xpm_store::FieldKind;
    let refuse = |what: &str, kind: &str| {
        Err(CliError::Usage {
            message: format!("{place}: `{what}` applies to {kind} fields, and `{}` is not one", field.name),
        })
    };
    if spec.date_format.is_some() && field.kind != FieldKind::Text {
        return refuse("date_format", "date (text)");
    }
    if (spec.if_true.is_some() || spec.if_false.is_some()) && field.kind != FieldKind::Boolean {
        return refuse("if_true/if_false", "flag");
    }
    if spec.transform.is_some() && field.kind != FieldKind::Text {
        return refuse("transform", "text");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_choose_and_order_columns() {
        let plan = Plan::chosen(ExportEntity::Clients, &["tax_number".to_owned(), "name".to_owned()]).expect("plan");
        assert_eq!(plan.fields, ["tax_number", "name"]);
        assert_eq!(plan.headers(), ["tax_number", "name"]);
        let row = [ExportValue::Text("12 345".into()), ExportValue::Null];
        assert_eq!(plan.apply(&row), Ok(row.to_vec()));
    }

    #[test]
    fn an_unknown_field_names_the_nearest_and_lists_them_all() {
        let error = Plan::chosen(ExportEntity::Clients, &["nmae".to_owned()]).expect_err("refused");
        let message = error.to_string();
        assert!(message.contains("clients have no field `nmae`; did you mean `name`?"), "{message}");
        assert!(message.contains("fields of clients: uuid, name, title"), "{message}");
        assert_eq!(error.exit_code(), crate::exit::USAGE);
        let error = Plan::chosen(ExportEntity::Contacts, &["clientuuid".to_owned()]).expect_err("refused");
        assert!(error.to_string().contains("did you mean `client_uuid`?"), "{error}");
        let twice = Plan::chosen(ExportEntity::Jobs, &["id".to_owned(), "id".to_owned()]).expect_err("refused");
        assert!(twice.to_string().contains("`id` twice"), "{twice}");
    }

    #[test]
    fn every_field_leaves_removed_out_unless_kept() {
        let plan = Plan::every_field(ExportEntity::Time, false);
        assert!(!plan.fields.contains(&"removed"));
        assert!(Plan::every_field(ExportEntity::Time, true).fields.contains(&"removed"));
    }
}
