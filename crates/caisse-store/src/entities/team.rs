//! `teams`: a team of a fund's back office; `code` is unique in the fund and is what
//! `message_threads.team` holds.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub code: String,
    pub name: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows the id, the fund and the code.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("team::Model")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
