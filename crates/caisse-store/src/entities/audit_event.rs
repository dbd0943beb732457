//! `audit_events`: the append-only security and personal-data access log. Rows are inserted,
//! never updated or deleted by the application.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: TimeDateTimeWithTimeZone,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<Uuid>,
    pub ip: String,
    pub user_agent: String,
    pub details: String,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("audit_event::Model")
            .field("id", &self.id)
            .field("at", &self.at)
            .field("actor_kind", &self.actor_kind)
            .field("actor_id", &self.actor_id)
            .field("action", &self.action)
            .field("subject_kind", &self.subject_kind)
            .field("subject_id", &self.subject_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
