//! `accounts`: a member's portal account (credentials and state), separate from the member file.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    pub password_hash: String,
    pub status: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// Notify replies and news by email.
    pub notify_email: bool,
    /// Notify replies and news by SMS.
    pub notify_sms: bool,
    /// Bank-detail changes refused until a staff member lifts the freeze (« Ce n'était pas moi »).
    pub bank_frozen: bool,
    /// When the member closed the account.
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("account::Model")
            .field("member_id", &self.member_id)
            .field("status", &self.status)
            .field("notify_email", &self.notify_email)
            .field("notify_sms", &self.notify_sms)
            .field("bank_frozen", &self.bank_frozen)
            .field("created_at", &self.created_at)
            .field("closed_at", &self.closed_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member file the account opens.
    #[sea_orm(
        belongs_to = "super::member::Entity",
        from = "Column::MemberId",
        to = "super::member::Column::Id"
    )]
    Member,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
