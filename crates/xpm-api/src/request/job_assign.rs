//! `PUT job.api/assign`: staff on and off a job, its tasks, and the manager and partner roles.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::group::uuid_attribute;
use crate::value::Uuid;
use crate::xml::{DecodeError, XmlReader, XmlRecord, XmlWriter, decode_value, encode_value};

/// `PUT job.api/assign`. JSON: `JobAssignRequestDto`. The response is the job.
///
/// XML carries the operations as attributes on empty elements, in any order:
/// `<add uuid="STAFF"/>`, `<add uuid="STAFF" task-uuid="JOBTASK"/>`, `<remove …/>`,
/// `<add-manager uuid="STAFF"/>`, `<remove-manager/>`, `<add-partner uuid="STAFF"/>`,
/// `<remove-partner/>`. JSON keeps the hyphens (`add-manager`, `task-uuid`). This type writes
/// adds, then removes, then the manager and partner operations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobAssignRequest {
    /// Job number (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Staff to assign to the job or, with `task_uuid`, to one of its tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<StaffAssignment>>,
    /// Staff to take off the job or one of its tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<Vec<StaffAssignment>>,
    /// The staff member to make job manager.
    #[serde(rename = "add-manager", default, skip_serializing_if = "Option::is_none")]
    pub add_manager: Option<RoleAssignment>,
    /// Clears the job manager.
    #[serde(rename = "remove-manager", default, skip_serializing_if = "Option::is_none")]
    pub remove_manager: Option<RoleRemoval>,
    /// The staff member to make job partner (account manager).
    #[serde(rename = "add-partner", default, skip_serializing_if = "Option::is_none")]
    pub add_partner: Option<RoleAssignment>,
    /// Clears the job partner.
    #[serde(rename = "remove-partner", default, skip_serializing_if = "Option::is_none")]
    pub remove_partner: Option<RoleRemoval>,
}

/// A staff member put on or taken off a job (`<add uuid="…"/>`) or one of its tasks
/// (`<add uuid="…" task-uuid="…"/>`). JSON: `JobAssignStaffTaskOperationDto`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StaffAssignment {
    /// The staff member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Uuid>,
    /// The job task, when the assignment is to a task rather than the job.
    #[serde(rename = "task-uuid", default, skip_serializing_if = "Option::is_none")]
    pub task_uuid: Option<Uuid>,
}

impl StaffAssignment {
    /// Staff member `staff` on the whole job.
    pub fn job(staff: Uuid) -> Self {
        Self { uuid: Some(staff), task_uuid: None }
    }

    /// Staff member `staff` on job task `task`.
    pub fn task(staff: Uuid, task: Uuid) -> Self {
        Self { uuid: Some(staff), task_uuid: Some(task) }
    }
}

/// A staff member given the manager or partner role (`<add-manager uuid="…"/>`). JSON:
/// `JobAssignStaffOperationDto`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleAssignment {
    /// The staff member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Uuid>,
}

impl RoleAssignment {
    /// Staff member `staff`.
    pub fn new(staff: Uuid) -> Self {
        Self { uuid: Some(staff) }
    }
}

/// Clears the manager or partner role (`<remove-manager/>`). JSON: the empty object
/// `JobAssignEmptyOperationDto`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRemoval {}

impl JobAssignRequest {
    /// An assignment request for job number `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: Some(id.into()), ..Self::default() }
    }
}

impl XmlRecord for JobAssignRequest {
    fn decode_children<R: BufRead>(&mut self, reader: &mut XmlReader<R>) -> Result<(), DecodeError> {
        while let Some(empty) = reader.next_child_within()? {
            match reader.name() {
                b"ID" => self.id = decode_value::<String, R>(reader, empty).map_err(|error| error.within("ID"))?,
                b"add" => {
                    let assignment = decode_assignment(reader, empty, "add")?;
                    self.add.get_or_insert_with(Vec::new).push(assignment);
                }
                b"remove" => {
                    let assignment = decode_assignment(reader, empty, "remove")?;
                    self.remove.get_or_insert_with(Vec::new).push(assignment);
                }
                b"add-manager" => self.add_manager = Some(decode_role(reader, empty, "add-manager")?),
                b"add-partner" => self.add_partner = Some(decode_role(reader, empty, "add-partner")?),
                b"remove-manager" => {
                    reader.skip(empty)?;
                    self.remove_manager = Some(RoleRemoval {});
                }
                b"remove-partner" => {
                    reader.skip(empty)?;
                    self.remove_partner = Some(RoleRemoval {});
                }
                _ => reader.skip(empty)?,
            }
        }
        Ok(())
    }

    fn encode_children(&self, writer: &mut XmlWriter) {
        encode_value("ID", &self.id, writer);
        for (name, assignments) in [("add", &self.add), ("remove", &self.remove)] {
            for assignment in assignments.iter().flatten() {
                encode_assignment(name, assignment, writer);
            }
        }
        if let Some(role) = &self.add_manager {
            encode_role("add-manager", role, writer);
        }
        if self.remove_manager.is_some() {
            writer.empty("remove-manager");
        }
        if let Some(role) = &self.add_partner {
            encode_role("add-partner", role, writer);
        }
        if self.remove_partner.is_some() {
            writer.empty("remove-partner");
        }
    }
}

request_body!(JobAssignRequest, "Job", "JobAssignRequestDto", requires id "ID" "id");

fn decode_assignment<R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
    name: &'static str,
) -> Result<StaffAssignment, DecodeError> {
    let uuid = uuid_attribute(reader, b"uuid").map_err(|error| error.within(name))?;
    let task_uuid = uuid_attribute(reader, b"task-uuid").map_err(|error| error.within(name))?;
    reader.skip(empty)?;
    Ok(StaffAssignment { uuid, task_uuid })
}

fn decode_role<R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
    name: &'static str,
) -> Result<RoleAssignment, DecodeError> {
    let uuid = uuid_attribute(reader, b"uuid").map_err(|error| error.within(name))?;
    reader.skip(empty)?;
    Ok(RoleAssignment { uuid })
}

fn encode_assignment(name: &str, assignment: &StaffAssignment, writer: &mut XmlWriter) {
    let mut staff = uuid::Uuid::encode_buffer();
    let mut task = uuid::Uuid::encode_buffer();
    let mut attributes = Vec::with_capacity(2);
    if let Some(uuid) = assignment.uuid {
        attributes.push(("uuid", &*uuid.hyphenated().encode_lower(&mut staff)));
    }
    if let Some(uuid) = assignment.task_uuid {
        attributes.push(("task-uuid", &*uuid.hyphenated().encode_lower(&mut task)));
    }
    writer.start_with_attributes(name, &attributes, true);
}

fn encode_role(name: &str, role: &RoleAssignment, writer: &mut XmlWriter) {
    let mut staff = uuid::Uuid::encode_buffer();
    match role.uuid {
        Some(uuid) => writer.start_with_attributes(name, &[("uuid", uuid.hyphenated().encode_lower(&mut staff))], true),
        None => writer.empty(name),
    }
}
