//! Participations forfaitaires and franchises médicales: the amounts left to the member on
//! each act, with their daily and yearly caps (`reference/deductions.csv`).

use crate::AmountCents;
use crate::rights::Period;

/// Why a deduction code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeductionCodeError {
    /// Not a known kind.
    #[error("unknown deduction kind")]
    Kind,
    /// Not a known scope.
    #[error("unknown daily cap scope")]
    Scope,
    /// Not a known yearly group.
    #[error("unknown yearly cap group")]
    Group,
}

impl DeductionCodeError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            DeductionCodeError::Kind => {
                "Déduction inconnue : participation_forfaitaire, franchise_boite, franchise_paramedical ou franchise_transport."
            }
            DeductionCodeError::Scope => {
                "Portée du plafond journalier inconnue : professionnel ou beneficiaire."
            }
            DeductionCodeError::Group => "Groupe de plafond annuel inconnu : pf ou franchises.",
        }
    }
}

/// What is deducted from a reimbursement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeductionKind {
    /// Per consultation or act of a médecin, biology analysis, radiology exam.
    ParticipationForfaitaire,
    /// Per box of medicine.
    FranchiseBoite,
    /// Per act of an auxiliaire médical.
    FranchiseParamedical,
    /// Per leg of a sanitary transport.
    FranchiseTransport,
}

impl DeductionKind {
    /// Every kind.
    pub const ALL: [DeductionKind; 4] = [
        DeductionKind::ParticipationForfaitaire,
        DeductionKind::FranchiseBoite,
        DeductionKind::FranchiseParamedical,
        DeductionKind::FranchiseTransport,
    ];

    /// Parses the code of the reference files.
    pub fn parse(raw: &str) -> Result<DeductionKind, DeductionCodeError> {
        let code = raw.trim();
        DeductionKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(DeductionCodeError::Kind)
    }

    /// The code of the reference files.
    pub fn code(self) -> &'static str {
        match self {
            DeductionKind::ParticipationForfaitaire => "participation_forfaitaire",
            DeductionKind::FranchiseBoite => "franchise_boite",
            DeductionKind::FranchiseParamedical => "franchise_paramedical",
            DeductionKind::FranchiseTransport => "franchise_transport",
        }
    }

    /// The label of the deduction line shown to the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            DeductionKind::ParticipationForfaitaire => "Participation forfaitaire",
            DeductionKind::FranchiseBoite => "Franchise médicale sur les médicaments",
            DeductionKind::FranchiseParamedical => "Franchise médicale sur les actes paramédicaux",
            DeductionKind::FranchiseTransport => "Franchise médicale sur les transports sanitaires",
        }
    }
}

/// Whose acts a daily cap counts together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DailyCapScope {
    /// The acts of one professional for the beneficiary that day (the PF: at most 4 a day
    /// for the same professional).
    PerProfessional,
    /// All the beneficiary's acts of that kind that day (franchises).
    PerBeneficiary,
}

impl DailyCapScope {
    /// Parses `professionnel` or `beneficiaire`.
    pub fn parse(raw: &str) -> Result<DailyCapScope, DeductionCodeError> {
        match raw.trim() {
            "professionnel" => Ok(DailyCapScope::PerProfessional),
            "beneficiaire" => Ok(DailyCapScope::PerBeneficiary),
            _ => Err(DeductionCodeError::Scope),
        }
    }

    /// The code of the reference files.
    pub fn code(self) -> &'static str {
        match self {
            DailyCapScope::PerProfessional => "professionnel",
            DailyCapScope::PerBeneficiary => "beneficiaire",
        }
    }
}

/// Deductions whose yearly totals share one cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnnualCapGroup {
    /// Participations forfaitaires (50 € a civil year).
    ParticipationsForfaitaires,
    /// All franchises together (50 € a civil year).
    Franchises,
}

impl AnnualCapGroup {
    /// Parses `pf` or `franchises`.
    pub fn parse(raw: &str) -> Result<AnnualCapGroup, DeductionCodeError> {
        match raw.trim() {
            "pf" => Ok(AnnualCapGroup::ParticipationsForfaitaires),
            "franchises" => Ok(AnnualCapGroup::Franchises),
            _ => Err(DeductionCodeError::Group),
        }
    }

    /// The code of the reference files.
    pub fn code(self) -> &'static str {
        match self {
            AnnualCapGroup::ParticipationsForfaitaires => "pf",
            AnnualCapGroup::Franchises => "franchises",
        }
    }
}

/// A daily cap: at most `amount` a day within `scope`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyCap {
    /// The most deducted in a day.
    pub amount: AmountCents,
    /// What the day's total counts.
    pub scope: DailyCapScope,
}

/// One dated row of the deductions table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeductionRule {
    /// The deduction.
    pub kind: DeductionKind,
    /// Per act, box or leg.
    pub unit: AmountCents,
    /// Its daily cap, if any.
    pub daily_cap: Option<DailyCap>,
    /// The yearly total it counts in.
    pub annual_group: AnnualCapGroup,
    /// That total's cap (the rows of one group carry the same cap).
    pub annual_cap: AmountCents,
    /// When the row applies.
    pub validity: Period,
}
