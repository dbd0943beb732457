//! `ij_payments`: the schedule of an arrêt, one row per payment of indemnités journalières.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ij_payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub arret_id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub period_from: TimeDate,
    pub period_to: TimeDate,
    pub days: i32,
    /// `assure` or `employeur`.
    pub payee: String,
    pub taxable_share_bp: i32,
    pub gross_cents: i64,
    pub csg_cents: i64,
    pub crds_cents: i64,
    pub net_cents: i64,
    pub taxable_cents: i64,
    /// `planned` or `paid`.
    pub state: String,
    /// The day after `period_to`: IJ are paid once their period is over.
    pub due_on: TimeDate,
    pub payment_id: Option<Uuid>,
    pub payment_day: Option<TimeDate>,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
}

// Amounts follow from the salaries, personal data: a log line names the row only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ij_payment::Model")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
