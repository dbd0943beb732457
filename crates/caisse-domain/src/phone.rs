//! The member's mobile phone number, used for SMS codes (2-step verification) and alerts.
//!
//! Only French mobiles are accepted, metropolitan (06, 07) and overseas (0690/0691
//! Guadeloupe and its neighbours Saint-Barthélemy/Saint-Martin, 0696/0697 Martinique, 0694
//! Guyane, 0692/0693 Réunion, 0639 Mayotte): a landline cannot receive the SMS codes. The
//! numbering rules come from the libphonenumber metadata shipped in the `phonenumber`
//! crate; this module adds the French-mobile policy. Saint-Pierre-et-Miquelon (+508) and
//! the Pacific territories are refused: their insured persons are outside the régime
//! général (domain.md §7).

use std::fmt;
use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{Mode, Type};

/// Regions whose numbers count as French: metropolitan France and the overseas
/// departments and collectivities served by a fund of the directory.
const FRENCH_REGIONS: &[Id] = &[
    Id::FR,
    Id::GP,
    Id::BL,
    Id::MF,
    Id::MQ,
    Id::GF,
    Id::RE,
    Id::YT,
];

/// Regions tried, in turn, for a number written nationally ("0690…"): an overseas mobile
/// is dialled with a 0 from everywhere in France, but the metadata knows it only under
/// its own region. No two of them share a valid mobile range, so the order is irrelevant.
const OVERSEAS_REGIONS: &[Id] = &[Id::GP, Id::MQ, Id::GF, Id::RE, Id::YT];

/// Longest input handed to the parser: far above any real number, it bounds the work
/// done on hostile input.
const MAX_INPUT_LEN: usize = 64;

/// A French mobile phone number, stored in E.164 form (`+33612345678`).
///
/// No `Display`: writing the number out is an explicit choice between
/// [`PhoneNumber::as_e164`] (for SMS gateways) and [`PhoneNumber::formatted_national`]
/// (for people). `Debug` masks it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    e164: String,
    // Computed at parse time so that formatting never has to re-parse and fail.
    national: String,
}

/// Why a string is not an acceptable phone number. Variants carry no input, so logging an
/// error never logs the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PhoneNumberError {
    /// Not a phone number, or not a number that exists in its country's numbering plan.
    #[error("not a valid phone number")]
    NotANumber,
    /// A number of another country.
    #[error("not a French phone number")]
    NotFrench,
    /// A valid French number that is not a mobile (landline, VoIP, special rate…).
    #[error("not a mobile phone number")]
    NotMobile,
}

impl PhoneNumberError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            PhoneNumberError::NotANumber => {
                "Ce numéro de téléphone n'est pas valide : saisissez 10 chiffres, \
                 par exemple 06 12 34 56 78."
            }
            PhoneNumberError::NotFrench => {
                "Seuls les numéros de téléphone mobile français (métropole et outre-mer) \
                 sont acceptés."
            }
            PhoneNumberError::NotMobile => {
                "Ce numéro n'est pas un numéro de téléphone mobile : indiquez un numéro \
                 de portable pour recevoir les codes par SMS."
            }
        }
    }
}

impl PhoneNumber {
    /// Parses a French mobile number as typed: `"06 12 34 56 78"`, `"06.12.34.56.78"`,
    /// `"+33612345678"`, `"0033 6 12 34 56 78"`, `"0690 12 34 56"`, `"+590690123456"`.
    ///
    /// Returns [`PhoneNumberError::NotFrench`] for a number with another country code,
    /// [`PhoneNumberError::NotANumber`] for anything that is not a valid number (including
    /// numbers with an extension), and [`PhoneNumberError::NotMobile`] for a valid French
    /// number of another type.
    pub fn parse(raw: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.len() > MAX_INPUT_LEN {
            return Err(PhoneNumberError::NotANumber);
        }
        let first =
            phonenumber::parse(Some(Id::FR), trimmed).map_err(|_| PhoneNumberError::NotANumber)?;
        let number = if first.is_valid() {
            first
        } else if written_nationally(trimmed) {
            OVERSEAS_REGIONS
                .iter()
                .filter_map(|region| phonenumber::parse(Some(*region), trimmed).ok())
                .find(phonenumber::PhoneNumber::is_valid)
                .unwrap_or(first)
        } else {
            first
        };
        if !is_french_code(number.code().value()) {
            return Err(PhoneNumberError::NotFrench);
        }
        if !number.is_valid() || number.extension().is_some() {
            return Err(PhoneNumberError::NotANumber);
        }
        // Within a shared code (+262, +590) a valid number belongs to exactly one region.
        let region = number.country().id();
        if !region.is_some_and(|id| FRENCH_REGIONS.contains(&id)) {
            return Err(PhoneNumberError::NotFrench);
        }
        if number.number_type(&DATABASE) != Type::Mobile {
            return Err(PhoneNumberError::NotMobile);
        }
        Ok(PhoneNumber {
            e164: number.format().mode(Mode::E164).to_string(),
            national: number.format().mode(Mode::National).to_string(),
        })
    }

    /// Returns the number in E.164 form, e.g. `"+33612345678"` or `"+590690123456"`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }

    /// Same as [`PhoneNumber::as_str`]: the form SMS gateways expect.
    pub fn as_e164(&self) -> &str {
        &self.e164
    }

    /// Returns the number as dialled from France, grouped for reading:
    /// `"06 12 34 56 78"`, or `"0690 12 34 56"` overseas.
    pub fn formatted_national(&self) -> &str {
        &self.national
    }
}

/// Country calling codes of the regions in [`FRENCH_REGIONS`].
fn is_french_code(code: u16) -> bool {
    matches!(code, 33 | 262 | 590 | 594 | 596)
}

/// True for "0…" input (national trunk prefix), false for "+…" and "00…" (international).
fn written_nationally(raw: &str) -> bool {
    let mut digits = raw.chars().filter(char::is_ascii_digit);
    !raw.starts_with('+') && digits.next() == Some('0') && digits.next() != Some('0')
}

impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;

    /// Same as [`PhoneNumber::parse`].
    fn from_str(s: &str) -> Result<PhoneNumber, PhoneNumberError> {
        PhoneNumber::parse(s)
    }
}

impl fmt::Debug for PhoneNumber {
    /// Keeps the first three and last two characters: `PhoneNumber(+33*******78)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: Vec<char> = self.e164.chars().collect();
        let masked: String = chars
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < 3 || i + 2 >= chars.len() {
                    *c
                } else {
                    '*'
                }
            })
            .collect();
        write!(f, "PhoneNumber({masked})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> PhoneNumber {
        PhoneNumber::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    #[test]
    fn metropolitan_mobiles_in_every_spelling() {
        for raw in [
            "06 12 34 56 78",
            "0612345678",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "+33612345678",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "0033612345678",
            "0033 6 12 34 56 78",
            " 06 12 34 56 78 ",
        ] {
            let number = parse(raw);
            assert_eq!(number.as_e164(), "+33612345678", "{raw}");
            assert_eq!(number.formatted_national(), "06 12 34 56 78", "{raw}");
        }
        assert_eq!(parse("07 81 23 45 67").as_str(), "+33781234567");
        assert_eq!(
            "0612345678".parse::<PhoneNumber>().unwrap(),
            parse("+33612345678")
        );
    }

    #[test]
    fn overseas_mobiles_national_or_international() {
        let cases = [
            ("0690 12 34 56", "+590690123456"),
            ("+590690123456", "+590690123456"),
            ("00590 690 12 34 56", "+590690123456"),
            ("0696 12 34 56", "+596696123456"),
            ("+596 696 12 34 56", "+596696123456"),
            ("0694 12 34 56", "+594694123456"),
            ("0692 12 34 56", "+262692123456"),
            ("0693 12 34 56", "+262693123456"),
            ("0639 01 23 45", "+262639012345"),
            ("+262 639 01 23 45", "+262639012345"),
        ];
        for (raw, e164) in cases {
            assert_eq!(parse(raw).as_e164(), e164, "{raw}");
        }
        assert_eq!(parse("0690123456").formatted_national(), "0690 12 34 56");
    }

    #[test]
    fn landlines_are_not_mobiles() {
        for raw in [
            "01 23 45 67 89",
            "+33 1 23 45 67 89",
            "0590 12 34 56",
            "0596 12 34 56",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw),
                Err(PhoneNumberError::NotMobile),
                "{raw}"
            );
        }
    }

    #[test]
    fn foreign_numbers_are_not_french() {
        for raw in [
            "+44 7911 123456",
            "+32 470 12 34 56",
            "+1 202 555 0142",
            "+508 55 12 34",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw),
                Err(PhoneNumberError::NotFrench),
                "{raw}"
            );
        }
    }

    #[test]
    fn garbage_and_impossible_numbers_are_not_numbers() {
        for raw in [
            "",
            "   ",
            "abc",
            "06 12 34 56 7",
            "06 12 34 56 78 90",
            "07 00 00 00 00",
            "+33 6 90 12 34 56",
            "0612345678;ext=12",
            &"0".repeat(100),
        ] {
            assert_eq!(
                PhoneNumber::parse(raw),
                Err(PhoneNumberError::NotANumber),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn debug_masks_the_middle() {
        assert_eq!(
            format!("{:?}", parse("06 12 34 56 78")),
            "PhoneNumber(+33*******78)"
        );
    }
}
