//! Exemptions of the *ticket modérateur*, their rates, and the kinds of C2S.

use std::fmt;

/// Why a rate was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    /// Not a whole number of percent from 0 to 100.
    #[error("a rate is a whole percentage from 0 to 100")]
    OutOfRange,
}

/// A rate of coverage, in whole percent (0 to 100), e.g. 100 % for an ALD.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rate(u8);

impl Rate {
    /// Full coverage.
    pub const FULL: Rate = Rate(100);

    /// Parses `100`, `100 %`, `90%` (spaces, including no-break ones, are ignored).
    pub fn parse(raw: &str) -> Result<Rate, RateError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_end_matches('%')
            .to_owned();
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RateError::OutOfRange);
        }
        Rate::from_percent(digits.parse().map_err(|_| RateError::OutOfRange)?)
    }

    /// A rate from a number of percent.
    pub fn from_percent(percent: u8) -> Result<Rate, RateError> {
        if percent <= 100 {
            Ok(Rate(percent))
        } else {
            Err(RateError::OutOfRange)
        }
    }

    /// The number of percent.
    pub fn percent(self) -> u8 {
        self.0
    }

    /// « 100 % », with the no-break space French typography puts before the sign.
    pub fn label_fr(self) -> String {
        format!("{}\u{a0}%", self.0)
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rate({}%)", self.0)
    }
}

impl RateError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "Le taux est un pourcentage entier de 0 à 100, par exemple 100."
    }
}

/// Why a person's care is exempt from the *ticket modérateur* (domain.md §5.2 and §9.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExemptionNature {
    /// *Affection de longue durée*: care linked to the condition at 100 %.
    Ald,
    /// Maternity, from the 6th month of pregnancy to 12 days after birth.
    Maternite,
    /// Holders of an invalidity pension.
    Invalidite,
    /// Work accident or occupational disease.
    AtMp,
}

impl ExemptionNature {
    /// Every nature, in the order of the forms.
    pub const ALL: [ExemptionNature; 4] = [
        ExemptionNature::Ald,
        ExemptionNature::Maternite,
        ExemptionNature::Invalidite,
        ExemptionNature::AtMp,
    ];

    /// Parses the stored or imported code (`ald`, `maternite`, `invalidite`, `at_mp`; any
    /// case, accents and `-` tolerated).
    pub fn parse(raw: &str) -> Result<ExemptionNature, ExemptionNatureError> {
        let code = raw
            .trim()
            .to_lowercase()
            .replace('é', "e")
            .replace(['-', ' '], "_");
        ExemptionNature::ALL
            .into_iter()
            .find(|n| n.code() == code)
            .or(match code.as_str() {
                "atmp" | "at" | "mp" => Some(ExemptionNature::AtMp),
                _ => None,
            })
            .ok_or(ExemptionNatureError::Unknown)
    }

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ExemptionNature::Ald => "ald",
            ExemptionNature::Maternite => "maternite",
            ExemptionNature::Invalidite => "invalidite",
            ExemptionNature::AtMp => "at_mp",
        }
    }

    /// The short form printed in an attestation's table: « ALD », « AT/MP »…
    pub fn short_label_fr(self) -> &'static str {
        match self {
            ExemptionNature::Ald => "ALD",
            ExemptionNature::Maternite => "Maternité",
            ExemptionNature::Invalidite => "Invalidité",
            ExemptionNature::AtMp => "AT/MP",
        }
    }

    /// The full label, shown to the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            ExemptionNature::Ald => "Affection de longue durée (ALD)",
            ExemptionNature::Maternite => "Maternité",
            ExemptionNature::Invalidite => "Invalidité",
            ExemptionNature::AtMp => "Accident du travail ou maladie professionnelle",
        }
    }
}

/// Why an exemption nature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExemptionNatureError {
    /// Not one of the known natures.
    #[error("unknown exemption nature")]
    Unknown,
}

impl ExemptionNatureError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "Nature d'exonération inconnue : ald, maternite, invalidite ou at_mp."
    }
}

/// The two forms of the *Complémentaire santé solidaire*.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum C2sKind {
    /// Free of charge (the former CMU-C).
    SansParticipation,
    /// With a monthly financial participation (the former ACS).
    AvecParticipation,
}

impl C2sKind {
    /// Parses the stored or imported code (`gratuite` or `participation`).
    pub fn parse(raw: &str) -> Result<C2sKind, C2sKindError> {
        match raw.trim().to_lowercase().as_str() {
            "gratuite" | "gratuité" | "sans_participation" => Ok(C2sKind::SansParticipation),
            "participation" | "avec_participation" => Ok(C2sKind::AvecParticipation),
            _ => Err(C2sKindError::Unknown),
        }
    }

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            C2sKind::SansParticipation => "gratuite",
            C2sKind::AvecParticipation => "participation",
        }
    }

    /// The form alone, after « Complémentaire santé solidaire » on an attestation.
    pub fn form_fr(self) -> &'static str {
        match self {
            C2sKind::SansParticipation => "sans participation financière",
            C2sKind::AvecParticipation => "avec participation financière",
        }
    }

    /// The full label, shown to the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            C2sKind::SansParticipation => {
                "Complémentaire santé solidaire sans participation financière"
            }
            C2sKind::AvecParticipation => {
                "Complémentaire santé solidaire avec participation financière"
            }
        }
    }
}

/// Why a C2S kind was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum C2sKindError {
    /// Neither `gratuite` nor `participation`.
    #[error("unknown C2S kind")]
    Unknown,
}

impl C2sKindError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "La C2S s'écrit gratuite (sans participation) ou participation."
    }
}
