//! Queries on API tokens. Tokens arrive here already hashed.

use caisse_domain::Instant;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Select, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::api_token::{ActiveModel, Column, Entity, Model};
use crate::one_time::{self, SecretTable, instant};

impl SecretTable for Entity {
    const KEY: Column = Column::TokenHash;
    const SPENT_AT: Column = Column::RevokedAt;
    const EXPIRES_AT: Option<Column> = Some(Column::ExpiresAt);
}

/// A live token. `Debug` shows neither its digest nor its label.
#[derive(Clone)]
pub struct ApiToken {
    /// SHA-256 of the token, hex: its key.
    pub token_hash: String,
    /// Whose token.
    pub member_id: Uuid,
    /// What the app called itself.
    pub label: String,
    /// Issued at.
    pub created_at: Instant,
    /// Last used.
    pub last_used_at: Instant,
    /// End of validity.
    pub expires_at: Instant,
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiToken")
            .field("member_id", &self.member_id)
            .field("created_at", &self.created_at)
            .field("last_used_at", &self.last_used_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn token(row: Model) -> ApiToken {
    ApiToken {
        token_hash: row.token_hash,
        member_id: row.member_id,
        label: row.label,
        created_at: instant(row.created_at),
        last_used_at: instant(row.last_used_at),
        expires_at: instant(row.expires_at),
    }
}

/// Stores a token.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    token_hash: String,
    member_id: Uuid,
    label: &str,
    expires_at: Instant,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        token_hash: Set(token_hash),
        member_id: Set(member_id),
        label: Set(label.chars().take(256).collect()),
        created_at: Set(now.get()),
        last_used_at: Set(now.get()),
        expires_at: Set(expires_at.get()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn live(token_hash: &str, now: Instant) -> Select<Entity> {
    Entity::find_by_id(token_hash.to_owned()).filter(one_time::usable::<Entity>(now))
}

/// The live token with this hash: not revoked, not expired.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<Option<ApiToken>, StoreError> {
    Ok(live(token_hash, now).one(db).await?.map(token))
}

/// The live token with this hash whose member's account is active (not suspended or closed),
/// read in one statement.
pub async fn find_usable<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<Option<ApiToken>, StoreError> {
    Ok(live(token_hash, now)
        .filter(crate::members::has_active_account((
            Entity,
            Column::MemberId,
        )))
        .one(db)
        .await?
        .map(token))
}

/// Records a use.
pub async fn touch<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(now.get()))
        .filter(Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one token.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<(), StoreError> {
    one_time::spend_all::<Entity, _>(
        db,
        Condition::all().add(Column::TokenHash.eq(token_hash)),
        now,
    )
    .await?;
    Ok(())
}

/// Revokes every token of a member; returns how many.
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    one_time::spend_all::<Entity, _>(
        db,
        Condition::all().add(Column::MemberId.eq(member_id)),
        now,
    )
    .await
}

/// The live tokens of a member, most recently used first.
pub async fn live_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<Vec<ApiToken>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(one_time::usable::<Entity>(now))
        .order_by_desc(Column::LastUsedAt)
        .all(db)
        .await?
        .into_iter()
        .map(token)
        .collect())
}

/// Revokes one token of this member; returns whether it was live.
pub async fn revoke_owned<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    token_hash: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    let revoked = one_time::spend_all::<Entity, _>(
        db,
        Condition::all()
            .add(Column::TokenHash.eq(token_hash))
            .add(Column::MemberId.eq(member_id)),
        now,
    )
    .await?;
    Ok(revoked == 1)
}
