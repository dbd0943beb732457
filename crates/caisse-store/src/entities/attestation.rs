//! `attestations`: every attestation issued, with its signed statement as printed in its QR
//! code (`sealed`), so the short code typed on the verification page finds it again.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attestations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The short code, 12 characters without dashes.
    #[sea_orm(unique)]
    pub code: String,
    pub member_id: Uuid,
    /// `droits` or `carte_vitale`.
    pub kind: String,
    /// Id of the key that signed it.
    pub key_id: String,
    /// The signed statement as encoded in the QR code (`CAISSE-ATT1:…`).
    pub sealed: String,
    pub issued_at: TimeDateTimeWithTimeZone,
    pub valid_from: TimeDate,
    pub valid_to: TimeDate,
}

/// Masked: only ids, states and instants; never personal data, digests or secrets.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("attestation::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .field("issued_at", &self.issued_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
