//! The NIR (*numéro d'inscription au répertoire*, the "numéro de sécurité sociale").
//!
//! Holding a [`Nir`] proves that the 15 characters passed every structural rule of
//! domain.md §1.1 and that the mod-97 key matched: a right key alone is not enough (a typo
//! in the sex digit can keep the key right). This module only checks shape; it must not
//! decide who may do what, except [`Nir::parse_for_account`], which encodes the one rule
//! that depends on the number itself (no account for a provisional number).

use std::fmt;
use std::str::FromStr;

use crate::Sex;

/// Length of a full NIR: 13-character body plus 2-digit key.
const NIR_LEN: usize = 15;
/// Length of the body, which is also the ameli login identifier.
const BODY_LEN: usize = 13;

/// A French social-security number: 13-character body plus its 2-digit control key.
///
/// Stored normalised (15 ASCII characters, no separators, `2A`/`2B` in upper case), so two
/// spellings of the same number compare equal. It has no `Display` on purpose: writing it
/// out must be a visible choice ([`Nir::as_str`], [`Nir::formatted`]), and `Debug` masks it
/// so that it never lands whole in a log.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nir(String);

/// Why a string is not an acceptable NIR. Variants carry no input so that logging an error
/// never logs the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NirError {
    /// Not 15 characters once spaces, dots and dashes are removed.
    #[error("a NIR has 15 characters: a 13-character body and a 2-digit key")]
    BadLength,
    /// A character other than a digit, or a letter other than `2A`/`2B` at positions 6–7.
    #[error("a NIR holds digits only, except 2A or 2B as department")]
    BadFormat,
    /// First digit not 1, 2, 3, 4, 7 or 8.
    #[error("the sex digit is not 1, 2, 3, 4, 7 or 8")]
    BadSex,
    /// Month not in 01–12, 20–42 or 50–99.
    #[error("the month of birth is not 01-12, 20-42 or 50-99")]
    BadMonth,
    /// Department `00`, or an overseas code outside 971–976 and 984–988.
    #[error("the department of birth does not exist")]
    BadDepartment,
    /// Commune or country code `000` or above 990 (`00` for overseas communes).
    #[error("the commune or country of birth is out of range")]
    BadCommune,
    /// Order number `000`.
    #[error("the order number is 000")]
    BadOrder,
    /// The key is not `97 − (body mod 97)`.
    #[error("the control key does not match the body")]
    KeyMismatch,
    /// A well-formed provisional number (NIA, sex digit 3/4/7/8) given where an account is
    /// being opened; only returned by [`Nir::parse_for_account`].
    #[error("a provisional number (NIA) cannot open an account")]
    TemporaryNumber,
}

impl NirError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            NirError::BadLength => {
                "Le numéro de sécurité sociale doit comporter 15 caractères : \
                 13 caractères suivis de la clé de 2 chiffres."
            }
            NirError::BadFormat => {
                "Le numéro de sécurité sociale ne doit contenir que des chiffres, \
                 et la lettre A ou B pour les personnes nées en Corse."
            }
            NirError::BadSex => {
                "Le premier chiffre du numéro de sécurité sociale n'est pas valide : \
                 vérifiez votre saisie."
            }
            NirError::BadMonth => {
                "Le mois de naissance (4e et 5e chiffres) du numéro de sécurité sociale \
                 n'est pas valide : vérifiez votre saisie."
            }
            NirError::BadDepartment => {
                "Le département de naissance du numéro de sécurité sociale n'est pas valide : \
                 vérifiez votre saisie."
            }
            NirError::BadCommune => {
                "Le code de la commune ou du pays de naissance du numéro de sécurité sociale \
                 n'est pas valide : vérifiez votre saisie."
            }
            NirError::BadOrder => {
                "Le numéro d'ordre (11e à 13e chiffres) du numéro de sécurité sociale \
                 n'est pas valide : vérifiez votre saisie."
            }
            NirError::KeyMismatch => {
                "La clé (les 2 derniers chiffres) ne correspond pas au numéro de sécurité \
                 sociale : vérifiez votre saisie sur votre carte Vitale ou votre attestation \
                 de droits."
            }
            NirError::TemporaryNumber => {
                "Ce numéro est un numéro provisoire (NIA) : il ne permet pas d'ouvrir un \
                 compte. Contactez votre caisse d'assurance maladie pour obtenir votre numéro \
                 de sécurité sociale définitif."
            }
        }
    }
}

impl Nir {
    /// Parses a NIR typed by a person.
    ///
    /// Spaces (including non-breaking ones), dots and dashes are ignored, and `2a`/`2b` are
    /// accepted in lower case. Checks run in reading order, so the error names the first
    /// wrong part: length, format, sex, month, department, commune/country, order, key.
    /// Provisional numbers (3/4/7/8) are accepted here; use [`Nir::parse_for_account`]
    /// where they must be refused.
    ///
    /// Department `20` (Corsica before 1976) is accepted with any birth year: the year has
    /// no century, the rule is unconfirmed (domain.md §1.1) and refusing would lock a real
    /// member out; [`Nir::has_suspicious_corsica_code`] lets callers warn instead.
    pub fn parse(raw: &str) -> Result<Nir, NirError> {
        let normalised: String = raw
            .chars()
            .filter(|c| !(c.is_whitespace() || *c == '.' || *c == '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if normalised.chars().count() != NIR_LEN {
            return Err(NirError::BadLength);
        }
        let bytes = normalised.as_bytes();
        // Fifteen chars but more bytes means a non-ASCII character: a format error.
        if bytes.len() != NIR_LEN || !has_nir_alphabet(bytes) {
            return Err(NirError::BadFormat);
        }
        let (body, key) = bytes.split_at(BODY_LEN);
        check_structure(body)?;
        if key_of(body) != Some(two_digits(key[0], key[1])) {
            return Err(NirError::KeyMismatch);
        }
        Ok(Nir(normalised))
    }

    /// Parses a NIR for opening an account: like [`Nir::parse`], and then refuses
    /// provisional numbers with [`NirError::TemporaryNumber`], because a NIA holder can
    /// neither get a carte Vitale nor open a compte ameli (domain.md §1.2).
    pub fn parse_for_account(raw: &str) -> Result<Nir, NirError> {
        let nir = Nir::parse(raw)?;
        if nir.is_temporary() {
            return Err(NirError::TemporaryNumber);
        }
        Ok(nir)
    }

    /// Returns the normalised 15 characters (body then key), e.g. `"185057800608491"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the 13-character body, which is the ameli login identifier.
    pub fn body(&self) -> &str {
        &self.0[..BODY_LEN]
    }

    /// Returns the control key, between 1 and 97.
    pub fn key(&self) -> u8 {
        let b = self.0.as_bytes();
        two_digits(b[13], b[14])
    }

    /// Returns the sex encoded by the first digit (3/7 male and 4/8 female as well).
    pub fn sex(&self) -> Sex {
        // parse() admits only digits that map to a sex, so the fallback is never taken.
        Sex::from_nir_digit(self.0.as_bytes()[0]).unwrap_or(Sex::Female)
    }

    /// Returns true if and only if this is a provisional number (sex digit 3, 4, 7 or 8):
    /// a NIA or a number still being registered, which cannot open an account.
    pub fn is_temporary(&self) -> bool {
        matches!(self.0.as_bytes()[0], b'3' | b'4' | b'7' | b'8')
    }

    /// Returns the last two digits of the year of birth (the century is not encoded).
    pub fn birth_year_two_digits(&self) -> u8 {
        let b = self.0.as_bytes();
        two_digits(b[1], b[2])
    }

    /// Returns the month of birth (1–12) when the number encodes it.
    ///
    /// 01–12 are real months and 31–42 are "pseudo-fictitious" months whose month is still
    /// known (31 = January); 20–30 and 50–99 are fictitious and give `None`.
    pub fn birth_month(&self) -> Option<u8> {
        let b = self.0.as_bytes();
        match two_digits(b[3], b[4]) {
            m @ 1..=12 => Some(m),
            m @ 31..=42 => Some(m - 30),
            _ => None,
        }
    }

    /// Returns the department of birth as written in the number: two characters
    /// (`"78"`, `"2A"`, `"99"` for abroad) or three for overseas (`"971"`, `"988"`).
    pub fn department(&self) -> &str {
        if is_overseas(self.0.as_bytes()) {
            &self.0[5..8]
        } else {
            &self.0[5..7]
        }
    }

    /// Returns true if and only if the person was born abroad (department `99`).
    pub fn is_born_abroad(&self) -> bool {
        &self.0[5..7] == "99"
    }

    /// Returns true when the department is `20` with a two-digit birth year of 76 or more.
    ///
    /// Corsica is coded 2A/2B for births since 1976, so this combination is unexpected for
    /// a living person; it is a warning for staff, not a reason to refuse the number.
    pub fn has_suspicious_corsica_code(&self) -> bool {
        &self.0[5..7] == "20" && self.birth_year_two_digits() >= 76
    }

    /// Returns the number grouped as printed on a carte Vitale:
    /// `"1 85 05 78 006 084 91"`, or `"1 88 11 971 12 345 63"` for an overseas birth.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        let (dept, commune) = if is_overseas(s.as_bytes()) {
            (&s[5..8], &s[8..10])
        } else {
            (&s[5..7], &s[7..10])
        };
        format!(
            "{} {} {} {} {} {} {}",
            &s[0..1],
            &s[1..3],
            &s[3..5],
            dept,
            commune,
            &s[10..13],
            &s[13..15]
        )
    }
}

/// Computes the control key of a 13-character body, applying the Corsica substitution
/// (`2A` → 19, `2B` → 18) first. Meant for demo-data generators and tests.
///
/// Returns `None` if the body is not 13 characters of digits (with `2A`/`2B`, either case,
/// allowed at positions 6–7). It checks the alphabet only, not the other structural rules.
pub fn compute_key(body13: &str) -> Option<u8> {
    let upper = body13.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    if bytes.len() != BODY_LEN || !has_nir_alphabet(bytes) {
        return None;
    }
    key_of(bytes)
}

impl FromStr for Nir {
    type Err = NirError;

    /// Same as [`Nir::parse`].
    fn from_str(s: &str) -> Result<Nir, NirError> {
        Nir::parse(s)
    }
}

impl fmt::Debug for Nir {
    /// Shows only the sex digit and the birth year, e.g. `Nir(1 85 ** ** *** *** **)`:
    /// enough to tell two test records apart, too little to identify anyone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Nir({} {} ** ** *** *** **)",
            &self.0[0..1],
            &self.0[1..3]
        )
    }
}

/// True if every byte is a digit, except that positions 6–7 may be `2A` or `2B`.
/// Works on a body (13) or a full number (15); expects upper case.
fn has_nir_alphabet(bytes: &[u8]) -> bool {
    let corsica = bytes.get(5) == Some(&b'2') && matches!(bytes.get(6), Some(b'A' | b'B'));
    bytes
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (corsica && i == 6))
}

/// Overseas births use a 3-digit department (97x/98x) and so a 2-digit commune.
fn is_overseas(bytes: &[u8]) -> bool {
    bytes[5] == b'9' && matches!(bytes[6], b'7' | b'8')
}

/// Checks sex, month, department, commune/country and order on a body that already has
/// the NIR alphabet.
fn check_structure(body: &[u8]) -> Result<(), NirError> {
    if Sex::from_nir_digit(body[0]).is_none() {
        return Err(NirError::BadSex);
    }
    if !matches!(two_digits(body[3], body[4]), 1..=12 | 20..=42 | 50..=99) {
        return Err(NirError::BadMonth);
    }
    if is_overseas(body) {
        let dept = three_digits(&body[5..8]);
        if !matches!(dept, 971..=976 | 984..=988) {
            return Err(NirError::BadDepartment);
        }
        if two_digits(body[8], body[9]) == 0 {
            return Err(NirError::BadCommune);
        }
    } else {
        // 01–96 and 99 are all real: 91–95 were also Algeria/Morocco and 96 Tunisia
        // before independence (domain.md §1.1), and 2A/2B passed the alphabet check.
        if &body[5..7] == b"00" {
            return Err(NirError::BadDepartment);
        }
        if !matches!(three_digits(&body[7..10]), 1..=990) {
            return Err(NirError::BadCommune);
        }
    }
    if three_digits(&body[10..13]) == 0 {
        return Err(NirError::BadOrder);
    }
    Ok(())
}

/// `97 − (N mod 97)` over a 13-byte body with the NIR alphabet, `2A`/`2B` read as 19/18.
fn key_of(body: &[u8]) -> Option<u8> {
    let mut n: u64 = 0;
    for (i, &c) in body.iter().enumerate() {
        let digit = match (i, c) {
            (5, b'2') if matches!(body[6], b'A' | b'B') => 1,
            (6, b'A') => 9,
            (6, b'B') => 8,
            (_, d) if d.is_ascii_digit() => d - b'0',
            _ => return None,
        };
        n = n * 10 + u64::from(digit);
    }
    // The remainder is below 97, so the key fits a u8 and lies in 1..=97.
    u8::try_from(97 - n % 97).ok()
}

/// Value of two ASCII digits; callers have checked they are digits.
fn two_digits(tens: u8, units: u8) -> u8 {
    (tens - b'0') * 10 + (units - b'0')
}

/// Value of three ASCII digits; callers have checked they are digits.
fn three_digits(d: &[u8]) -> u16 {
    u16::from(d[0] - b'0') * 100 + u16::from(two_digits(d[1], d[2]))
}

#[cfg(test)]
mod tests;
