//! `canned_answers`: a fund's *réponses types*, texts with variables that staff insert into
//! replies; optionally meant for one team. Deactivated, never deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "canned_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub team_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub active: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids and the state; never the title or the text.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("canned_answer::Model")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .field("team_id", &self.team_id)
            .field("active", &self.active)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
