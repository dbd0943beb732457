//! The member's bank account (IBAN), where reimbursements are paid by SEPA credit transfer.
//!
//! Country formats and check digits come from the `iban_validate` crate; this module adds
//! the policy that the country must be in the SEPA area, since the fund pays by SEPA
//! credit transfer (and, by the SEPA regulation, must accept any SEPA account, not only
//! French ones). It checks the number, not that the account exists or belongs to the
//! member.

use std::fmt;
use std::str::FromStr;

use iban::{IbanLike, ParseBaseIbanError, ParseIbanError};

/// ISO country codes whose IBANs are reachable by SEPA credit transfer: the 27 EU member
/// states, the other EEA states (Iceland, Liechtenstein, Norway), Switzerland, the United
/// Kingdom, Andorra, Gibraltar, Monaco, San Marino and the Vatican. French overseas
/// departments use `FR` IBANs. Countries admitted to the SEPA schemes since 2024 (Albania,
/// Moldova, Montenegro, North Macedonia, Serbia) are left out until payments to them are
/// confirmed.
pub const SEPA_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", // EU
    "IS", "LI", "NO", // EEA
    "CH", "GB", "AD", "GI", "MC", "SM", "VA",
];

/// A valid IBAN of a SEPA country, stored in electronic form (no spaces, upper case).
///
/// No `Display`: choose [`Iban::formatted`] for the member's own screens and
/// [`Iban::masked`] everywhere else. `Debug` shows the masked form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

/// Why a string is not an acceptable IBAN. Variants carry no input, so logging an error
/// never logs the account number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IbanError {
    /// Not the shape of an IBAN (two letters, two digits, up to 30 letters or digits).
    #[error("not shaped like an IBAN")]
    BadFormat,
    /// The two check digits do not match: usually a typing error.
    #[error("the IBAN check digits do not match")]
    BadChecksum,
    /// The country code is not one that issues IBANs.
    #[error("unknown IBAN country")]
    UnknownCountry,
    /// Right check digits but a length or layout that the country does not use.
    #[error("the account part does not follow the country's format")]
    BadCountryFormat,
    /// A valid IBAN of a country outside the SEPA area.
    #[error("the IBAN's country is not in the SEPA area")]
    NotSepa,
}

impl IbanError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            IbanError::BadFormat => {
                "Cet IBAN n'est pas valide : il doit commencer par deux lettres et deux \
                 chiffres, par exemple FR76 suivi de 23 caractères."
            }
            IbanError::BadChecksum => {
                "Cet IBAN n'est pas valide : vérifiez chaque caractère à l'aide de votre RIB."
            }
            IbanError::UnknownCountry => {
                "Le code pays de cet IBAN (ses deux premières lettres) n'existe pas."
            }
            IbanError::BadCountryFormat => {
                "Cet IBAN n'a pas le nombre de caractères attendu pour son pays : \
                 vérifiez votre saisie à l'aide de votre RIB."
            }
            IbanError::NotSepa => {
                "Les remboursements ne peuvent être versés que sur un compte bancaire \
                 de la zone SEPA (Union européenne, Espace économique européen, Suisse, \
                 Royaume-Uni…)."
            }
        }
    }
}

impl Iban {
    /// Parses an IBAN as typed or copied from a RIB: spaces (also non-breaking), dashes
    /// and dots are ignored and lower case is accepted.
    ///
    /// Returns [`IbanError::BadFormat`], [`IbanError::BadChecksum`],
    /// [`IbanError::UnknownCountry`], [`IbanError::BadCountryFormat`], or
    /// [`IbanError::NotSepa`] for a valid IBAN of a country outside [`SEPA_COUNTRIES`].
    pub fn parse(raw: &str) -> Result<Iban, IbanError> {
        let electronic: String = raw
            .chars()
            .filter(|c| !(c.is_whitespace() || *c == '-' || *c == '.'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let parsed = electronic.parse::<iban::Iban>().map_err(|e| match e {
            ParseIbanError::InvalidBaseIban {
                source: ParseBaseIbanError::InvalidChecksum,
            } => IbanError::BadChecksum,
            ParseIbanError::InvalidBaseIban { .. } => IbanError::BadFormat,
            ParseIbanError::InvalidBban(_) => IbanError::BadCountryFormat,
            ParseIbanError::UnknownCountry(_) => IbanError::UnknownCountry,
        })?;
        if !SEPA_COUNTRIES.contains(&parsed.country_code()) {
            return Err(IbanError::NotSepa);
        }
        Ok(Iban(parsed.electronic_str().to_owned()))
    }

    /// Returns the electronic form, e.g. `"FR7630006000011234567890189"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the two-letter country code, e.g. `"FR"`.
    pub fn country_code(&self) -> &str {
        &self.0[..2]
    }

    /// Returns the paper form in groups of four: `"FR76 3000 6000 0112 3456 7890 189"`.
    pub fn formatted(&self) -> String {
        group_by_four(&self.0)
    }

    /// Returns the paper form with only the country, the check digits and the last four
    /// characters visible: `"FR76 **** **** **** **** ***0 189"`. Safe to show on
    /// screens, letters and staff member tools.
    pub fn masked(&self) -> String {
        let len = self.0.len();
        let hidden: String = self
            .0
            .chars()
            .enumerate()
            .map(|(i, c)| if i < 4 || i + 4 >= len { c } else { '*' })
            .collect();
        group_by_four(&hidden)
    }
}

/// Inserts a space every four characters (the input is ASCII).
fn group_by_four(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

impl FromStr for Iban {
    type Err = IbanError;

    /// Same as [`Iban::parse`].
    fn from_str(s: &str) -> Result<Iban, IbanError> {
        Iban::parse(s)
    }
}

impl fmt::Debug for Iban {
    /// Shows the masked form: `Iban(FR76 **** **** **** **** ***0 189)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR: &str = "FR7630006000011234567890189";

    #[test]
    fn french_iban_in_any_spelling() {
        for raw in [
            FR,
            "FR76 3000 6000 0112 3456 7890 189",
            "fr76 3000 6000 0112 3456 7890 189",
            " FR76-3000-6000-0112-3456-7890-189 ",
            "FR76\u{a0}3000\u{a0}6000\u{a0}0112\u{a0}3456\u{a0}7890\u{a0}189",
        ] {
            assert_eq!(Iban::parse(raw).unwrap().as_str(), FR, "{raw}");
        }
        let iban: Iban = FR.parse().unwrap();
        assert_eq!(iban.country_code(), "FR");
        assert_eq!(iban.formatted(), "FR76 3000 6000 0112 3456 7890 189");
        assert_eq!(iban.masked(), "FR76 **** **** **** **** ***0 189");
        assert_eq!(
            format!("{iban:?}"),
            "Iban(FR76 **** **** **** **** ***0 189)"
        );
    }

    #[test]
    fn other_sepa_countries_are_accepted() {
        for raw in [
            "DE89 3704 0044 0532 0130 00",
            "BE68 5390 0754 7034",
            "GB29 NWBK 6016 1331 9268 19",
            "CH93 0076 2011 6238 5295 7",
            "MC58 1122 2000 0101 2345 6789 030",
            "NO93 8601 1117 947",
        ] {
            assert!(Iban::parse(raw).is_ok(), "{raw}");
        }
        assert_eq!(
            Iban::parse("BE68 5390 0754 7034").unwrap().masked(),
            "BE68 **** **** 7034"
        );
    }

    #[test]
    fn each_error_is_named() {
        let cases = [
            ("", IbanError::BadFormat),
            ("3000 6000 0112", IbanError::BadFormat),
            ("FR76 3000 6000 0112 3456 7890 18é", IbanError::BadFormat),
            ("FR76 3000 6000 0112 3456 7890 188", IbanError::BadChecksum),
            ("FR67 3000 6000 0112 3456 7890 189", IbanError::BadChecksum),
            ("XX57 WEST 1234 5698 7654 32", IbanError::UnknownCountry),
            // Right checksum, one character short for France.
            (
                "FR13 3000 6000 0112 3456 7890 18",
                IbanError::BadCountryFormat,
            ),
            // Valid IBANs outside SEPA: Türkiye and Saudi Arabia.
            ("TR33 0006 1005 1978 6457 8413 26", IbanError::NotSepa),
            ("SA03 8000 0000 6080 1016 7519", IbanError::NotSepa),
        ];
        for (raw, expected) in cases {
            assert_eq!(Iban::parse(raw), Err(expected), "{raw}");
        }
    }

    #[test]
    fn the_sepa_list_has_no_duplicates() {
        let mut codes = SEPA_COUNTRIES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SEPA_COUNTRIES.len());
        assert_eq!(codes.len(), 37);
    }
}
