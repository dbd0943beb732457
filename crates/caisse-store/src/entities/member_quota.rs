//! `member_quotas`: a member's lock row for quotas, and the count of today's sends.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_quotas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    /// The day `sends` counts (the fund's local date).
    pub day: TimeDate,
    pub sends: i32,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows the member's id and the day's count.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("member_quota::Model")
            .field("member_id", &self.member_id)
            .field("day", &self.day)
            .field("sends", &self.sends)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
