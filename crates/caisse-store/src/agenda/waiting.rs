//! The waiting list: a member whose first slot offered is more than a week ahead waits for
//! an earlier one; a slot freed earlier is offered to those waiting (by mail, first come
//! first served: an offer holds nothing).

use caisse_domain::agenda::Channel;
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::agenda_waiting;

/// A member waiting for an earlier slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The member.
    pub member_id: Uuid,
    /// The motif.
    pub motif_id: Uuid,
    /// The channel.
    pub channel: Channel,
    /// The branch, at a branch.
    pub site: Option<Uuid>,
    /// The first slot offered when they joined: they wait for an earlier one.
    pub earliest_offered: OffsetDateTime,
    /// When a freed slot was last offered to them.
    pub offered_at: Option<OffsetDateTime>,
}

fn waiting_of(row: agenda_waiting::Model) -> Result<Waiting, StoreError> {
    let corrupt = |column| StoreError::corrupt("agenda_waiting", column, row.id);
    Ok(Waiting {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        channel: Channel::from_code(&row.channel).ok_or_else(|| corrupt("channel"))?,
        id: row.id,
        member_id: row.member_id,
        motif_id: row.motif_id,
        site: row.site_id,
        earliest_offered: row.earliest_offered,
        offered_at: row.offered_at,
    })
}

/// Puts `waiting` on the list, replacing the member's open entry for the same motif.
pub async fn join_waiting<C: ConnectionTrait>(
    db: &C,
    waiting: &Waiting,
    now: Instant,
) -> Result<(), StoreError> {
    close_waiting(db, waiting.member_id, Some(waiting.motif_id), now).await?;
    agenda_waiting::ActiveModel {
        id: Set(waiting.id),
        caisse_code: Set(waiting.caisse.as_str().to_owned()),
        member_id: Set(waiting.member_id),
        motif_id: Set(waiting.motif_id),
        channel: Set(waiting.channel.code().to_owned()),
        site_id: Set(waiting.site),
        earliest_offered: Set(waiting.earliest_offered),
        created_at: Set(now.get()),
        offered_at: Set(None),
        closed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Takes member `member_id` off the list (for motif `motif_id` only, when given).
pub async fn close_waiting<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    motif_id: Option<Uuid>,
    now: Instant,
) -> Result<(), StoreError> {
    let mut update = agenda_waiting::Entity::update_many()
        .col_expr(agenda_waiting::Column::ClosedAt, Expr::value(now.get()))
        .filter(agenda_waiting::Column::MemberId.eq(member_id))
        .filter(agenda_waiting::Column::ClosedAt.is_null());
    if let Some(motif_id) = motif_id {
        update = update.filter(agenda_waiting::Column::MotifId.eq(motif_id));
    }
    update.exec(db).await?;
    Ok(())
}

/// Member `member_id`'s open entries.
pub async fn waiting_of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Waiting>, StoreError> {
    agenda_waiting::Entity::find()
        .filter(agenda_waiting::Column::MemberId.eq(member_id))
        .filter(agenda_waiting::Column::ClosedAt.is_null())
        .order_by_asc(agenda_waiting::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(waiting_of)
        .collect()
}

/// Those waiting for motif `motif_id` on `channel` who would take a slot starting at
/// `freed`, oldest first.
pub async fn waiting_for<C: ConnectionTrait>(
    db: &C,
    motif_id: Uuid,
    channel: Channel,
    freed: OffsetDateTime,
) -> Result<Vec<Waiting>, StoreError> {
    agenda_waiting::Entity::find()
        .filter(agenda_waiting::Column::MotifId.eq(motif_id))
        .filter(agenda_waiting::Column::Channel.eq(channel.code()))
        .filter(agenda_waiting::Column::ClosedAt.is_null())
        .filter(agenda_waiting::Column::EarliestOffered.gt(freed))
        .order_by_asc(agenda_waiting::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(waiting_of)
        .collect()
}

/// Records that a freed slot was offered to entry `id`.
pub async fn mark_offered<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<(), StoreError> {
    agenda_waiting::Entity::update_many()
        .col_expr(agenda_waiting::Column::OfferedAt, Expr::value(now.get()))
        .filter(agenda_waiting::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
