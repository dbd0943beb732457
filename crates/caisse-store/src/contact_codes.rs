//! Queries on codes that verify a new mobile number. Codes arrive hashed; their attempts are
//! counted through [`crate::one_time`].

use caisse_domain::{Channel, Instant, PhoneNumber};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::contact_code::{ActiveModel, Column, Entity};
use crate::one_time::{self, CodeRef, CodeTable, instant};

/// A live code sent to a new mobile number. `Debug` shows neither the number nor the digest.
#[derive(Clone)]
pub struct PhoneCode {
    /// Its id.
    pub id: Uuid,
    /// The number it confirms.
    pub target: PhoneNumber,
    /// Digest of the code.
    pub code_hash: String,
    /// Attempts counted so far.
    pub attempts: u32,
}

impl PhoneCode {
    /// The code as one whose attempts are counted.
    pub fn code(&self) -> CodeRef {
        CodeRef {
            table: CodeTable::ContactCodes,
            id: self.id,
        }
    }
}

impl std::fmt::Debug for PhoneCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneCode")
            .field("id", &self.id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

fn of_member(member_id: Uuid) -> Condition {
    Condition::all()
        .add(Column::MemberId.eq(member_id))
        .add(Column::Channel.eq(Channel::Sms.code()))
}

/// Stores a code for `target`, replacing the member's earlier unused codes.
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    target: &PhoneNumber,
    code_hash: String,
    expires_at: Instant,
    now: Instant,
) -> Result<(), StoreError> {
    one_time::spend_all::<Entity, _>(db, of_member(member_id), now).await?;
    ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        channel: Set(Channel::Sms.code().to_owned()),
        target: Set(target.as_e164().to_owned()),
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

/// When the member's codes were created since `since`, oldest first.
pub async fn sent_since<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    since: Instant,
) -> Result<Vec<Instant>, StoreError> {
    let sent: Vec<OffsetDateTime> = Entity::find()
        .select_only()
        .column(Column::CreatedAt)
        .filter(of_member(member_id))
        .filter(Column::CreatedAt.gte(since.get()))
        .order_by_asc(Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(sent.into_iter().map(instant).collect())
}

/// The member's live code: unused and unexpired.
pub async fn live<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<Option<PhoneCode>, StoreError> {
    let Some(row) = Entity::find()
        .filter(of_member(member_id))
        .filter(one_time::usable::<Entity>(now))
        .order_by_desc(Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let target = PhoneNumber::parse(&row.target)
        .map_err(|_| StoreError::corrupt("contact_codes", "target", row.id))?;
    Ok(Some(PhoneCode {
        id: row.id,
        target,
        code_hash: row.code_hash,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
    }))
}
