//! `oidc_sessions`: the sealed ID token of a session opened through a provider, for the logout.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_hash: String,
    pub provider: String,
    #[sea_orm(column_type = "Text")]
    pub sealed_id_token: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

/// Masked: no digest, no token.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("oidc_session::Model")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
