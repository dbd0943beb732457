//! `ij_payments`: the schedule of each arrêt, written whole when the arrêt is accepted, one
//! row per payment of indemnités journalières; planned until the day after its period, then
//! paid by a row of `payments` (`payment_id`, `payment_day`).

use caisse_domain::claims::{BasisPoints, IjAmounts, IjPayee, IjPayment, IjPaymentState};
use caisse_domain::{AmountCents, CaisseCode, Instant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Value,
};
use time::Date;
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, statement};
use crate::StoreError;
use crate::entities::ij_payment::{ActiveModel, Column, Entity, Model};

/// A payment of a stored schedule. `Debug` shows no amount.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredIjPayment {
    /// Id.
    pub id: Uuid,
    /// Its arrêt.
    pub arret_id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The insured member.
    pub member_id: Uuid,
    /// The period, days, payee and amounts.
    pub payment: IjPayment,
    /// Planned or paid.
    pub state: IjPaymentState,
    /// The first day it may be paid: the day after its period.
    pub due_on: Date,
    /// The payment that paid it, and that payment's day.
    pub paid_by: Option<(Uuid, Date)>,
}

impl std::fmt::Debug for StoredIjPayment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredIjPayment")
            .field("id", &self.id)
            .field("arret_id", &self.arret_id)
            .field("state", &self.state)
            .field("due_on", &self.due_on)
            .finish_non_exhaustive()
    }
}

/// The day an IJ payment for `to` is due: the day after (the last representable day at most).
pub fn due_on(to: Date) -> Date {
    to.next_day().unwrap_or(to)
}

pub(crate) fn stored(row: Model) -> Result<StoredIjPayment, StoreError> {
    let corrupt = |column| StoreError::corrupt("ij_payments", column, row.id);
    let paid_by = match (row.payment_id, row.payment_day) {
        (Some(id), Some(day)) => Some((id, day)),
        (None, _) => None,
        (Some(_), None) => return Err(corrupt("payment_day")),
    };
    Ok(StoredIjPayment {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        payment: IjPayment {
            from: row.period_from,
            to: row.period_to,
            days: u32::try_from(row.days).map_err(|_| corrupt("days"))?,
            payee: IjPayee::from_code(&row.payee).ok_or_else(|| corrupt("payee"))?,
            taxable_share: u16::try_from(row.taxable_share_bp)
                .ok()
                .and_then(|bp| BasisPoints::new(bp).ok())
                .ok_or_else(|| corrupt("taxable_share_bp"))?,
            amounts: IjAmounts {
                gross: AmountCents::new(row.gross_cents),
                csg: AmountCents::new(row.csg_cents),
                crds: AmountCents::new(row.crds_cents),
                net: AmountCents::new(row.net_cents),
                taxable: AmountCents::new(row.taxable_cents),
            },
        },
        state: IjPaymentState::from_code(&row.state).ok_or_else(|| corrupt("state"))?,
        id: row.id,
        arret_id: row.arret_id,
        member_id: row.member_id,
        due_on: row.due_on,
        paid_by,
    })
}

/// Writes the schedule of an arrêt, every payment planned.
pub async fn insert_schedule<C: ConnectionTrait>(
    db: &C,
    arret_id: Uuid,
    caisse: CaisseCode,
    member_id: Uuid,
    payments: &[IjPayment],
) -> Result<(), StoreError> {
    if payments.is_empty() {
        return Ok(());
    }
    let rows = payments.iter().map(|p| ActiveModel {
        id: Set(Uuid::now_v7()),
        arret_id: Set(arret_id),
        caisse_code: Set(caisse.as_str().to_owned()),
        member_id: Set(member_id),
        period_from: Set(p.from),
        period_to: Set(p.to),
        days: Set(i32::try_from(p.days).unwrap_or(i32::MAX)),
        payee: Set(p.payee.code().to_owned()),
        taxable_share_bp: Set(i32::from(p.taxable_share.get())),
        gross_cents: Set(p.amounts.gross.cents()),
        csg_cents: Set(p.amounts.csg.cents()),
        crds_cents: Set(p.amounts.crds.cents()),
        net_cents: Set(p.amounts.net.cents()),
        taxable_cents: Set(p.amounts.taxable.cents()),
        state: Set(IjPaymentState::Planned.code().to_owned()),
        due_on: Set(due_on(p.to)),
        payment_id: Set(None),
        payment_day: Set(None),
        paid_at: Set(None),
    });
    Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Planned payments due by `day` (`due_on <= day`), up to `limit`, by fund, member and
/// period.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    day: Date,
    limit: u64,
) -> Result<Vec<StoredIjPayment>, StoreError> {
    Entity::find()
        .filter(Column::State.eq(IjPaymentState::Planned.code()))
        .filter(Column::DueOn.lte(day))
        .order_by_asc(Column::CaisseCode)
        .order_by_asc(Column::MemberId)
        .order_by_asc(Column::PeriodFrom)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Marks planned payments paid, by `payment` (id and day) or by none when nothing was due;
/// a payment already paid is left as it is. Returns how many were marked.
pub async fn mark_paid<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    payment: Option<(Uuid, Date)>,
    now: Instant,
) -> Result<u64, StoreError> {
    let mut marked = 0;
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = vec![
            IjPaymentState::Paid.code().into(),
            now.get().into(),
            payment.map(|(id, _)| id).into(),
            payment.map(|(_, day)| day).into(),
            IjPaymentState::Planned.code().into(),
        ];
        let mut placeholders = Vec::with_capacity(chunk.len());
        for (i, id) in chunk.iter().enumerate() {
            values.push((*id).into());
            placeholders.push(format!("${}", i + 6));
        }
        let sql = format!(
            "UPDATE ij_payments SET state = $1, paid_at = $2, payment_id = $3, payment_day = $4 \
             WHERE state = $5 AND id IN ({})",
            placeholders.join(", ")
        );
        marked += db
            .execute_raw(statement(db, &sql, values))
            .await?
            .rows_affected();
    }
    Ok(marked)
}

/// The schedule of an arrêt, in order.
pub async fn of_arret<C: ConnectionTrait>(
    db: &C,
    arret_id: Uuid,
) -> Result<Vec<StoredIjPayment>, StoreError> {
    Entity::find()
        .filter(Column::ArretId.eq(arret_id))
        .order_by_asc(Column::PeriodFrom)
        .order_by_asc(Column::Payee)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The member's IJ payments paid (by a payment, on its day) from `from` to `to`, both
/// included, by payment day then period; every one paid when the bounds are `None`.
///
/// # Errors
/// When the database fails or a stored value no longer reads.
pub async fn paid_of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<StoredIjPayment>, StoreError> {
    let mut query = Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::State.eq(IjPaymentState::Paid.code()))
        .filter(Column::PaymentId.is_not_null())
        .filter(Column::PaymentDay.is_not_null());
    if let Some(from) = from {
        query = query.filter(Column::PaymentDay.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(Column::PaymentDay.lte(to));
    }
    query
        .order_by_asc(Column::PaymentDay)
        .order_by_asc(Column::PeriodFrom)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}
