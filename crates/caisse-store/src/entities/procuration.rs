//! `procurations`: a member's procurations to a mandataire, one month each.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procurations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub mandataire_last_name: String,
    pub mandataire_first_name: String,
    pub mandataire_birth_date: TimeDate,
    pub valid_from: TimeDate,
    pub valid_to: TimeDate,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    pub dossier_id: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
