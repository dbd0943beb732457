//! `bank_changes`: a new IBAN asked by a member, applied after a cool-off period unless
//! cancelled.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bank_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub iban: String,
    pub requested_at: TimeDateTimeWithTimeZone,
    pub effective_at: TimeDateTimeWithTimeZone,
    /// `pending`, `applied` or `cancelled`.
    pub status: String,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("bank_change::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("status", &self.status)
            .field("requested_at", &self.requested_at)
            .field("effective_at", &self.effective_at)
            .field("decided_at", &self.decided_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
