//! `care_lines`: the liquidated lines, with the rule behind every amount (what the member
//! pages explain).

use caisse_domain::claims::LineLiquidation;
use sea_orm::{ConnectionTrait, Value};
use time::Date;
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, statement};
use crate::StoreError;

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
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
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
