//! The structured creditor reference of ISO 11649 (« RF »), which a member types as the
//! reference of a bank transfer paying a debt: `RF` + two check digits + up to 21 letters or
//! digits. The check digits (ISO 7064 MOD 97-10, as in an IBAN) catch a mistyped reference
//! before it is matched against the fund's debts. A reference names a debt, not a person.

use std::fmt;

/// The longest body of a reference (25 characters in all).
const MAX_BODY: usize = 21;

/// A valid `RF` creditor reference, upper case, without spaces.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditorReference(String);

/// Why a string is not a creditor reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CreditorReferenceError {
    /// Not `RF`, two digits and 1 to 21 letters or digits.
    #[error("a creditor reference is RF, two check digits and 1 to 21 letters or digits")]
    Shape,
    /// The check digits do not match the rest.
    #[error("the check digits of the creditor reference do not match")]
    CheckDigits,
}

impl CreditorReferenceError {
    /// Returns the sentence shown to the user, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            CreditorReferenceError::Shape => {
                "Cette référence n'est pas valide : elle commence par RF, suivi de deux \
                 chiffres et de 1 à 21 lettres ou chiffres."
            }
            CreditorReferenceError::CheckDigits => {
                "Cette référence n'est pas valide : vérifiez chacun de ses caractères."
            }
        }
    }
}

/// The remainder modulo 97 of `text` read as digits, letters as 10 (A) to 35 (Z).
fn mod97(text: &str) -> u32 {
    text.chars().fold(0, |rest, c| match c.to_digit(36) {
        Some(value) if value >= 10 => (rest * 100 + value) % 97,
        Some(value) => (rest * 10 + value) % 97,
        None => rest,
    })
}

fn body_is_valid(body: &str) -> bool {
    (1..=MAX_BODY).contains(&body.len())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

impl CreditorReference {
    /// The reference of `body` (1 to 21 letters or digits), its check digits computed.
    ///
    /// # Errors
    /// [`CreditorReferenceError::Shape`] for an empty, too long or non-alphanumeric body.
    pub fn from_body(body: &str) -> Result<CreditorReference, CreditorReferenceError> {
        let body = body.to_ascii_uppercase();
        if !body_is_valid(&body) {
            return Err(CreditorReferenceError::Shape);
        }
        let check = 98 - mod97(&format!("{body}RF00"));
        Ok(CreditorReference(format!("RF{check:02}{body}")))
    }

    /// Parses a reference as typed: spaces ignored, any case.
    ///
    /// # Errors
    /// When the shape or the check digits are wrong.
    pub fn parse(text: &str) -> Result<CreditorReference, CreditorReferenceError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let (head, body) = compact
            .split_at_checked(4)
            .ok_or(CreditorReferenceError::Shape)?;
        if !head.starts_with("RF")
            || !head[2..].bytes().all(|b| b.is_ascii_digit())
            || !body_is_valid(body)
        {
            return Err(CreditorReferenceError::Shape);
        }
        if mod97(&format!("{body}{head}")) != 1 {
            return Err(CreditorReferenceError::CheckDigits);
        }
        Ok(CreditorReference(compact))
    }

    /// The reference without spaces, as stored and as sent in a transfer.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference in groups of four, as printed for a person to copy
    /// (`RF18 5390 0754 7034`).
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Debug for CreditorReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditorReference({})", self.0)
    }
}

impl fmt::Display for CreditorReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_example_checks() {
        // The example of ISO 11649 and of the EPC's guidance.
        let reference = CreditorReference::from_body("539007547034").unwrap();
        assert_eq!(reference.as_str(), "RF18539007547034");
        assert_eq!(reference.grouped(), "RF18 5390 0754 7034");
        assert_eq!(
            CreditorReference::parse("rf18 5390 0754 7034").unwrap(),
            reference
        );
    }

    #[test]
    fn letters_are_read_as_two_digits() {
        let reference = CreditorReference::from_body("ABC123").unwrap();
        assert_eq!(CreditorReference::parse(reference.as_str()), Ok(reference));
    }

    #[test]
    fn a_typo_is_caught() {
        assert_eq!(
            CreditorReference::parse("RF18539007547035"),
            Err(CreditorReferenceError::CheckDigits)
        );
        assert_eq!(
            CreditorReference::parse("RF19539007547034"),
            Err(CreditorReferenceError::CheckDigits)
        );
    }

    #[test]
    fn bad_shapes_are_refused() {
        for text in [
            "",
            "RF1",
            "RF18",
            "XX18539007547034",
            "RF1A5390",
            "RF18539-0754",
        ] {
            assert_eq!(
                CreditorReference::parse(text),
                Err(CreditorReferenceError::Shape),
                "{text}"
            );
        }
        assert_eq!(
            CreditorReference::from_body(&"9".repeat(22)),
            Err(CreditorReferenceError::Shape)
        );
    }
}
