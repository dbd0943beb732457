//! `card_orders`: cartes Vitale and CEAM ordered for a member or a beneficiary.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "card_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub person_rank: i16,
    /// `vitale` or `ceam`.
    pub card: String,
    pub reason: String,
    pub state: String,
    pub dossier_id: Option<Uuid>,
    pub ordered_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// The end of the provisional certificate (CEAM).
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
