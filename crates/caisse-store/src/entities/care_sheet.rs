//! `care_sheets`: one row per accepted care sheet (partitioned by month of the day of care on
//! PostgreSQL).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "care_sheets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub date_of_care: TimeDate,
    pub caisse_code: String,
    pub lot_id: Uuid,
    pub number: i64,
    pub member_id: Uuid,
    pub rank: i16,
    pub sender: String,
    pub professional: String,
    pub prescriber: Option<String>,
    pub tiers_payant: bool,
    pub complementary_requested: bool,
    pub parcours: String,
    /// The care lines as sent, as JSON.
    pub lines: String,
    pub charged_cents: i64,
    pub fingerprint: String,
    pub state: String,
    pub received_at: TimeDateTimeWithTimeZone,
    pub liquidated_at: Option<TimeDateTimeWithTimeZone>,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
    pub rejected_at: Option<TimeDateTimeWithTimeZone>,
    pub rejection: Option<String>,
    pub payee: Option<String>,
    pub base_cents: Option<i64>,
    pub amo_cents: Option<i64>,
    pub regime_local_cents: Option<i64>,
    pub deductions_cents: Option<i64>,
    pub paid_cents: Option<i64>,
    pub withheld_cents: Option<i64>,
    pub member_debt_cents: Option<i64>,
    pub payment_id: Option<Uuid>,
    /// The day of `payment_id` (the key of its partition of `payments`).
    pub payment_day: Option<TimeDate>,
}

// The acts billed are health data: a log line names the row only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("care_sheet::Model")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
