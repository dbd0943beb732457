//! The small values of a care line: act code, quantity, coefficient.

use std::fmt;

/// Why a value of a care line was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// An act code is 1 to 13 capital letters or digits (NGAP letter keys such as `G`,
    /// `AMI`, up to a CIP13 code).
    #[error("an act code is 1 to 13 capital letters or digits")]
    ActCode,
    /// A quantity is a whole number from 1 to 999.
    #[error("a quantity is a whole number from 1 to 999")]
    Quantity,
    /// A coefficient is a positive number with at most two decimals, up to 1000.
    #[error("a coefficient is a positive number with at most two decimals")]
    Coefficient,
}

impl CodeError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            CodeError::ActCode => {
                "Le code acte compte de 1 à 13 lettres majuscules ou chiffres, par exemple G ou AMI."
            }
            CodeError::Quantity => "La quantité est un nombre entier de 1 à 999.",
            CodeError::Coefficient => {
                "Le coefficient est un nombre positif d'au plus deux décimales, par exemple 1,5."
            }
        }
    }
}

/// The code of an act in the tariff table (`G`, `APC`, `AMI`, `PH7`…).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActCode(String);

impl ActCode {
    /// Parses a code; surrounding spaces are ignored, letters must be capitals.
    pub fn parse(raw: &str) -> Result<ActCode, CodeError> {
        let code = raw.trim();
        let well_formed = (1..=13).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if well_formed {
            Ok(ActCode(code.to_owned()))
        } else {
            Err(CodeError::ActCode)
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ActCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActCode({})", self.0)
    }
}

impl fmt::Display for ActCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How many times an act is billed on a line (boxes of a medicine, legs of a transport).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quantity(u16);

impl Quantity {
    /// One act.
    pub const ONE: Quantity = Quantity(1);

    /// A quantity from 1 to 999.
    pub fn new(n: u16) -> Result<Quantity, CodeError> {
        if (1..=999).contains(&n) {
            Ok(Quantity(n))
        } else {
            Err(CodeError::Quantity)
        }
    }

    /// Parses `3`.
    pub fn parse(raw: &str) -> Result<Quantity, CodeError> {
        Quantity::new(raw.trim().parse().map_err(|_| CodeError::Quantity)?)
    }

    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }
}

/// The NGAP coefficient of an act (`AMI 1,5`), in hundredths so that it stays exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Coefficient(u32);

impl Coefficient {
    /// A coefficient of 1.
    pub const ONE: Coefficient = Coefficient(100);

    /// A coefficient of `hundredths` / 100, from 0.01 to 1000.
    pub fn from_hundredths(hundredths: u32) -> Result<Coefficient, CodeError> {
        if (1..=100_000).contains(&hundredths) {
            Ok(Coefficient(hundredths))
        } else {
            Err(CodeError::Coefficient)
        }
    }

    /// Parses `1`, `1.5` or `1,5` (at most two decimals).
    pub fn parse(raw: &str) -> Result<Coefficient, CodeError> {
        let text = raw.trim().replace(',', ".");
        let (whole, decimals) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 4 || decimals.len() > 2 {
            return Err(CodeError::Coefficient);
        }
        if !digits(whole) || !digits(decimals) || (text.contains('.') && decimals.is_empty()) {
            return Err(CodeError::Coefficient);
        }
        let whole: u32 = whole.parse().map_err(|_| CodeError::Coefficient)?;
        let decimals: u32 = format!("{decimals:0<2}")
            .parse()
            .map_err(|_| CodeError::Coefficient)?;
        Coefficient::from_hundredths(whole * 100 + decimals)
    }

    /// The coefficient × 100.
    pub fn hundredths(self) -> u32 {
        self.0
    }
}
