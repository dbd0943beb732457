//! `agenda_waiting`: members waiting for an earlier slot than the first one offered (more
//! than a week ahead); a freed slot earlier than `earliest_offered` is offered to them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_waiting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub member_id: Uuid,
    pub motif_id: Uuid,
    pub channel: String,
    pub site_id: Option<Uuid>,
    /// The first slot offered when they joined: they wait for an earlier one.
    pub earliest_offered: TimeDateTimeWithTimeZone,
    pub created_at: TimeDateTimeWithTimeZone,
    /// When a freed slot was last offered to them.
    pub offered_at: Option<TimeDateTimeWithTimeZone>,
    /// When they left the list (booked, or gave up).
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
