//! `fc_pending_links`: a FranceConnect identity matched to one member file, waiting for the
//! member's extra proof.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fc_pending_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub binding: String,
    pub member_id: Uuid,
    pub issuer: String,
    pub subject: String,
    pub acr: String,
    #[sea_orm(column_type = "Text")]
    pub sealed_id_token: String,
    pub challenge_id: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub consumed_at: Option<TimeDateTimeWithTimeZone>,
}

/// Masked: ids and instants only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("fc_pending_link::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
