//! `fc_links`: a member's FranceConnect identity.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fc_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub issuer: String,
    pub subject: String,
    pub acr: String,
    pub linked_at: TimeDateTimeWithTimeZone,
    pub last_login_at: TimeDateTimeWithTimeZone,
}

/// Masked: the subject identifies a person at the provider.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("fc_link::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("acr", &self.acr)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
