//! `dossier_pieces`: the files of a dossier, by field.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_pieces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dossier_id: Uuid,
    /// The member whose row it is (the key a distributed database shards by).
    pub member_id: Uuid,
    pub field_id: String,
    pub file_name: String,
    pub kind: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub identity_document: bool,
    pub uploaded_at: TimeDateTimeWithTimeZone,
    pub erased_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
