//! `postal_letters`: the print queue. A letter waits with what it must say (JSON) until staff
//! download it in a batch; the payload is erased once the batch has had time to be printed.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "postal_letters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: String,
    pub payload: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub batch_id: Option<Uuid>,
    pub batched_at: Option<TimeDateTimeWithTimeZone>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("postal_letter::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .field("batch_id", &self.batch_id)
            .field("batched_at", &self.batched_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
