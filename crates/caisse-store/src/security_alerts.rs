//! Queries on security alerts shown to the fund's advisors.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::security_alert::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Raises an alert about a member of fund `caisse_code`.
pub async fn raise<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    caisse_code: &str,
    kind: &str,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        caisse_code: Set(caisse_code.to_owned()),
        kind: Set(kind.to_owned()),
        created_at: Set(normalize_instant(now)),
        resolved_at: Set(None),
        resolved_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The open alerts of one fund, oldest first.
pub async fn open_for_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code))
        .filter(Column::ResolvedAt.is_null())
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// A member's alerts, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .order_by_desc(Column::Id)
        .all(db)
        .await?)
}

/// Resolves every open alert of a member; returns how many.
pub async fn resolve_for_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    staff_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(
            Column::ResolvedAt,
            Expr::value(Some(normalize_instant(now))),
        )
        .col_expr(Column::ResolvedBy, Expr::value(Some(staff_id)))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::ResolvedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
