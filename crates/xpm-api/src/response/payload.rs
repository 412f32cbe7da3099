//! Which payload each operation's response carries, so generic tools can decode any operation.

use super::resource::Resource;
use crate::model::{
    Category, Client, ClientGroup, Contact, Cost, CustomFieldDefinition, CustomFieldValue, Document, Invoice,
    InvoicePayment, Job, JobCost, JobState, Quote, Staff, Task, Template, Time,
};

/// The shape of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A collection of items (`<Clients>` / `"clients"`).
    List,
    /// One item (`<Client>` / `"client"`).
    Single,
    /// Only a status, sometimes with a `UUID` or `ID` beside it (see [`super::Envelope`]).
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
    Job,
    Task,
    Time,
    Cost,
    JobCost,
    Invoice,
    InvoicePayment,
    Quote,
    Category,
    JobState,
    Template,
    CustomFieldDefinition,
    CustomFieldValue,
    Document,
}

impl Payload {
    /// The payload for a response DTO name from the catalog (e.g. `ClientListResponseDto`).
    pub fn for_dto(dto: &str) -> Option<Self> {
        let (shape, kind) = match dto {
            "ClientListResponseDto" | "ClientPagedListResponseDto" => (Shape::List, Kind::Client),
            // `{client: {uuid, contacts: [{uuid, position, isPrimary}]}}` is a sparse client.
            "ClientResponseDto" | "ClientAddContactsResponseDto" => (Shape::Single, Kind::Client),
            "ClientContactsResponseDto" => (Shape::List, Kind::Contact),
            "ClientContactResponseDto" | "ClientContactDeleteResponseDto" => (Shape::Single, Kind::Contact),
            "ClientGroupListResponseDto" => (Shape::List, Kind::ClientGroup),
            "ClientGroupResponseDto" => (Shape::Single, Kind::ClientGroup),
            "ClientDocumentsResponseDto" | "JobDocumentsResponseDto" => (Shape::List, Kind::Document),
            "StaffListResponseDto" => (Shape::List, Kind::Staff),
            "StaffResponseDto" => (Shape::Single, Kind::Staff),
            // `job.api/staff` returns `Job2Dto`s, a subset of the job shape.
            "JobListResponseDto" | "Job2ResponseDto" => (Shape::List, Kind::Job),
            "JobResponseDto" => (Shape::Single, Kind::Job),
            "JobCostListResponseDto" => (Shape::List, Kind::JobCost),
            "TaskListResponseDto" => (Shape::List, Kind::Task),
            "TaskResponseDto" => (Shape::Single, Kind::Task),
            "TimeListResponseDto" => (Shape::List, Kind::Time),
            "TimeResponseDto" => (Shape::Single, Kind::Time),
            "CostListResponseDto" => (Shape::List, Kind::Cost),
            "CostResponseDto" => (Shape::Single, Kind::Cost),
            "InvoiceListResponseDto" => (Shape::List, Kind::Invoice),
            "InvoiceResponseDto" => (Shape::Single, Kind::Invoice),
            "InvoicePaymentsResponseDto" => (Shape::List, Kind::InvoicePayment),
            "QuoteListResponseDto" => (Shape::List, Kind::Quote),
            "QuoteResponseDto" => (Shape::Single, Kind::Quote),
            "CategoryResponseDto" => (Shape::List, Kind::Category),
            "JobStateListResponseDto" => (Shape::List, Kind::JobState),
            "TemplateResponseDto" => (Shape::List, Kind::Template),
            "CustomFieldDefinitionListResponseDto" => (Shape::List, Kind::CustomFieldDefinition),
            "CustomFieldDefinitionResponseDto" => (Shape::Single, Kind::CustomFieldDefinition),
            "CustomFieldValueListResponseDto" => (Shape::List, Kind::CustomFieldValue),
            "StatusResponseDto"
            | "ResponseBaseDto"
            | "UuidResponseDto"
            | "CreateQuoteResponseDto"
            | "CreateEstimateResponseDto" => (Shape::Status, Kind::None),
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
            Kind::Job => dispatch!(Job),
            Kind::Task => dispatch!(Task),
            Kind::Time => dispatch!(Time),
            Kind::Cost => dispatch!(Cost),
            Kind::JobCost => dispatch!(JobCost),
            Kind::Invoice => dispatch!(Invoice),
            Kind::InvoicePayment => dispatch!(InvoicePayment),
            Kind::Quote => dispatch!(Quote),
            Kind::Category => dispatch!(Category),
            Kind::JobState => dispatch!(JobState),
            Kind::Template => dispatch!(Template),
            Kind::CustomFieldDefinition => dispatch!(CustomFieldDefinition),
            Kind::CustomFieldValue => dispatch!(CustomFieldValue),
            Kind::Document => dispatch!(Document),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{OPERATIONS, OperationId};

    #[test]
    fn every_operation_but_relationship_writes_has_a_payload() {
        let missing: Vec<OperationId> = OPERATIONS
            .iter()
            .filter(|operation| Payload::for_operation(operation).is_none())
            .map(|operation| operation.id)
            .collect();
        // `clientRelationship` bodies ({client, relatedClient, relationshipType}) have no model yet.
        assert_eq!(
            missing,
            [
                OperationId::ClientAddRelationship,
                OperationId::ClientUpdateRelationship,
                OperationId::ClientDeleteRelationship
            ],
        );
    }
}
