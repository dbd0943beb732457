//! `contact_codes`: a 6-digit code sent to a new contact (mobile) to prove the member holds
//! it. Only the code's SHA-256 is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub channel: String,
    /// The contact being verified (E.164 number).
    pub target: String,
    pub code_hash: String,
    pub attempts: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub used_at: Option<TimeDateTimeWithTimeZone>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("contact_code::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("channel", &self.channel)
            .field("attempts", &self.attempts)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
