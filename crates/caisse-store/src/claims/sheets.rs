//! `care_sheets`: sheets accepted from lots, their state and, once liquidated, their totals.
//! The lines as sent are kept as JSON on the row (one row per sheet makes ingest fast); the
//! liquidated lines are `care_lines`.

use std::collections::{BTreeMap, HashSet};

use caisse_domain::claims::{
    ActCode, CareLine, Coefficient, Liquidation, Parcours, Payee, ProfessionalId, Quantity,
    SheetState,
};
use caisse_domain::{AmountCents, CaisseCode, Instant};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Value,
};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::statement;
use crate::StoreError;
use crate::entities::care_sheet::{Column, Entity, Model};
use crate::one_time::instant;

/// A sheet to store, as accepted from a lot.
pub struct NewSheet<'a> {
    /// Its id.
    pub id: Uuid,
    /// The fund it was sent to.
    pub caisse: CaisseCode,
    /// The lot.
    pub lot_id: Uuid,
    /// The sender's number for it.
    pub number: u32,
    /// The insured member.
    pub member_id: Uuid,
    /// Who sent the lot (and is paid in tiers payant).
    pub sender: &'a ProfessionalId,
    /// The complementary part is asked as well.
    pub complementary_requested: bool,
    /// What makes a sheet billed twice recognisable (see the core).
    pub fingerprint: &'a str,
    /// The sheet.
    pub sheet: &'a caisse_domain::claims::CareSheet,
}

fn lines_json(lines: &[CareLine]) -> String {
    let lines: Vec<_> = lines
        .iter()
        .map(|l| {
            json!({
                "code": l.code.as_str(),
                "quantity": l.quantity.get(),
                "coefficient": l.coefficient.hundredths(),
                "charged": l.charged.cents(),
                "ald": l.ald,
                "at_mp": l.at_mp,
            })
        })
        .collect();
    serde_json::Value::Array(lines).to_string()
}

fn lines_of(json: &str) -> Option<Vec<CareLine>> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    value
        .as_array()?
        .iter()
        .map(|l| {
            Some(CareLine {
                code: ActCode::parse(l.get("code")?.as_str()?).ok()?,
                quantity: Quantity::new(u16::try_from(l.get("quantity")?.as_u64()?).ok()?).ok()?,
                coefficient: Coefficient::from_hundredths(
                    u32::try_from(l.get("coefficient")?.as_u64()?).ok()?,
                )
                .ok()?,
                charged: AmountCents::new(l.get("charged")?.as_i64()?),
                ald: l.get("ald")?.as_bool()?,
                at_mp: l.get("at_mp")?.as_bool()?,
            })
        })
        .collect()
}

const INSERT_COLUMNS: &str = "id, date_of_care, caisse_code, lot_id, number, member_id, rank, \
     sender, professional, prescriber, tiers_payant, complementary_requested, parcours, lines, \
     charged_cents, fingerprint, state, received_at";
const INSERT_ARITY: usize = 18;

/// Stores sheets, by multi-row statements.
pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    sheets: &[NewSheet<'_>],
    now: Instant,
) -> Result<(), StoreError> {
    for chunk in sheets.chunks(super::rows_per_statement(INSERT_ARITY, 0)) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * INSERT_ARITY);
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, new) in chunk.iter().enumerate() {
            let s = new.sheet;
            let charged = s
                .lines
                .iter()
                .fold(0_i64, |sum, l| sum.saturating_add(l.charged.cents()));
            values.extend([
                new.id.into(),
                s.date_of_care.into(),
                new.caisse.as_str().into(),
                new.lot_id.into(),
                i64::from(new.number).into(),
                new.member_id.into(),
                i16::from(s.rank).into(),
                new.sender.code().into(),
                s.professional.code().into(),
                s.prescriber.as_ref().map(ProfessionalId::code).into(),
                s.tiers_payant.into(),
                new.complementary_requested.into(),
                s.parcours.code().into(),
                lines_json(&s.lines).into(),
                charged.into(),
                new.fingerprint.into(),
                SheetState::Recue.code().into(),
                now.get().into(),
            ]);
            let first = i * INSERT_ARITY + 1;
            let placeholders: Vec<String> = (first..first + INSERT_ARITY)
                .map(|n| format!("${n}"))
                .collect();
            rows.push(format!("({})", placeholders.join(", ")));
        }
        let sql = format!(
            "INSERT INTO care_sheets ({INSERT_COLUMNS}) VALUES {}",
            rows.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}

/// The fingerprints of `keys` already stored. One statement per chunk, a `UNION ALL` arm per
/// month of care bounded by the month's first and last days, so that on PostgreSQL each arm
/// reads one partition's index instead of every partition's.
pub async fn existing_fingerprints<C: ConnectionTrait>(
    db: &C,
    keys: &[(String, Date)],
) -> Result<HashSet<String>, StoreError> {
    let mut by_month: BTreeMap<(i32, u8), Vec<&str>> = BTreeMap::new();
    for (fingerprint, day) in keys {
        by_month
            .entry((day.year(), u8::from(day.month())))
            .or_default()
            .push(fingerprint);
    }
    let mut found = HashSet::new();
    let mut arms: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let limit = super::rows_per_statement(1, 0) / 2;
    for ((year, month), fingerprints) in by_month {
        let Ok(month) = time::Month::try_from(month) else {
            continue;
        };
        let (Ok(first), Some(last)) = (
            Date::from_calendar_date(year, month, 1),
            Date::from_calendar_date(year, month, month.length(year)).ok(),
        ) else {
            continue;
        };
        for part in fingerprints.chunks(limit) {
            if values.len() + part.len() + 2 > limit * 2 {
                found.extend(fingerprints_query(db, &arms, std::mem::take(&mut values)).await?);
                arms.clear();
            }
            let n = values.len();
            values.extend([first.into(), last.into()]);
            values.extend(part.iter().map(|f| Value::from(*f)));
            let list: Vec<String> = (n + 3..n + 3 + part.len())
                .map(|i| format!("${i}"))
                .collect();
            arms.push(format!(
                "SELECT fingerprint FROM care_sheets WHERE date_of_care >= ${} \
                 AND date_of_care <= ${} AND fingerprint IN ({})",
                n + 1,
                n + 2,
                list.join(", ")
            ));
        }
    }
    if !arms.is_empty() {
        found.extend(fingerprints_query(db, &arms, values).await?);
    }
    Ok(found)
}

async fn fingerprints_query<C: ConnectionTrait>(
    db: &C,
    arms: &[String],
    values: Vec<Value>,
) -> Result<Vec<String>, StoreError> {
    let sql = arms.join(" UNION ALL ");
    let rows = db.query_all_raw(statement(db, &sql, values)).await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index::<String>(0)?))
        .collect()
}

/// A sheet waiting for liquidation. `Debug` names it only.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedSheet {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The insured member.
    pub member_id: Uuid,
    /// The beneficiary's rank.
    pub rank: u8,
    /// Who sent the lot.
    pub sender: ProfessionalId,
    /// Who billed the care.
    pub professional: ProfessionalId,
    /// Who prescribed it.
    pub prescriber: Option<ProfessionalId>,
    /// The day of care.
    pub date_of_care: Date,
    /// Tiers payant.
    pub tiers_payant: bool,
    /// The complementary part is asked as well.
    pub complementary_requested: bool,
    /// The parcours.
    pub parcours: Parcours,
    /// The lines as sent.
    pub lines: Vec<CareLine>,
}

impl std::fmt::Debug for ReceivedSheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceivedSheet")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn received(row: Model) -> Result<ReceivedSheet, StoreError> {
    let corrupt = |column| StoreError::corrupt("care_sheets", column, row.id);
    Ok(ReceivedSheet {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        rank: u8::try_from(row.rank).map_err(|_| corrupt("rank"))?,
        sender: ProfessionalId::from_code(&row.sender).ok_or_else(|| corrupt("sender"))?,
        professional: ProfessionalId::from_code(&row.professional)
            .ok_or_else(|| corrupt("professional"))?,
        prescriber: match &row.prescriber {
            Some(p) => Some(ProfessionalId::from_code(p).ok_or_else(|| corrupt("prescriber"))?),
            None => None,
        },
        parcours: Parcours::from_code(&row.parcours).ok_or_else(|| corrupt("parcours"))?,
        lines: lines_of(&row.lines).ok_or_else(|| corrupt("lines"))?,
        id: row.id,
        member_id: row.member_id,
        date_of_care: row.date_of_care,
        tiers_payant: row.tiers_payant,
        complementary_requested: row.complementary_requested,
    })
}

/// Up to `limit` received sheets, oldest care first, locked for this transaction: on
/// PostgreSQL rows another worker holds are skipped (`FOR UPDATE SKIP LOCKED`); SQLite has
/// one writer at a time anyway.
pub async fn take_received<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<ReceivedSheet>, StoreError> {
    let mut query = Entity::find()
        .filter(Column::State.eq(SheetState::Recue.code()))
        .order_by_asc(Column::DateOfCare)
        .order_by_asc(Column::ReceivedAt)
        .order_by_asc(Column::Id)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    query.all(db).await?.into_iter().map(received).collect()
}

/// Columns of a row of [`record_liquidated_many`]'s `VALUES`.
const LIQUIDATED_ARITY: usize = 10;

/// Records the liquidations of many received sheets, by one `UPDATE … FROM (VALUES …)` per
/// chunk; returns how many sheets were still received (the others, already done, do not
/// change).
pub async fn record_liquidated_many<C: ConnectionTrait>(
    db: &C,
    sheets: &[(Uuid, Date, &Liquidation)],
    now: Instant,
) -> Result<u64, StoreError> {
    let mut done = 0;
    for chunk in sheets.chunks(super::rows_per_statement(LIQUIDATED_ARITY, 5)) {
        // The chunk's days of care as constants: PostgreSQL then reads only their partitions.
        let (Some(first), Some(last)) = (
            chunk.iter().map(|(_, day, _)| *day).min(),
            chunk.iter().map(|(_, day, _)| *day).max(),
        ) else {
            continue;
        };
        let mut values: Vec<Value> = Vec::with_capacity(4 + chunk.len() * LIQUIDATED_ARITY);
        values.extend([
            SheetState::Liquidee.code().into(),
            now.get().into(),
            SheetState::Recue.code().into(),
            first.into(),
            last.into(),
        ]);
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, (id, day, l)) in chunk.iter().enumerate() {
            values.extend([
                (*id).into(),
                (*day).into(),
                l.payee.code().into(),
                l.base.cents().into(),
                l.amo.cents().into(),
                l.regime_local.cents().into(),
                l.deductions.cents().into(),
                l.paid.cents().into(),
                l.withheld.cents().into(),
                l.member_debt.cents().into(),
            ]);
            let first = 6 + i * LIQUIDATED_ARITY;
            let placeholders: Vec<String> = (first..first + LIQUIDATED_ARITY)
                .map(|n| format!("${n}"))
                .collect();
            rows.push(format!("({})", placeholders.join(", ")));
        }
        // A CTE with named columns reads the same on SQLite (≥ 3.33 for UPDATE … FROM) and
        // PostgreSQL; the state check keeps a sheet done twice from being changed again.
        let sql = format!(
            "WITH v (id, date_of_care, payee, base_cents, amo_cents, regime_local_cents, \
             deductions_cents, paid_cents, withheld_cents, member_debt_cents) AS (VALUES {}) \
             UPDATE care_sheets SET state = $1, liquidated_at = $2, payee = v.payee, \
             base_cents = v.base_cents, amo_cents = v.amo_cents, \
             regime_local_cents = v.regime_local_cents, deductions_cents = v.deductions_cents, \
             paid_cents = v.paid_cents, withheld_cents = v.withheld_cents, \
             member_debt_cents = v.member_debt_cents \
             FROM v WHERE care_sheets.id = v.id AND care_sheets.date_of_care = v.date_of_care \
             AND care_sheets.state = $3 \
             AND care_sheets.date_of_care >= $4 AND care_sheets.date_of_care <= $5",
            rows.join(", ")
        );
        done += db
            .execute_raw(statement(db, &sql, values))
            .await?
            .rows_affected();
    }
    Ok(done)
}

/// Rejects a received sheet with its reason (French, shown to the sender and the member).
pub async fn record_rejected<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    date_of_care: Date,
    reason: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    let sql = "UPDATE care_sheets SET state = $1, rejected_at = $2, rejection = $3 \
               WHERE id = $4 AND date_of_care = $5 AND state = $6";
    let values: Vec<Value> = vec![
        SheetState::Rejetee.code().into(),
        now.get().into(),
        reason.into(),
        id.into(),
        date_of_care.into(),
        SheetState::Recue.code().into(),
    ];
    let done = db.execute_raw(statement(db, sql, values)).await?;
    Ok(done.rows_affected() == 1)
}

/// How many sheets are in each state.
pub async fn count_by_state<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<(SheetState, u64)>, StoreError> {
    let rows: Vec<(String, i64)> = Entity::find()
        .select_only()
        .column(Column::State)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::State)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(state, n)| {
            let state = SheetState::from_code(&state)
                .ok_or_else(|| StoreError::corrupt("care_sheets", "state", &state))?;
            Ok((state, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
}

/// What the liquidation of a sheet came to, as stored on the sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetTotals {
    /// Who is paid.
    pub payee: Payee,
    /// Sum of the bases.
    pub base: AmountCents,
    /// Sum of the AMO parts.
    pub amo: AmountCents,
    /// Sum of the régime local parts.
    pub regime_local: AmountCents,
    /// Sum of the participations and franchises applied.
    pub deductions: AmountCents,
    /// What the fund pays the payee.
    pub paid: AmountCents,
    /// The deductions withheld from this payment.
    pub withheld: AmountCents,
    /// The deductions left to recover from later payments.
    pub member_debt: AmountCents,
}

/// A sheet as stored, whatever its state. `Debug` names it only: the care is health data.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSheet {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The lot it came in.
    pub lot_id: Uuid,
    /// The sender's number for it in the lot.
    pub number: u32,
    /// The insured member.
    pub member_id: Uuid,
    /// The beneficiary's rank.
    pub rank: u8,
    /// The day of care.
    pub date_of_care: Date,
    /// Who billed the care.
    pub professional: ProfessionalId,
    /// Tiers payant.
    pub tiers_payant: bool,
    /// The parcours.
    pub parcours: Parcours,
    /// What was charged, all lines together.
    pub charged: AmountCents,
    /// Where it stands.
    pub state: SheetState,
    /// When it was received.
    pub received_at: Instant,
    /// Why the liquidation refused it (French), when rejected.
    pub rejection: Option<String>,
    /// Its totals, once liquidated (liquidated or paid).
    pub totals: Option<SheetTotals>,
    /// The payment that paid it, if any (none when nothing was due).
    pub payment_id: Option<Uuid>,
}

impl std::fmt::Debug for StoredSheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSheet")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

fn stored_sheet(row: Model) -> Result<StoredSheet, StoreError> {
    let corrupt = |column| StoreError::corrupt("care_sheets", column, row.id);
    let state = SheetState::from_code(&row.state).ok_or_else(|| corrupt("state"))?;
    let totals = match state {
        SheetState::Liquidee | SheetState::Payee => {
            let cents = |value: Option<i64>, column| {
                value.map(AmountCents::new).ok_or_else(|| corrupt(column))
            };
            Some(SheetTotals {
                payee: row
                    .payee
                    .as_deref()
                    .and_then(Payee::from_code)
                    .ok_or_else(|| corrupt("payee"))?,
                base: cents(row.base_cents, "base_cents")?,
                amo: cents(row.amo_cents, "amo_cents")?,
                regime_local: cents(row.regime_local_cents, "regime_local_cents")?,
                deductions: cents(row.deductions_cents, "deductions_cents")?,
                paid: cents(row.paid_cents, "paid_cents")?,
                withheld: cents(row.withheld_cents, "withheld_cents")?,
                member_debt: cents(row.member_debt_cents, "member_debt_cents")?,
            })
        }
        SheetState::Recue | SheetState::Rejetee => None,
    };
    Ok(StoredSheet {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        rank: u8::try_from(row.rank).map_err(|_| corrupt("rank"))?,
        number: u32::try_from(row.number).map_err(|_| corrupt("number"))?,
        professional: ProfessionalId::from_code(&row.professional)
            .ok_or_else(|| corrupt("professional"))?,
        parcours: Parcours::from_code(&row.parcours).ok_or_else(|| corrupt("parcours"))?,
        id: row.id,
        lot_id: row.lot_id,
        member_id: row.member_id,
        date_of_care: row.date_of_care,
        tiers_payant: row.tiers_payant,
        charged: AmountCents::new(row.charged_cents),
        state,
        received_at: instant(row.received_at),
        rejection: row.rejection,
        totals,
        payment_id: row.payment_id,
    })
}

/// A sheet by its id, with its totals once liquidated; `None` when no sheet has that id.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<StoredSheet>, StoreError> {
    Entity::find()
        .filter(Column::Id.eq(id))
        .one(db)
        .await?
        .map(stored_sheet)
        .transpose()
}

/// The ids of a member's sheets (every rank), newest care first, up to `limit`: what a
/// member's page lists before reading each with [`find`].
pub async fn ids_of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::MemberId.eq(member_id))
        .order_by_desc(Column::DateOfCare)
        .order_by_desc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?)
}
