//! `payments`: one per payee per payment day, each carrying its sheets (`care_sheets.
//! payment_id`) and the debts it withheld (`debt_recoveries`).

use std::collections::{HashMap, HashSet};

use caisse_domain::claims::{Payee, ProfessionalId, SheetState, Siret};
use caisse_domain::{AmountCents, BankChangeStatus, CaisseCode, Iban, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Value,
};
use time::Date;
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, statement};
use crate::StoreError;
use crate::entities::{account, bank_change, care_sheet, member, payment};
use crate::one_time::instant;

/// A liquidated sheet waiting for its payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payable {
    /// The sheet.
    pub sheet_id: Uuid,
    /// Its day of care.
    pub date_of_care: Date,
    /// The insured member.
    pub member_id: Uuid,
    /// Who sent it (paid in tiers payant).
    pub sender: ProfessionalId,
    /// Who is paid.
    pub payee: Payee,
    /// What the fund pays.
    pub paid: AmountCents,
    /// The fund.
    pub caisse: CaisseCode,
}

/// Liquidated sheets not yet paid, up to `limit`, grouped by fund, payee kind and member.
/// Sheets of members who cannot be paid now (no IBAN, a bank change in its cool-off, bank
/// details frozen) are left out, so that however many wait they never hide the others.
pub async fn payable<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<Payable>, StoreError> {
    type Row = (
        Uuid,
        Date,
        Uuid,
        String,
        Option<String>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = care_sheet::Entity::find()
        .select_only()
        .columns([
            care_sheet::Column::Id,
            care_sheet::Column::DateOfCare,
            care_sheet::Column::MemberId,
            care_sheet::Column::Sender,
            care_sheet::Column::Payee,
            care_sheet::Column::PaidCents,
            care_sheet::Column::CaisseCode,
        ])
        .filter(care_sheet::Column::State.eq(SheetState::Liquidee.code()))
        .filter(
            Condition::any()
                .add(care_sheet::Column::Payee.ne(Payee::Member.code()))
                .add(
                    Condition::all()
                        .add(
                            care_sheet::Column::MemberId.not_in_subquery(
                                Query::select()
                                    .column(member::Column::Id)
                                    .from(member::Entity)
                                    .and_where(member::Column::Iban.is_null())
                                    .to_owned(),
                            ),
                        )
                        .add(
                            care_sheet::Column::MemberId.not_in_subquery(
                                Query::select()
                                    .column(bank_change::Column::MemberId)
                                    .from(bank_change::Entity)
                                    .and_where(
                                        bank_change::Column::Status
                                            .eq(BankChangeStatus::Pending.code()),
                                    )
                                    .to_owned(),
                            ),
                        )
                        .add(
                            care_sheet::Column::MemberId.not_in_subquery(
                                Query::select()
                                    .column(account::Column::MemberId)
                                    .from(account::Entity)
                                    .and_where(account::Column::BankFrozen.eq(true))
                                    .to_owned(),
                            ),
                        ),
                ),
        )
        .order_by_asc(care_sheet::Column::CaisseCode)
        .order_by_asc(care_sheet::Column::Payee)
        .order_by_asc(care_sheet::Column::MemberId)
        .order_by_asc(care_sheet::Column::DateOfCare)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, day, member_id, sender, payee, paid, caisse)| {
            let corrupt = |column| StoreError::corrupt("care_sheets", column, id);
            Ok(Payable {
                caisse: CaisseCode::parse(&caisse).map_err(|_| corrupt("caisse_code"))?,
                sheet_id: id,
                date_of_care: day,
                member_id,
                sender: ProfessionalId::from_code(&sender).ok_or_else(|| corrupt("sender"))?,
                payee: payee
                    .as_deref()
                    .and_then(Payee::from_code)
                    .ok_or_else(|| corrupt("payee"))?,
                paid: AmountCents::new(paid.ok_or_else(|| corrupt("paid_cents"))?),
            })
        })
        .collect()
}

/// A payment to record.
pub struct NewPayment<'a> {
    /// The fund.
    pub caisse: CaisseCode,
    /// The day it is paid.
    pub day: Date,
    /// Member or professional.
    pub payee: Payee,
    /// The member, for a member payment.
    pub member_id: Option<Uuid>,
    /// The sender, for a professional payment.
    pub sender: Option<&'a ProfessionalId>,
    /// The employer, for indemnités journalières under subrogation: kept in the `sender`
    /// column as `siret:` and the 14 digits ([`employer_code`]).
    pub employer: Option<&'a Siret>,
    /// The name on the transfer.
    pub payee_name: &'a str,
    /// Where it goes.
    pub iban: &'a Iban,
    /// What is transferred.
    pub amount: AmountCents,
    /// What was withheld for debts.
    pub recovered: AmountCents,
    /// The sheets it pays.
    pub sheets: &'a [(Uuid, Date)],
}

/// Records a payment and marks its sheets paid; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewPayment<'_>,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    payment::ActiveModel {
        id: Set(id),
        payment_day: Set(new.day),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        payee_kind: Set(new.payee.code().to_owned()),
        member_id: Set(new.member_id),
        sender: Set(new
            .sender
            .map(ProfessionalId::code)
            .or_else(|| new.employer.map(employer_code))),
        payee_name: Set(new.payee_name.to_owned()),
        iban: Set(new.iban.as_str().to_owned()),
        amount_cents: Set(new.amount.cents()),
        recovered_cents: Set(new.recovered.cents()),
        sheets: Set(i64::try_from(new.sheets.len()).unwrap_or(i64::MAX)),
        created_at: Set(now.get()),
        exported_at: Set(None),
    }
    .insert(db)
    .await?;
    mark_paid(db, new.sheets, Some((id, new.day)), now).await?;
    Ok(id)
}

/// The payment not yet exported of this payee on `day`, if any: what later sheets of the
/// same day join, so a payee gets one payment a day.
pub async fn open_for<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
    payee: Payee,
    member_id: Option<Uuid>,
    sender: Option<&ProfessionalId>,
) -> Result<Option<Uuid>, StoreError> {
    let mut query = payment::Entity::find()
        .select_only()
        .column(payment::Column::Id)
        .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(payment::Column::PaymentDay.eq(day))
        .filter(payment::Column::PayeeKind.eq(payee.code()))
        .filter(payment::Column::ExportedAt.is_null());
    query = match (member_id, sender) {
        (Some(member), _) => query.filter(payment::Column::MemberId.eq(member)),
        (None, Some(sender)) => query.filter(payment::Column::Sender.eq(sender.code())),
        (None, None) => return Ok(None),
    };
    Ok(query.into_tuple::<Uuid>().one(db).await?)
}

/// How an employer is written in `payments.sender`: `siret:` and its 14 digits.
pub fn employer_code(siret: &Siret) -> String {
    format!("siret:{}", siret.as_str())
}

/// The payment not yet exported of this employer to this IBAN on `day`, if any: what the
/// later indemnités journalières of the same day join.
pub async fn open_for_employer<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
    employer: &Siret,
    iban: &Iban,
) -> Result<Option<Uuid>, StoreError> {
    Ok(payment::Entity::find()
        .select_only()
        .column(payment::Column::Id)
        .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(payment::Column::PaymentDay.eq(day))
        .filter(payment::Column::PayeeKind.eq(Payee::Employer.code()))
        .filter(payment::Column::Sender.eq(employer_code(employer)))
        .filter(payment::Column::Iban.eq(iban.as_str()))
        .filter(payment::Column::ExportedAt.is_null())
        .into_tuple::<Uuid>()
        .one(db)
        .await?)
}

/// Adds sheets to a payment not yet exported and marks them paid by it.
pub async fn add_to<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    day: Date,
    amount: AmountCents,
    recovered: AmountCents,
    sheets: &[(Uuid, Date)],
    now: Instant,
) -> Result<(), StoreError> {
    let count = i64::try_from(sheets.len()).unwrap_or(i64::MAX);
    payment::Entity::update_many()
        .col_expr(
            payment::Column::AmountCents,
            Expr::col(payment::Column::AmountCents).add(amount.cents()),
        )
        .col_expr(
            payment::Column::RecoveredCents,
            Expr::col(payment::Column::RecoveredCents).add(recovered.cents()),
        )
        .col_expr(
            payment::Column::Sheets,
            Expr::col(payment::Column::Sheets).add(count),
        )
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::PaymentDay.eq(day))
        .exec(db)
        .await?;
    mark_paid(db, sheets, Some((id, day)), now).await
}

/// Marks liquidated sheets paid by `payment` (id and day; none when nothing was due).
pub async fn mark_paid<C: ConnectionTrait>(
    db: &C,
    sheets: &[(Uuid, Date)],
    payment: Option<(Uuid, Date)>,
    now: Instant,
) -> Result<(), StoreError> {
    for chunk in sheets.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = vec![SheetState::Payee.code().into(), now.get().into()];
        values.extend(payment_columns(payment));
        values.push(SheetState::Liquidee.code().into());
        let mut ids = Vec::with_capacity(chunk.len());
        for (i, (id, _)) in chunk.iter().enumerate() {
            values.push((*id).into());
            ids.push(format!("${}", i + 6));
        }
        let sql = format!(
            "UPDATE care_sheets SET state = $1, paid_at = $2, payment_id = $3, payment_day = $4 \
             WHERE state = $5 AND id IN ({})",
            ids.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}

/// The name and IBAN payments to each of `members` may go to: an IBAN on file, no bank
/// change in its cool-off, bank details not frozen. Members that cannot be paid are absent.
/// A few statements per chunk of members, never one per member.
pub async fn member_payees<C: ConnectionTrait>(
    db: &C,
    members: &[Uuid],
) -> Result<HashMap<Uuid, (String, Iban)>, StoreError> {
    /// Id, first name, usage name, birth name, IBAN.
    type Row = (Uuid, String, Option<String>, String, Option<String>);
    let mut payees = HashMap::with_capacity(members.len());
    for chunk in members.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<Row> = member::Entity::find()
            .select_only()
            .columns([
                member::Column::Id,
                member::Column::FirstName,
                member::Column::UsageName,
                member::Column::LastName,
                member::Column::Iban,
            ])
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .filter(member::Column::Iban.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        let frozen: HashSet<Uuid> = account::Entity::find()
            .select_only()
            .column(account::Column::MemberId)
            .filter(account::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(account::Column::BankFrozen.eq(true))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let pending: HashSet<Uuid> = bank_change::Entity::find()
            .select_only()
            .column(bank_change::Column::MemberId)
            .filter(bank_change::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(bank_change::Column::Status.eq(BankChangeStatus::Pending.code()))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        for (id, first_name, usage_name, last_name, iban) in rows {
            if frozen.contains(&id) || pending.contains(&id) {
                continue;
            }
            let Some(iban) = iban else { continue };
            let iban =
                Iban::parse(&iban).map_err(|_| StoreError::corrupt("members", "iban", id))?;
            // As `MemberRecord::display_name`.
            let name = format!(
                "{first_name} {}",
                usage_name.as_deref().unwrap_or(&last_name)
            );
            payees.insert(id, (name, iban));
        }
    }
    Ok(payees)
}

/// The payments not yet exported of these members on `day` (see [`open_for`]), by member.
pub async fn open_for_members<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
    members: &[Uuid],
) -> Result<HashMap<Uuid, Uuid>, StoreError> {
    let mut open = HashMap::new();
    for chunk in members.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(Uuid, Option<Uuid>)> = payment::Entity::find()
            .select_only()
            .column(payment::Column::Id)
            .column(payment::Column::MemberId)
            .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
            .filter(payment::Column::PaymentDay.eq(day))
            .filter(payment::Column::PayeeKind.eq(Payee::Member.code()))
            .filter(payment::Column::ExportedAt.is_null())
            .filter(payment::Column::MemberId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, member) in rows {
            if let Some(member) = member {
                open.entry(member).or_insert(id);
            }
        }
    }
    Ok(open)
}

/// Records many payments under the ids given (see [`insert`]), by multi-row statements, and
/// marks their sheets paid by them.
pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    new: &[(Uuid, NewPayment<'_>)],
    now: Instant,
) -> Result<(), StoreError> {
    const ARITY: usize = 13;
    for chunk in new.chunks(super::rows_per_statement(ARITY, 0)) {
        let rows = chunk.iter().map(|(id, p)| payment::ActiveModel {
            id: Set(*id),
            payment_day: Set(p.day),
            caisse_code: Set(p.caisse.as_str().to_owned()),
            payee_kind: Set(p.payee.code().to_owned()),
            member_id: Set(p.member_id),
            sender: Set(p
                .sender
                .map(ProfessionalId::code)
                .or_else(|| p.employer.map(employer_code))),
            payee_name: Set(p.payee_name.to_owned()),
            iban: Set(p.iban.as_str().to_owned()),
            amount_cents: Set(p.amount.cents()),
            recovered_cents: Set(p.recovered.cents()),
            sheets: Set(i64::try_from(p.sheets.len()).unwrap_or(i64::MAX)),
            created_at: Set(now.get()),
            exported_at: Set(None),
        });
        payment::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let sheets: Vec<SheetPaid> = new
        .iter()
        .flat_map(|(id, p)| {
            p.sheets
                .iter()
                .map(move |(s, d)| (*s, *d, Some((*id, p.day))))
        })
        .collect();
    mark_paid_many(db, &sheets, now).await
}

/// A sheet (id, day of care) and the payment (id, day) that pays it, none when nothing was due.
pub type SheetPaid = (Uuid, Date, Option<(Uuid, Date)>);

/// The values of a sheet's `payment_id` and `payment_day`.
fn payment_columns(payment: Option<(Uuid, Date)>) -> [Value; 2] {
    [
        payment.map(|(id, _)| id).into(),
        payment.map(|(_, day)| day).into(),
    ]
}

/// Marks liquidated sheets (id, day of care) paid, each by its payment (id and day; none when
/// nothing was due), by one `UPDATE … FROM (VALUES …)` per chunk.
pub async fn mark_paid_many<C: ConnectionTrait>(
    db: &C,
    sheets: &[SheetPaid],
    now: Instant,
) -> Result<(), StoreError> {
    const ARITY: usize = 4;
    for chunk in sheets.chunks(super::rows_per_statement(ARITY, 5)) {
        let (Some(first), Some(last)) = (
            chunk.iter().map(|(_, day, _)| *day).min(),
            chunk.iter().map(|(_, day, _)| *day).max(),
        ) else {
            continue;
        };
        let mut values: Vec<Value> = Vec::with_capacity(5 + chunk.len() * ARITY);
        values.extend([
            SheetState::Payee.code().into(),
            now.get().into(),
            SheetState::Liquidee.code().into(),
            first.into(),
            last.into(),
        ]);
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, (id, day, payment)) in chunk.iter().enumerate() {
            values.extend([(*id).into(), (*day).into()]);
            values.extend(payment_columns(*payment));
            let n = 6 + i * ARITY;
            rows.push(format!("(${n}, ${}, ${}, ${})", n + 1, n + 2, n + 3));
        }
        // The days of care as constants: PostgreSQL then reads only their partitions.
        let sql = format!(
            "WITH v (id, date_of_care, payment_id, payment_day) AS (VALUES {}) \
             UPDATE care_sheets SET state = $1, paid_at = $2, payment_id = v.payment_id, \
             payment_day = v.payment_day \
             FROM v WHERE care_sheets.id = v.id AND care_sheets.date_of_care = v.date_of_care \
             AND care_sheets.state = $3 \
             AND care_sheets.date_of_care >= $4 AND care_sheets.date_of_care <= $5",
            rows.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}

/// A payment as stored. `Debug` shows no name nor IBAN.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredPayment {
    /// Id.
    pub id: Uuid,
    /// The day.
    pub day: Date,
    /// Member or professional.
    pub payee: Payee,
    /// The member, for a member payment.
    pub member_id: Option<Uuid>,
    /// The name on the transfer.
    pub payee_name: String,
    /// Where it goes.
    pub iban: Iban,
    /// What is transferred.
    pub amount: AmountCents,
    /// What was withheld for debts.
    pub recovered: AmountCents,
    /// How many sheets.
    pub sheets: u64,
    /// When it was written to a transfer file.
    pub exported_at: Option<Instant>,
}

impl std::fmt::Debug for StoredPayment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredPayment")
            .field("id", &self.id)
            .field("day", &self.day)
            .field("amount", &self.amount)
            .finish_non_exhaustive()
    }
}

fn stored(row: payment::Model) -> Result<StoredPayment, StoreError> {
    let corrupt = |column| StoreError::corrupt("payments", column, row.id);
    Ok(StoredPayment {
        payee: Payee::from_code(&row.payee_kind).ok_or_else(|| corrupt("payee_kind"))?,
        iban: Iban::parse(&row.iban).map_err(|_| corrupt("iban"))?,
        id: row.id,
        day: row.payment_day,
        member_id: row.member_id,
        payee_name: row.payee_name,
        amount: AmountCents::new(row.amount_cents),
        recovered: AmountCents::new(row.recovered_cents),
        sheets: u64::try_from(row.sheets).unwrap_or(0),
        exported_at: row.exported_at.map(instant),
    })
}

/// The payments of `caisse` on `day`, in the order they were made.
pub async fn of_day<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
) -> Result<Vec<StoredPayment>, StoreError> {
    payment::Entity::find()
        .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(payment::Column::PaymentDay.eq(day))
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// A member's payments, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<StoredPayment>, StoreError> {
    payment::Entity::find()
        .filter(payment::Column::MemberId.eq(member_id))
        .order_by_desc(payment::Column::PaymentDay)
        .order_by_desc(payment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The transfers of a day: the payments of a fund and day with something to transfer
/// (a payment of 0, wholly withheld for debts, is not a transfer), up to [`Self::last`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTransfers {
    /// How many.
    pub count: u64,
    /// The sum of their amounts.
    pub sum: AmountCents,
    /// How many were already exported.
    pub exported: u64,
    /// The greatest id among them: the export reads and marks the payments up to it, so that
    /// one made meanwhile is left for the next file rather than break this one's totals.
    pub last: Option<Uuid>,
}

/// The count, sum and bound of the transfers of `caisse` on `day`.
pub async fn transfers_of_day<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
) -> Result<DayTransfers, StoreError> {
    let of_day = || {
        payment::Entity::find()
            .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
            .filter(payment::Column::PaymentDay.eq(day))
            .filter(payment::Column::AmountCents.gt(0))
    };
    let last: Option<Uuid> = of_day()
        .select_only()
        .column(payment::Column::Id)
        .order_by_desc(payment::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    let Some(last) = last else {
        return Ok(DayTransfers::default());
    };
    // SUM of a BIGINT is a NUMERIC on PostgreSQL: cast back.
    let totals: Option<(i64, Option<i64>, i64)> = of_day()
        .filter(payment::Column::Id.lte(last))
        .select_only()
        .column_as(Expr::col(payment::Column::Id).count(), "count")
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "sum")
        .column_as(Expr::col(payment::Column::ExportedAt).count(), "exported")
        .into_tuple()
        .one(db)
        .await?;
    let (count, sum, exported) = totals.unwrap_or((0, None, 0));
    Ok(DayTransfers {
        count: u64::try_from(count).unwrap_or(0),
        sum: AmountCents::new(sum.unwrap_or(0)),
        exported: u64::try_from(exported).unwrap_or(0),
        last: Some(last),
    })
}

/// A page of the transfers of `caisse` on `day`, by id: up to `limit` of those after `after`
/// (from the first when `None`) and up to `last` (see [`DayTransfers::last`]).
pub async fn transfers_page<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
    after: Option<Uuid>,
    last: Uuid,
    limit: u64,
) -> Result<Vec<StoredPayment>, StoreError> {
    let mut query = payment::Entity::find()
        .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(payment::Column::PaymentDay.eq(day))
        .filter(payment::Column::AmountCents.gt(0))
        .filter(payment::Column::Id.lte(last));
    if let Some(after) = after {
        query = query.filter(payment::Column::Id.gt(after));
    }
    query
        .order_by_asc(payment::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Marks exported the transfers of `caisse` on `day` up to `last` not yet marked (one
/// exported again keeps its first export's time); returns how many were marked.
pub async fn mark_exported<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    day: Date,
    last: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    Ok(payment::Entity::update_many()
        .col_expr(payment::Column::ExportedAt, Expr::value(now.get()))
        .filter(payment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(payment::Column::PaymentDay.eq(day))
        .filter(payment::Column::AmountCents.gt(0))
        .filter(payment::Column::Id.lte(last))
        .filter(payment::Column::ExportedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}
