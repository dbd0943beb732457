//! Queries on a fund's canned answers. Every lookup names the fund, so another fund's answer
//! is simply not found.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::canned_answer::{self, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// The content of a canned answer.
#[derive(Clone, Debug)]
pub struct CannedAnswerText {
    /// The team it is meant for, if any (a team of the same fund).
    pub team_id: Option<Uuid>,
    /// Title, as advisors pick it.
    pub title: String,
    /// Text with variables.
    pub body: String,
}

/// Inserts an active canned answer for fund `caisse_code`; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    text: CannedAnswerText,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let now = normalize_instant(now);
    canned_answer::ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse_code.to_owned()),
        team_id: Set(text.team_id),
        title: Set(text.title),
        body: Set(text.body),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Replaces the content of canned answer `id` of fund `caisse_code`; returns false if the fund
/// has no such answer.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
    text: CannedAnswerText,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::TeamId, Expr::value(text.team_id))
        .col_expr(Column::Title, Expr::value(text.title))
        .col_expr(Column::Body, Expr::value(text.body))
        .col_expr(Column::UpdatedAt, Expr::value(normalize_instant(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Activates or deactivates canned answer `id` of fund `caisse_code`; returns false if the
/// fund has no such answer.
pub async fn set_active<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
    active: bool,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Active, Expr::value(active))
        .col_expr(Column::UpdatedAt, Expr::value(normalize_instant(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Canned answer `id` if it belongs to fund `caisse_code`.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code))
        .one(db)
        .await?)
}

/// The canned answers of a fund (only active ones if `active_only`), active first, then by
/// title.
pub async fn of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    active_only: bool,
) -> Result<Vec<Model>, StoreError> {
    let mut select = Entity::find().filter(Column::CaisseCode.eq(caisse_code));
    if active_only {
        select = select.filter(Column::Active.eq(true));
    }
    Ok(select
        .order_by_desc(Column::Active)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}
