//! Queries on single-use account links (activation, email confirmation, « Ce n'était pas
//! moi »). Tokens arrive here already hashed.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::account_link::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Activates a registered account and confirms its email address.
    Activation,
    /// Confirms a new email address.
    EmailChange,
    /// « Ce n'était pas moi »: the member disowns what a security mail reported.
    NotMe,
}

impl Purpose {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Activation => "activation",
            Purpose::EmailChange => "email_change",
            Purpose::NotMe => "not_me",
        }
    }
}

/// A link to store.
#[derive(Clone, Debug)]
pub struct NewLink {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Whose link.
    pub member_id: Uuid,
    /// What for.
    pub purpose: Purpose,
    /// JSON the purpose needs.
    pub payload: Option<String>,
    /// End of validity.
    pub expires_at: OffsetDateTime,
}

/// Stores a link.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    link: NewLink,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    ActiveModel {
        token_hash: Set(link.token_hash),
        member_id: Set(link.member_id),
        purpose: Set(link.purpose.code().to_owned()),
        payload: Set(link.payload),
        created_at: Set(normalize_instant(now)),
        expires_at: Set(normalize_instant(link.expires_at)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The link with this hash and purpose, whatever its state.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    purpose: Purpose,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(token_hash.to_owned())
        .filter(Column::Purpose.eq(purpose.code()))
        .one(db)
        .await?)
}

/// Marks the link used if it is unused and unexpired; returns whether it was. One
/// conditional `UPDATE`, so of two concurrent uses exactly one wins.
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let now = normalize_instant(now);
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(now)))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Uses up every unused link of a member for a purpose (a newer one replaces them).
pub async fn invalidate_unused<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    purpose: Purpose,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Purpose.eq(purpose.code()))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Deletes links that expired before `cutoff`; returns how many.
pub async fn delete_expired_before<C: ConnectionTrait>(
    db: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lt(normalize_instant(cutoff)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
