//! `mediation_referrals`: a member's referral of a réclamation to the fund's médiateur, one
//! per thread, and the médiateur's answer. `version` grows on every change a supervisor could
//! otherwise overwrite.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mediation_referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    #[sea_orm(unique)]
    pub thread_id: Uuid,
    pub member_id: Uuid,
    pub caisse_code: String,
    pub reason: String,
    pub member_text: String,
    pub status: String,
    pub assigned_staff_id: Option<Uuid>,
    pub answer: Option<String>,
    pub answered_at: Option<TimeDateTimeWithTimeZone>,
    pub answered_staff_id: Option<Uuid>,
    pub version: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids, codes and states; never the member's text or the médiateur's answer.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("mediation_referral::Model")
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("thread_id", &self.thread_id)
            .field("member_id", &self.member_id)
            .field("caisse_code", &self.caisse_code)
            .field("reason", &self.reason)
            .field("status", &self.status)
            .field("assigned_staff_id", &self.assigned_staff_id)
            .field("answered", &self.answer.is_some())
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
