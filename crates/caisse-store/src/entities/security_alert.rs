//! `security_alerts`: what the fund's staff must look at (suspicious activity, a member
//! saying « Ce n'était pas moi »), until one of them resolves it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub caisse_code: String,
    pub kind: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub resolved_at: Option<TimeDateTimeWithTimeZone>,
    pub resolved_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
