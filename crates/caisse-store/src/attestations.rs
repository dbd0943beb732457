//! Queries on issued attestations: recorded once, then found by their short code.

use caisse_domain::{AttestationCode, AttestationKind, Instant};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::attestation::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// An issued attestation to record. `Debug` never shows the signed statement (it names the
/// family).
#[derive(Clone)]
pub struct NewAttestation {
    /// Short code.
    pub code: AttestationCode,
    /// The member it was issued to.
    pub member_id: Uuid,
    /// Which attestation.
    pub kind: AttestationKind,
    /// Id of the signing key.
    pub key_id: String,
    /// The signed statement as the QR code holds it.
    pub sealed: String,
    /// When it was issued.
    pub issued_at: Instant,
    /// First day attested.
    pub valid_from: Date,
    /// Last day attested.
    pub valid_to: Date,
}

impl std::fmt::Debug for NewAttestation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttestation")
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// An issued attestation. `Debug` never shows the signed statement.
#[derive(Clone, PartialEq, Eq)]
pub struct Attestation {
    /// Id.
    pub id: Uuid,
    /// Short code.
    pub code: AttestationCode,
    /// The member it was issued to.
    pub member_id: Uuid,
    /// Which attestation.
    pub kind: AttestationKind,
    /// Id of the signing key.
    pub key_id: String,
    /// The signed statement as the QR code holds it.
    pub sealed: String,
    /// When it was issued.
    pub issued_at: Instant,
    /// First day attested.
    pub valid_from: Date,
    /// Last day attested.
    pub valid_to: Date,
}

impl std::fmt::Debug for Attestation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attestation")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .field("issued_at", &self.issued_at)
            .finish_non_exhaustive()
    }
}

fn attestation(row: Model) -> Result<Attestation, StoreError> {
    let id = row.id;
    Ok(Attestation {
        code: AttestationCode::parse(&row.code)
            .map_err(|_| StoreError::corrupt("attestations", "code", id))?,
        kind: AttestationKind::from_code(&row.kind)
            .ok_or_else(|| StoreError::corrupt("attestations", "kind", id))?,
        id,
        member_id: row.member_id,
        key_id: row.key_id,
        sealed: row.sealed,
        issued_at: instant(row.issued_at),
        valid_from: row.valid_from,
        valid_to: row.valid_to,
    })
}

/// Records an attestation; returns its id.
pub async fn insert<C: ConnectionTrait>(db: &C, new: NewAttestation) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        code: Set(new.code.as_str().to_owned()),
        member_id: Set(new.member_id),
        kind: Set(new.kind.code().to_owned()),
        key_id: Set(new.key_id),
        sealed: Set(new.sealed),
        issued_at: Set(new.issued_at.get()),
        valid_from: Set(new.valid_from),
        valid_to: Set(new.valid_to),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The attestation with this short code.
pub async fn find_by_code<C: ConnectionTrait>(
    db: &C,
    code: &AttestationCode,
) -> Result<Option<Attestation>, StoreError> {
    Entity::find()
        .filter(Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .map(attestation)
        .transpose()
}
