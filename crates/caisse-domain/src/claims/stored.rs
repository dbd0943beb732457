//! The state of a care sheet, and the stable spellings the store keeps for the engine's
//! enums: one `code` and one `from_code` per enum, so that a renamed variant cannot silently
//! change what is stored.

use super::{DeductionExemption, DeductionLimit, Parcours, Payee, ProfessionalId, RateRule};

/// Where a care sheet stands: reçue → liquidée → payée, or rejetée.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SheetState {
    /// Accepted from a lot, waiting for the liquidation worker.
    Recue,
    /// Liquidated: its lines and totals are known, its payment is to come.
    Liquidee,
    /// Paid to its payee (or nothing was due).
    Payee,
    /// Refused by the liquidation; the reason is kept.
    Rejetee,
}

impl SheetState {
    /// Every state, in the order a sheet goes through them.
    pub const ALL: [SheetState; 4] = [
        SheetState::Recue,
        SheetState::Liquidee,
        SheetState::Payee,
        SheetState::Rejetee,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SheetState::Recue => "recue",
            SheetState::Liquidee => "liquidee",
            SheetState::Payee => "payee",
            SheetState::Rejetee => "rejetee",
        }
    }

    /// The state a stored code names.
    pub fn from_code(code: &str) -> Option<SheetState> {
        SheetState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            SheetState::Recue => "Reçue",
            SheetState::Liquidee => "Remboursement calculé",
            SheetState::Payee => "Payée",
            SheetState::Rejetee => "Rejetée",
        }
    }
}

impl Parcours {
    /// Every parcours.
    pub const ALL: [Parcours; 5] = [
        Parcours::MedecinTraitant,
        Parcours::Oriente,
        Parcours::AccesDirect,
        Parcours::Urgence,
        Parcours::HorsParcours,
    ];

    /// The code the lots and the store write.
    pub fn code(self) -> &'static str {
        match self {
            Parcours::MedecinTraitant => "medecin_traitant",
            Parcours::Oriente => "oriente",
            Parcours::AccesDirect => "acces_direct",
            Parcours::Urgence => "urgence",
            Parcours::HorsParcours => "hors_parcours",
        }
    }

    /// The parcours a code names.
    pub fn from_code(code: &str) -> Option<Parcours> {
        Parcours::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl RateRule {
    /// Every rule.
    pub const ALL: [RateRule; 7] = [
        RateRule::Common,
        RateRule::HorsParcours,
        RateRule::Maternite,
        RateRule::AtMp,
        RateRule::Ald,
        RateRule::Invalidite,
        RateRule::C2s,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            RateRule::Common => "common",
            RateRule::HorsParcours => "hors_parcours",
            RateRule::Maternite => "maternite",
            RateRule::AtMp => "at_mp",
            RateRule::Ald => "ald",
            RateRule::Invalidite => "invalidite",
            RateRule::C2s => "c2s",
        }
    }

    /// The rule a stored code names.
    pub fn from_code(code: &str) -> Option<RateRule> {
        RateRule::ALL.into_iter().find(|r| r.code() == code)
    }
}

const LIMITS: [DeductionLimit; 7] = [
    DeductionLimit::None,
    DeductionLimit::DailyCap,
    DeductionLimit::AnnualCap,
    DeductionLimit::Exempt(DeductionExemption::Mineur),
    DeductionLimit::Exempt(DeductionExemption::Maternite),
    DeductionLimit::Exempt(DeductionExemption::C2s),
    DeductionLimit::Exempt(DeductionExemption::Ame),
];

impl DeductionLimit {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DeductionLimit::None => "none",
            DeductionLimit::DailyCap => "daily_cap",
            DeductionLimit::AnnualCap => "annual_cap",
            DeductionLimit::Exempt(DeductionExemption::Mineur) => "exempt_mineur",
            DeductionLimit::Exempt(DeductionExemption::Maternite) => "exempt_maternite",
            DeductionLimit::Exempt(DeductionExemption::C2s) => "exempt_c2s",
            DeductionLimit::Exempt(DeductionExemption::Ame) => "exempt_ame",
        }
    }

    /// The limit a stored code names.
    pub fn from_code(code: &str) -> Option<DeductionLimit> {
        LIMITS.into_iter().find(|l| l.code() == code)
    }
}

impl Payee {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Payee::Professional => "professional",
            Payee::Member => "member",
            Payee::Employer => "employer",
        }
    }

    /// The payee a stored code names.
    pub fn from_code(code: &str) -> Option<Payee> {
        [Payee::Professional, Payee::Member, Payee::Employer]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

impl ProfessionalId {
    /// The stored form: the directory, a colon and the number (`rpps:10101234567`).
    pub fn code(&self) -> String {
        let directory = match self {
            ProfessionalId::Rpps(_) => "rpps",
            ProfessionalId::Adeli(_) => "adeli",
            ProfessionalId::Finess(_) => "finess",
        };
        format!("{directory}:{}", self.as_str())
    }

    /// The identifier a stored form names.
    pub fn from_code(code: &str) -> Option<ProfessionalId> {
        let (directory, number) = code.split_once(':')?;
        match directory {
            "rpps" => ProfessionalId::rpps(number).ok(),
            "adeli" => ProfessionalId::adeli(number).ok(),
            "finess" => ProfessionalId::finess(number).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for s in SheetState::ALL {
            assert_eq!(SheetState::from_code(s.code()), Some(s));
        }
        for p in Parcours::ALL {
            assert_eq!(Parcours::from_code(p.code()), Some(p));
        }
        for r in RateRule::ALL {
            assert_eq!(RateRule::from_code(r.code()), Some(r));
        }
        for l in LIMITS {
            assert_eq!(DeductionLimit::from_code(l.code()), Some(l));
        }
        for p in [Payee::Professional, Payee::Member, Payee::Employer] {
            assert_eq!(Payee::from_code(p.code()), Some(p));
        }
        for id in [
            ProfessionalId::rpps("10101234567").unwrap(),
            ProfessionalId::adeli("751234567").unwrap(),
            ProfessionalId::finess("2A0000123").unwrap(),
        ] {
            assert_eq!(ProfessionalId::from_code(&id.code()), Some(id));
        }
        assert_eq!(SheetState::from_code("paid"), None);
        assert_eq!(ProfessionalId::from_code("rpps-10101234567"), None);
    }
}
