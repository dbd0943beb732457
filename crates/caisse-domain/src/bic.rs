//! A bank's identifier code (BIC, ISO 9362), which names the fund's bank in the SEPA
//! credit-transfer files it sends.
//!
//! Only the shape is checked, the one ISO 20022 messages accept (`BICFIDec2014Identifier`):
//! four letters or digits for the institution, two letters for the country, two letters or
//! digits for the location, and optionally three for the branch. Whether the bank exists is
//! not known here. A BIC names a bank, not a person, so it may show in `Debug` and logs.

use std::fmt;
use std::str::FromStr;

/// A BIC of 8 or 11 characters, upper case, without spaces.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bic(String);

/// Why a string is not a BIC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum BicError {
    /// Not 8 or 11 characters once spaces are removed.
    #[error("a BIC has 8 or 11 characters")]
    BadLength,
    /// A character other than a letter or a digit of the Latin alphabet.
    #[error("a BIC has only letters and digits")]
    BadCharacter,
    /// The 5th and 6th characters, the country code, are not two letters.
    #[error("the 5th and 6th characters of a BIC are its country code, two letters")]
    BadCountry,
}

impl BicError {
    /// Returns the sentence shown to the user, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            BicError::BadLength => {
                "Ce BIC n'est pas valide : il compte 8 ou 11 caractères, par exemple \
                 BDFEFRPP ou BDFEFRPPCCT."
            }
            BicError::BadCharacter => {
                "Ce BIC n'est pas valide : il ne contient que des lettres et des chiffres."
            }
            BicError::BadCountry => {
                "Ce BIC n'est pas valide : ses 5e et 6e caractères sont le code du pays de la \
                 banque, deux lettres (FR pour la France)."
            }
        }
    }
}

impl Bic {
    /// Parses a BIC as typed or copied from a RIB: spaces (also non-breaking) are ignored
    /// and lower case is accepted.
    ///
    /// Returns [`BicError::BadLength`], [`BicError::BadCharacter`] or
    /// [`BicError::BadCountry`].
    pub fn parse(raw: &str) -> Result<Bic, BicError> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(BicError::BadCharacter);
        }
        if code.len() != 8 && code.len() != 11 {
            return Err(BicError::BadLength);
        }
        if !code[4..6].chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(BicError::BadCountry);
        }
        Ok(Bic(code))
    }

    /// Returns the code, e.g. `"BDFEFRPPCCT"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the two-letter country code of the bank, e.g. `"FR"`.
    pub fn country_code(&self) -> &str {
        &self.0[4..6]
    }
}

impl FromStr for Bic {
    type Err = BicError;

    /// Same as [`Bic::parse`].
    fn from_str(s: &str) -> Result<Bic, BicError> {
        Bic::parse(s)
    }
}

impl fmt::Debug for Bic {
    /// `Bic(BDFEFRPPCCT)`: a bank's code is not personal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bic({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_and_eleven_characters_in_any_spelling() {
        for (raw, expected) in [
            ("BDFEFRPP", "BDFEFRPP"),
            ("BDFEFRPPCCT", "BDFEFRPPCCT"),
            ("bdfe fr pp cct", "BDFEFRPPCCT"),
            ("\u{a0}AGRIFRPP882 ", "AGRIFRPP882"),
            // Since 2014 the institution code may hold digits.
            ("1234DEFFXXX", "1234DEFFXXX"),
        ] {
            let bic = Bic::parse(raw).unwrap();
            assert_eq!(bic.as_str(), expected, "{raw}");
        }
        let bic: Bic = "BDFEFRPPCCT".parse().unwrap();
        assert_eq!(bic.country_code(), "FR");
        assert_eq!(format!("{bic:?}"), "Bic(BDFEFRPPCCT)");
    }

    #[test]
    fn each_error_is_named() {
        let cases = [
            ("", BicError::BadLength),
            ("BDFEFRP", BicError::BadLength),
            ("BDFEFRPPC", BicError::BadLength),
            ("BDFEFRPPCCTX", BicError::BadLength),
            ("BDFE-FRPP", BicError::BadCharacter),
            ("BDFÉFRPP", BicError::BadCharacter),
            ("BDFE12PP", BicError::BadCountry),
        ];
        for (raw, expected) in cases {
            assert_eq!(Bic::parse(raw), Err(expected), "{raw}");
            assert!(!expected.message_fr().is_empty());
        }
    }
}
