//! `arrets`: one row per accepted arrêt de travail with its attestation de salaire.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "arrets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub rank: i16,
    /// The employer's SIRET, 14 digits.
    pub employer: String,
    /// The sender's reference of the arrêt.
    pub reference: String,
    /// `maladie`, `maternite` or `at_mp`.
    pub kind: String,
    pub starts_on: TimeDate,
    pub ends_on: TimeDate,
    pub salary_1_cents: i64,
    pub salary_2_cents: i64,
    pub salary_3_cents: i64,
    pub subrogation_until: Option<TimeDate>,
    pub employer_iban: Option<String>,
    pub employer_name: Option<String>,
    pub carence_applies: bool,
    pub ald: bool,
    pub received_at: TimeDateTimeWithTimeZone,
}

// Salaries are personal data: a log line names the row only.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("arret::Model")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
