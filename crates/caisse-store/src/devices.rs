//! Queries on login challenges and trusted devices.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::code_attempts::{self, CodeColumns};
use crate::entities::{login_challenge, trusted_device};
use crate::{StoreError, normalize_instant};

/// A challenge to store.
#[derive(Clone, Debug)]
pub struct NewChallenge {
    /// Member who typed the right password.
    pub member_id: Uuid,
    /// Digest of the code.
    pub code_hash: String,
    /// Digest of the browser cookie that must answer, when the login came from a browser.
    pub binding: Option<String>,
    /// End of validity.
    pub expires_at: OffsetDateTime,
}

/// Stores a challenge; returns its id.
pub async fn insert_challenge<C: ConnectionTrait>(
    db: &C,
    new: NewChallenge,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    login_challenge::ActiveModel {
        id: Set(id),
        member_id: Set(new.member_id),
        code_hash: Set(new.code_hash),
        binding: Set(new.binding),
        attempts: Set(0),
        created_at: Set(normalize_instant(now)),
        expires_at: Set(normalize_instant(new.expires_at)),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// A challenge by id.
pub async fn challenge<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<login_challenge::Model>, StoreError> {
    Ok(login_challenge::Entity::find_by_id(id).one(db).await?)
}

/// Counts an attempt on a challenge *before* its code is checked: one conditional update that
/// succeeds only while the challenge is unused, unexpired and under `max_attempts`. Returns the
/// attempts counted so far, this one included, or `None` when no attempt is left: then the code
/// must not be checked. Atomic on both databases, so parallel guesses never exceed the limit.
pub async fn reserve_attempt<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    max_attempts: i32,
    now: OffsetDateTime,
) -> Result<Option<i32>, StoreError> {
    use login_challenge::Column;
    let columns = CodeColumns {
        id: Column::Id,
        attempts: Column::Attempts,
        used_at: Column::ConsumedAt,
        expires_at: Column::ExpiresAt,
    };
    code_attempts::reserve::<login_challenge::Entity, _>(
        db,
        columns,
        id,
        max_attempts,
        now,
        |row| row.attempts,
    )
    .await
}

/// Marks a challenge used; returns false when it was already used (a replay lost the race).
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = login_challenge::Entity::update_many()
        .col_expr(
            login_challenge::Column::ConsumedAt,
            Expr::value(Some(normalize_instant(now))),
        )
        .filter(login_challenge::Column::Id.eq(id))
        .filter(login_challenge::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Stores a trusted device.
pub async fn trust<C: ConnectionTrait>(
    db: &C,
    token_hash: String,
    member_id: Uuid,
    label: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    trusted_device::ActiveModel {
        token_hash: Set(token_hash),
        member_id: Set(member_id),
        label: Set(label.chars().take(256).collect()),
        created_at: Set(now),
        last_used_at: Set(now),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// True when this device token is trusted for this member; records the use.
pub async fn use_trusted<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = trusted_device::Entity::update_many()
        .col_expr(
            trusted_device::Column::LastUsedAt,
            Expr::value(normalize_instant(now)),
        )
        .filter(trusted_device::Column::TokenHash.eq(token_hash))
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(trusted_device::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A member's trusted devices, most recently used first.
pub async fn trusted_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<trusted_device::Model>, StoreError> {
    Ok(trusted_device::Entity::find()
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(trusted_device::Column::RevokedAt.is_null())
        .order_by_desc(trusted_device::Column::LastUsedAt)
        .all(db)
        .await?)
}

/// Revokes every trusted device of a member; returns how many.
pub async fn revoke_all_trusted<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = trusted_device::Entity::update_many()
        .col_expr(
            trusted_device::Column::RevokedAt,
            Expr::value(Some(normalize_instant(now))),
        )
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(trusted_device::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Revokes one trusted device of this member; returns whether it was trusted.
pub async fn revoke_trusted<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = trusted_device::Entity::update_many()
        .col_expr(
            trusted_device::Column::RevokedAt,
            Expr::value(Some(normalize_instant(now))),
        )
        .filter(trusted_device::Column::TokenHash.eq(token_hash))
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(trusted_device::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
