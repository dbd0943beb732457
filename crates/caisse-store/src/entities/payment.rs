//! `payments`: one per payee per payment day (partitioned by month of the payment day on
//! PostgreSQL).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub payment_day: TimeDate,
    pub caisse_code: String,
    /// `member`, `professional` or `employer`.
    pub payee_kind: String,
    pub member_id: Option<Uuid>,
    pub sender: Option<String>,
    pub payee_name: String,
    pub iban: String,
    pub amount_cents: i64,
    pub recovered_cents: i64,
    pub sheets: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub exported_at: Option<TimeDateTimeWithTimeZone>,
}

// Names and IBANs are personal data: a log line names the row only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("payment::Model")
            .field("id", &self.id)
            .field("payment_day", &self.payment_day)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
