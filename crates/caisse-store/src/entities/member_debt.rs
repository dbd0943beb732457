//! `member_debts`: participations and franchises a member owes (tiers payant, or more than a
//! reimbursement could absorb), recovered from later reimbursements.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_debts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub sheet_id: Uuid,
    pub date_of_care: TimeDate,
    pub amount_cents: i64,
    pub recovered_cents: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    /// When the *avis de sommes à payer* was issued.
    pub notice_at: Option<TimeDateTimeWithTimeZone>,
    pub settled_at: Option<TimeDateTimeWithTimeZone>,
    /// The ISO 11649 creditor reference a transfer quotes (given on first reading to debts
    /// recorded before it existed).
    pub reference: Option<String>,
    /// The réclamation thread contesting the debt.
    pub contest_thread_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
