//! Matching a FranceConnect identity to a member file, without I/O.
//!
//! FranceConnect never sends a NIR: it sends the *identité pivot* (birth name, first names,
//! birth date, gender, birth place, birth country), certified against the RNIPP. A portal
//! reconciles it with its own file (domain-2.md §5.2): on all six traits, never on e-mail,
//! plus a consistency check between those traits and the member's NIR (domain.md §1.1
//! layout), so that a homonym with the same birth date but another NIR is not linked.
//!
//! This module parses the userinfo claims once ([`PivotIdentity::parse`]), compares them
//! with a member file ([`PivotIdentity::matches`], [`PivotIdentity::nir_consistent`]) and
//! gives the key the store looks candidates up by ([`PivotIdentity::lookup_key`],
//! [`normalized_name`]). Names and birth dates are personal data: the types here mask
//! themselves in `Debug`, and a [`Mismatch`] names the trait that differs, never its value.

use std::fmt;

use time::{Date, Month};

use crate::french::folded;
use crate::{Nir, Sex};

/// The `birthcountry` INSEE code of France (COG), sent for everyone born in France.
const FRANCE: &str = "99100";

/// Most characters a `family_name` or `given_name` claim may have, once trimmed.
const MAX_NAME_CHARS: usize = 100;

/// The pivot identity FranceConnect sends (userinfo claims), parsed.
///
/// Built by [`PivotIdentity::parse`], which guarantees the rules of each field below. Its
/// `Debug` is `PivotIdentity { .. }`: it never prints a name, a date or a place.
#[derive(Clone, PartialEq, Eq)]
pub struct PivotIdentity {
    /// Birth name (`family_name`), as sent, trimmed; at most 100 characters.
    pub family_name: String,
    /// First names (`given_name`), split on white space: « Julien Pierre » gives
    /// `["Julien", "Pierre"]`. Never empty.
    pub given_names: Vec<String>,
    /// Birth date (`birthdate`), with FranceConnect's conventions for unknown parts.
    pub birthdate: PartialDate,
    /// Gender (`gender`): `male` or `female`.
    pub gender: Sex,
    /// Birth place (`birthplace` and `birthcountry` together).
    pub birthplace: BirthPlace,
}

/// Where a person was born, as FranceConnect's `birthplace` and `birthcountry` say.
#[derive(Clone, PartialEq, Eq)]
pub enum BirthPlace {
    /// Born in France (`birthcountry` 99100).
    France {
        /// INSEE commune code at the date of birth, 5 characters: `"78006"`, `"2A004"`
        /// (Corsica), `"97411"` (overseas).
        commune: String,
    },
    /// Born abroad (`birthplace` empty).
    Abroad {
        /// INSEE country code, 5 digits `99xxx` other than 99100, e.g. `"99350"` (Morocco).
        country: String,
    },
}

/// A birth date whose month or day may be unknown.
///
/// FranceConnect writes an unknown month and day as `YYYY-01-01` and an unknown day as
/// `YYYY-MM-01`. Those spellings cannot be told from real first days, so they are read as
/// partial: a partial date matches every date it is compatible with, and a member born on
/// 1 January or on the 1st still matches. [`PivotIdentity::parse`] only builds dates where
/// `day` is set only with `month`, and both are real; other values (the fields are public)
/// are clamped into range rather than refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year, always known.
    pub year: i32,
    /// The month (1–12), when known.
    pub month: Option<u8>,
    /// The day of the month, when known (then the month is known too).
    pub day: Option<u8>,
}

/// The raw pivot-identity claims of a userinfo response, as the OIDC client read them.
///
/// `None` is a claim that was not sent. `Debug` is masked: raw claims are personal data.
#[derive(Clone, Copy, Default)]
pub struct PivotClaims<'a> {
    /// `family_name`: the birth name.
    pub family_name: Option<&'a str>,
    /// `given_name`: all first names, separated by spaces.
    pub given_name: Option<&'a str>,
    /// `birthdate`: `YYYY-MM-DD`.
    pub birthdate: Option<&'a str>,
    /// `gender`: `male` or `female`.
    pub gender: Option<&'a str>,
    /// `birthplace`: INSEE commune code, empty for people born abroad.
    pub birthplace: Option<&'a str>,
    /// `birthcountry`: INSEE country code, `99100` for France.
    pub birthcountry: Option<&'a str>,
}

/// Why userinfo claims are not a usable pivot identity. Variants carry the claim name only,
/// never its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PivotError {
    /// A required claim was not sent (`birthplace` may be absent: it means "born abroad").
    #[error("the FranceConnect claim {0} is missing")]
    MissingClaim(&'static str),
    /// A claim was sent but breaks its format, or `birthplace` contradicts `birthcountry`.
    #[error("the FranceConnect claim {0} is invalid")]
    InvalidClaim(&'static str),
}

impl PivotError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            PivotError::MissingClaim(_) => {
                "FranceConnect ne nous a pas transmis toutes les informations de votre \
                 identité : nous ne pouvons pas vous connecter de cette façon. Connectez-vous \
                 avec votre numéro de sécurité sociale et votre mot de passe."
            }
            PivotError::InvalidClaim(_) => {
                "Les informations d'identité transmises par FranceConnect ne peuvent pas être \
                 utilisées : nous ne pouvons pas vous connecter de cette façon. Connectez-vous \
                 avec votre numéro de sécurité sociale et votre mot de passe, ou appelez le \
                 36 46."
            }
        }
    }
}

/// What the member file holds, as the matcher needs it.
#[derive(Clone, Copy)]
pub struct MemberIdentity<'a> {
    /// The member's NIR.
    pub nir: &'a Nir,
    /// Birth name (*nom de naissance*), not the *nom d'usage*.
    pub birth_name: &'a str,
    /// First name, or all first names separated by spaces.
    pub first_name: &'a str,
    /// Full birth date.
    pub birth_date: Date,
    /// Sex recorded in the file.
    pub sex: Sex,
}

/// Why a member file is not this person (for logs and tests; never shown to users).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mismatch {
    /// The normalised birth names differ.
    BirthName,
    /// The member's first name is neither the first given name nor all of them.
    FirstName,
    /// The member's birth date is outside the (partial) FranceConnect birth date.
    BirthDate,
    /// The member's recorded sex differs from the FranceConnect gender.
    Sex,
    /// The NIR sex digit (1 or 2) contradicts the FranceConnect gender.
    NirSex,
    /// The NIR birth year (digits 2–3) is not the last two digits of the birth year.
    NirBirthYear,
    /// The NIR birth month (digits 4–5, a real month) differs from a known birth month.
    NirBirthMonth,
    /// The NIR place of birth (digits 6–10) contradicts the birth place or country.
    NirBirthPlace,
}

impl PivotIdentity {
    /// Parses the pivot-identity claims of a userinfo response.
    ///
    /// Rules: `family_name` and `given_name` non-empty once trimmed, at most 100 characters,
    /// no control character, not only separators; `birthdate` exactly `YYYY-MM-DD`, a real
    /// date (`-01-01` read as year only, `-MM-01` as year and month); `gender` exactly
    /// `male` or `female`; `birthcountry` 5 digits starting `99`; `birthplace` absent or
    /// empty for a country other than 99100, and for 99100 five characters of digits, with
    /// `2A`/`2B` allowed as the Corsican department, not starting with `99`. A claim that is
    /// present but blank is [`PivotError::InvalidClaim`]; a birth place that contradicts the
    /// country is `InvalidClaim("birthplace")`. Claims are checked in the order
    /// `family_name`, `given_name`, `birthdate`, `gender`, `birthcountry`, `birthplace`,
    /// and the first failure is returned.
    pub fn parse(claims: &PivotClaims<'_>) -> Result<PivotIdentity, PivotError> {
        let family_name = name_claim(claims.family_name, "family_name")?.to_owned();
        let given_names = name_claim(claims.given_name, "given_name")?
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let birthdate = claims
            .birthdate
            .ok_or(PivotError::MissingClaim("birthdate"))
            .and_then(|raw| {
                PartialDate::from_claim(raw).ok_or(PivotError::InvalidClaim("birthdate"))
            })?;
        let gender = match claims.gender {
            None => return Err(PivotError::MissingClaim("gender")),
            Some("male") => Sex::Male,
            Some("female") => Sex::Female,
            Some(_) => return Err(PivotError::InvalidClaim("gender")),
        };
        let country = claims
            .birthcountry
            .ok_or(PivotError::MissingClaim("birthcountry"))?;
        if !is_country_code(country) {
            return Err(PivotError::InvalidClaim("birthcountry"));
        }
        let place = claims.birthplace.unwrap_or("");
        let birthplace = match (country == FRANCE, place.is_empty()) {
            (true, false) if is_commune_code(place) => BirthPlace::France {
                commune: place.to_owned(),
            },
            (false, true) => BirthPlace::Abroad {
                country: country.to_owned(),
            },
            _ => return Err(PivotError::InvalidClaim("birthplace")),
        };
        Ok(PivotIdentity {
            family_name,
            given_names,
            birthdate,
            gender,
            birthplace,
        })
    }

    /// Ok when the member file is this person: names folded (upper/lower, accents, hyphen,
    /// apostrophe and repeated spaces normalised: "Jean-Pierre" == "JEAN PIERRE", "D'ARC" ==
    /// "D ARC"), the member's first name equal to the FIRST given name or to all given names
    /// joined; birth date compatible (partial dates); sex equal; and the NIR consistency
    /// check ([`PivotIdentity::nir_consistent`]).
    ///
    /// Checks run in the order of [`Mismatch`]'s variants and the first failure is returned.
    pub fn matches(&self, member: &MemberIdentity<'_>) -> Result<(), Mismatch> {
        if normalized_name(&self.family_name) != normalized_name(member.birth_name) {
            return Err(Mismatch::BirthName);
        }
        let first_name = normalized_name(member.first_name);
        let first_given = self
            .given_names
            .first()
            .map(|name| normalized_name(name))
            .unwrap_or_default();
        let all_given = normalized_name(&self.given_names.join(" "));
        if first_name.is_empty() || (first_name != first_given && first_name != all_given) {
            return Err(Mismatch::FirstName);
        }
        if !self.birthdate.covers(member.birth_date) {
            return Err(Mismatch::BirthDate);
        }
        if self.gender != member.sex {
            return Err(Mismatch::Sex);
        }
        self.nir_consistent(member.nir)
    }

    /// The NIR consistency check alone (domain-2 §5.2), in this order:
    ///
    /// - digit 1 ↔ gender (1 male, 2 female); provisional numbers (3/4/7/8) are skipped;
    /// - digits 2–3 ↔ the last two digits of the birth year;
    /// - digits 4–5 ↔ the birth month, unless the NIR month is fictitious or
    ///   pseudo-fictitious (20–42, 50–99) or the pivot month is unknown;
    /// - digits 6–10 ↔ the INSEE commune code for people born in France (2A/2B for Corsica,
    ///   97x/98x + 2 digits overseas; the pre-1976 Corsican department `20` matches `2A`
    ///   and `2B` either way, commune digits equal), and ↔ the country for people born
    ///   abroad (NIR `99` + the last three digits of the country code).
    pub fn nir_consistent(&self, nir: &Nir) -> Result<(), Mismatch> {
        if !nir.is_temporary() && nir.sex() != self.gender {
            return Err(Mismatch::NirSex);
        }
        if i32::from(nir.birth_year_two_digits()) != self.birthdate.year.rem_euclid(100) {
            return Err(Mismatch::NirBirthYear);
        }
        if let (Some(nir_month), Some(month)) = (nir_real_month(nir), self.birthdate.month)
            && nir_month != month
        {
            return Err(Mismatch::NirBirthMonth);
        }
        let nir_place = nir.body().get(5..10).unwrap_or_default();
        if !self.birthplace.agrees_with_nir(nir_place) {
            return Err(Mismatch::NirBirthPlace);
        }
        Ok(())
    }

    /// The key to look candidates up by in the member file: the folded birth name (same
    /// normalisation as [`PivotIdentity::matches`], see [`normalized_name`]) and the birth
    /// date range `[first, last]` the partial date covers, both ends included.
    pub fn lookup_key(&self) -> (String, Date, Date) {
        (
            normalized_name(&self.family_name),
            self.birthdate.first_day(),
            self.birthdate.last_day(),
        )
    }
}

impl fmt::Debug for PivotIdentity {
    /// Always `PivotIdentity { .. }`: every field is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PivotIdentity { .. }")
    }
}

impl fmt::Debug for BirthPlace {
    /// Only the variant: `BirthPlace::France { .. }` or `BirthPlace::Abroad { .. }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthPlace::France { .. } => f.write_str("BirthPlace::France { .. }"),
            BirthPlace::Abroad { .. } => f.write_str("BirthPlace::Abroad { .. }"),
        }
    }
}

impl fmt::Debug for PartialDate {
    /// Only which parts are known, e.g. `PartialDate(****-**-??)` for year and month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = if self.month.is_some() { "**" } else { "??" };
        let day = if self.month.is_some() && self.day.is_some() {
            "**"
        } else {
            "??"
        };
        write!(f, "PartialDate(****-{month}-{day})")
    }
}

impl fmt::Debug for PivotClaims<'_> {
    /// Always `PivotClaims { .. }`: raw claims are personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PivotClaims { .. }")
    }
}

impl fmt::Debug for MemberIdentity<'_> {
    /// Only the masked NIR (see [`Nir`]'s `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemberIdentity {{ nir: {:?}, .. }}", self.nir)
    }
}

impl PartialDate {
    /// Reads FranceConnect's `YYYY-MM-DD`, `-01-01` meaning year only and `-MM-01` year and
    /// month. `None` unless exactly ten characters and a real calendar date.
    fn from_claim(raw: &str) -> Option<PartialDate> {
        let bytes = raw.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return None;
        }
        let year: i32 = raw.get(0..4)?.parse().ok()?;
        let month: u8 = raw.get(5..7)?.parse().ok()?;
        let day: u8 = raw.get(8..10)?.parse().ok()?;
        Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
        Some(match (month, day) {
            (1, 1) => PartialDate {
                year,
                month: None,
                day: None,
            },
            (_, 1) => PartialDate {
                year,
                month: Some(month),
                day: None,
            },
            _ => PartialDate {
                year,
                month: Some(month),
                day: Some(day),
            },
        })
    }

    /// The first date this partial date covers: 1 January for a year, the 1st for a month.
    pub fn first_day(&self) -> Date {
        match (self.month, self.day) {
            (None, _) => clamped_date(self.year, 1, 1),
            (Some(month), None) => clamped_date(self.year, month, 1),
            (Some(month), Some(day)) => clamped_date(self.year, month, day),
        }
    }

    /// The last date this partial date covers: 31 December for a year, the month's last
    /// day for a month.
    pub fn last_day(&self) -> Date {
        match (self.month, self.day) {
            (None, _) => clamped_date(self.year, 12, 31),
            (Some(month), None) => clamped_date(self.year, month, 31),
            (Some(month), Some(day)) => clamped_date(self.year, month, day),
        }
    }

    /// Returns true if and only if `date` is compatible with this partial date, i.e. lies
    /// between [`PartialDate::first_day`] and [`PartialDate::last_day`].
    pub fn covers(&self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }
}

impl BirthPlace {
    /// True if the NIR's digits 6–10 (`nir_place`) tell the same place.
    fn agrees_with_nir(&self, nir_place: &str) -> bool {
        let nir_dept = nir_place.get(..2);
        let nir_rest = nir_place.get(2..);
        match self {
            BirthPlace::France { commune } => {
                let commune = commune.to_ascii_uppercase();
                if nir_dept == Some("99") {
                    return false;
                }
                if nir_place == commune {
                    return true;
                }
                // Corsica: one department "20" before 1976, 2A/2B since, same commune number.
                let corsican = |dept: Option<&str>| matches!(dept, Some("20" | "2A" | "2B"));
                let (dept, rest) = (commune.get(..2), commune.get(2..));
                corsican(nir_dept)
                    && corsican(dept)
                    && (nir_dept == Some("20") || dept == Some("20"))
                    && nir_rest.is_some()
                    && nir_rest == rest
            }
            BirthPlace::Abroad { country } => {
                nir_dept == Some("99") && nir_rest.is_some() && nir_rest == country.get(2..)
            }
        }
    }
}

/// The normalisation used by [`PivotIdentity::matches`], public so the store can index by
/// it: [`folded`] (lower case, French accents removed), combining accents removed too,
/// hyphens and apostrophes (ASCII and typographic) made spaces, runs of white space made
/// one space, trimmed, then UPPER CASE. « Jean-Pierre » and « JEAN  PIERRE » both give
/// `JEAN PIERRE`; « D'Arc » and « D’ARC » give `D ARC`; « Kévin » gives `KEVIN`.
pub fn normalized_name(raw: &str) -> String {
    let spaced: String = folded(raw)
        .chars()
        .filter(|c| !is_combining_accent(*c))
        .map(|c| if is_name_separator(c) { ' ' } else { c })
        .collect();
    spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Hyphens, dashes and apostrophes that names are written with.
fn is_name_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' // hyphen
            | '\u{2011}' // non-breaking hyphen
            | '\u{2012}' // figure dash
            | '\u{2013}' // en dash
            | '\u{2014}' // em dash
            | '\u{2212}' // minus sign
            | '\''
            | '\u{2018}' // left single quotation mark
            | '\u{2019}' // right single quotation mark, the French typographic apostrophe
            | '\u{02BC}' // modifier letter apostrophe
            | '`'
            | '\u{00B4}' // acute accent used as an apostrophe
    )
}

/// Combining diacritical marks, left by decomposed (NFD) input such as `e` + U+0301.
fn is_combining_accent(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// A name claim, trimmed, or why it is not usable.
fn name_claim<'a>(raw: Option<&'a str>, claim: &'static str) -> Result<&'a str, PivotError> {
    let name = raw.ok_or(PivotError::MissingClaim(claim))?.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
        || normalized_name(name).is_empty()
    {
        return Err(PivotError::InvalidClaim(claim));
    }
    Ok(name)
}

/// 5 ASCII digits starting with `99`.
fn is_country_code(raw: &str) -> bool {
    raw.len() == 5 && raw.starts_with("99") && raw.bytes().all(|b| b.is_ascii_digit())
}

/// 5 characters: digits, or `2A`/`2B` then 3 digits; never `99…` (that is a country).
fn is_commune_code(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    if bytes.len() != 5 || raw.starts_with("99") {
        return false;
    }
    let corsica = bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B');
    bytes
        .iter()
        .enumerate()
        .all(|(i, b)| b.is_ascii_digit() || (corsica && i == 1))
}

/// The NIR birth month when it is a real month (01–12); `None` for fictitious (20–30,
/// 50–99) and pseudo-fictitious (31–42) months, which the match does not compare.
fn nir_real_month(nir: &Nir) -> Option<u8> {
    nir.body()
        .get(3..5)?
        .parse::<u8>()
        .ok()
        .filter(|month| (1..=12).contains(month))
}

/// The date `year-month-day`, each part first brought into range (the day to the month's
/// last day), so that any [`PartialDate`] has a first and a last day.
fn clamped_date(year: i32, month: u8, day: u8) -> Date {
    let year = year.clamp(Date::MIN.year(), Date::MAX.year());
    let month = Month::try_from(month.clamp(1, 12)).unwrap_or(Month::January);
    let day = day.clamp(1, month.length(year));
    // In range by construction, so the fallback is never taken.
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests;
