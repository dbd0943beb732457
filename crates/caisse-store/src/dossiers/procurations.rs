//! Procurations: a member lets a mandataire act for them for one month, revocable.

use caisse_domain::Instant;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use time::Date;
use uuid::Uuid;

use crate::entities::procuration::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;
use crate::{ConnectionTrait, StoreError};

/// A procuration. `Debug` shows no name.
#[derive(Clone, PartialEq, Eq)]
pub struct Procuration {
    /// Id.
    pub id: Uuid,
    /// The member who gave it (the mandant).
    pub member_id: Uuid,
    /// The mandataire's last name.
    pub last_name: String,
    /// The mandataire's first name.
    pub first_name: String,
    /// The mandataire's birth date.
    pub birth_date: Date,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_to: Date,
    /// Revoked.
    pub revoked_at: Option<Instant>,
    /// The dossier that made it.
    pub dossier_id: Option<Uuid>,
}

impl std::fmt::Debug for Procuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Procuration")
            .field("id", &self.id)
            .field("valid_to", &self.valid_to)
            .finish_non_exhaustive()
    }
}

fn stored(row: Model) -> Procuration {
    Procuration {
        id: row.id,
        member_id: row.member_id,
        last_name: row.mandataire_last_name,
        first_name: row.mandataire_first_name,
        birth_date: row.mandataire_birth_date,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        revoked_at: row.revoked_at.map(instant),
        dossier_id: row.dossier_id,
    }
}

/// Records a procuration.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    procuration: &Procuration,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        id: Set(procuration.id),
        member_id: Set(procuration.member_id),
        mandataire_last_name: Set(procuration.last_name.clone()),
        mandataire_first_name: Set(procuration.first_name.clone()),
        mandataire_birth_date: Set(procuration.birth_date),
        valid_from: Set(procuration.valid_from),
        valid_to: Set(procuration.valid_to),
        revoked_at: Set(None),
        dossier_id: Set(procuration.dossier_id),
        created_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The procurations member `member_id` gave, newest first.
pub async fn given_by<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Procuration>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .order_by_desc(Column::ValidTo)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect())
}

/// Procurations in force on `today` naming a mandataire born on `birth_date` (the caller
/// compares the names, folded).
pub async fn naming_born_on<C: ConnectionTrait>(
    db: &C,
    birth_date: Date,
    today: Date,
) -> Result<Vec<Procuration>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MandataireBirthDate.eq(birth_date))
        .filter(Column::ValidFrom.lte(today))
        .filter(Column::ValidTo.gte(today))
        .filter(Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect())
}

/// The procuration `id`.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Procuration>, StoreError> {
    Ok(Entity::find_by_id(id).one(db).await?.map(stored))
}

/// Revokes procuration `id` of member `member_id`; `false` when it is not theirs or was
/// revoked already.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(now.get())))
        .filter(Column::Id.eq(id))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
