//! The rules of single values: each column's format, with French messages that continue
//! « ligne n, colonne x : ».

use caisse_domain::{Sex, VitaleSerial};
use time::{Date, Month};

/// Longest text accepted in a name or address column: well above any real value, it catches
/// a shifted column or a pasted paragraph.
const MAX_TEXT_CHARS: usize = 200;
/// Longest carte Vitale serial number accepted. Its exact format is unconfirmed (domain.md
/// §2.1: 10–11 digits observed), so only the alphabet and a generous bound are checked.
const MAX_VITALE_DIGITS: usize = 20;

/// What a row describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `assure`: an insured person, rank 01.
    Insured,
    /// `ayant_droit`: someone covered through an insured person, rank 02–19.
    Beneficiary,
}

/// The French message of a domain error, as the continuation of « colonne x : ».
pub(super) fn domain_message<E: DomainError>(error: E) -> String {
    lower_first(error.message_fr())
}

/// The domain errors all have a French message; this names that for [`domain_message`].
pub(super) trait DomainError {
    fn message_fr(&self) -> &'static str;
}

macro_rules! domain_error {
    ($($t:ty),*) => {$(
        impl DomainError for $t {
            fn message_fr(&self) -> &'static str {
                <$t>::message_fr(self)
            }
        }
    )*};
}
domain_error!(
    caisse_domain::NirError,
    caisse_domain::CaisseCodeError,
    caisse_domain::EmailError,
    caisse_domain::PhoneNumberError,
    caisse_domain::IbanError,
    caisse_domain::rights::RightsCodeError,
    caisse_domain::rights::C2sKindError
);

/// The domain messages are sentences addressed to a member; after « colonne x : » they
/// continue a sentence, so their capital goes.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn parse_kind(s: &str) -> Result<Kind, String> {
    match s.to_lowercase().as_str() {
        "assure" | "assuré" => Ok(Kind::Insured),
        "ayant_droit" | "ayant droit" => Ok(Kind::Beneficiary),
        "" => Err("le type est obligatoire : assure ou ayant_droit".to_owned()),
        _ => Err("le type doit être assure ou ayant_droit".to_owned()),
    }
}

/// Ranks are written on two digits (`01`, `02`…) but a spreadsheet drops the leading zero,
/// so `2` is read as `02`.
pub(super) fn parse_rank(s: &str, kind: Option<Kind>) -> Result<i16, String> {
    let rank = if (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<i16>().ok()
    } else {
        None
    };
    match (rank, kind) {
        (Some(1), Some(Kind::Insured)) => Ok(1),
        (Some(_), Some(Kind::Insured)) => Err("le rang d'un assuré est 01".to_owned()),
        (Some(rank @ 2..=19), Some(Kind::Beneficiary)) => Ok(rank),
        (Some(_), Some(Kind::Beneficiary)) => {
            Err("le rang d'un ayant droit va de 02 à 19 (01 est celui de l'assuré)".to_owned())
        }
        // Without a valid type the rank cannot be judged; the type's error says why.
        (Some(rank @ 1..=19), None) => Ok(rank),
        _ => Err("le rang s'écrit sur 2 chiffres, de 01 à 19".to_owned()),
    }
}

/// Trims, and folds every run of white space (a line break typed in a spreadsheet cell
/// included) into one space, so that a name or an address stays on one line.
fn clean_text(s: &str) -> Result<String, String> {
    let text = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().any(char::is_control) {
        return Err("contient un caractère de contrôle".to_owned());
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("trop long ({MAX_TEXT_CHARS} caractères au plus)"));
    }
    Ok(text)
}

pub(super) fn required_text(s: &str) -> Result<String, String> {
    let text = clean_text(s)?;
    if text.is_empty() {
        return Err("obligatoire".to_owned());
    }
    Ok(text)
}

pub(super) fn optional_text(s: &str) -> Result<Option<String>, String> {
    optional(s, clean_text)
}

pub(super) fn optional<T, E: IntoMessage>(
    s: &str,
    rule: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, String> {
    if s.is_empty() {
        Ok(None)
    } else {
        rule(s).map(Some).map_err(IntoMessage::into_message)
    }
}

/// Lets [`optional`] take both the local rules (`String` messages) and the domain parsers.
pub(super) trait IntoMessage {
    fn into_message(self) -> String;
}

impl IntoMessage for String {
    fn into_message(self) -> String {
        self
    }
}

impl<E: DomainError> IntoMessage for E {
    fn into_message(self) -> String {
        domain_message(self)
    }
}

/// `JJ/MM/AAAA` (what French spreadsheets write) or `AAAA-MM-JJ` (ISO 8601).
pub(super) fn parse_birth_date(s: &str, today: Date) -> Result<Date, String> {
    let date = parse_date(s)?;
    if date > today {
        return Err("la date de naissance est dans le futur".to_owned());
    }
    Ok(date)
}

/// A date in either format of [`parse_birth_date`], past or future.
pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = s.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let parts = match b {
        [_, _, b'/', _, _, b'/', _, _, _, _] => digits(6..10).zip(digits(3..5)).zip(digits(0..2)),
        [_, _, _, _, b'-', _, _, b'-', _, _] => digits(0..4).zip(digits(5..7)).zip(digits(8..10)),
        _ => None,
    };
    let Some(((year, month), day)) = parts else {
        return Err("la date s'écrit JJ/MM/AAAA ou AAAA-MM-JJ".to_owned());
    };
    u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .zip(u8::try_from(day).ok())
        .and_then(|(month, day)| Date::from_calendar_date(i32::from(year), month, day).ok())
        .ok_or_else(|| "cette date n'existe pas".to_owned())
}

pub(super) fn parse_sex(s: &str) -> Result<Sex, String> {
    match s.to_uppercase().as_str() {
        "1" | "H" => Ok(Sex::Male),
        "2" | "F" => Ok(Sex::Female),
        _ => Err("le sexe s'écrit 1 ou H (homme), 2 ou F (femme)".to_owned()),
    }
}

pub(super) fn parse_vitale_serial(s: &str) -> Result<Option<VitaleSerial>, String> {
    optional(s, |s| {
        VitaleSerial::parse(s).map_err(|_| {
            format!(
                "le numéro de série de la carte Vitale ne contient que des chiffres \
                 ({MAX_VITALE_DIGITS} au plus)"
            )
        })
    })
}

/// Five digits: every address of the funds' territory, Corsica (20…) and overseas (97…)
/// included, has one.
pub(super) fn parse_postal_code(s: &str) -> Result<String, String> {
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err("le code postal s'écrit avec 5 chiffres".to_owned())
    }
}

/// `oui` or `non` (also `1`/`0`, `o`/`n`); empty reads as `non`.
pub(super) fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "" | "non" | "n" | "0" => Ok(false),
        "oui" | "o" | "1" => Ok(true),
        _ => Err("s'écrit oui ou non".to_owned()),
    }
}

/// The text of a declared doctor: as printed on the attestation.
pub(super) fn parse_doctor(s: &str) -> Result<Option<String>, String> {
    optional_text(s)
}

/// One exemption of the `exonerations` column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ExemptionValue {
    pub(super) nature: caisse_domain::rights::ExemptionNature,
    pub(super) rate: caisse_domain::rights::Rate,
    pub(super) period: caisse_domain::rights::Period,
}

/// `nature:taux:début[:fin]`, several separated by `|`: `ald:100:01/03/2024:28/02/2029`.
/// The separators are neither `;` nor `,`, which separate the columns.
pub(super) fn parse_exemptions(s: &str) -> Result<Vec<ExemptionValue>, String> {
    use caisse_domain::rights::{ExemptionNature, Period, Rate};
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split('|')
        .enumerate()
        .map(|(n, entry)| {
            let which = || format!("exonération n° {}", n + 1);
            let parts: Vec<&str> = entry.split(':').map(str::trim).collect();
            let [nature, rate, from, rest @ ..] = parts.as_slice() else {
                return Err(format!(
                    "{} : s'écrit nature:taux:début[:fin], par exemple ald:100:01/03/2024",
                    which()
                ));
            };
            let to = match rest {
                [] | [""] => None,
                [to] => Some(parse_date(to).map_err(|e| format!("{}, fin : {e}", which()))?),
                _ => {
                    return Err(format!(
                        "{} : trop de parties (nature:taux:début[:fin])",
                        which()
                    ));
                }
            };
            let nature = ExemptionNature::parse(nature)
                .map_err(|e| format!("{} : {}", which(), lower_first(e.message_fr())))?;
            let rate = Rate::parse(rate)
                .map_err(|e| format!("{} : {}", which(), lower_first(e.message_fr())))?;
            let from = parse_date(from).map_err(|e| format!("{}, début : {e}", which()))?;
            let period = Period::new(from, to)
                .map_err(|e| format!("{} : {}", which(), lower_first(e.message_fr())))?;
            Ok(ExemptionValue {
                nature,
                rate,
                period,
            })
        })
        .collect()
}
