//! Who billed a care sheet: a health professional (RPPS or ADELI) or an establishment (FINESS).
//!
//! Only the shapes are checked. RPPS and FINESS numbers are often said to end with a Luhn
//! key, but no source at hand (domain briefs, official pages) confirms it, so no key is
//! checked here rather than reject real numbers on a guess.

use std::fmt;

/// Why a professional identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProfessionalIdError {
    /// An RPPS number is 11 digits.
    #[error("an RPPS number is 11 digits")]
    Rpps,
    /// An ADELI number is 9 digits.
    #[error("an ADELI number is 9 digits")]
    Adeli,
    /// A FINESS number is 9 characters: digits, or `2A`/`2B` then 7 digits in Corsica.
    #[error("a FINESS number is 9 digits (2A or 2B first in Corsica)")]
    Finess,
}

impl ProfessionalIdError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            ProfessionalIdError::Rpps => "Le numéro RPPS compte 11 chiffres.",
            ProfessionalIdError::Adeli => "Le numéro ADELI compte 9 chiffres.",
            ProfessionalIdError::Finess => {
                "Le numéro FINESS compte 9 caractères : des chiffres, ou 2A ou 2B puis 7 chiffres en Corse."
            }
        }
    }
}

/// The identifier of whoever billed the care.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProfessionalId {
    /// *Répertoire partagé des professionnels de santé*: 11 digits.
    Rpps(String),
    /// The older ADELI directory (some auxiliaires still): 9 digits.
    Adeli(String),
    /// An establishment (hospital, laboratory, transport company) in FINESS: 9 characters.
    Finess(String),
}

fn digits(raw: &str, len: usize) -> bool {
    raw.len() == len && raw.bytes().all(|b| b.is_ascii_digit())
}

/// `raw` without surrounding spaces when it is `len` digits.
fn number(
    raw: &str,
    len: usize,
    error: ProfessionalIdError,
) -> Result<String, ProfessionalIdError> {
    let raw = raw.trim();
    if digits(raw, len) {
        Ok(raw.to_owned())
    } else {
        Err(error)
    }
}

impl ProfessionalId {
    /// An RPPS number.
    pub fn rpps(raw: &str) -> Result<ProfessionalId, ProfessionalIdError> {
        number(raw, 11, ProfessionalIdError::Rpps).map(ProfessionalId::Rpps)
    }

    /// An ADELI number.
    pub fn adeli(raw: &str) -> Result<ProfessionalId, ProfessionalIdError> {
        number(raw, 9, ProfessionalIdError::Adeli).map(ProfessionalId::Adeli)
    }

    /// A FINESS number (`2a` is read as `2A`).
    pub fn finess(raw: &str) -> Result<ProfessionalId, ProfessionalIdError> {
        let raw = raw.trim().to_ascii_uppercase();
        let corsica = (raw.starts_with("2A") || raw.starts_with("2B"))
            && raw.len() == 9
            && digits(&raw[2..], 7);
        if digits(&raw, 9) || corsica {
            Ok(ProfessionalId::Finess(raw))
        } else {
            Err(ProfessionalIdError::Finess)
        }
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        match self {
            ProfessionalId::Rpps(n) | ProfessionalId::Adeli(n) | ProfessionalId::Finess(n) => n,
        }
    }
}

// Professional numbers are public directories, not personal data of the member: shown whole.
impl fmt::Debug for ProfessionalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfessionalId::Rpps(n) => write!(f, "Rpps({n})"),
            ProfessionalId::Adeli(n) => write!(f, "Adeli({n})"),
            ProfessionalId::Finess(n) => write!(f, "Finess({n})"),
        }
    }
}
