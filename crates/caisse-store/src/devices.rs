//! Queries on login challenges and trusted devices.

use caisse_domain::Instant;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{login_challenge, trusted_device};
use crate::one_time::{self, CodeRef, CodeTable, SecretTable, instant};

impl SecretTable for trusted_device::Entity {
    const KEY: trusted_device::Column = trusted_device::Column::TokenHash;
    const SPENT_AT: trusted_device::Column = trusted_device::Column::RevokedAt;
    const EXPIRES_AT: Option<trusted_device::Column> = None;
}

/// A challenge to store.
#[derive(Clone)]
pub struct NewChallenge {
    /// Member who typed the right password.
    pub member_id: Uuid,
    /// Digest of the code.
    pub code_hash: String,
    /// Digest of the browser cookie that must answer, when the login came from a browser.
    pub binding: Option<String>,
    /// End of validity.
    pub expires_at: Instant,
}

/// A stored login challenge, whatever its state. `Debug` shows no digest.
#[derive(Clone)]
pub struct LoginChallenge {
    /// Its id.
    pub id: Uuid,
    /// The member it logs in.
    pub member_id: Uuid,
    /// Digest of the code.
    pub code_hash: String,
    /// Digest of the browser cookie that must answer, if any.
    pub binding: Option<String>,
    /// Attempts counted so far.
    pub attempts: u32,
}

impl LoginChallenge {
    /// The challenge as a code whose attempts are counted.
    pub fn code(&self) -> CodeRef {
        CodeRef {
            table: CodeTable::LoginChallenges,
            id: self.id,
        }
    }
}

impl std::fmt::Debug for LoginChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginChallenge")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("bound", &self.binding.is_some())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Stores a challenge; returns its id.
pub async fn insert_challenge<C: ConnectionTrait>(
    db: &C,
    new: NewChallenge,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    login_challenge::ActiveModel {
        id: Set(id),
        member_id: Set(new.member_id),
        code_hash: Set(new.code_hash),
        binding: Set(new.binding),
        attempts: Set(0),
        created_at: Set(now.get()),
        expires_at: Set(new.expires_at.get()),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// A challenge by id, whatever its state (its attempts are reserved through
/// [`crate::one_time::reserve_code_attempt`], which refuses a used or expired one).
pub async fn challenge<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<LoginChallenge>, StoreError> {
    Ok(login_challenge::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| LoginChallenge {
            id: row.id,
            member_id: row.member_id,
            code_hash: row.code_hash,
            binding: row.binding,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
        }))
}

/// A browser or app a member trusts. `Debug` shows neither its digest nor its label.
#[derive(Clone)]
pub struct TrustedDevice {
    /// SHA-256 of the device token, hex: its key.
    pub token_hash: String,
    /// Whose device.
    pub member_id: Uuid,
    /// The user agent it was trusted from.
    pub label: String,
    /// Trusted since.
    pub created_at: Instant,
    /// Last used.
    pub last_used_at: Instant,
}

impl std::fmt::Debug for TrustedDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedDevice")
            .field("member_id", &self.member_id)
            .field("created_at", &self.created_at)
            .field("last_used_at", &self.last_used_at)
            .finish_non_exhaustive()
    }
}

/// Stores a trusted device.
pub async fn trust<C: ConnectionTrait>(
    db: &C,
    token_hash: String,
    member_id: Uuid,
    label: &str,
    now: Instant,
) -> Result<(), StoreError> {
    trusted_device::ActiveModel {
        token_hash: Set(token_hash),
        member_id: Set(member_id),
        label: Set(label.chars().take(256).collect()),
        created_at: Set(now.get()),
        last_used_at: Set(now.get()),
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
    now: Instant,
) -> Result<bool, StoreError> {
    let result = trusted_device::Entity::update_many()
        .col_expr(trusted_device::Column::LastUsedAt, Expr::value(now.get()))
        .filter(trusted_device::Column::TokenHash.eq(token_hash))
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(one_time::usable::<trusted_device::Entity>(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A member's trusted devices, most recently used first.
pub async fn trusted_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<TrustedDevice>, StoreError> {
    Ok(trusted_device::Entity::find()
        .filter(trusted_device::Column::MemberId.eq(member_id))
        .filter(trusted_device::Column::RevokedAt.is_null())
        .order_by_desc(trusted_device::Column::LastUsedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| TrustedDevice {
            token_hash: row.token_hash,
            member_id: row.member_id,
            label: row.label,
            created_at: instant(row.created_at),
            last_used_at: instant(row.last_used_at),
        })
        .collect())
}

/// Revokes every trusted device of a member; returns how many.
pub async fn revoke_all_trusted<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    one_time::spend_all::<trusted_device::Entity, _>(
        db,
        Condition::all().add(trusted_device::Column::MemberId.eq(member_id)),
        now,
    )
    .await
}

/// Revokes one trusted device of this member; returns whether it was trusted.
pub async fn revoke_trusted<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    token_hash: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    let revoked = one_time::spend_all::<trusted_device::Entity, _>(
        db,
        Condition::all()
            .add(trusted_device::Column::TokenHash.eq(token_hash))
            .add(trusted_device::Column::MemberId.eq(member_id)),
        now,
    )
    .await?;
    Ok(revoked == 1)
}
