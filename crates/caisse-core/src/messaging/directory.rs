//! Who and what the back-office pages name: the staff member's colleagues (for assignment), the
//! fund's teams, the authors of messages, and « today » in the fund's calendar (for lateness).

use caisse_domain::CaisseCode;
use caisse_domain::messaging::local_date;
use time::Date;
use uuid::Uuid;

use super::errors::StaffError;
use super::member::zone_of;
use super::people::{self, StaffName};
use super::staff::StaffMessaging;
use super::teams::{self, FundTeam};
use crate::staff::StaffRole;

/// An active staff member of the staff member's fund.
#[derive(Clone, PartialEq, Eq)]
pub struct Colleague {
    /// Id.
    pub id: Uuid,
    /// Name shown in the back office.
    pub display_name: String,
    /// Role.
    pub role: StaffRole,
}

debug_fields!(Colleague { id, role });

impl StaffMessaging {
    /// The active staff of the staff member's fund (the staff member included), by name.
    ///
    /// # Errors
    /// `NotFound` for an unknown staff member, `Core` otherwise.
    #[tracing::instrument(name = "messaging.staff.colleagues", skip_all, fields(%staff_id))]
    pub async fn colleagues(&self, staff_id: Uuid) -> Result<Vec<Colleague>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        Ok(people::colleagues(&self.shared.db, staff.caisse_code).await?)
    }

    /// The teams of the staff member's fund, by name.
    ///
    /// # Errors
    /// `NotFound` for an unknown staff member, `Core` otherwise.
    #[tracing::instrument(name = "messaging.staff.fund_teams", skip_all, fields(%staff_id))]
    pub async fn fund_teams(&self, staff_id: Uuid) -> Result<Vec<FundTeam>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        Ok(teams::of_fund(&self.shared.db, staff.caisse_code).await?)
    }

    /// The names of the staff with these ids (any fund: a thread transferred from another
    /// fund holds its staff members' messages).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "messaging.staff.staff_names", skip_all, fields(ids = ids.len()))]
    pub async fn staff_names(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, StaffError> {
        Ok(people::names(&self.shared.db, ids, StaffName::Display).await?)
    }

    /// Today's date in the legal time of fund `caisse_code`: a thread due before it is late.
    pub fn fund_today(&self, caisse_code: CaisseCode) -> Date {
        local_date(self.shared.clock.now(), zone_of(caisse_code))
    }
}
