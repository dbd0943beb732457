//! `staff`: back-office accounts (staff, supervisors, administrators) of one fund each.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub caisse_code: String,
    pub password_hash: String,
    /// The TOTP secret, sealed by `caisse-core` (never the secret in clear).
    pub totp_secret: Option<String>,
    pub active: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    /// The last TOTP time step accepted: a code is accepted once.
    pub totp_last_step: Option<i64>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("staff::Model")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("role", &self.role)
            .field("caisse_code", &self.caisse_code)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
