//! `staff_login_challenges`: a staff login between the right password and the TOTP code,
//! bound to the browser that typed the password.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_login_challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub staff_id: Uuid,
    /// Digest of the browser cookie that must answer.
    pub binding: String,
    /// During an enrolment: the new TOTP secret, sealed by `caisse-core`, saved on the staff
    /// account only once a first code proves the app holds it.
    pub pending_secret: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub consumed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
