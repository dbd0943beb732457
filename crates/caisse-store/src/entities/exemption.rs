//! `exemptions`: a person's exemption of the *ticket modérateur* (ALD, maternité…), its rate
//! and period. Health data: shown to the member and printed only when they ask for the
//! complementary mentions; never in a signed statement.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    pub nature: String,
    pub rate_percent: i16,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("exemption::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
