//! The files of a dossier, by field. Identity documents are erased once the dossier is
//! decided: the file is deleted from the file store and the row keeps only that it existed.

use caisse_domain::Instant;
use caisse_domain::demarches::{DossierState, FieldId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set,
};
use uuid::Uuid;

use crate::attachments::{NewAttachment, stored_file};
use crate::entities::dossier;
use crate::entities::dossier_piece::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;
use crate::{ConnectionTrait, StoreError};

/// A file of a dossier. `Debug` shows no name.
#[derive(Clone, PartialEq, Eq)]
pub struct Piece {
    /// Id.
    pub id: Uuid,
    /// The dossier.
    pub dossier_id: Uuid,
    /// The dossier's member.
    pub member_id: Uuid,
    /// The field it answers.
    pub field: FieldId,
    /// The file: name, kind, size and storage key.
    pub file: NewAttachment,
    /// An identity document, erased after the decision.
    pub identity_document: bool,
    /// Added.
    pub uploaded_at: Instant,
    /// Erased (the file is gone).
    pub erased_at: Option<Instant>,
}

impl std::fmt::Debug for Piece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Piece")
            .field("id", &self.id)
            .field("field", &self.field)
            .field("kind", &self.file.kind)
            .finish_non_exhaustive()
    }
}

fn stored(row: Model) -> Result<Piece, StoreError> {
    let corrupt = |column| StoreError::corrupt("dossier_pieces", column, row.id);
    Ok(Piece {
        id: row.id,
        dossier_id: row.dossier_id,
        member_id: row.member_id,
        field: FieldId::parse(&row.field_id).ok_or_else(|| corrupt("field_id"))?,
        file: stored_file(
            ("dossier_pieces", row.id),
            &row.file_name,
            &row.kind,
            row.size_bytes,
            row.storage_key,
        )?,
        identity_document: row.identity_document,
        uploaded_at: instant(row.uploaded_at),
        erased_at: row.erased_at.map(instant),
    })
}

/// Records a file written to the file store.
pub async fn insert<C: ConnectionTrait>(db: &C, piece: &Piece) -> Result<(), StoreError> {
    ActiveModel {
        id: Set(piece.id),
        dossier_id: Set(piece.dossier_id),
        member_id: Set(piece.member_id),
        field_id: Set(piece.field.as_str().to_owned()),
        file_name: Set(piece.file.file_name.as_str().to_owned()),
        kind: Set(piece.file.kind.content_type().to_owned()),
        size_bytes: Set(i64::try_from(piece.file.size_bytes).unwrap_or(i64::MAX)),
        storage_key: Set(piece.file.storage_key.clone()),
        identity_document: Set(piece.identity_document),
        uploaded_at: Set(piece.uploaded_at.get()),
        erased_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The files of dossier `dossier_id`, erased ones included, oldest first.
pub async fn of_dossier<C: ConnectionTrait>(
    db: &C,
    dossier_id: Uuid,
) -> Result<Vec<Piece>, StoreError> {
    Entity::find()
        .filter(Column::DossierId.eq(dossier_id))
        .order_by_asc(Column::UploadedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Removes piece `id` of dossier `dossier_id`; returns it when it was there.
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    dossier_id: Uuid,
    id: Uuid,
) -> Result<Option<Piece>, StoreError> {
    let Some(row) = Entity::find_by_id(id)
        .filter(Column::DossierId.eq(dossier_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let piece = stored(row)?;
    Entity::delete_by_id(id).exec(db).await?;
    Ok(Some(piece))
}

/// Identity documents of decided dossiers not erased yet, at most `limit`.
pub async fn identity_to_erase<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<Piece>, StoreError> {
    let closed: Vec<&str> = DossierState::ALL
        .iter()
        .filter(|s| s.is_decided() || matches!(s, DossierState::Cancelled | DossierState::Expired))
        .map(|s| s.code())
        .collect();
    let closed_dossiers = dossier::Entity::find()
        .select_only()
        .column(dossier::Column::Id)
        .filter(dossier::Column::State.is_in(closed))
        .into_query();
    Entity::find()
        .filter(Column::IdentityDocument.eq(true))
        .filter(Column::ErasedAt.is_null())
        .filter(Column::DossierId.in_subquery(closed_dossiers))
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Records that piece `id`'s file is gone.
pub async fn mark_erased<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::ErasedAt, Expr::value(now.get()))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
