//! `line_corrections`: corrections of paid lines by the back office, kept beside the lines
//! (which are never rewritten), and the complementary payments they make: joined to the
//! payee's payment of the day not yet exported, or a payment of their own.

use caisse_domain::claims::{CorrectionStatus, Payee, ProfessionalId};
use caisse_domain::{AmountCents, CaisseCode, Iban, Instant};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use time::Date;
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, statement};
use crate::StoreError;
use crate::entities::line_correction::{ActiveModel, Column, Entity, Model};
use crate::entities::payment;
use crate::one_time::instant;

/// A correction as stored. `Debug` shows ids, status and amounts only: the reason may quote
/// the care.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCorrection {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The insured member whose care it is.
    pub member_id: Uuid,
    /// The line's sheet.
    pub sheet_id: Uuid,
    /// Its day of care.
    pub date_of_care: Date,
    /// The line's place on the sheet, from 1.
    pub line_no: usize,
    /// The payment that paid the line.
    pub payment_id: Uuid,
    /// Who was paid.
    pub payee: Payee,
    /// The sheet's sender (paid in tiers payant).
    pub sender: ProfessionalId,
    /// What the line reimbursed before.
    pub old: AmountCents,
    /// What it reimburses once corrected.
    pub new: AmountCents,
    /// Why (French, as the advisor wrote it).
    pub reason: String,
    /// Where it stands.
    pub status: CorrectionStatus,
    /// The advisor who asked.
    pub requested_by: Uuid,
    /// When.
    pub requested_at: Instant,
    /// The supervisor who approved or refused it.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<Instant>,
    /// The member's overpayment debt it recorded (a professional's names the correction:
    /// `sender_debts`).
    pub debt_id: Option<Uuid>,
    /// The complementary payment due.
    pub complement: AmountCents,
    /// The payment that paid it.
    pub complement_payment_id: Option<Uuid>,
}

impl std::fmt::Debug for StoredCorrection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCorrection")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("old", &self.old)
            .field("new", &self.new)
            .finish_non_exhaustive()
    }
}

fn stored(row: Model) -> Result<StoredCorrection, StoreError> {
    let corrupt = |column| StoreError::corrupt("line_corrections", column, row.id);
    Ok(StoredCorrection {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        payee: Payee::from_code(&row.payee).ok_or_else(|| corrupt("payee"))?,
        sender: ProfessionalId::from_code(&row.sender).ok_or_else(|| corrupt("sender"))?,
        status: CorrectionStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        line_no: usize::try_from(row.line_no).map_err(|_| corrupt("line_no"))?,
        id: row.id,
        member_id: row.member_id,
        sheet_id: row.sheet_id,
        date_of_care: row.date_of_care,
        payment_id: row.payment_id,
        old: AmountCents::new(row.old_cents),
        new: AmountCents::new(row.new_cents),
        reason: row.reason,
        requested_by: row.requested_by,
        requested_at: instant(row.requested_at),
        decided_by: row.decided_by,
        decided_at: row.decided_at.map(instant),
        debt_id: row.debt_id,
        complement: AmountCents::new(row.complement_cents),
        complement_payment_id: row.complement_payment_id,
    })
}

/// A correction to record. `Debug` shows no reason.
#[derive(Clone)]
pub struct NewCorrection<'a> {
    /// Its id, chosen by the caller: what a debt it records names before it is written.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The member.
    pub member_id: Uuid,
    /// The sheet.
    pub sheet_id: Uuid,
    /// Its day of care.
    pub date_of_care: Date,
    /// The line, from 1.
    pub line_no: usize,
    /// The payment that paid it.
    pub payment_id: Uuid,
    /// Who was paid.
    pub payee: Payee,
    /// The sheet's sender.
    pub sender: &'a ProfessionalId,
    /// What the line reimbursed.
    pub old: AmountCents,
    /// What it reimburses corrected.
    pub new: AmountCents,
    /// Why.
    pub reason: &'a str,
    /// Waiting or applied.
    pub status: CorrectionStatus,
    /// Who asked.
    pub requested_by: Uuid,
    /// The member's debt recorded, when applied and overpaid.
    pub debt_id: Option<Uuid>,
    /// The complement due, when applied and underpaid.
    pub complement: AmountCents,
}

impl std::fmt::Debug for NewCorrection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewCorrection")
            .field("sheet_id", &self.sheet_id)
            .field("line_no", &self.line_no)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Records a correction; returns its id. A second correction of a line already waiting for
/// approval breaks `ux_line_corrections_waiting`: the caller checks first, under
/// [`lock_sheet`], and the index is the backstop.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewCorrection<'_>,
    now: Instant,
) -> Result<Uuid, StoreError> {
    ActiveModel {
        id: Set(new.id),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        member_id: Set(new.member_id),
        sheet_id: Set(new.sheet_id),
        date_of_care: Set(new.date_of_care),
        line_no: Set(i16::try_from(new.line_no).unwrap_or(i16::MAX)),
        payment_id: Set(new.payment_id),
        payee: Set(new.payee.code().to_owned()),
        sender: Set(new.sender.code()),
        old_cents: Set(new.old.cents()),
        new_cents: Set(new.new.cents()),
        reason: Set(new.reason.to_owned()),
        status: Set(new.status.code().to_owned()),
        requested_by: Set(new.requested_by),
        requested_at: Set(now.get()),
        decided_by: Set(None),
        decided_at: Set(None),
        debt_id: Set(new.debt_id),
        complement_cents: Set(new.complement.cents()),
        complement_payment_id: Set(None),
    }
    .insert(db)
    .await?;
    Ok(new.id)
}

/// The correction `id`, if any.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<StoredCorrection>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// The correction that recorded the debt `debt_id`, if an overpayment did.
pub async fn of_debt<C: ConnectionTrait>(
    db: &C,
    debt_id: Uuid,
) -> Result<Option<StoredCorrection>, StoreError> {
    Entity::find()
        .filter(Column::DebtId.eq(debt_id))
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// The corrections of the lines of these sheets, oldest first.
pub async fn of_sheets<C: ConnectionTrait>(
    db: &C,
    sheet_ids: &[Uuid],
) -> Result<Vec<StoredCorrection>, StoreError> {
    let mut all = Vec::new();
    for chunk in sheet_ids.chunks(ROWS_PER_STATEMENT) {
        let rows = Entity::find()
            .filter(Column::SheetId.is_in(chunk.iter().copied()))
            .order_by_asc(Column::RequestedAt)
            .order_by_asc(Column::Id)
            .all(db)
            .await?;
        for row in rows {
            all.push(stored(row)?);
        }
    }
    all.sort_by_key(|c| (c.requested_at, c.id));
    Ok(all)
}

/// The corrections whose complement payment `payment_id` paid, oldest first.
pub async fn paid_by<C: ConnectionTrait>(
    db: &C,
    payment_id: Uuid,
) -> Result<Vec<StoredCorrection>, StoreError> {
    Entity::find()
        .filter(Column::ComplementPaymentId.eq(payment_id))
        .order_by_asc(Column::DecidedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The corrections of a fund waiting for approval, oldest first, at most `limit`.
pub async fn waiting_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    limit: u64,
) -> Result<Vec<StoredCorrection>, StoreError> {
    Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(Column::Status.eq(CorrectionStatus::AValider.code()))
        .order_by_asc(Column::RequestedAt)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Moves a correction waiting for approval to `status`, with what applying it made; `false`
/// when it no longer waits (decided meanwhile: a form sent twice changes nothing).
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    status: CorrectionStatus,
    by: Uuid,
    debt_id: Option<Uuid>,
    complement: AmountCents,
    now: Instant,
) -> Result<bool, StoreError> {
    let done = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.code()))
        .col_expr(Column::DecidedBy, Expr::value(by))
        .col_expr(Column::DecidedAt, Expr::value(now.get()))
        .col_expr(Column::DebtId, Expr::value(debt_id))
        .col_expr(Column::ComplementCents, Expr::value(complement.cents()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(CorrectionStatus::AValider.code()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Holds the sheet of a line until the transaction ends (PostgreSQL; SQLite writes one
/// transaction at a time), so that two corrections of one line are made one after the other,
/// each from the amount the other left; returns the sheet's sender, `None` for no such sheet.
pub async fn lock_sheet<C: ConnectionTrait>(
    db: &C,
    sheet_id: Uuid,
    date_of_care: Date,
) -> Result<Option<ProfessionalId>, StoreError> {
    let lock = match db.get_database_backend() {
        DbBackend::Postgres => " FOR UPDATE",
        _ => "",
    };
    let sql = format!("SELECT sender FROM care_sheets WHERE id = $1 AND date_of_care = $2{lock}");
    let row = db
        .query_one_raw(statement(
            db,
            &sql,
            vec![sheet_id.into(), date_of_care.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let sender: String = row.try_get_by_index(0)?;
    ProfessionalId::from_code(&sender)
        .map(Some)
        .ok_or_else(|| StoreError::corrupt("care_sheets", "sender", sheet_id))
}

/// Applied corrections whose complementary payment is still to make, up to `limit`, oldest
/// first; held until the transaction ends on PostgreSQL, so two runs never pay one twice.
pub async fn complements_due<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<StoredCorrection>, StoreError> {
    let mut query = Entity::find()
        .filter(Column::Status.eq(CorrectionStatus::Appliquee.code()))
        .filter(Column::ComplementCents.gt(0))
        .filter(Column::ComplementPaymentId.is_null())
        .order_by_asc(Column::DecidedAt)
        .order_by_asc(Column::Id)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.all(db).await?.into_iter().map(stored).collect()
}

/// Marks complements paid by `payment_id`; returns how many were still unpaid.
pub async fn mark_complements_paid<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    payment_id: Uuid,
) -> Result<u64, StoreError> {
    let mut marked = 0;
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        marked += Entity::update_many()
            .col_expr(Column::ComplementPaymentId, Expr::value(payment_id))
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .filter(Column::ComplementPaymentId.is_null())
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(marked)
}

/// A complementary payment to record.
pub struct NewComplementPayment<'a> {
    /// The fund.
    pub caisse: CaisseCode,
    /// The payment day.
    pub day: Date,
    /// Member or professional.
    pub payee: Payee,
    /// The member, for a member's payment.
    pub member_id: Option<Uuid>,
    /// The sender, for a professional's.
    pub sender: Option<&'a ProfessionalId>,
    /// The name on the transfer.
    pub payee_name: &'a str,
    /// Where it goes.
    pub iban: &'a Iban,
    /// What is transferred.
    pub amount: AmountCents,
    /// The corrected sheets it pays for (its `sheets` count: a payment of care).
    pub sheets: u64,
}

/// Adds complements to a payment not yet exported: its amount, and the corrected sheets to
/// its count, so « Mes paiements » still calls it a payment of care.
pub async fn add_to_payment<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    day: Date,
    amount: AmountCents,
    sheets: u64,
) -> Result<(), StoreError> {
    payment::Entity::update_many()
        .col_expr(
            payment::Column::AmountCents,
            Expr::col(payment::Column::AmountCents).add(amount.cents()),
        )
        .col_expr(
            payment::Column::Sheets,
            Expr::col(payment::Column::Sheets).add(i64::try_from(sheets).unwrap_or(i64::MAX)),
        )
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::PaymentDay.eq(day))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a payment of complements alone; returns its id.
pub async fn insert_payment<C: ConnectionTrait>(
    db: &C,
    new: NewComplementPayment<'_>,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    payment::ActiveModel {
        id: Set(id),
        payment_day: Set(new.day),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        payee_kind: Set(new.payee.code().to_owned()),
        member_id: Set(new.member_id),
        sender: Set(new.sender.map(ProfessionalId::code)),
        payee_name: Set(new.payee_name.to_owned()),
        iban: Set(new.iban.as_str().to_owned()),
        amount_cents: Set(new.amount.cents()),
        recovered_cents: Set(0),
        sheets: Set(i64::try_from(new.sheets).unwrap_or(i64::MAX)),
        created_at: Set(now.get()),
        exported_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The payments that paid complements of these corrections' lines, by correction: what the
/// staff page links to.
pub async fn payment_days<C: ConnectionTrait>(
    db: &C,
    payment_ids: &[Uuid],
) -> Result<Vec<(Uuid, Date)>, StoreError> {
    let mut days = Vec::new();
    for chunk in payment_ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(Uuid, Date)> = payment::Entity::find()
            .select_only()
            .column(payment::Column::Id)
            .column(payment::Column::PaymentDay)
            .filter(payment::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        days.extend(rows);
    }
    Ok(days)
}
