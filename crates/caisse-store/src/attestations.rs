//! Queries on issued attestations: recorded once, then found by their short code.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::entities::attestation::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// An issued attestation to record.
#[derive(Clone, Debug)]
pub struct NewAttestation {
    /// Short code, 12 characters without dashes.
    pub code: String,
    /// The member it was issued to.
    pub member_id: Uuid,
    /// `droits` or `carte_vitale`.
    pub kind: &'static str,
    /// Id of the signing key.
    pub key_id: String,
    /// The signed statement as the QR code holds it.
    pub sealed: String,
    /// When it was issued.
    pub issued_at: OffsetDateTime,
    /// First day attested.
    pub valid_from: Date,
    /// Last day attested.
    pub valid_to: Date,
}

/// Records an attestation; returns its id.
pub async fn insert<C: ConnectionTrait>(db: &C, new: NewAttestation) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        code: Set(new.code),
        member_id: Set(new.member_id),
        kind: Set(new.kind.to_owned()),
        key_id: Set(new.key_id),
        sealed: Set(new.sealed),
        issued_at: Set(normalize_instant(new.issued_at)),
        valid_from: Set(new.valid_from),
        valid_to: Set(new.valid_to),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The attestation with this short code (12 characters without dashes).
pub async fn find_by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find().filter(Column::Code.eq(code)).one(db).await?)
}
