//! `sender_debts`: what a professional owes the fund after a line paid to them in tiers payant
//! was corrected downwards, withheld from their next payments.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sender_debts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    /// The sheet's sender, as `care_sheets.sender`.
    pub sender: String,
    pub amount_cents: i64,
    pub recovered_cents: i64,
    /// The correction that recorded it.
    pub correction_id: Uuid,
    pub created_at: TimeDateTimeWithTimeZone,
    pub settled_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
