//! `declared_doctors`: the *médecin traitant* a person declared (one per person).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declared_doctors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    /// As printed, e.g. « Dr Claire DUBOIS ».
    pub doctor_name: String,
    pub declared_on: Option<TimeDate>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("declared_doctor::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
