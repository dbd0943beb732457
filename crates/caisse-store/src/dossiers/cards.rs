//! Cards ordered by a procedure: cartes Vitale and CEAM, with their production states.

use caisse_domain::Instant;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use time::Date;
use uuid::Uuid;

use crate::entities::card_order::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;
use crate::{ConnectionTrait, StoreError};

/// A card order as stored. States and kinds are the domain's codes, read by core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOrder {
    /// Id.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The person the card is for.
    pub person_rank: u8,
    /// `vitale` or `ceam`.
    pub card: String,
    /// Why: `premiere`, `remplacement`, `perte`, `vol`, `ceam`.
    pub reason: String,
    /// `commandee`, `en_fabrication`, `envoyee`.
    pub state: String,
    /// The dossier that ordered it.
    pub dossier_id: Option<Uuid>,
    /// Ordered.
    pub ordered_at: Instant,
    /// Last state change.
    pub updated_at: Instant,
    /// The end of the CEAM's provisional certificate.
    pub valid_to: Option<Date>,
}

fn stored(row: Model) -> Result<CardOrder, StoreError> {
    Ok(CardOrder {
        person_rank: u8::try_from(row.person_rank)
            .map_err(|_| StoreError::corrupt("card_orders", "person_rank", row.id))?,
        id: row.id,
        member_id: row.member_id,
        card: row.card,
        reason: row.reason,
        state: row.state,
        dossier_id: row.dossier_id,
        ordered_at: instant(row.ordered_at),
        updated_at: instant(row.updated_at),
        valid_to: row.valid_to,
    })
}

/// Records an order.
pub async fn insert<C: ConnectionTrait>(db: &C, order: &CardOrder) -> Result<(), StoreError> {
    ActiveModel {
        id: Set(order.id),
        member_id: Set(order.member_id),
        person_rank: Set(i16::from(order.person_rank)),
        card: Set(order.card.clone()),
        reason: Set(order.reason.clone()),
        state: Set(order.state.clone()),
        dossier_id: Set(order.dossier_id),
        ordered_at: Set(order.ordered_at.get()),
        updated_at: Set(order.updated_at.get()),
        valid_to: Set(order.valid_to),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A member's orders, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<CardOrder>, StoreError> {
    Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .order_by_desc(Column::OrderedAt)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The order made by dossier `dossier_id`.
pub async fn of_dossier<C: ConnectionTrait>(
    db: &C,
    dossier_id: Uuid,
) -> Result<Option<CardOrder>, StoreError> {
    Entity::find()
        .filter(Column::DossierId.eq(dossier_id))
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// Moves order `id` from state `from` to `to`; `false` when it was not in `from`.
pub async fn advance<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: &str,
    to: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::State, Expr::value(to))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
