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
    /// The branch, for an appointment at a branch.
    pub site_id: Option<Uuid>,
    /// The message thread it was booked from.
    pub thread_id: Option<Uuid>,
    /// The dossier it was booked from.
    pub dossier_id: Option<Uuid>,
    /// When its reminder goes (`None`: none, or gone).
    pub reminder_due_at: Option<TimeDateTimeWithTimeZone>,
    /// When its reminder went.
    pub reminded_at: Option<TimeDateTimeWithTimeZone>,
    /// The advisor who recorded how it went.
    pub outcome_by: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
