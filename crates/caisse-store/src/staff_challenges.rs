//! Queries on pending staff logins (between the password and the TOTP code).

use caisse_domain::Instant;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::staff_login_challenge::{ActiveModel, Column, Entity};
use crate::one_time::{self, SecretTable};

impl SecretTable for Entity {
    const KEY: Column = Column::Id;
    const SPENT_AT: Column = Column::ConsumedAt;
    const EXPIRES_AT: Option<Column> = Some(Column::ExpiresAt);
}

/// A pending staff login to store.
#[derive(Clone)]
pub struct NewStaffChallenge {
    /// Staff user who typed the right password.
    pub staff_id: Uuid,
    /// Digest of the browser cookie that must answer.
    pub binding: String,
    /// During an enrolment, the sealed new secret.
    pub pending_secret: Option<String>,
    /// End of validity.
    pub expires_at: Instant,
}

/// A live pending staff login. `Debug` shows neither the binding nor the sealed secret.
#[derive(Clone)]
pub struct StaffChallenge {
    /// Its id.
    pub id: Uuid,
    /// Staff user who typed the right password.
    pub staff_id: Uuid,
    /// During an enrolment, the sealed new secret.
    pub pending_secret: Option<String>,
}

impl std::fmt::Debug for StaffChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffChallenge")
            .field("id", &self.id)
            .field("staff_id", &self.staff_id)
            .field("enrolment", &self.pending_secret.is_some())
            .finish_non_exhaustive()
    }
}

/// Stores a pending login, replacing any other one of the same browser (a browser has at most
/// one); returns its id.
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    new: NewStaffChallenge,
    now: Instant,
) -> Result<Uuid, StoreError> {
    Entity::delete_many()
        .filter(Column::Binding.eq(new.binding.as_str()))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        staff_id: Set(new.staff_id),
        binding: Set(new.binding),
        pending_secret: Set(new.pending_secret),
        created_at: Set(now.get()),
        expires_at: Set(new.expires_at.get()),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The live (unused, unexpired) pending login of this browser, if any.
pub async fn live_for_binding<C: ConnectionTrait>(
    db: &C,
    binding: &str,
    now: Instant,
) -> Result<Option<StaffChallenge>, StoreError> {
    Ok(Entity::find()
        .filter(Column::Binding.eq(binding))
        .filter(one_time::usable::<Entity>(now))
        .order_by_desc(Column::Id)
        .one(db)
        .await?
        .map(|row| StaffChallenge {
            id: row.id,
            staff_id: row.staff_id,
            pending_secret: row.pending_secret,
        }))
}

/// Uses a pending login up if it is still live; returns false when it was already used or
/// ended (a parallel request won).
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    one_time::consume::<Entity, _>(db, id, now).await
}

/// Ends a pending login whatever its expiry (refused, locked, or its account gone); returns
/// false when it was already used.
pub async fn end<C: ConnectionTrait>(db: &C, id: Uuid, now: Instant) -> Result<bool, StoreError> {
    let ended =
        one_time::spend_all::<Entity, _>(db, Condition::all().add(Column::Id.eq(id)), now).await?;
    Ok(ended == 1)
}

/// Deletes every pending login of a staff user (their second factor was reset); returns how
/// many.
pub async fn delete_for_staff<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::StaffId.eq(staff_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Deletes pending logins that ended before `before`; returns how many.
pub async fn purge_ended<C: ConnectionTrait>(db: &C, before: Instant) -> Result<u64, StoreError> {
    one_time::delete_expired_before::<Entity, _>(db, before).await
}
