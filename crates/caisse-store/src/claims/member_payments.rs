//! A member's payments as « Mes paiements » lists them: their own `payments` (care
//! reimbursed, indemnités journalières), and their share of the payments to others that carry
//! their care or IJ (a professional in tiers payant, an employer under subrogation). Each
//! branch reads by member first (`ix_payments_member`, `ix_care_sheets_member`,
//! `ix_ij_payments_member`), never a fund's whole day.

use caisse_domain::claims::{IjPayee, MemberPaymentKind, Payee, SheetState};
use caisse_domain::{AccountStatus, AmountCents, CaisseCode, Email, Instant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Value,
};
use time::Date;
use uuid::Uuid;

use super::ij_payments::{self, StoredIjPayment};
use super::{ROWS_PER_STATEMENT, statement};
use crate::entities::{account, care_sheet, ij_payment, member, payment};
use crate::one_time::instant;
use crate::{Db, StoreError};

/// Which of a member's payments to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberPaymentFilter {
    /// Only those carrying care or IJ of this beneficiary (rank).
    pub rank: Option<u8>,
    /// Only this kind.
    pub kind: Option<MemberPaymentKind>,
    /// Paid on this day or later.
    pub from: Option<Date>,
    /// Paid before this day.
    pub before: Option<Date>,
}

/// One payment of the member's list. `Debug` shows no name nor amount.
#[derive(Clone, PartialEq, Eq)]
pub struct MemberPaymentEntry {
    /// The payment's id (a payment to a professional or an employer is shared by several
    /// members: each sees their share).
    pub id: Uuid,
    /// The payment day.
    pub day: Date,
    /// What it is.
    pub kind: MemberPaymentKind,
    /// Who is paid.
    pub payee: Payee,
    /// The name on the transfer.
    pub payee_name: String,
    /// What was transferred to the member; for a payment to others, the member's share.
    pub amount: AmountCents,
    /// It pays indemnités journalières (with care, when the member's IJ joined the day's
    /// reimbursement).
    pub includes_ij: bool,
}

impl std::fmt::Debug for MemberPaymentEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberPaymentEntry")
            .field("id", &self.id)
            .field("day", &self.day)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Binds and conditions of the query, numbered as they are added.
struct Sql {
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

fn kind_of(payee: Payee, sheets: i64) -> MemberPaymentKind {
    match payee {
        Payee::Member if sheets > 0 => MemberPaymentKind::Soins,
        Payee::Member | Payee::Employer => MemberPaymentKind::IndemnitesJournalieres,
        Payee::Professional => MemberPaymentKind::Professionnel,
    }
}

/// The member's payments that `filter` keeps, newest first, at most `limit` when given.
///
/// # Errors
/// When the database fails or a stored code no longer reads.
pub async fn entries(
    db: &Db,
    member_id: Uuid,
    filter: &MemberPaymentFilter,
    limit: Option<u64>,
) -> Result<Vec<MemberPaymentEntry>, StoreError> {
    let txn = super::begin_member_reads(db).await?;
    let entries = entries_on(&txn, member_id, filter, limit).await?;
    txn.commit().await?;
    Ok(entries)
}

async fn entries_on<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    filter: &MemberPaymentFilter,
    limit: Option<u64>,
) -> Result<Vec<MemberPaymentEntry>, StoreError> {
    let mut sql = Sql { values: Vec::new() };
    let member = sql.bind(member_id);
    let kind = filter.kind;
    let days = |sql: &mut Sql, column: &str| {
        let mut conditions = String::new();
        if let Some(from) = filter.from {
            conditions.push_str(&format!(" AND {column} >= {}", sql.bind(from)));
        }
        if let Some(before) = filter.before {
            conditions.push_str(&format!(" AND {column} < {}", sql.bind(before)));
        }
        conditions
    };
    let mut branches = Vec::new();
    // The member's own payments: care (with sheets) or IJ (without).
    if kind != Some(MemberPaymentKind::Professionnel) {
        let has_ij = format!(
            "EXISTS (SELECT 1 FROM ij_payments i WHERE i.member_id = {member} \
             AND i.payment_day = p.payment_day AND i.payment_id = p.id)"
        );
        let mut conditions = days(&mut sql, "p.payment_day");
        match kind {
            Some(MemberPaymentKind::Soins) => conditions.push_str(" AND p.sheets > 0"),
            Some(MemberPaymentKind::IndemnitesJournalieres) => {
                conditions.push_str(&format!(" AND (p.sheets = 0 OR {has_ij})"));
            }
            Some(MemberPaymentKind::Professionnel) | None => {}
        }
        if let Some(rank) = filter.rank {
            let rank = sql.bind(i16::from(rank));
            conditions.push_str(&format!(
                " AND (EXISTS (SELECT 1 FROM care_sheets s WHERE s.member_id = {member} \
                 AND s.date_of_care <= p.payment_day AND s.payment_day = p.payment_day \
                 AND s.payment_id = p.id AND s.rank = {rank}) \
                 OR EXISTS (SELECT 1 FROM ij_payments i JOIN arrets a ON a.id = i.arret_id \
                 WHERE i.member_id = {member} AND i.payment_id = p.id AND a.rank = {rank}))"
            ));
        }
        branches.push(format!(
            "SELECT p.id AS id, p.payment_day AS day, p.payee_kind AS payee, \
             p.payee_name AS name, p.amount_cents AS amount, p.sheets AS sheets, \
             CASE WHEN {has_ij} THEN 1 ELSE 0 END AS ij \
             FROM payments p WHERE p.member_id = {member}{conditions}"
        ));
    }
    // Their care paid to professionals in tiers payant: their sheets' share.
    if kind.is_none() || kind == Some(MemberPaymentKind::Professionnel) {
        let mut conditions = days(&mut sql, "p.payment_day");
        if let Some(before) = filter.before {
            // A sheet is paid on or after its day of care: this bound lets PostgreSQL skip
            // the later months of `care_sheets`.
            conditions.push_str(&format!(" AND s.date_of_care < {}", sql.bind(before)));
        }
        if let Some(rank) = filter.rank {
            conditions.push_str(&format!(" AND s.rank = {}", sql.bind(i16::from(rank))));
        }
        let professional = sql.bind(Payee::Professional.code());
        let paid = sql.bind(SheetState::Payee.code());
        // Each sheet's payment by its whole key, so one partition of `payments` is read per
        // sheet. On PostgreSQL a lateral lookup keeps the planner from hashing the whole
        // table (perf.md, « Inbox and payments at 10⁴, 10⁶ and 10⁷ rows »); its `LIMIT`
        // keeps the planner from flattening it back into a join.
        let payment = if db.get_database_backend() == DbBackend::Postgres {
            "CROSS JOIN LATERAL (SELECT q.id, q.payment_day, q.payee_kind, q.payee_name \
             FROM payments q WHERE q.id = s.payment_id AND q.payment_day = s.payment_day \
             LIMIT 1) p"
        } else {
            "JOIN payments p ON p.id = s.payment_id AND p.payment_day = s.payment_day"
        };
        branches.push(format!(
            "SELECT p.id AS id, p.payment_day AS day, p.payee_kind AS payee, \
             p.payee_name AS name, CAST(SUM(s.paid_cents) AS BIGINT) AS amount, \
             CAST(COUNT(*) AS BIGINT) AS sheets, 0 AS ij \
             FROM care_sheets s {payment} \
             WHERE s.member_id = {member} AND s.payee = {professional} AND s.state = {paid}\
             {conditions} GROUP BY p.id, p.payment_day, p.payee_kind, p.payee_name"
        ));
    }
    // Their IJ paid to their employer under subrogation.
    if kind.is_none() || kind == Some(MemberPaymentKind::IndemnitesJournalieres) {
        let mut conditions = days(&mut sql, "i.payment_day");
        if let Some(rank) = filter.rank {
            let rank = sql.bind(i16::from(rank));
            conditions.push_str(&format!(
                " AND i.arret_id IN (SELECT a.id FROM arrets a WHERE a.member_id = {member} \
                 AND a.rank = {rank})"
            ));
        }
        let employer = sql.bind(IjPayee::Employer.code());
        branches.push(format!(
            "SELECT p.id AS id, p.payment_day AS day, p.payee_kind AS payee, \
             p.payee_name AS name, CAST(SUM(i.net_cents) AS BIGINT) AS amount, \
             CAST(0 AS BIGINT) AS sheets, 1 AS ij \
             FROM ij_payments i JOIN payments p ON p.id = i.payment_id \
             AND p.payment_day = i.payment_day \
             WHERE i.member_id = {member} AND i.payee = {employer}{conditions} \
             GROUP BY p.id, p.payment_day, p.payee_kind, p.payee_name"
        ));
    }
    let limit = match limit {
        Some(n) => format!(" LIMIT {}", sql.bind(i64::try_from(n).unwrap_or(i64::MAX))),
        None => String::new(),
    };
    let query = format!(
        "SELECT id, day, payee, name, amount, sheets, CAST(ij AS BIGINT) FROM ({}) AS e \
         ORDER BY day DESC, id DESC{limit}",
        branches.join(" UNION ALL ")
    );
    let rows = db.query_all_raw(statement(db, &query, sql.values)).await?;
    rows.into_iter()
        .map(|row| {
            let id: Uuid = row.try_get_by_index(0)?;
            let payee: String = row.try_get_by_index(2)?;
            let payee = Payee::from_code(&payee)
                .ok_or_else(|| StoreError::corrupt("payments", "payee_kind", id))?;
            let sheets: i64 = row.try_get_by_index(5)?;
            Ok(MemberPaymentEntry {
                id,
                day: row.try_get_by_index(1)?,
                kind: kind_of(payee, sheets),
                payee,
                payee_name: row.try_get_by_index(3)?,
                amount: AmountCents::new(row.try_get_by_index(4)?),
                includes_ij: row.try_get_by_index::<i64>(6)? != 0,
            })
        })
        .collect()
}

/// A payment as one of the members it concerns sees it. `Debug` shows no name nor amount.
#[derive(Clone, PartialEq, Eq)]
pub struct MemberPaymentHead {
    /// Id.
    pub id: Uuid,
    /// The payment day.
    pub day: Date,
    /// Who is paid.
    pub payee: Payee,
    /// The name on the transfer.
    pub payee_name: String,
    /// What was transferred (to the member, or to the professional or employer for all the
    /// members it pays).
    pub amount: AmountCents,
    /// What was withheld for the member's debts.
    pub recovered: AmountCents,
    /// The member's own payment (not a professional's or an employer's).
    pub own: bool,
    /// When it was written to a transfer file.
    pub exported_at: Option<Instant>,
}

impl std::fmt::Debug for MemberPaymentHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberPaymentHead")
            .field("id", &self.id)
            .field("day", &self.day)
            .finish_non_exhaustive()
    }
}

/// What a payment holds for one member: its head, the member's sheets in it and their IJ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberPaymentParts {
    /// The payment.
    pub head: MemberPaymentHead,
    /// The member's care sheets it paid.
    pub sheet_ids: Vec<Uuid>,
    /// The member's IJ it paid, in the order of their periods.
    pub ij: Vec<StoredIjPayment>,
}

/// The payment `payment_id` as `member_id` may see it: `None` when it does not exist or
/// concerns them in nothing (the two read the same).
///
/// # Errors
/// When the database fails or a stored value no longer reads.
pub async fn parts_for_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    payment_id: Uuid,
) -> Result<Option<MemberPaymentParts>, StoreError> {
    let Some(row) = payment::Entity::find()
        .filter(payment::Column::Id.eq(payment_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let sheet_ids: Vec<Uuid> = care_sheet::Entity::find()
        .select_only()
        .column(care_sheet::Column::Id)
        .filter(care_sheet::Column::MemberId.eq(member_id))
        .filter(care_sheet::Column::DateOfCare.lte(row.payment_day))
        .filter(care_sheet::Column::PaymentDay.eq(row.payment_day))
        .filter(care_sheet::Column::PaymentId.eq(payment_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut ij = ij_payment::Entity::find()
        .filter(ij_payment::Column::MemberId.eq(member_id))
        .filter(ij_payment::Column::PaymentDay.eq(row.payment_day))
        .filter(ij_payment::Column::PaymentId.eq(payment_id))
        .all(db)
        .await?
        .into_iter()
        .map(ij_payments::stored)
        .collect::<Result<Vec<_>, _>>()?;
    ij.sort_by_key(|p| p.payment.from);
    let own = row.member_id == Some(member_id);
    if !own && sheet_ids.is_empty() && ij.is_empty() {
        return Ok(None);
    }
    let corrupt = |column| StoreError::corrupt("payments", column, row.id);
    Ok(Some(MemberPaymentParts {
        head: MemberPaymentHead {
            id: row.id,
            day: row.payment_day,
            payee: Payee::from_code(&row.payee_kind).ok_or_else(|| corrupt("payee_kind"))?,
            payee_name: row.payee_name,
            amount: AmountCents::new(row.amount_cents),
            recovered: AmountCents::new(row.recovered_cents),
            own,
            exported_at: row.exported_at.map(instant),
        },
        sheet_ids,
        ij,
    }))
}

/// Where to send « Information de paiement »: the address of a member whose online account
/// is active and asks for mail. `Debug` shows no address.
#[derive(Clone, PartialEq, Eq)]
pub struct PaymentNoticeContact {
    /// The member.
    pub member_id: Uuid,
    /// Their fund.
    pub caisse: CaisseCode,
    /// Their address.
    pub email: Email,
}

impl std::fmt::Debug for PaymentNoticeContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentNoticeContact")
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

/// The contacts of those of `members` to tell of a payment by mail (see
/// [`PaymentNoticeContact`]): two statements per few hundred members, never one per member.
///
/// # Errors
/// When the database fails or a stored address no longer reads.
pub async fn notice_contacts<C: ConnectionTrait>(
    db: &C,
    members: &[Uuid],
) -> Result<Vec<PaymentNoticeContact>, StoreError> {
    let mut contacts = Vec::new();
    for chunk in members.chunks(ROWS_PER_STATEMENT) {
        let asking: Vec<Uuid> = account::Entity::find()
            .select_only()
            .column(account::Column::MemberId)
            .filter(account::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(account::Column::Status.eq(AccountStatus::Active.code()))
            .filter(account::Column::NotifyEmail.eq(true))
            .into_tuple()
            .all(db)
            .await?;
        if asking.is_empty() {
            continue;
        }
        let rows: Vec<(Uuid, String, Option<String>)> = member::Entity::find()
            .select_only()
            .columns([
                member::Column::Id,
                member::Column::CaisseCode,
                member::Column::Email,
            ])
            .filter(member::Column::Id.is_in(asking))
            .filter(member::Column::Email.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        for (id, caisse, email) in rows {
            let corrupt = |column| StoreError::corrupt("members", column, id);
            let Some(email) = email else { continue };
            contacts.push(PaymentNoticeContact {
                member_id: id,
                caisse: CaisseCode::parse(&caisse).map_err(|_| corrupt("caisse_code"))?,
                email: Email::parse(&email).map_err(|_| corrupt("email"))?,
            });
        }
    }
    Ok(contacts)
}
