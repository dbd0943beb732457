//! One payment as the member sees it: the care it paid, grouped by beneficiary, each line
//! with its act, professional, amounts and « Pourquoi ce montant ? » (the domain's
//! [`explain_line`], from the rule the engine recorded); the participations and franchises
//! deducted, each beneficiary's counters for the year against their cap; the indemnités
//! journalières with their period and daily amount; in tiers payant, what the member still
//! owes. Only what concerns the member is read: another member's payment is `None`.

use std::collections::{BTreeMap, HashMap};

use caisse_domain::claims::{
    AnnualCapGroup, BasisPoints, CorrectionStatus, Deduction, DeductionKind, DeductionLimit,
    IjPayee, MemberPaymentKind, Payee, ProfessionalId, act_label_fr, explain_line, line_reimbursed,
};
use caisse_domain::{AmountCents, CaisseCode};
use caisse_store::claims::member_payments::{self, MemberPaymentHead};
use caisse_store::claims::senders;
use caisse_store::claims::{corrections, counters};
use caisse_store::{ConnectionTrait, Db, members};
use time::Date;
use uuid::Uuid;

use super::reference_data;
use super::statements::{SheetDetail, sheet_detail};
use crate::CoreError;

/// One liquidated line as the member reads it. `Debug` names the line only.
#[derive(Clone, PartialEq, Eq)]
pub struct CareLineView {
    /// The sheet it is on.
    pub sheet_id: Uuid,
    /// Its place on the sheet, from 1.
    pub line_no: usize,
    /// The act, named (« Consultation de médecin généraliste (G) »).
    pub act: String,
    /// The day of care.
    pub date_of_care: Date,
    /// Who gave the care.
    pub professional: String,
    /// Paid to the professional (tiers payant).
    pub tiers_payant: bool,
    /// What the professional charged.
    pub charged: AmountCents,
    /// The base of reimbursement.
    pub base: AmountCents,
    /// The rate.
    pub rate: BasisPoints,
    /// What the fund paid for it, net of its deduction.
    pub reimbursed: AmountCents,
    /// « Pourquoi ce montant ? », sentence by sentence.
    pub explanation: Vec<String>,
    /// The line's latest correction in force, if the fund corrected it after payment.
    pub correction: Option<LineCorrection>,
}

impl CareLineView {
    /// The line's reference, as « Signaler un remboursement » quotes it.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.sheet_id, self.line_no)
    }
}

impl std::fmt::Debug for CareLineView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CareLineView")
            .field("sheet_id", &self.sheet_id)
            .field("line_no", &self.line_no)
            .finish_non_exhaustive()
    }
}

/// The care of one beneficiary in the payment. `Debug` shows the rank and the lines only.
#[derive(Clone, PartialEq, Eq)]
pub struct BeneficiaryCare {
    /// Rank (1: the insured member).
    pub rank: u8,
    /// « Sophie WEBER ».
    pub name: String,
    /// The lines, in the order of the sheets.
    pub lines: Vec<CareLineView>,
}

/// A paid line the fund corrected (`super::corrections`): what it reimburses now, and how the
/// difference is settled. Not `Debug`: amounts only, shown with the line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LineCorrection {
    /// The day the correction took effect.
    pub on: Date,
    /// What the line reimbursed before.
    pub old: AmountCents,
    /// What it reimburses now.
    pub new: AmountCents,
}

/// A complement this payment pays: the care of a corrected line, and the amount added.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ComplementRow {
    /// The day of care of the corrected line.
    pub date_of_care: Date,
    /// What the line reimbursed before.
    pub old: AmountCents,
    /// What it reimburses now.
    pub new: AmountCents,
    /// The complement paid.
    pub amount: AmountCents,
}

/// A participation or franchise deducted on a line. `Debug` shows the kind only.
#[derive(Clone, PartialEq, Eq)]
pub struct DeductionRow {
    /// Whose care.
    pub beneficiary: String,
    /// Which deduction.
    pub kind: DeductionKind,
    /// The day of the act.
    pub date_of_care: Date,
    /// What was deducted.
    pub applied: AmountCents,
}

/// A beneficiary's total of one deduction group in a civil year, against its cap. `Debug`
/// shows the group and the year only.
#[derive(Clone, PartialEq, Eq)]
pub struct YearCounter {
    /// Whose.
    pub beneficiary: String,
    /// Participations forfaitaires or franchises.
    pub group: AnnualCapGroup,
    /// The civil year.
    pub year: i32,
    /// Deducted so far.
    pub used: AmountCents,
    /// The cap.
    pub cap: AmountCents,
}

/// A payment of indemnités journalières in the payment. `Debug` shows the period only (the
/// amounts follow from the salary).
#[derive(Clone, PartialEq, Eq)]
pub struct IjPart {
    /// First paid day.
    pub from: Date,
    /// Last paid day.
    pub to: Date,
    /// Paid days.
    pub days: u32,
    /// The gross daily amount.
    pub daily: AmountCents,
    /// Gross, CSG, CRDS and net.
    pub gross: AmountCents,
    /// CSG withheld.
    pub csg: AmountCents,
    /// CRDS withheld.
    pub crds: AmountCents,
    /// What is paid.
    pub net: AmountCents,
    /// To the member or to the employer.
    pub payee: IjPayee,
}

impl std::fmt::Debug for BeneficiaryCare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BeneficiaryCare")
            .field("rank", &self.rank)
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for DeductionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeductionRow")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for YearCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YearCounter")
            .field("group", &self.group)
            .field("year", &self.year)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for IjPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjPart")
            .field("from", &self.from)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// A payment as the member sees it. `Debug` names it only.
#[derive(Clone, PartialEq, Eq)]
pub struct PaymentDetail {
    /// The payment.
    pub head: MemberPaymentHead,
    /// What it is.
    pub kind: MemberPaymentKind,
    /// What it paid for the member: their own payment's transfer, or their share.
    pub amount: AmountCents,
    /// The care, by beneficiary (rank order).
    pub beneficiaries: Vec<BeneficiaryCare>,
    /// The participations and franchises deducted.
    pub deductions: Vec<DeductionRow>,
    /// The year's counters of the deductions this payment touches.
    pub counters: Vec<YearCounter>,
    /// Indemnités journalières.
    pub ij: Vec<IjPart>,
    /// In tiers payant: the participations and franchises the member still owes (taken
    /// from later reimbursements).
    pub member_owes: AmountCents,
    /// The complements of corrected lines this payment pays.
    pub complements: Vec<ComplementRow>,
}

impl std::fmt::Debug for PaymentDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentDetail")
            .field("id", &self.head.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The group a deduction counts in, as the reference tables say.
fn group_of(kind: DeductionKind) -> AnnualCapGroup {
    match kind {
        DeductionKind::ParticipationForfaitaire => AnnualCapGroup::ParticipationsForfaitaires,
        DeductionKind::FranchiseBoite
        | DeductionKind::FranchiseParamedical
        | DeductionKind::FranchiseTransport => AnnualCapGroup::Franchises,
    }
}

/// The names of the member's beneficiaries by rank (1: the member).
async fn names<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<HashMap<u8, String>, CoreError> {
    let mut names = HashMap::new();
    if let Some(member) = members::find(db, member_id).await? {
        names.insert(1, member.display_name());
    }
    for b in members::beneficiaries(db, member_id).await? {
        if let Ok(rank) = u8::try_from(b.rank) {
            names.insert(rank, format!("{} {}", b.first_name, b.last_name));
        }
    }
    Ok(names)
}

/// « Dr … » as the sender registered it, else its directory and number.
async fn professional_name<C: ConnectionTrait>(
    db: &C,
    cache: &mut HashMap<String, String>,
    caisse: CaisseCode,
    who: &ProfessionalId,
) -> Result<String, CoreError> {
    if let Some(name) = cache.get(&who.code()) {
        return Ok(name.clone());
    }
    let name = match senders::newest(db, caisse, who).await? {
        Some(sender) => sender.name,
        None => format!("Professionnel de santé n° {}", who.as_str()),
    };
    cache.insert(who.code(), name.clone());
    Ok(name)
}

/// The payment `payment_id` as `member_id` sees it, or `None`.
pub(super) async fn read(
    db: &Db,
    member_id: Uuid,
    payment_id: Uuid,
) -> Result<Option<PaymentDetail>, CoreError> {
    let txn = caisse_store::claims::begin_member_reads(db).await?;
    let detail = read_on(&txn, member_id, payment_id).await?;
    txn.commit().await?;
    Ok(detail)
}

async fn read_on<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    payment_id: Uuid,
) -> Result<Option<PaymentDetail>, CoreError> {
    let Some(parts) = member_payments::parts_for_member(db, member_id, payment_id).await? else {
        return Ok(None);
    };
    let mut sheets: Vec<SheetDetail> = Vec::with_capacity(parts.sheet_ids.len());
    for id in &parts.sheet_ids {
        if let Some(sheet) = sheet_detail(db, *id).await?
            && sheet.member_id == member_id
        {
            sheets.push(sheet);
        }
    }
    sheets.sort_by_key(|s| (s.rank, s.date_of_care, s.number));
    let names = names(db, member_id).await?;
    let name_of = |rank: u8| {
        names
            .get(&rank)
            .cloned()
            .unwrap_or_else(|| format!("Bénéficiaire de rang {rank}"))
    };
    let mut professionals = HashMap::new();
    let sheet_ids: Vec<Uuid> = sheets.iter().map(|s| s.id).collect();
    let applied: HashMap<(Uuid, usize), LineCorrection> = corrections::of_sheets(db, &sheet_ids)
        .await?
        .into_iter()
        .filter(|c| c.status == CorrectionStatus::Appliquee)
        // Oldest first: the latest correction of a line wins.
        .map(|c| {
            let on = c.decided_at.unwrap_or(c.requested_at).get().date();
            let correction = LineCorrection {
                on,
                old: c.old,
                new: c.new,
            };
            ((c.sheet_id, c.line_no), correction)
        })
        .collect();
    let mut by_rank: BTreeMap<u8, Vec<CareLineView>> = BTreeMap::new();
    let mut deductions = Vec::new();
    let mut touched: BTreeMap<(u8, i32, AnnualCapGroup), Date> = BTreeMap::new();
    let mut share = 0_i64;
    let mut member_owes = 0_i64;
    for sheet in &sheets {
        let Some(liquidation) = &sheet.liquidation else {
            continue;
        };
        share += liquidation.totals.paid.cents();
        if liquidation.totals.payee == Payee::Professional {
            member_owes += liquidation.totals.member_debt.cents();
        }
        let professional =
            professional_name(db, &mut professionals, sheet.caisse, &sheet.professional).await?;
        for line in &liquidation.lines {
            let l = &line.liquidation;
            if let Some(Deduction {
                kind,
                applied,
                limit,
                ..
            }) = l.deduction
            {
                // An exempt beneficiary's counter says nothing useful.
                if !matches!(limit, DeductionLimit::Exempt(_)) {
                    touched
                        .entry((sheet.rank, sheet.date_of_care.year(), group_of(kind)))
                        .or_insert(sheet.date_of_care);
                }
                if applied.cents() > 0 {
                    deductions.push(DeductionRow {
                        beneficiary: name_of(sheet.rank),
                        kind,
                        date_of_care: sheet.date_of_care,
                        applied,
                    });
                }
            }
            by_rank.entry(sheet.rank).or_default().push(CareLineView {
                sheet_id: sheet.id,
                line_no: l.line_no,
                act: act_label_fr(&l.code, l.category),
                date_of_care: sheet.date_of_care,
                professional: professional.clone(),
                tiers_payant: sheet.tiers_payant,
                charged: l.charged,
                base: l.base,
                rate: l.rate,
                reimbursed: line_reimbursed(l),
                explanation: explain_line(l),
                correction: applied.get(&(sheet.id, l.line_no)).copied(),
            });
        }
    }
    let counters = year_counters(db, member_id, &touched, &name_of).await?;
    let ij: Vec<IjPart> = parts
        .ij
        .iter()
        .map(|p| {
            let a = &p.payment.amounts;
            IjPart {
                from: p.payment.from,
                to: p.payment.to,
                days: p.payment.days,
                daily: p.payment.daily_gross(),
                gross: a.gross,
                csg: a.csg,
                crds: a.crds,
                net: a.net,
                payee: p.payment.payee,
            }
        })
        .collect();
    let head = parts.head;
    let (kind, amount) = match head.payee {
        // Without sheets nor IJ, the member's own payment pays complements of corrected care
        // (`claims::complements`).
        Payee::Member if !sheets.is_empty() || ij.is_empty() => {
            (MemberPaymentKind::Soins, head.amount)
        }
        Payee::Member => (MemberPaymentKind::IndemnitesJournalieres, head.amount),
        Payee::Professional => (MemberPaymentKind::Professionnel, AmountCents::new(share)),
        Payee::Employer => (
            MemberPaymentKind::IndemnitesJournalieres,
            AmountCents::new(ij.iter().map(|p| p.net.cents()).sum()),
        ),
    };
    Ok(Some(PaymentDetail {
        head,
        kind,
        amount,
        beneficiaries: by_rank
            .into_iter()
            .map(|(rank, lines)| BeneficiaryCare {
                rank,
                name: name_of(rank),
                lines,
            })
            .collect(),
        deductions,
        counters,
        ij,
        member_owes: AmountCents::new(member_owes),
        complements: corrections::paid_by(db, payment_id)
            .await?
            .into_iter()
            .filter(|c| c.member_id == member_id)
            .map(|c| ComplementRow {
                date_of_care: c.date_of_care,
                old: c.old,
                new: c.new,
                amount: c.complement,
            })
            .collect(),
    }))
}

/// Each touched (beneficiary, year, group)'s total against the cap in force on a day of
/// care of that year.
async fn year_counters<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    touched: &BTreeMap<(u8, i32, AnnualCapGroup), Date>,
    name_of: &impl Fn(u8) -> String,
) -> Result<Vec<YearCounter>, CoreError> {
    let Some(first_year) = touched.keys().map(|(_, year, _)| *year).min() else {
        return Ok(Vec::new());
    };
    let tables = reference_data::current(db).await?;
    let ranks: Vec<(Uuid, u8)> = touched
        .keys()
        .map(|(rank, ..)| (member_id, *rank))
        .collect();
    let loaded = counters::load(db, &ranks, first_year).await?;
    let mut rows = Vec::new();
    for (&(rank, year, group), &day) in touched {
        let kind = match group {
            AnnualCapGroup::ParticipationsForfaitaires => DeductionKind::ParticipationForfaitaire,
            AnnualCapGroup::Franchises => DeductionKind::FranchiseBoite,
        };
        let Ok(rule) = tables.deduction(kind, day) else {
            continue;
        };
        let used = loaded
            .get(&(member_id, rank))
            .map_or(AmountCents::new(0), |c| c.annual(year, group));
        rows.push(YearCounter {
            beneficiary: name_of(rank),
            group,
            year,
            used,
            cap: rule.annual_cap,
        });
    }
    Ok(rows)
}
