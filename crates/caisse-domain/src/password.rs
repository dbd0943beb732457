//! Password policy for the member's *code secret*: what a new password must and must not
//! be. Pure rules only: hashing, throttling and strength estimation live in other crates.
//!
//! The character rules are ameli's since June 2020 (domain.md §3.2): at least one
//! lowercase letter, one uppercase letter, and one digit or special character, where only
//! the specials of the *bornes multiservices* keyboards are allowed. On top of them we
//! refuse passwords built on the member's own data (NIR, birth date, email) and common
//! breached passwords, with or without digits and specials around them.

use std::fmt;

use time::Date;

use crate::{Email, Nir};

/// The only special characters ameli accepts, for compatibility with the keyboards of the
/// *bornes multiservices* (domain.md §3.2).
pub const ALLOWED_SPECIALS: &[char] = &[
    '?', '!', '$', '€', '£', '@', '&', '(', '-', '+', '_', ')', '=', '*', '%', '/', '<', '>', ',',
    '.', ';',
];

/// Common and breached passwords, lower case, one per line.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Shortest email local part (or part of it) that a password may not contain: below this,
/// a member called `al@…` could not use any password containing "al".
const MIN_EMAIL_FRAGMENT: usize = 4;

/// The tunable limits of the policy; the character rules are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Fewest characters (not bytes) accepted. Default 12: ameli's own minimum is
    /// unconfirmed (domain.md §3.2), and 12 is the usual floor without 2-step checks.
    pub min_length: usize,
    /// Most characters accepted. Default 128: long enough for password managers, short
    /// enough to bound the cost of hashing hostile input.
    pub max_length: usize,
}

impl Default for PasswordPolicy {
    fn default() -> PasswordPolicy {
        PasswordPolicy {
            min_length: 12,
            max_length: 128,
        }
    }
}

/// What is known about the member, so that the password does not contain it. Every field
/// is optional: at registration the birth date may not be known yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    /// The member's NIR: the password may contain neither its 13-character body nor the
    /// full 15 characters, even with separators.
    pub nir: Option<&'a Nir>,
    /// The member's birth date: refused as ddmmyyyy, yyyymmdd, mmddyyyy, ddmmyy and yymmdd.
    pub birth_date: Option<Date>,
    /// The member's email: its local part and its pieces (split at `.`, `_`, `-`, `+`) of
    /// 4 characters or more are refused.
    pub email: Option<&'a Email>,
}

/// Why a candidate password is refused. Variants never carry any of the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PasswordError {
    /// Fewer characters than [`PasswordPolicy::min_length`].
    #[error("the password has fewer than {min} characters")]
    TooShort {
        /// The minimum that applied, for the message.
        min: usize,
    },
    /// More characters than [`PasswordPolicy::max_length`].
    #[error("the password has more than {max} characters")]
    TooLong {
        /// The maximum that applied, for the message.
        max: usize,
    },
    /// A character that is not an unaccented letter, a digit or one of [`ALLOWED_SPECIALS`]
    /// (spaces and accented letters included).
    #[error("the password contains a character that is not allowed")]
    ForbiddenCharacter,
    /// No lowercase letter.
    #[error("the password has no lowercase letter")]
    MissingLowercase,
    /// No uppercase letter.
    #[error("the password has no uppercase letter")]
    MissingUppercase,
    /// Neither a digit nor an allowed special character.
    #[error("the password has neither a digit nor a special character")]
    MissingDigitOrSpecial,
    /// Contains the member's NIR.
    #[error("the password contains the NIR")]
    ContainsNir,
    /// Contains the member's birth date.
    #[error("the password contains the birth date")]
    ContainsBirthDate,
    /// Contains the member's email local part or a piece of it.
    #[error("the password contains the email address")]
    ContainsEmail,
    /// Is a common password, possibly with digits or specials added before or after.
    #[error("the password is too common")]
    TooCommon,
}

impl PasswordError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            PasswordError::TooShort { .. } => {
                "Votre mot de passe est trop court : choisissez-en un plus long."
            }
            PasswordError::TooLong { .. } => {
                "Votre mot de passe est trop long : choisissez-en un plus court."
            }
            PasswordError::ForbiddenCharacter => {
                "Votre mot de passe contient un caractère non autorisé : utilisez uniquement \
                 des lettres sans accent, des chiffres et les caractères spéciaux \
                 ? ! $ € £ @ & ( - + _ ) = * % / < > , . ;"
            }
            PasswordError::MissingLowercase => {
                "Votre mot de passe doit contenir au moins une lettre minuscule."
            }
            PasswordError::MissingUppercase => {
                "Votre mot de passe doit contenir au moins une lettre majuscule."
            }
            PasswordError::MissingDigitOrSpecial => {
                "Votre mot de passe doit contenir au moins un chiffre ou un caractère spécial \
                 (? ! $ € £ @ & ( - + _ ) = * % / < > , . ;)."
            }
            PasswordError::ContainsNir => {
                "Votre mot de passe ne doit pas contenir votre numéro de sécurité sociale."
            }
            PasswordError::ContainsBirthDate => {
                "Votre mot de passe ne doit pas contenir votre date de naissance."
            }
            PasswordError::ContainsEmail => {
                "Votre mot de passe ne doit pas contenir votre adresse e-mail, \
                 ni une partie de celle-ci."
            }
            PasswordError::TooCommon => {
                "Ce mot de passe est trop courant et facile à deviner : choisissez-en un autre."
            }
        }
    }
}

impl PasswordPolicy {
    /// Checks a candidate password; returns the first rule it breaks, in the order of
    /// [`PasswordPolicy::violations`].
    pub fn check(
        &self,
        candidate: &str,
        context: &PasswordContext<'_>,
    ) -> Result<(), PasswordError> {
        match self.violations(candidate, context).first() {
            Some(error) => Err(*error),
            None => Ok(()),
        }
    }

    /// Returns every rule the candidate breaks, so that a form can list them all at once:
    /// length, characters, then personal data, then the common-password list. Empty if
    /// and only if the candidate is acceptable.
    pub fn violations(&self, candidate: &str, context: &PasswordContext<'_>) -> Vec<PasswordError> {
        let mut errors = Vec::new();
        let length = candidate.chars().count();
        if length < self.min_length {
            errors.push(PasswordError::TooShort {
                min: self.min_length,
            });
        }
        if length > self.max_length {
            errors.push(PasswordError::TooLong {
                max: self.max_length,
            });
        }
        if !candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ALLOWED_SPECIALS.contains(&c))
        {
            errors.push(PasswordError::ForbiddenCharacter);
        }
        if !candidate.chars().any(|c| c.is_ascii_lowercase()) {
            errors.push(PasswordError::MissingLowercase);
        }
        if !candidate.chars().any(|c| c.is_ascii_uppercase()) {
            errors.push(PasswordError::MissingUppercase);
        }
        if !candidate
            .chars()
            .any(|c| c.is_ascii_digit() || ALLOWED_SPECIALS.contains(&c))
        {
            errors.push(PasswordError::MissingDigitOrSpecial);
        }
        let lower = candidate.to_lowercase();
        // Separators are dropped so that "1.85.05.78…" or "01/05/1985" are still found.
        let compact: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
        if context
            .nir
            .is_some_and(|nir| compact.contains(&nir.body().to_ascii_lowercase()))
        {
            errors.push(PasswordError::ContainsNir);
        }
        if context.birth_date.is_some_and(|date| {
            birth_date_forms(date)
                .iter()
                .any(|f| compact.contains(f.as_str()))
        }) {
            errors.push(PasswordError::ContainsBirthDate);
        }
        if context
            .email
            .is_some_and(|email| contains_email_part(&lower, email))
        {
            errors.push(PasswordError::ContainsEmail);
        }
        if is_common(&lower) {
            errors.push(PasswordError::TooCommon);
        }
        errors
    }
}

/// The usual ways of writing a date as digits.
fn birth_date_forms(date: Date) -> [String; 5] {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    let yy = y.rem_euclid(100);
    [
        format!("{d:02}{m:02}{y:04}"),
        format!("{y:04}{m:02}{d:02}"),
        format!("{m:02}{d:02}{y:04}"),
        format!("{d:02}{m:02}{yy:02}"),
        format!("{yy:02}{m:02}{d:02}"),
    ]
}

/// True if the lower-cased password contains the email's local part or one of its
/// pieces, when long enough to be meaningful.
fn contains_email_part(lower: &str, email: &Email) -> bool {
    let local = email.local_part().to_lowercase();
    std::iter::once(local.as_str())
        .chain(local.split(['.', '_', '-', '+']))
        .filter(|part| part.chars().count() >= MIN_EMAIL_FRAGMENT)
        .any(|part| lower.contains(part))
}

/// True if the lower-cased password is on the common list, alone or once leading and/or
/// trailing non-letters are stripped ("Azerty2024!" → "azerty", "1qaz2wsx!" →
/// "1qaz2wsx"). Without this, the length and character rules would let every decorated
/// common word through.
fn is_common(lower: &str) -> bool {
    let not_letter = |c: char| !c.is_ascii_alphabetic();
    let forms = [
        lower,
        lower.trim_start_matches(not_letter),
        lower.trim_end_matches(not_letter),
        lower.trim_matches(not_letter),
    ];
    COMMON_PASSWORDS
        .lines()
        .any(|entry| forms.iter().any(|form| !form.is_empty() && *form == entry))
}

/// A password that passed a [`PasswordPolicy`], ready to be hashed.
///
/// Neither `Display` nor `Clone`, and `Debug` prints `Password(***)`, so that the clear
/// text goes nowhere but to the hasher through [`Password::expose_secret`].
pub struct Password(String);

impl Password {
    /// Checks `candidate` against `policy` in `context` and keeps it if acceptable;
    /// returns the first broken rule otherwise (see [`PasswordPolicy::check`]).
    pub fn parse(
        candidate: &str,
        policy: &PasswordPolicy,
        context: &PasswordContext<'_>,
    ) -> Result<Password, PasswordError> {
        policy.check(candidate, context)?;
        Ok(Password(candidate.to_owned()))
    }

    /// Returns the clear text, for the hasher only. The name makes every use visible.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests;
