//! Staff (`staff.api`).

use std::sync::Arc;

use uuid::Uuid;
use xpm_api::model::Staff;
use xpm_api::request::{StaffAddRequest, StaffUpdateRequest};

use super::book::Directory;
use super::error::DirectoryError;
use super::seed::staff_web_url;
use crate::practice::patch::patch;

impl Directory {
    /// `staff.api/add`: a new staff member, enabled.
    pub(crate) fn add_staff(&mut self, request: StaffAddRequest) -> Result<Staff, DirectoryError> {
        let uuid = Uuid::new_v4();
        let mut staff = Staff::default();
        staff.uuid = Some(uuid);
        for field in
            [&mut staff.email, &mut staff.phone, &mut staff.mobile, &mut staff.address, &mut staff.payroll_code]
        {
            *field = Some(String::new());
        }
        patch!(staff, request; name, email, phone, mobile, address, payroll_code,);
        require_name(&staff)?;
        staff.web_url = Some(staff_web_url(uuid));
        self.staff.push(Arc::new(staff.clone()));
        Ok(staff)
    }

    /// `staff.api/update`: changes the fields given. A new name shows on the clients the staff
    /// member manages.
    pub(crate) fn update_staff(&mut self, request: StaffUpdateRequest) -> Result<Staff, DirectoryError> {
        let uuid = request.uuid.ok_or_else(|| DirectoryError::invalid("the staff member's UUID is required"))?;
        let stored = self.staff.iter_mut().find(|staff| staff.uuid == Some(uuid));
        let stored = stored.ok_or_else(|| DirectoryError::not_found("staff member", uuid))?;
        let mut staff = (**stored).clone();
        patch!(staff, request; name, email, phone, mobile, address, payroll_code,);
        require_name(&staff)?;
        let renamed = staff.name != stored.name;
        *stored = Arc::new(staff.clone());
        if renamed {
            self.rename_staff_references(uuid, staff.name.as_deref().unwrap_or_default());
        }
        Ok(staff)
    }

    /// `staff.api/delete`: removes the staff member. Clients keep naming them as account or job
    /// manager until changed.
    pub(crate) fn delete_staff(&mut self, uuid: Uuid) -> Result<(), DirectoryError> {
        let before = self.staff.len();
        self.staff.retain(|staff| staff.uuid != Some(uuid));
        if self.staff.len() == before {
            return Err(DirectoryError::not_found("staff member", uuid));
        }
        self.disabled_staff.remove(&uuid);
        Ok(())
    }

    /// `staff.api/enable` and `staff.api/disable`.
    pub(crate) fn set_staff_enabled(&mut self, uuid: Uuid, enabled: bool) -> Result<(), DirectoryError> {
        self.staff_member(uuid).ok_or_else(|| DirectoryError::not_found("staff member", uuid))?;
        if enabled {
            self.disabled_staff.remove(&uuid);
        } else {
            self.disabled_staff.insert(uuid);
        }
        Ok(())
    }

    /// `staff.api/forgottenpassword`: XPM emails a reset link, so the staff member needs an
    /// email address.
    pub(crate) fn forgotten_password(&self, uuid: Uuid) -> Result<(), DirectoryError> {
        let staff = self.staff_member(uuid).ok_or_else(|| DirectoryError::not_found("staff member", uuid))?;
        if staff.email.as_deref().is_none_or(|email| email.trim().is_empty()) {
            return Err(DirectoryError::invalid(format!("staff member {uuid} has no email address")));
        }
        Ok(())
    }

    fn rename_staff_references(&mut self, uuid: Uuid, name: &str) {
        let names_staff = |reference: &Option<xpm_api::model::NamedRef>| {
            reference.as_ref().is_some_and(|reference| reference.uuid == Some(uuid))
        };
        for entry in &mut self.clients {
            if !names_staff(&entry.client.account_manager) && !names_staff(&entry.client.job_manager) {
                continue;
            }
            let client = Arc::make_mut(&mut entry.client);
            for reference in client.account_manager.iter_mut().chain(client.job_manager.iter_mut()) {
                if reference.uuid == Some(uuid) {
                    reference.name = Some(name.to_owned());
                }
            }
        }
    }
}

fn require_name(staff: &Staff) -> Result<(), DirectoryError> {
    if staff.name.as_deref().is_none_or(|name| name.trim().is_empty()) {
        return Err(DirectoryError::invalid("a staff member needs a name"));
    }
    Ok(())
}
