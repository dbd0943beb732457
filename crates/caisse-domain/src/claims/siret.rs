//! The employer of an arrêt de travail: its SIRET, the 14-digit number of an establishment
//! (9-digit SIREN of the company, then 5 digits of the establishment).
//!
//! The key is the Luhn check over the 14 digits, except for the establishments of La Poste
//! (SIREN 356000000), whose SIRET digits add up to a multiple of 5 instead: INSEE gave them
//! numbers before the rule was applied.

use std::fmt;

/// The SIREN of La Poste, whose establishments escape the Luhn key.
const LA_POSTE_SIREN: &str = "356000000";

/// Why a SIRET was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    /// Not 14 digits (spaces between groups are allowed).
    #[error("a SIRET number is 14 digits")]
    Shape,
    /// The Luhn key does not match.
    #[error("the SIRET key does not match")]
    Key,
}

impl SiretError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            SiretError::Shape => "Le numéro SIRET compte 14 chiffres.",
            SiretError::Key => {
                "Le numéro SIRET est erroné : sa clé de contrôle (formule de Luhn) ne correspond pas."
            }
        }
    }
}

/// An establishment's SIRET, checked. Public directory data (the employer, not the member):
/// shown whole in `Debug`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(String);

impl Siret {
    /// A SIRET from its 14 digits; spaces (`123 456 789 00012`) are dropped.
    pub fn parse(raw: &str) -> Result<Siret, SiretError> {
        let digits: String = raw.chars().filter(|c| *c != ' ').collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SiretError::Shape);
        }
        let valid = if digits.starts_with(LA_POSTE_SIREN) {
            digits
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .sum::<u32>()
                .is_multiple_of(5)
        } else {
            luhn(&digits)
        };
        if valid {
            Ok(Siret(digits))
        } else {
            Err(SiretError::Key)
        }
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN, the company's 9 first digits.
    pub fn siren(&self) -> &str {
        self.0.get(..9).unwrap_or("")
    }
}

/// The Luhn check over ASCII digits: from the right, every second digit doubled (minus 9
/// when above 9), the sum a multiple of 10.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl fmt::Debug for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Siret({})", self.0)
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_luhn_valid_siret_is_accepted_with_or_without_spaces() {
        // 732 829 320 00074: a published SIRET whose key checks.
        let siret = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(siret.as_str(), "73282932000074");
        assert_eq!(siret.siren(), "732829320");
        assert_eq!(format!("{siret:?}"), "Siret(73282932000074)");
    }

    #[test]
    fn a_wrong_key_or_shape_is_refused_in_french() {
        assert_eq!(Siret::parse("73282932000075"), Err(SiretError::Key));
        assert_eq!(Siret::parse("7328293200007"), Err(SiretError::Shape));
        assert_eq!(Siret::parse("7328293200007A"), Err(SiretError::Shape));
        assert!(SiretError::Key.message_fr().contains("clé"));
    }

    #[test]
    fn la_poste_establishments_sum_to_a_multiple_of_five() {
        // Digits of 35600000000042 add up to 20; those of 35600000000048 (Luhn-valid) to 26.
        assert!(Siret::parse("35600000000042").is_ok());
        assert_eq!(Siret::parse("35600000000048"), Err(SiretError::Key));
    }
}
