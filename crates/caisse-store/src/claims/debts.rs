//! `member_debts` and `debt_recoveries`: participations and franchises a member owes, and
//! what later reimbursements withheld to settle them.

use std::collections::HashMap;

use caisse_domain::messaging::ThreadStatus;
use caisse_domain::{AmountCents, CaisseCode, CreditorReference, Instant};
use sea_orm::sea_query::{Alias, Expr, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Value,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{debt_recovery, member_debt};
use crate::one_time::instant;

/// An open debt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Debt {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// Who owes it.
    pub member_id: Uuid,
    /// The sheet it comes from.
    pub sheet_id: Uuid,
    /// Its day of care.
    pub date_of_care: Date,
    /// The amount owed at the start.
    pub amount: AmountCents,
    /// What was recovered so far.
    pub recovered: AmountCents,
    /// When it was recorded.
    pub created_at: Instant,
    /// When the *avis de sommes à payer* was issued.
    pub notice_at: Option<Instant>,
    /// When nothing was left to pay.
    pub settled_at: Option<Instant>,
    /// The creditor reference a transfer quotes; `None` for a debt recorded before references
    /// existed, until it is first read by its member (`debt_payments::assign_reference`).
    pub reference: Option<CreditorReference>,
    /// The réclamation thread contesting it: its recovery pauses while that thread is open.
    pub contest_thread_id: Option<Uuid>,
}

impl Debt {
    /// What is still owed.
    pub fn left(&self) -> AmountCents {
        AmountCents::new((self.amount.cents() - self.recovered.cents()).max(0))
    }
}

pub(super) fn debt(row: member_debt::Model) -> Result<Debt, StoreError> {
    Ok(Debt {
        caisse: CaisseCode::parse(&row.caisse_code)
            .map_err(|_| StoreError::corrupt("member_debts", "caisse_code", row.id))?,
        id: row.id,
        member_id: row.member_id,
        sheet_id: row.sheet_id,
        date_of_care: row.date_of_care,
        amount: AmountCents::new(row.amount_cents),
        recovered: AmountCents::new(row.recovered_cents),
        created_at: instant(row.created_at),
        notice_at: row.notice_at.map(instant),
        settled_at: row.settled_at.map(instant),
        reference: row
            .reference
            .as_deref()
            .map(CreditorReference::parse)
            .transpose()
            .map_err(|_| StoreError::corrupt("member_debts", "reference", row.id))?,
        contest_thread_id: row.contest_thread_id,
    })
}

/// Crockford's base 32: no I, L, O or U, so a reference read on the phone is unambiguous.
const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new random creditor reference: 16 characters of base 32 (80 bits), not sequential, so
/// it reveals neither the fund's volume nor another member's reference.
pub(super) fn new_reference() -> String {
    let random = Uuid::new_v4();
    let body: String = random
        .as_bytes()
        .iter()
        .map(|b| char::from(REFERENCE_ALPHABET[usize::from(b % 32)]))
        .collect();
    CreditorReference::from_body(&body)
        .map(|r| r.as_str().to_owned())
        // The body is always 16 characters of the alphabet: never refused.
        .unwrap_or(body)
}

/// Debts whose recovery is not paused: not contested, or whose réclamation is closed.
fn recoverable() -> SimpleExpr {
    Expr::cust(format!(
        "(member_debts.contest_thread_id IS NULL OR NOT EXISTS (SELECT 1 FROM message_threads t \
         WHERE t.id = member_debts.contest_thread_id AND t.status <> '{}'))",
        ThreadStatus::Traite.code()
    ))
}

/// Records a debt.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    member_id: Uuid,
    sheet_id: Uuid,
    date_of_care: Date,
    amount: AmountCents,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    member_debt::ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse.as_str().to_owned()),
        member_id: Set(member_id),
        sheet_id: Set(sheet_id),
        date_of_care: Set(date_of_care),
        amount_cents: Set(amount.cents()),
        recovered_cents: Set(0),
        created_at: Set(now.get()),
        notice_at: Set(None),
        settled_at: Set(None),
        reference: Set(Some(new_reference())),
        contest_thread_id: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// A debt to record.
#[derive(Clone, Copy, Debug)]
pub struct NewDebt {
    /// The fund.
    pub caisse: CaisseCode,
    /// Who owes it.
    pub member_id: Uuid,
    /// The sheet it comes from.
    pub sheet_id: Uuid,
    /// Its day of care.
    pub date_of_care: Date,
    /// The amount owed.
    pub amount: AmountCents,
}

/// Records many debts, by multi-row statements (what [`insert`] does for one).
pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    debts: &[NewDebt],
    now: Instant,
) -> Result<(), StoreError> {
    const ARITY: usize = 12;
    for chunk in debts.chunks(super::rows_per_statement(ARITY, 0)) {
        let rows = chunk.iter().map(|d| member_debt::ActiveModel {
            id: Set(Uuid::now_v7()),
            caisse_code: Set(d.caisse.as_str().to_owned()),
            member_id: Set(d.member_id),
            sheet_id: Set(d.sheet_id),
            date_of_care: Set(d.date_of_care),
            amount_cents: Set(d.amount.cents()),
            recovered_cents: Set(0),
            created_at: Set(now.get()),
            notice_at: Set(None),
            settled_at: Set(None),
            reference: Set(Some(new_reference())),
            contest_thread_id: Set(None),
        });
        member_debt::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A member's open debts whose recovery is not paused, oldest first (recovered in that order).
pub async fn open_of<C: ConnectionTrait>(db: &C, member_id: Uuid) -> Result<Vec<Debt>, StoreError> {
    member_debt::Entity::find()
        .filter(member_debt::Column::MemberId.eq(member_id))
        .filter(member_debt::Column::SettledAt.is_null())
        .filter(recoverable())
        .order_by_asc(member_debt::Column::CreatedAt)
        .order_by_asc(member_debt::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(debt)
        .collect()
}

/// The open debts of these members whose recovery is not paused (a contest whose
/// réclamation is open), oldest first for each (see [`open_of`]).
pub async fn open_of_many<C: ConnectionTrait>(
    db: &C,
    members: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Debt>>, StoreError> {
    let mut open: HashMap<Uuid, Vec<Debt>> = HashMap::new();
    for chunk in members.chunks(super::ROWS_PER_STATEMENT) {
        let mut query = member_debt::Entity::find()
            .filter(member_debt::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(member_debt::Column::SettledAt.is_null())
            .filter(recoverable())
            .order_by_asc(member_debt::Column::MemberId)
            .order_by_asc(member_debt::Column::CreatedAt)
            .order_by_asc(member_debt::Column::Id);
        if db.get_database_backend() == DbBackend::Postgres {
            // Held until the run commits: a card payment or a transfer recorded meanwhile waits,
            // then finds the balance the run left (`debt_payments::record`), so a debt is never
            // withheld and paid beyond its amount.
            query = query.lock_exclusive();
        }
        let rows = query.all(db).await?;
        for row in rows {
            let debt = debt(row)?;
            open.entry(debt.member_id).or_default().push(debt);
        }
    }
    Ok(open)
}

/// Withholds amounts of debts from payments, by multi-row
/// statements: the recoveries inserted, then the debts updated from a `VALUES` list.
pub async fn recover_many<C: ConnectionTrait>(
    db: &C,
    recoveries: &[(&Debt, Uuid, AmountCents)],
    now: Instant,
) -> Result<(), StoreError> {
    const ARITY: usize = 4;
    for chunk in recoveries.chunks(super::rows_per_statement(ARITY, 0)) {
        let rows = chunk
            .iter()
            .map(|(debt, payment_id, amount)| debt_recovery::ActiveModel {
                debt_id: Set(debt.id),
                payment_id: Set(*payment_id),
                member_id: Set(debt.member_id),
                amount_cents: Set(amount.cents()),
                recovered_at: Set(now.get()),
            });
        // A member's sheets may span two runs of one day: the second run withholds more of a
        // debt into the same payment, whose recovery row then grows.
        debt_recovery::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    debt_recovery::Column::DebtId,
                    debt_recovery::Column::PaymentId,
                ])
                .value(
                    debt_recovery::Column::AmountCents,
                    sea_orm::sea_query::ExprTrait::add(
                        Expr::col((debt_recovery::Entity, debt_recovery::Column::AmountCents)),
                        Expr::col((Alias::new("excluded"), debt_recovery::Column::AmountCents)),
                    ),
                )
                .update_column(debt_recovery::Column::RecoveredAt)
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        // Added to what the row holds now, not to what the run read: a transfer or a card
        // payment recorded meanwhile (`debt_payments`) is kept, and settles with it.
        let mut values: Vec<Value> = vec![now.get().into()];
        let mut tuples = Vec::with_capacity(chunk.len());
        for (i, (debt, _, amount)) in chunk.iter().enumerate() {
            values.extend([debt.id.into(), amount.cents().into()]);
            let n = 2 + i * 2;
            tuples.push(format!("(${n}, ${})", n + 1));
        }
        let sql = format!(
            "WITH v (id, taken_cents) AS (VALUES {}) \
             UPDATE member_debts SET recovered_cents = member_debts.recovered_cents + v.taken_cents, \
             settled_at = CASE WHEN member_debts.recovered_cents + v.taken_cents >= member_debts.amount_cents \
             THEN $1 ELSE NULL END \
             FROM v WHERE member_debts.id = v.id",
            tuples.join(", ")
        );
        db.execute_raw(super::statement(db, &sql, values)).await?;
    }
    Ok(())
}

/// Every debt of a member, newest first.
pub async fn all_of<C: ConnectionTrait>(db: &C, member_id: Uuid) -> Result<Vec<Debt>, StoreError> {
    member_debt::Entity::find()
        .filter(member_debt::Column::MemberId.eq(member_id))
        .order_by_desc(member_debt::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(debt)
        .collect()
}

/// Open debts recorded before `before` with no notice yet, by member (up to `limit`).
pub async fn due_for_notice<C: ConnectionTrait>(
    db: &C,
    before: Instant,
    limit: u64,
) -> Result<Vec<Debt>, StoreError> {
    member_debt::Entity::find()
        .filter(member_debt::Column::SettledAt.is_null())
        .filter(member_debt::Column::NoticeAt.is_null())
        .filter(member_debt::Column::CreatedAt.lt(before.get()))
        .order_by_asc(member_debt::Column::MemberId)
        .order_by_asc(member_debt::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(debt)
        .collect()
}

/// Marks debts as noticed.
pub async fn mark_noticed<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    now: Instant,
) -> Result<(), StoreError> {
    member_debt::Entity::update_many()
        .col_expr(member_debt::Column::NoticeAt, Expr::value(now.get()))
        .filter(member_debt::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}
