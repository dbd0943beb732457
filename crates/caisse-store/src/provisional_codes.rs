//! Queries on provisional codes sent by post. Codes arrive as Argon2id hashes; their attempts
//! are counted through [`crate::one_time`].

use caisse_domain::Instant;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::provisional_code::{ActiveModel, Column, Entity};
use crate::one_time::{self, CodeRef, CodeTable};

/// A member's live code. `Debug` shows no hash.
#[derive(Clone)]
pub struct ProvisionalCode {
    /// Its id.
    pub id: Uuid,
    /// Argon2id hash of the code.
    pub code_hash: String,
}

impl ProvisionalCode {
    /// The code as one whose attempts are counted.
    pub fn code(&self) -> CodeRef {
        CodeRef {
            table: CodeTable::ProvisionalCodes,
            id: self.id,
        }
    }
}

impl std::fmt::Debug for ProvisionalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvisionalCode")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Stores a new code, replacing the member's earlier unused codes (only the latest letter
/// works).
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    code_hash: String,
    expires_at: Instant,
    now: Instant,
) -> Result<(), StoreError> {
    one_time::spend_all::<Entity, _>(
        db,
        Condition::all().add(Column::MemberId.eq(member_id)),
        now,
    )
    .await?;
    ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        code_hash: Set(code_hash),
        attempts: Set(0),
        created_at: Set(now.get()),
        expires_at: Set(expires_at.get()),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The member's live code: unused and unexpired.
pub async fn live<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<Option<ProvisionalCode>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(one_time::usable::<Entity>(now))
        .order_by_desc(Column::Id)
        .one(db)
        .await?
        .map(|row| ProvisionalCode {
            id: row.id,
            code_hash: row.code_hash,
        }))
}

/// How many codes were issued to a member since `since`.
pub async fn count_issued_since<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    since: Instant,
) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::CreatedAt.gte(since.get()))
        .count(db)
        .await?)
}
