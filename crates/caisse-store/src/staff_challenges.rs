//! Queries on pending staff logins (between the password and the TOTP code).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::staff_login_challenge::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// A pending staff login to store.
#[derive(Clone)]
pub struct NewStaffChallenge {
    /// Staff user who typed the right password.
    pub staff_id: Uuid,
    /// Digest of the browser cookie that must answer.
    pub binding: String,
    /// During an enrolment, the sealed new secret.
    pub pending_secret: Option<String>,
    /// End of validity.
    pub expires_at: OffsetDateTime,
}

/// Stores a pending login, replacing any other one of the same browser (a browser has at most
/// one); returns its id.
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    new: NewStaffChallenge,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    Entity::delete_many()
        .filter(Column::Binding.eq(new.binding.as_str()))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        staff_id: Set(new.staff_id),
        binding: Set(new.binding),
        pending_secret: Set(new.pending_secret),
        created_at: Set(normalize_instant(now)),
        expires_at: Set(normalize_instant(new.expires_at)),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The live (unused, unexpired) pending login of this browser, if any.
pub async fn live_for_binding<C: ConnectionTrait>(
    db: &C,
    binding: &str,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::Binding.eq(binding))
        .filter(Column::ConsumedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
        .order_by_desc(Column::Id)
        .one(db)
        .await?)
}

/// Marks a pending login used; returns false when it was already used (a parallel request won).
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(
            Column::ConsumedAt,
            Expr::value(Some(normalize_instant(now))),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Deletes every pending login of a staff user (their second factor was reset); returns how
/// many.
pub async fn delete_for_staff<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::StaffId.eq(staff_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Deletes pending logins that ended before `before`; returns how many.
pub async fn purge_ended<C: ConnectionTrait>(
    db: &C,
    before: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lt(normalize_instant(before)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
