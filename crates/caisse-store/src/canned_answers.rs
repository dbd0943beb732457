//! Queries on a fund's canned answers. Every lookup names the fund, so another fund's answer
//! is simply not found.

use std::fmt;

use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::canned_answer::{self, Column, Entity, Model};

/// The content of a canned answer.
#[derive(Clone, PartialEq, Eq)]
pub struct CannedAnswerText {
    /// The team it is meant for, if any (a team of the same fund).
    pub team_id: Option<Uuid>,
    /// Title, as staff pick it.
    pub title: String,
    /// Text with variables.
    pub body: String,
}

/// Shows the team only: titles and texts may name people.
impl fmt::Debug for CannedAnswerText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CannedAnswerText")
            .field("team_id", &self.team_id)
            .finish_non_exhaustive()
    }
}

/// A canned answer as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannedAnswer {
    /// Id.
    pub id: Uuid,
    /// Its fund.
    pub caisse_code: CaisseCode,
    /// Its content.
    pub text: CannedAnswerText,
    /// Whether staff may insert it.
    pub active: bool,
    /// Last change.
    pub updated_at: Instant,
}

impl TryFrom<Model> for CannedAnswer {
    type Error = StoreError;

    fn try_from(row: Model) -> Result<CannedAnswer, StoreError> {
        Ok(CannedAnswer {
            caisse_code: CaisseCode::parse(&row.caisse_code)
                .map_err(|_| StoreError::corrupt("canned_answers", "caisse_code", row.id))?,
            id: row.id,
            text: CannedAnswerText {
                team_id: row.team_id,
                title: row.title,
                body: row.body,
            },
            active: row.active,
            updated_at: row.updated_at.into(),
        })
    }
}

/// Inserts an active canned answer for fund `caisse_code`; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    text: CannedAnswerText,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    canned_answer::ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse_code.as_str().to_owned()),
        team_id: Set(text.team_id),
        title: Set(text.title),
        body: Set(text.body),
        active: Set(true),
        created_at: Set(now.get()),
        updated_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Replaces the content of canned answer `id` of fund `caisse_code`; returns false if the fund
/// has no such answer.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    id: Uuid,
    text: CannedAnswerText,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::TeamId, Expr::value(text.team_id))
        .col_expr(Column::Title, Expr::value(text.title))
        .col_expr(Column::Body, Expr::value(text.body))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Activates or deactivates canned answer `id` of fund `caisse_code`; returns false if the
/// fund has no such answer.
pub async fn set_active<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    id: Uuid,
    active: bool,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Active, Expr::value(active))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Canned answer `id` if it belongs to fund `caisse_code`.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    id: Uuid,
) -> Result<Option<CannedAnswer>, StoreError> {
    Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .one(db)
        .await?
        .map(CannedAnswer::try_from)
        .transpose()
}

/// The canned answers of a fund (only active ones if `active_only`), active first, then by
/// title.
pub async fn of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    active_only: bool,
) -> Result<Vec<CannedAnswer>, StoreError> {
    let mut select = Entity::find().filter(Column::CaisseCode.eq(caisse_code.as_str()));
    if active_only {
        select = select.filter(Column::Active.eq(true));
    }
    select
        .order_by_desc(Column::Active)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(CannedAnswer::try_from)
        .collect()
}
