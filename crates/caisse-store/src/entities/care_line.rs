//! `care_lines`: the liquidated lines of the care sheets, with the rule behind every amount
//! (partitioned by month of the day of care on PostgreSQL).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "care_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sheet_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_no: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub date_of_care: TimeDate,
    pub member_id: Uuid,
    pub code: String,
    pub category: String,
    pub quantity: i32,
    pub coefficient_hundredths: i32,
    pub charged_cents: i64,
    pub tariff_cents: i64,
    pub base_cents: i64,
    pub rate_bp: i32,
    pub rate_rule: String,
    pub amo_cents: i64,
    pub regime_local_rate_bp: Option<i32>,
    pub regime_local_cents: i64,
    pub c2s_cents: i64,
    pub excess_cents: i64,
    pub deduction_kind: Option<String>,
    pub deduction_due_cents: i64,
    pub deduction_applied_cents: i64,
    pub deduction_limit: Option<String>,
}

// The acts are health data: a log line names the row only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("care_line::Model")
            .field("sheet_id", &self.sheet_id)
            .field("line_no", &self.line_no)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
