//! `declared_doctors`: the *médecin traitant* a person declared (one per person).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
