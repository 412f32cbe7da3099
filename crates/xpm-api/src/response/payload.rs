//! Which payload each operation's response carries, so generic tools can decode any operation.

use super::resource::Resource;
use crate::model::{Client, ClientGroup, Contact, Staff};

/// The shape of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A collection of items (`<Clients>` / `"clients"`).
    List,
    /// One item (`<Client>` / `"client"`).
    Single,
    /// Only a status.
    Status,
}

/// Dispatches on the resource type behind a response.
pub trait PayloadVisitor {
    /// What the visit produces.
    type Output;

    /// The response is a list of `T`.
    fn list<T: Resource>(self) -> Self::Output;
    /// The response holds one `T`.
    fn single<T: Resource>(self) -> Self::Output;
    /// The response holds only a status.
    fn status(self) -> Self::Output;
}

/// A response payload: its shape and the resource type inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload {
    shape: Shape,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Client,
    Contact,
    ClientGroup,
    Staff,
}

impl Payload {
    /// The payload for a response DTO name from the catalog (e.g. `ClientListResponseDto`).
    pub fn for_dto(dto: &str) -> Option<Self> {
        let (shape, kind) = match dto {
            "ClientListResponseDto" | "ClientPagedListResponseDto" => (Shape::List, Kind::Client),
            "ClientResponseDto" => (Shape::Single, Kind::Client),
            "ClientContactsResponseDto" => (Shape::List, Kind::Contact),
            "ClientContactResponseDto" | "ClientContactDeleteResponseDto" => (Shape::Single, Kind::Contact),
            "ClientGroupListResponseDto" => (Shape::List, Kind::ClientGroup),
            "ClientGroupResponseDto" => (Shape::Single, Kind::ClientGroup),
            "StaffListResponseDto" => (Shape::List, Kind::Staff),
            "StaffResponseDto" => (Shape::Single, Kind::Staff),
            "StatusResponseDto" | "ResponseBaseDto" => (Shape::Status, Kind::None),
            _ => return None,
        };
        Some(Self { shape, kind })
    }

    /// The payload an operation returns, if this crate models it.
    pub fn for_operation(operation: &crate::catalog::Operation) -> Option<Self> {
        Self::for_dto(operation.response_dto)
    }

    /// The body's shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Calls the visitor with the concrete resource type.
    pub fn visit<V: PayloadVisitor>(self, visitor: V) -> V::Output {
        macro_rules! dispatch {
            ($ty:ty) => {
                match self.shape {
                    Shape::List => visitor.list::<$ty>(),
                    Shape::Single => visitor.single::<$ty>(),
                    Shape::Status => visitor.status(),
                }
            };
        }
        match self.kind {
            Kind::None => visitor.status(),
            Kind::Client => dispatch!(Client),
            Kind::Contact => dispatch!(Contact),
            Kind::ClientGroup => dispatch!(ClientGroup),
            Kind::Staff => dispatch!(Staff),
        }
    }
}
