//! Queries on security alerts shown to the fund's staff.

use caisse_domain::{AlertKind, CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::security_alert::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// An alert about a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityAlert {
    /// Id.
    pub id: Uuid,
    /// The member concerned.
    pub member_id: Uuid,
    /// Their fund.
    pub caisse_code: CaisseCode,
    /// Why.
    pub kind: AlertKind,
    /// Raised at.
    pub created_at: Instant,
    /// Resolved at.
    pub resolved_at: Option<Instant>,
    /// By whom.
    pub resolved_by: Option<Uuid>,
}

fn alert(row: Model) -> Result<SecurityAlert, StoreError> {
    let id = row.id;
    Ok(SecurityAlert {
        caisse_code: CaisseCode::parse(&row.caisse_code)
            .map_err(|_| StoreError::corrupt("security_alerts", "caisse_code", id))?,
        kind: AlertKind::from_code(&row.kind)
            .ok_or_else(|| StoreError::corrupt("security_alerts", "kind", id))?,
        id,
        member_id: row.member_id,
        created_at: instant(row.created_at),
        resolved_at: row.resolved_at.map(instant),
        resolved_by: row.resolved_by,
    })
}

fn alerts(rows: Vec<Model>) -> Result<Vec<SecurityAlert>, StoreError> {
    rows.into_iter().map(alert).collect()
}

/// Raises an alert about a member of fund `caisse_code`.
pub async fn raise<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    caisse_code: &CaisseCode,
    kind: AlertKind,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        caisse_code: Set(caisse_code.as_str().to_owned()),
        kind: Set(kind.code().to_owned()),
        created_at: Set(now.get()),
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
    caisse_code: &CaisseCode,
    limit: u64,
) -> Result<Vec<SecurityAlert>, StoreError> {
    alerts(
        Entity::find()
            .filter(Column::CaisseCode.eq(caisse_code.as_str()))
            .filter(Column::ResolvedAt.is_null())
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// How many alerts of one fund are open (the back office's home), read from the fund's
/// range of alerts.
pub async fn count_open_for_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::ResolvedAt.is_null())
        .count(db)
        .await?)
}

/// A member's alerts, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<SecurityAlert>, StoreError> {
    alerts(
        Entity::find()
            .filter(Column::MemberId.eq(member_id))
            .order_by_desc(Column::Id)
            .all(db)
            .await?,
    )
}

/// Resolves every open alert of a member; returns how many.
pub async fn resolve_for_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    staff_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::ResolvedAt, Expr::value(Some(now.get())))
        .col_expr(Column::ResolvedBy, Expr::value(Some(staff_id)))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::ResolvedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
