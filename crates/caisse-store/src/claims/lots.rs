//! `claim_lots`: one row per accepted lot; the unique (fund, sender, number) is what makes a
//! lot sent twice accepted once.

use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::claim_lot::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// Where a lot came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotSource {
    /// `POST /api/v1/claims/lots`.
    Api,
    /// `caisse admin import-claims`.
    File,
}

impl LotSource {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            LotSource::Api => "api",
            LotSource::File => "file",
        }
    }
}

/// A lot as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLot {
    /// Id.
    pub id: Uuid,
    /// When it was accepted.
    pub received_at: Instant,
    /// Sheets accepted.
    pub sheets_accepted: u64,
    /// Sheets rejected.
    pub sheets_rejected: u64,
    /// The acknowledgement, as the core wrote it (JSON).
    pub acknowledgement: String,
}

fn lot(row: Model) -> StoredLot {
    StoredLot {
        id: row.id,
        received_at: instant(row.received_at),
        sheets_accepted: u64::try_from(row.sheets_accepted).unwrap_or(0),
        sheets_rejected: u64::try_from(row.sheets_rejected).unwrap_or(0),
        acknowledgement: row.acknowledgement,
    }
}

/// Claims (fund, sender, number) for a new lot: `Some(id)` when it is new, `None` when the
/// lot was already accepted. In the importing transaction, a concurrent import of the same
/// lot waits on the unique index and then finds it taken.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    sender: &ProfessionalId,
    number: u32,
    source: LotSource,
    now: Instant,
) -> Result<Option<Uuid>, StoreError> {
    let id = Uuid::now_v7();
    let inserted = Entity::insert(ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse.as_str().to_owned()),
        sender: Set(sender.code()),
        number: Set(i64::from(number)),
        received_at: Set(now.get()),
        source: Set(source.code().to_owned()),
        sheets_accepted: Set(0),
        sheets_rejected: Set(0),
        acknowledgement: Set(String::new()),
    })
    .on_conflict(
        OnConflict::columns([Column::CaisseCode, Column::Sender, Column::Number])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok((inserted == 1).then_some(id))
}

/// Writes the lot's counts and acknowledgement once its sheets are in.
pub async fn settle<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    accepted: u64,
    rejected: u64,
    acknowledgement: &str,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(
            Column::SheetsAccepted,
            Expr::value(i64::try_from(accepted).unwrap_or(i64::MAX)),
        )
        .col_expr(
            Column::SheetsRejected,
            Expr::value(i64::try_from(rejected).unwrap_or(i64::MAX)),
        )
        .col_expr(Column::Acknowledgement, Expr::value(acknowledgement))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The lot (fund, sender, number), if accepted.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    sender: &ProfessionalId,
    number: u32,
) -> Result<Option<StoredLot>, StoreError> {
    Ok(Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(Column::Sender.eq(sender.code()))
        .filter(Column::Number.eq(i64::from(number)))
        .one(db)
        .await?
        .map(lot))
}
