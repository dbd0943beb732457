//! `coverage_periods`: when a member is covered, under which régime, *code de gestion* and
//! fund, and whether the Alsace-Moselle local regime adds its layer.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coverage_periods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub regime_code: String,
    pub code_gestion: String,
    pub caisse_code: String,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
    pub local_regime: bool,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("coverage_period::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
