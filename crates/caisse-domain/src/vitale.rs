//! The serial number printed on a carte Vitale. Its exact length is not published (domain
//! brief §11.4), so it is read as digits only, at most [`MAX_DIGITS`], spaces ignored.

use std::fmt;

/// Most digits a serial number may have.
pub const MAX_DIGITS: usize = 20;

/// A carte Vitale serial number: only digits, 1 to [`MAX_DIGITS`] of them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VitaleSerial(String);

/// Why a serial number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VitaleSerialError {
    /// Nothing typed.
    #[error("empty serial number")]
    Empty,
    /// Something else than digits, or too many.
    #[error("malformed serial number")]
    Malformed,
}

impl VitaleSerialError {
    /// The sentence shown to the member.
    pub fn message_fr(&self) -> &'static str {
        match self {
            VitaleSerialError::Empty => {
                "Saisissez le numéro de série de votre carte Vitale (au dos de la carte)."
            }
            VitaleSerialError::Malformed => {
                "Le numéro de série de la carte Vitale ne contient que des chiffres (20 au plus)."
            }
        }
    }
}

impl VitaleSerial {
    /// Parses a serial number as typed (spaces allowed).
    pub fn parse(raw: &str) -> Result<VitaleSerial, VitaleSerialError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(VitaleSerialError::Empty);
        }
        if digits.len() > MAX_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VitaleSerialError::Malformed);
        }
        Ok(VitaleSerial(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for VitaleSerial {
    /// Masked: a serial number is an identity factor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VitaleSerial(***{})",
            &self.0[self.0.len().saturating_sub(2)..]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_with_spaces_are_read_and_anything_else_refused() {
        assert_eq!(
            VitaleSerial::parse(" 1234 5678 ").unwrap().as_str(),
            "12345678"
        );
        assert_eq!(VitaleSerial::parse("  "), Err(VitaleSerialError::Empty));
        assert_eq!(
            VitaleSerial::parse("12A4"),
            Err(VitaleSerialError::Malformed)
        );
        assert_eq!(
            VitaleSerial::parse(&"1".repeat(21)),
            Err(VitaleSerialError::Malformed)
        );
        assert!(!format!("{:?}", VitaleSerial::parse("987654").unwrap()).contains("9876"));
    }
}
