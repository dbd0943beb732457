//! `sender_debts`: what professionals owe the fund after a line paid to them in tiers payant
//! was corrected downwards, and its withholding from their next payments.

use std::collections::HashMap;

use caisse_domain::claims::ProfessionalId;
use caisse_domain::{AmountCents, CaisseCode, Instant};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Value,
};
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, rows_per_statement, statement};
use crate::StoreError;
use crate::entities::sender_debt::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A professional's debt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderDebt {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// Who owes it.
    pub sender: ProfessionalId,
    /// The amount owed at the start.
    pub amount: AmountCents,
    /// What their payments withheld so far.
    pub recovered: AmountCents,
    /// The correction that recorded it.
    pub correction_id: Uuid,
    /// When.
    pub created_at: Instant,
    /// When nothing was left to withhold.
    pub settled_at: Option<Instant>,
}

impl SenderDebt {
    /// What is still owed.
    pub fn left(&self) -> AmountCents {
        AmountCents::new((self.amount.cents() - self.recovered.cents()).max(0))
    }
}

fn sender_debt(row: Model) -> Result<SenderDebt, StoreError> {
    let corrupt = |column| StoreError::corrupt("sender_debts", column, row.id);
    Ok(SenderDebt {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        sender: ProfessionalId::from_code(&row.sender).ok_or_else(|| corrupt("sender"))?,
        id: row.id,
        amount: AmountCents::new(row.amount_cents),
        recovered: AmountCents::new(row.recovered_cents),
        correction_id: row.correction_id,
        created_at: instant(row.created_at),
        settled_at: row.settled_at.map(instant),
    })
}

/// Records the debt a correction leaves `sender` with; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    sender: &ProfessionalId,
    amount: AmountCents,
    correction_id: Uuid,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse.as_str().to_owned()),
        sender: Set(sender.code()),
        amount_cents: Set(amount.cents()),
        recovered_cents: Set(0),
        correction_id: Set(correction_id),
        created_at: Set(now.get()),
        settled_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The debts these corrections recorded, by correction.
pub async fn of_corrections<C: ConnectionTrait>(
    db: &C,
    correction_ids: &[Uuid],
) -> Result<HashMap<Uuid, SenderDebt>, StoreError> {
    let mut debts = HashMap::new();
    for chunk in correction_ids.chunks(ROWS_PER_STATEMENT) {
        let rows = Entity::find()
            .filter(Column::CorrectionId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for row in rows {
            let debt = sender_debt(row)?;
            debts.insert(debt.correction_id, debt);
        }
    }
    Ok(debts)
}

/// The open debts of these senders (fund and stored code, as `care_sheets.sender`), oldest
/// first for each.
pub async fn open_of_many<C: ConnectionTrait>(
    db: &C,
    senders: &[(CaisseCode, String)],
) -> Result<HashMap<(CaisseCode, String), Vec<SenderDebt>>, StoreError> {
    let mut open: HashMap<(CaisseCode, String), Vec<SenderDebt>> = HashMap::new();
    for chunk in senders.chunks(ROWS_PER_STATEMENT) {
        let mut query = Entity::find()
            .filter(Column::Sender.is_in(chunk.iter().map(|(_, s)| s.clone())))
            .filter(Column::SettledAt.is_null())
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id);
        if db.get_database_backend() == DbBackend::Postgres {
            // Held until the run commits: a run beside it waits, then reads what this one
            // withheld, so a debt is never withheld twice.
            query = query.lock_exclusive();
        }
        for row in query.all(db).await? {
            let debt = sender_debt(row)?;
            // The same number may send to another fund: only the pairs asked for.
            let key = (debt.caisse, debt.sender.code());
            if chunk.contains(&key) {
                open.entry(key).or_default().push(debt);
            }
        }
    }
    Ok(open)
}

/// Withholds amounts of debts (`(debt, amount)`), by one `UPDATE … FROM (VALUES …)` per chunk;
/// a debt with nothing left is settled.
pub async fn recover_many<C: ConnectionTrait>(
    db: &C,
    recoveries: &[(Uuid, AmountCents)],
    now: Instant,
) -> Result<(), StoreError> {
    for chunk in recoveries.chunks(rows_per_statement(2, 1)) {
        let mut values: Vec<Value> = vec![now.get().into()];
        let mut tuples = Vec::with_capacity(chunk.len());
        for (i, (id, amount)) in chunk.iter().enumerate() {
            values.extend([(*id).into(), amount.cents().into()]);
            let n = 2 + i * 2;
            tuples.push(format!("(${n}, ${})", n + 1));
        }
        let sql = format!(
            "WITH v (id, taken_cents) AS (VALUES {}) \
             UPDATE sender_debts SET recovered_cents = sender_debts.recovered_cents + v.taken_cents, \
             settled_at = CASE WHEN sender_debts.recovered_cents + v.taken_cents >= sender_debts.amount_cents \
             THEN $1 ELSE NULL END \
             FROM v WHERE sender_debts.id = v.id",
            tuples.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}
