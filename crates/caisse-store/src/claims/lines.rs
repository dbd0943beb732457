//! `care_lines`: the liquidated lines, with the rule behind every amount (what the member
//! pages explain).

use caisse_domain::AmountCents;
use caisse_domain::claims::{
    ActCategory, ActCode, BasisPoints, Coefficient, Deduction, DeductionKind, DeductionLimit,
    LineLiquidation, Quantity, RateRule, RegimeLocalPart,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};
use time::Date;
use uuid::Uuid;

use super::{rows_per_statement, statement};
use crate::StoreError;
use crate::entities::care_line::{Column, Entity, Model};

/// The lines of one liquidated sheet.
pub struct SheetLines<'a> {
    /// The sheet.
    pub sheet_id: Uuid,
    /// Its day of care (the partition key).
    pub date_of_care: Date,
    /// The insured member.
    pub member_id: Uuid,
    /// The lines, from the liquidation.
    pub lines: &'a [LineLiquidation],
}

const COLUMNS: &str = "sheet_id, date_of_care, line_no, member_id, code, category, quantity, \
     coefficient_hundredths, charged_cents, tariff_cents, base_cents, rate_bp, rate_rule, \
     amo_cents, regime_local_rate_bp, regime_local_cents, c2s_cents, excess_cents, \
     deduction_kind, deduction_due_cents, deduction_applied_cents, deduction_limit";
const ARITY: usize = 22;

/// Stores the liquidated lines of many sheets, by multi-row statements. `quantities` gives
/// each line's quantity and coefficient, which the liquidation does not repeat.
pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    sheets: &[(SheetLines<'_>, &[caisse_domain::claims::CareLine])],
) -> Result<(), StoreError> {
    let rows: Vec<(
        &SheetLines<'_>,
        &LineLiquidation,
        Option<&caisse_domain::claims::CareLine>,
    )> = sheets
        .iter()
        .flat_map(|(s, input)| {
            s.lines
                .iter()
                .map(move |l| (s, l, input.get(l.line_no.saturating_sub(1))))
        })
        .collect();
    for chunk in rows.chunks(rows_per_statement(ARITY, 0)) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * ARITY);
        let mut tuples = Vec::with_capacity(chunk.len());
        for (i, (sheet, l, input)) in chunk.iter().enumerate() {
            let deduction = l.deduction;
            values.extend([
                sheet.sheet_id.into(),
                sheet.date_of_care.into(),
                i16::try_from(l.line_no).unwrap_or(i16::MAX).into(),
                sheet.member_id.into(),
                l.code.as_str().into(),
                l.category.code().into(),
                i32::from(input.map_or(1, |c| c.quantity.get())).into(),
                i32::try_from(input.map_or(100, |c| c.coefficient.hundredths()))
                    .unwrap_or(i32::MAX)
                    .into(),
                l.charged.cents().into(),
                l.tariff_amount.cents().into(),
                l.base.cents().into(),
                i32::from(l.rate.get()).into(),
                l.rate_rule.code().into(),
                l.amo.cents().into(),
                l.regime_local.map(|r| i32::from(r.rate.get())).into(),
                l.regime_local.map_or(0, |r| r.amount.cents()).into(),
                l.c2s.cents().into(),
                l.excess.cents().into(),
                deduction.map(|d| d.kind.code()).into(),
                deduction.map_or(0, |d| d.due.cents()).into(),
                deduction.map_or(0, |d| d.applied.cents()).into(),
                deduction.map(|d| d.limit.code()).into(),
            ]);
            let first = i * ARITY + 1;
            let placeholders: Vec<String> =
                (first..first + ARITY).map(|n| format!("${n}")).collect();
            tuples.push(format!("({})", placeholders.join(", ")));
        }
        let sql = format!(
            "INSERT INTO care_lines ({COLUMNS}) VALUES {}",
            tuples.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}

/// A liquidated line as stored: the liquidation with the rule behind every amount, and the
/// quantity and coefficient billed (which the liquidation does not repeat). `Debug` names the
/// line only: the acts are health data.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// How many times the act was billed.
    pub quantity: Quantity,
    /// The coefficient billed.
    pub coefficient: Coefficient,
    /// The line as the liquidation found it.
    pub liquidation: LineLiquidation,
}

impl std::fmt::Debug for StoredLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredLine")
            .field("line_no", &self.liquidation.line_no)
            .finish_non_exhaustive()
    }
}

fn stored_line(row: Model) -> Result<StoredLine, StoreError> {
    let row_name = format!("{}/{}", row.sheet_id, row.line_no);
    let corrupt = |column| StoreError::corrupt("care_lines", column, &row_name);
    let rate = |bp: i32, column| {
        u16::try_from(bp)
            .ok()
            .and_then(|bp| BasisPoints::new(bp).ok())
            .ok_or_else(|| corrupt(column))
    };
    let regime_local = match row.regime_local_rate_bp {
        Some(bp) => Some(RegimeLocalPart {
            rate: rate(bp, "regime_local_rate_bp")?,
            amount: AmountCents::new(row.regime_local_cents),
        }),
        None => None,
    };
    let deduction = match (&row.deduction_kind, &row.deduction_limit) {
        (None, None) => None,
        (Some(kind), Some(limit)) => Some(Deduction {
            kind: DeductionKind::parse(kind).map_err(|_| corrupt("deduction_kind"))?,
            due: AmountCents::new(row.deduction_due_cents),
            applied: AmountCents::new(row.deduction_applied_cents),
            limit: DeductionLimit::from_code(limit).ok_or_else(|| corrupt("deduction_limit"))?,
        }),
        (Some(_), None) => return Err(corrupt("deduction_limit")),
        (None, Some(_)) => return Err(corrupt("deduction_kind")),
    };
    Ok(StoredLine {
        quantity: u16::try_from(row.quantity)
            .ok()
            .and_then(|q| Quantity::new(q).ok())
            .ok_or_else(|| corrupt("quantity"))?,
        coefficient: u32::try_from(row.coefficient_hundredths)
            .ok()
            .and_then(|c| Coefficient::from_hundredths(c).ok())
            .ok_or_else(|| corrupt("coefficient_hundredths"))?,
        liquidation: LineLiquidation {
            line_no: usize::try_from(row.line_no).map_err(|_| corrupt("line_no"))?,
            code: ActCode::parse(&row.code).map_err(|_| corrupt("code"))?,
            category: ActCategory::parse(&row.category).map_err(|_| corrupt("category"))?,
            charged: AmountCents::new(row.charged_cents),
            tariff_amount: AmountCents::new(row.tariff_cents),
            base: AmountCents::new(row.base_cents),
            rate: rate(row.rate_bp, "rate_bp")?,
            rate_rule: RateRule::from_code(&row.rate_rule).ok_or_else(|| corrupt("rate_rule"))?,
            amo: AmountCents::new(row.amo_cents),
            regime_local,
            c2s: AmountCents::new(row.c2s_cents),
            excess: AmountCents::new(row.excess_cents),
            deduction,
        },
    })
}

/// The liquidated lines of a sheet, in the order of the sheet; none before its liquidation.
pub async fn of_sheet<C: ConnectionTrait>(
    db: &C,
    sheet_id: Uuid,
) -> Result<Vec<StoredLine>, StoreError> {
    Entity::find()
        .filter(Column::SheetId.eq(sheet_id))
        .order_by_asc(Column::LineNo)
        .all(db)
        .await?
        .into_iter()
        .map(stored_line)
        .collect()
}
