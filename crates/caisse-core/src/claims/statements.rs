//! What the member pages show of a care sheet: the sheet, where it stands and, once
//! liquidated, its totals and every line with the rule behind each amount (the same
//! [`LineLiquidation`] the liquidation produced, read back from `care_lines`).
//!
//! The reading is not scoped: the caller (a member page, a staff page) checks that the sheet
//! is the signed-in member's, or of the staff member's fund, before showing it.

use caisse_domain::claims::{LineLiquidation, ProfessionalId, SheetState};
use caisse_domain::{AmountCents, CaisseCode, Instant};
use caisse_store::claims::lines::{self, StoredLine};
use caisse_store::claims::sheets::{self, SheetTotals, StoredSheet};
use caisse_store::{ConnectionTrait, StoreError};
use time::Date;
use uuid::Uuid;

use crate::CoreError;

/// One liquidated line, with what was billed. `Debug` names the line only.
#[derive(Clone, PartialEq, Eq)]
pub struct DetailLine {
    /// How many times the act was billed.
    pub quantity: caisse_domain::claims::Quantity,
    /// The coefficient billed.
    pub coefficient: caisse_domain::claims::Coefficient,
    /// The amounts and their rules.
    pub liquidation: LineLiquidation,
}

impl std::fmt::Debug for DetailLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetailLine")
            .field("line_no", &self.liquidation.line_no)
            .finish_non_exhaustive()
    }
}

impl From<StoredLine> for DetailLine {
    fn from(line: StoredLine) -> Self {
        DetailLine {
            quantity: line.quantity,
            coefficient: line.coefficient,
            liquidation: line.liquidation,
        }
    }
}

/// A liquidated sheet's outcome: its totals and its lines, in the order of the sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetLiquidation {
    /// Who is paid and the sums.
    pub totals: SheetTotals,
    /// Every line.
    pub lines: Vec<DetailLine>,
}

/// A care sheet as a member page shows it. `Debug` names it only: the care is health data.
#[derive(Clone, PartialEq, Eq)]
pub struct SheetDetail {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The sender's number for it in its lot (« feuille n° »).
    pub number: u32,
    /// The insured member (whose page may show it).
    pub member_id: Uuid,
    /// The beneficiary's rank.
    pub rank: u8,
    /// The day of care.
    pub date_of_care: Date,
    /// Who billed the care.
    pub professional: ProfessionalId,
    /// Tiers payant.
    pub tiers_payant: bool,
    /// What was charged, all lines together.
    pub charged: AmountCents,
    /// Where it stands.
    pub state: SheetState,
    /// When it was received.
    pub received_at: Instant,
    /// Why the liquidation refused it (French), when rejected.
    pub rejection: Option<String>,
    /// The liquidation, once liquidated (liquidated or paid).
    pub liquidation: Option<SheetLiquidation>,
    /// The payment that paid it, if any.
    pub payment_id: Option<Uuid>,
}

impl std::fmt::Debug for SheetDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetDetail")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The sheet `sheet_id` with its liquidation; `None` when no sheet has that id.
///
/// # Errors
/// When the database fails, or a stored value no longer reads: a code, or lines that do not
/// add up to the sheet's totals (`StoreError::Corrupt`).
#[tracing::instrument(name = "claims.sheet_detail", skip_all, fields(sheet_id = %sheet_id))]
pub async fn sheet_detail<C: ConnectionTrait>(
    db: &C,
    sheet_id: Uuid,
) -> Result<Option<SheetDetail>, CoreError> {
    let Some(sheet) = sheets::find(db, sheet_id).await? else {
        return Ok(None);
    };
    let liquidation = match sheet.totals {
        Some(totals) => {
            let lines: Vec<DetailLine> = lines::of_sheet(db, sheet_id)
                .await?
                .into_iter()
                .map(DetailLine::from)
                .collect();
            check_sums(&sheet, &totals, &lines)?;
            Some(SheetLiquidation { totals, lines })
        }
        None => None,
    };
    let StoredSheet {
        id,
        caisse,
        number,
        member_id,
        rank,
        date_of_care,
        professional,
        tiers_payant,
        charged,
        state,
        received_at,
        rejection,
        payment_id,
        ..
    } = sheet;
    Ok(Some(SheetDetail {
        id,
        caisse,
        number,
        member_id,
        rank,
        date_of_care,
        professional,
        tiers_payant,
        charged,
        state,
        received_at,
        rejection,
        liquidation,
        payment_id,
    }))
}

/// The lines of a liquidated sheet add up to its totals, and are numbered 1, 2, 3…: what
/// a page shows line by line is what was paid.
fn check_sums(
    sheet: &StoredSheet,
    totals: &SheetTotals,
    lines: &[DetailLine],
) -> Result<(), CoreError> {
    let corrupt = |column| CoreError::Store(StoreError::corrupt("care_lines", column, sheet.id));
    if lines.is_empty()
        || lines
            .iter()
            .enumerate()
            .any(|(i, l)| l.liquidation.line_no != i + 1)
    {
        return Err(corrupt("line_no"));
    }
    let sum = |amount: fn(&LineLiquidation) -> i64| {
        lines
            .iter()
            .fold(0_i64, |sum, l| sum.saturating_add(amount(&l.liquidation)))
    };
    let sums = [
        ("base_cents", sum(|l| l.base.cents()), totals.base),
        ("amo_cents", sum(|l| l.amo.cents()), totals.amo),
        (
            "regime_local_cents",
            sum(|l| l.regime_local.map_or(0, |r| r.amount.cents())),
            totals.regime_local,
        ),
        (
            "deduction_applied_cents",
            sum(|l| l.deduction.map_or(0, |d| d.applied.cents())),
            totals.deductions,
        ),
    ];
    for (column, lines_sum, total) in sums {
        if lines_sum != total.cents() {
            return Err(corrupt(column));
        }
    }
    Ok(())
}
