//! How a model becomes a row: each table lists its columns once, as a name and a function that
//! reads the value from the model, so the insert statement and the values can never disagree.

use std::borrow::Cow;
use std::fmt::Display;

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use xpm_api::model::NamedRef;
use xpm_api::value::YesNo;

/// One column's value. The variant fixes the SQL type of a NULL, which PostgreSQL checks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Text(Option<Cow<'a, str>>),
    Int(Option<i64>),
    Bool(Option<bool>),
}

impl<'a> Value<'a> {
    pub(crate) fn bind_to<'q>(self, query: Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>>
    where
        'a: 'q,
    {
        match self {
            Self::Text(None) => query.bind(None::<String>),
            Self::Text(Some(Cow::Borrowed(text))) => query.bind(text),
            Self::Text(Some(Cow::Owned(text))) => query.bind(text),
            Self::Int(number) => query.bind(number),
            Self::Bool(flag) => query.bind(flag),
        }
    }
}

impl Value<'_> {
    /// The value's text, for sorting rows by their leading (key) columns.
    pub(crate) fn sort_key(&self) -> Option<&str> {
        match self {
            Self::Text(text) => text.as_deref(),
            Self::Int(_) | Self::Bool(_) => None,
        }
    }
}

/// A column of the table that stores `T`.
pub(crate) struct Column<T: 'static> {
    pub(crate) name: &'static str,
    pub(crate) read: for<'a> fn(&'a T) -> Value<'a>,
}

impl<T> Column<T> {
    pub(crate) const fn new(name: &'static str, read: for<'a> fn(&'a T) -> Value<'a>) -> Self {
        Self { name, read }
    }
}

/// Text as XPM sent it (`Some("")` stays empty, `None` stays NULL).
pub(crate) fn text(value: &Option<String>) -> Value<'_> {
    Value::Text(value.as_deref().map(Cow::Borrowed))
}

/// A value kept in its textual form: UUIDs, dates as XPM wrote them, decimals with their scale.
pub(crate) fn shown<V: Display>(value: &Option<V>) -> Value<'static> {
    Value::Text(value.as_ref().map(|value| Cow::Owned(value.to_string())))
}

pub(crate) fn yes_no(value: &Option<YesNo>) -> Value<'static> {
    Value::Bool(value.map(YesNo::is_yes))
}

pub(crate) fn flag(value: &Option<bool>) -> Value<'static> {
    Value::Bool(*value)
}

pub(crate) fn int(value: &Option<i32>) -> Value<'static> {
    Value::Int(value.map(i64::from))
}

pub(crate) fn ref_uuid(value: &Option<NamedRef>) -> Value<'static> {
    shown(&value.as_ref().and_then(|named| named.uuid))
}

pub(crate) fn ref_name(value: &Option<NamedRef>) -> Value<'_> {
    Value::Text(value.as_ref().and_then(|named| named.name.as_deref()).map(Cow::Borrowed))
}

/// Text of a nested record's field, e.g. a client type's name.
pub(crate) fn nested(value: Option<&String>) -> Value<'_> {
    Value::Text(value.map(|text| Cow::Borrowed(text.as_str())))
}
