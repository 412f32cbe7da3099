//! The description of one XPM operation: what to send, what comes back, who may call it.

use super::id::{OperationId, Tag};
use super::method::Method;
use super::scope::Scope;

/// How an operation splits large results across calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paging {
    /// Everything comes back in one response (even `client.api/list`, which can be huge).
    None,
    /// Opaque continuation tokens: optional `pageSize` (1–500, default 50) and `pageToken`;
    /// the response's `Pagination/Links/Next` is absent on the last page.
    /// Used by `client.api/paged-list` and `client.api/contacts`.
    Token,
    /// A required 1-based `page` number; keep incrementing until `Records` is 0.
    /// Used by `cost.api/list`.
    PageNumber,
    /// Required `from` and `to` dates (`yyyyMMdd`, span under one year); callers slice history
    /// into windows and de-duplicate by UUID. Used by `job.api/list`, `time.api/list`,
    /// `time.api/staff/{identifier}`, `invoice.api/list` and `quote.api/list`.
    DateWindow,
}

/// A query parameter an operation documents (the universal `fields` parameter is left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryParam {
    /// The name as spelled in the spec, e.g. `modifiedSince`.
    pub name: &'static str,
    /// Whether the spec marks it required.
    pub required: bool,
}

impl QueryParam {
    /// An optional parameter.
    pub const fn optional(name: &'static str) -> QueryParam {
        QueryParam { name, required: false }
    }

    /// A required parameter.
    pub const fn required(name: &'static str) -> QueryParam {
        QueryParam { name, required: true }
    }
}

/// One XPM 3.1 operation, as the spec describes it.
///
/// Every field is `'static`: the whole catalog is a constant table, [`OPERATIONS`](super::OPERATIONS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, e.g. [`OperationId::ClientList`] (`ClientV31_List`).
    pub id: OperationId,
    /// The HTTP method.
    pub method: Method,
    /// The path template below the version prefix, e.g. `/client.api/get/{identifier}`.
    /// The real URL is `https://api.xero.com` and [`API_PATH_PREFIX`](super::API_PATH_PREFIX) followed by this.
    pub path: &'static str,
    /// The spec's tag, e.g. [`Tag::Client`]; custom field value endpoints are tagged
    /// `CustomFieldV31` even though their paths live under `client.api`, `job.api` and `time.api`.
    pub tag: Tag,
    /// The spec's one-line summary.
    pub summary: &'static str,
    /// The scopes that grant access; any one of them suffices.
    pub scopes: &'static [Scope],
    /// How results are split across calls.
    pub paging: Paging,
    /// Whether a transport failure may be retried blindly.
    ///
    /// True for every `GET` and false for everything else. Some `PUT`s look idempotent, but
    /// XPM's archive, job state, assign, complete and reopen calls have side effects (history,
    /// notifications, add/remove lists) that a replay after an unseen success could repeat or
    /// turn into an error, and `DELETE` replays fail once the first call succeeded. So writes
    /// are never retried without the caller's say-so.
    pub retry_safe: bool,
    /// The documented query parameters except `fields`, in spec order.
    pub query: &'static [QueryParam],
    /// The JSON request body schema, for operations that take a body.
    pub request_dto: Option<&'static str>,
    /// The JSON schema of the 200 response.
    pub response_dto: &'static str,
    /// Every documented status other than 200, ascending (500 is always among them).
    pub error_statuses: &'static [u16],
}

impl Operation {
    /// Whether `scope` alone grants access to this operation.
    pub fn accepts(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Whether any of `granted` grants access to this operation.
    pub fn is_granted_by(&self, granted: &[Scope]) -> bool {
        granted.iter().any(|scope| self.accepts(*scope))
    }

    /// Whether the operation only reads (it is a `GET`).
    pub fn is_read(&self) -> bool {
        self.method == Method::Get
    }

    /// The names of the `{placeholders}` in [`Operation::path`], in order.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    }

    /// The query parameters a call must send.
    pub fn required_query(&self) -> impl Iterator<Item = &'static str> {
        self.query.iter().filter(|param| param.required).map(|param| param.name)
    }
}
