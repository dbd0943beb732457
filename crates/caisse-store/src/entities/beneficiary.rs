//! `beneficiaries`: the people covered through a member (*ayants droit*), ranked from 02.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "beneficiaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub rank: i16,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: TimeDate,
    pub sex: String,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("beneficiary::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
