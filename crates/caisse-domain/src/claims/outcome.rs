//! What a liquidation found, line by line, with the rule behind every amount so that a page
//! can say in French why each amount is what it is.

use super::{ActCategory, ActCode, BasisPoints, Counters, DeductionKind};
use crate::AmountCents;

/// The rule that chose a line's rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RateRule {
    /// The usual rate of the category.
    Common,
    /// A médecin seen outside the parcours de soins coordonnés.
    HorsParcours,
    /// Maternity window: 100 %.
    Maternite,
    /// Care for an open work accident or occupational disease: 100 %.
    AtMp,
    /// Care linked to a recognised ALD: 100 %.
    Ald,
    /// Holder of an invalidity pension: 100 %.
    Invalidite,
    /// C2S: the usual rate, the C2S pays the rest of the base.
    C2s,
}

impl RateRule {
    /// Why the rate is what it is, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            RateRule::Common => "Taux habituel pour ce type de soins.",
            RateRule::HorsParcours => {
                "Taux réduit : soins hors du parcours de soins coordonnés (pas de médecin traitant déclaré ni d'orientation par lui)."
            }
            RateRule::Maternite => {
                "Prise en charge à 100 % au titre de la maternité (du 1er jour du 6e mois de grossesse au 12e jour après l'accouchement)."
            }
            RateRule::AtMp => {
                "Prise en charge à 100 % au titre de l'accident du travail ou de la maladie professionnelle."
            }
            RateRule::Ald => {
                "Prise en charge à 100 % : soins en rapport avec votre affection de longue durée."
            }
            RateRule::Invalidite => {
                "Prise en charge à 100 % au titre de votre pension d'invalidité."
            }
            RateRule::C2s => {
                "Taux habituel ; le reste de la base de remboursement est pris en charge par la Complémentaire santé solidaire."
            }
        }
    }
}

/// Why a participation or franchise is not due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeductionExemption {
    /// Under 18 on the day of care.
    Mineur,
    /// In the maternity window.
    Maternite,
    /// Complémentaire santé solidaire.
    C2s,
    /// Aide médicale de l'État.
    Ame,
}

impl DeductionExemption {
    /// Why nothing is deducted, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            DeductionExemption::Mineur => "Non due : le patient a moins de 18 ans.",
            DeductionExemption::Maternite => "Non due pendant la période de maternité.",
            DeductionExemption::C2s => {
                "Non due pour les bénéficiaires de la Complémentaire santé solidaire."
            }
            DeductionExemption::Ame => {
                "Non due pour les bénéficiaires de l'aide médicale de l'État."
            }
        }
    }
}

/// What limited a participation or franchise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeductionLimit {
    /// Nothing: the whole amount is deducted.
    None,
    /// The daily cap was reached.
    DailyCap,
    /// The civil year's cap was reached.
    AnnualCap,
    /// Not due at all.
    Exempt(DeductionExemption),
}

impl DeductionLimit {
    /// Why the amount is what it is, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            DeductionLimit::None => "Montant habituel.",
            DeductionLimit::DailyCap => "Réduite : le plafond journalier est atteint.",
            DeductionLimit::AnnualCap => {
                "Réduite : le plafond annuel de l'année civile est atteint."
            }
            DeductionLimit::Exempt(e) => e.label_fr(),
        }
    }
}

/// The régime local complement of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegimeLocalPart {
    /// The share of the base both layers cover together.
    pub rate: BasisPoints,
    /// What the régime local adds to the AMO.
    pub amount: AmountCents,
}

/// A participation or franchise on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deduction {
    /// Which one.
    pub kind: DeductionKind,
    /// The unit amount × the quantity, before caps.
    pub due: AmountCents,
    /// What is deducted.
    pub applied: AmountCents,
    /// What limited it.
    pub limit: DeductionLimit,
}

/// One line of the sheet, liquidated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineLiquidation {
    /// Its place on the sheet, from 1.
    pub line_no: usize,
    /// The act.
    pub code: ActCode,
    /// Its category.
    pub category: ActCategory,
    /// What the professional charged.
    pub charged: AmountCents,
    /// Tariff × quantity × coefficient, before the charged amount caps it.
    pub tariff_amount: AmountCents,
    /// The base of reimbursement: the tariff amount, or the amount charged when lower.
    pub base: AmountCents,
    /// The rate applied to the base.
    pub rate: BasisPoints,
    /// The rule that chose it.
    pub rate_rule: RateRule,
    /// What the régime obligatoire pays: base × rate, rounded half up to the cent.
    pub amo: AmountCents,
    /// The Alsace-Moselle complement, for its members.
    pub regime_local: Option<RegimeLocalPart>,
    /// What the C2S pays of the base (base − AMO), for its beneficiaries.
    pub c2s: AmountCents,
    /// Charged above the base (dépassement), never reimbursed by the AMO.
    pub excess: AmountCents,
    /// The participation or franchise of the line, if its category carries one.
    pub deduction: Option<Deduction>,
}

impl LineLiquidation {
    /// The part left before the complémentaire santé (« reste à charge avant
    /// complémentaire »): what was charged less what the AMO, the régime local and the C2S
    /// pay. The fund does not compute the complementary's own share (its contracts are not
    /// ours): under tiers payant intégral the professional asks the complementary for this
    /// part; otherwise the member does. The participation or franchise is not in it: no
    /// « responsable » contract may cover it, so the member owes it either way.
    pub fn before_complementary(&self) -> AmountCents {
        let covered = self.amo.cents()
            + self.regime_local.map_or(0, |rl| rl.amount.cents())
            + self.c2s.cents();
        AmountCents::new(self.charged.cents().saturating_sub(covered).max(0))
    }
}

/// Who the fund pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Payee {
    /// The professional, in tiers payant: the member's deductions become a debt.
    Professional,
    /// The member, net of the deductions.
    Member,
    /// An employer under subrogation: the indemnités journalières of an arrêt de travail
    /// (never a care sheet's payee).
    Employer,
}

impl Payee {
    /// The nature of the payment, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            Payee::Professional => {
                "Paiement au professionnel de santé (tiers payant) ; les participations et franchises seront déduites de vos prochains remboursements."
            }
            Payee::Member => "Remboursement versé sur votre compte.",
            Payee::Employer => {
                "Indemnités journalières versées à votre employeur, qui maintient votre salaire (subrogation)."
            }
        }
    }
}

/// A liquidated care sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Liquidation {
    /// Every line.
    pub lines: Vec<LineLiquidation>,
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
    /// The deductions withheld from this payment (member payee only).
    pub withheld: AmountCents,
    /// The deductions left to recover from later payments: all of them in tiers payant,
    /// what exceeds the payment otherwise.
    pub member_debt: AmountCents,
    /// The counters after this sheet.
    pub counters: Counters,
}
