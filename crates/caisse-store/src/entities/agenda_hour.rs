//! `agenda_hours`: an advisor's weekly hours for one channel, in the site's local time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub staff_id: Uuid,
    pub channel: String,
    /// 1 Monday … 7 Sunday.
    pub weekday: i16,
    pub start_minute: i16,
    pub end_minute: i16,
    /// The branch, for hours at a branch.
    pub site_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
