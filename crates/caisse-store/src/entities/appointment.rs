//! `appointments`: appointments booked with an advisor.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub staff_id: Uuid,
    pub motif_id: Uuid,
    pub channel: String,
    pub starts_at: TimeDateTimeWithTimeZone,
    pub ends_at: TimeDateTimeWithTimeZone,
    /// `confirme`, `annule_membre`, `annule_caisse`, `honore`, `excuse`, `absent`.
    pub status: String,
    /// The number the advisor calls, for a phone appointment.
    pub phone: Option<String>,
    /// The advisor who booked it for the member (phone line), if not the member.
    pub booked_by: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
