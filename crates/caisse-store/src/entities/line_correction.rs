//! `line_corrections`: corrections of paid lines by the back office, kept beside the lines.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line_corrections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub sheet_id: Uuid,
    pub date_of_care: TimeDate,
    pub line_no: i16,
    /// The payment that paid the line.
    pub payment_id: Uuid,
    /// Who was paid: `member` or `professional`.
    pub payee: String,
    /// The sheet's sender (paid the complement in tiers payant).
    pub sender: String,
    pub old_cents: i64,
    pub new_cents: i64,
    pub reason: String,
    pub status: String,
    pub requested_by: Uuid,
    pub requested_at: TimeDateTimeWithTimeZone,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    /// The overpayment debt it recorded.
    pub debt_id: Option<Uuid>,
    /// The complementary payment due (0: none).
    pub complement_cents: i64,
    /// The payment that paid the complement.
    pub complement_payment_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
