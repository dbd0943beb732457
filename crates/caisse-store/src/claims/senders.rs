//! `claim_senders`: the keys professionals' software sends lots with. Only the key's SHA-256
//! is stored; a sender keeps its lots and payments across keys.

use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Iban, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::claim_sender::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A sender's key, as stored. `Debug` shows no IBAN.
#[derive(Clone, PartialEq, Eq)]
pub struct ClaimSender {
    /// The key's id.
    pub id: Uuid,
    /// The fund the sender sends to.
    pub caisse: CaisseCode,
    /// The professional or establishment.
    pub sender: ProfessionalId,
    /// Its name, as printed on payments.
    pub name: String,
    /// Where its tiers-payant payments go.
    pub iban: Iban,
    /// When the key was made.
    pub created_at: Instant,
    /// When it was revoked.
    pub revoked_at: Option<Instant>,
}

impl std::fmt::Debug for ClaimSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimSender")
            .field("id", &self.id)
            .field("sender", &self.sender)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

fn sender(row: Model) -> Result<ClaimSender, StoreError> {
    let corrupt = |column| StoreError::corrupt("claim_senders", column, row.id);
    Ok(ClaimSender {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        sender: ProfessionalId::from_code(&row.sender).ok_or_else(|| corrupt("sender"))?,
        iban: Iban::parse(&row.iban).map_err(|_| corrupt("iban"))?,
        id: row.id,
        name: row.name,
        created_at: instant(row.created_at),
        revoked_at: row.revoked_at.map(instant),
    })
}

/// A new key to record.
pub struct NewSender<'a> {
    /// The fund.
    pub caisse: CaisseCode,
    /// The professional or establishment.
    pub sender: &'a ProfessionalId,
    /// Its name.
    pub name: &'a str,
    /// Its IBAN.
    pub iban: &'a Iban,
    /// SHA-256 of the key, in hex.
    pub key_hash: &'a str,
}

/// Records a key; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewSender<'_>,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        sender: Set(new.sender.code()),
        name: Set(new.name.to_owned()),
        iban: Set(new.iban.as_str().to_owned()),
        key_hash: Set(new.key_hash.to_owned()),
        created_at: Set(now.get()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The live key with this hash.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    key_hash: &str,
) -> Result<Option<ClaimSender>, StoreError> {
    Entity::find()
        .filter(Column::KeyHash.eq(key_hash))
        .filter(Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(sender)
        .transpose()
}

/// Revokes every live key of `sender` in `caisse`; returns how many.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    who: &ProfessionalId,
    now: Instant,
) -> Result<u64, StoreError> {
    Ok(Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now.get()))
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(Column::Sender.eq(who.code()))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// The newest key of `sender` in `caisse`, live or not: whose name and IBAN payments use.
pub async fn newest<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    who: &ProfessionalId,
) -> Result<Option<ClaimSender>, StoreError> {
    Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(Column::Sender.eq(who.code()))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .one(db)
        .await?
        .map(sender)
        .transpose()
}

/// Every key of a fund, newest first.
pub async fn of_fund<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
) -> Result<Vec<ClaimSender>, StoreError> {
    Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(sender)
        .collect()
}
