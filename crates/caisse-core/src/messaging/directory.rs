//! Who and what the back-office pages name: the advisor's colleagues (for assignment), the
//! fund's teams, the authors of messages, and « today » in the fund's calendar (for lateness).

use caisse_domain::messaging::local_date;
use time::Date;
use uuid::Uuid;

use super::member::zone_of;
use super::teams::{self, FundTeam};
use super::{MessagingError, MessagingService};
use crate::CoreError;
use crate::staff::StaffRole;

/// An active staff member of the advisor's fund.
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

impl MessagingService {
    /// The active staff of the advisor's fund (the advisor included), by name.
    ///
    /// # Errors
    /// `NotFound` for an unknown advisor, `Core` otherwise.
    pub async fn colleagues(&self, staff_id: Uuid) -> Result<Vec<Colleague>, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        Ok(
            caisse_store::staff::active_of_fund(&self.db, &staff.caisse_code)
                .await?
                .into_iter()
                .filter_map(|s| {
                    Some(Colleague {
                        id: s.id,
                        role: StaffRole::from_code(&s.role)?,
                        display_name: s.display_name,
                    })
                })
                .collect(),
        )
    }

    /// The teams of the advisor's fund, by name.
    ///
    /// # Errors
    /// `NotFound` for an unknown advisor, `Core` otherwise.
    pub async fn fund_teams(&self, staff_id: Uuid) -> Result<Vec<FundTeam>, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        Ok(teams::of_fund(&self.db, &staff.caisse_code).await?)
    }

    /// The names of the staff with these ids (any fund: a thread transferred from another
    /// fund holds its advisors' messages).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn staff_names(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, MessagingError> {
        Ok(caisse_store::staff::by_ids(&self.db, ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect())
    }

    /// Today's date in the legal time of fund `caisse_code`: a thread due before it is late.
    ///
    /// # Errors
    /// `Core` for a code that is not a fund's.
    pub fn fund_today(&self, caisse_code: &str) -> Result<Date, CoreError> {
        Ok(local_date(self.clock.now(), zone_of(caisse_code)?))
    }
}
