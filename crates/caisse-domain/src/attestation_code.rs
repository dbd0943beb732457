//! The short code printed on an attestation, to type on the verification page.
//!
//! Twelve characters of Crockford's base 32 (digits and capital letters without I, L, O and U,
//! which are easily misread), printed in three groups of four: `7K3M-Q9TX-2BCF`. The first
//! eleven are random (55 bits, drawn by the caller); the twelfth is a check character (Luhn
//! mod 32), so a mistyped character or two swapped neighbours are caught before any lookup.
//! Reading is forgiving: case, spaces and dashes are ignored, and `O`, `I`, `L` are read as
//! the `0` and `1` they are usually mistaken for.

use std::fmt;

/// Crockford's base-32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code, check character included.
pub const CODE_LEN: usize = 12;
/// Random bytes a new code needs.
pub const RANDOM_BYTES: usize = 7;

/// A well-formed attestation code: twelve characters whose check character matches.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AttestationCode(String);

/// Why a typed code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttestationCodeError {
    /// Not twelve characters once spaces and dashes are removed.
    #[error("an attestation code has 12 characters")]
    BadLength,
    /// A character outside the alphabet.
    #[error("an attestation code holds digits and capital letters only")]
    BadCharacter,
    /// The check character does not match: a typing mistake.
    #[error("the check character does not match")]
    CheckMismatch,
}

impl AttestationCodeError {
    /// The sentence shown to the person verifying, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            AttestationCodeError::BadLength => {
                "Le code de vérification comporte 12 caractères, par exemple 7K3M-Q9TX-2BCF."
            }
            AttestationCodeError::BadCharacter => {
                "Le code de vérification ne contient que des chiffres et des lettres majuscules : \
                 vérifiez votre saisie."
            }
            AttestationCodeError::CheckMismatch => {
                "Ce code de vérification contient une erreur de saisie : vérifiez chaque \
                 caractère."
            }
        }
    }
}

fn value_of(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// Luhn mod 32 over `values`, read from the right, as the check character completing them.
fn check_value(values: &[u32]) -> u32 {
    let mut sum = 0;
    let mut factor = 2;
    for &v in values.iter().rev() {
        let addend = factor * v;
        sum += addend / 32 + addend % 32;
        factor = if factor == 2 { 1 } else { 2 };
    }
    (32 - sum % 32) % 32
}

impl AttestationCode {
    /// A new code from random bytes (the caller draws them: this crate does no I/O).
    pub fn from_random(bytes: [u8; RANDOM_BYTES]) -> AttestationCode {
        let mut bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut values = [0u32; CODE_LEN - 1];
        for slot in values.iter_mut().rev() {
            *slot = u32::try_from(bits & 31).unwrap_or(0);
            bits >>= 5;
        }
        let check = check_value(&values);
        let code = values
            .iter()
            .chain(std::iter::once(&check))
            .map(|&v| char::from(ALPHABET[v as usize]))
            .collect();
        AttestationCode(code)
    }

    /// Reads a typed code (case, spaces and dashes ignored; `O`, `I`, `L` read as `0`, `1`).
    pub fn parse(raw: &str) -> Result<AttestationCode, AttestationCodeError> {
        let chars: Vec<char> = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if chars.len() != CODE_LEN {
            return Err(AttestationCodeError::BadLength);
        }
        let values = chars
            .iter()
            .map(|&c| value_of(c))
            .collect::<Option<Vec<u32>>>()
            .ok_or(AttestationCodeError::BadCharacter)?;
        let (data, check) = values.split_at(CODE_LEN - 1);
        if check_value(data) != check[0] {
            return Err(AttestationCodeError::CheckMismatch);
        }
        Ok(AttestationCode(
            values
                .iter()
                .map(|&v| char::from(ALPHABET[v as usize]))
                .collect(),
        ))
    }

    /// The twelve characters, without dashes: `7K3MQ9TX2BCF`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In three groups of four, as printed: `7K3M-Q9TX-2BCF`.
    pub fn formatted(&self) -> String {
        format!("{}-{}-{}", &self.0[0..4], &self.0[4..8], &self.0[8..12])
    }
}

impl fmt::Debug for AttestationCode {
    /// Shown whole: the code identifies a document, not a person, and logs need it to trace
    /// a verification.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttestationCode({})", self.formatted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AttestationCode {
        AttestationCode::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde])
    }

    #[test]
    fn a_new_code_reads_back_whatever_its_spelling() {
        let code = sample();
        assert_eq!(code.as_str().len(), CODE_LEN);
        assert_eq!(AttestationCode::parse(code.as_str()).unwrap(), code);
        assert_eq!(AttestationCode::parse(&code.formatted()).unwrap(), code);
        let lower = code.formatted().to_lowercase().replace('-', " ");
        assert_eq!(AttestationCode::parse(&lower).unwrap(), code);
        assert_eq!(code.formatted().len(), 14);
    }

    #[test]
    fn misread_letters_are_read_as_the_digits_they_look_like() {
        let zero = AttestationCode::from_random([0; RANDOM_BYTES]);
        assert_eq!(zero.as_str(), "000000000000");
        assert_eq!(AttestationCode::parse("OOOO-oooo-0000").unwrap(), zero);
    }

    #[test]
    fn any_single_mistyped_character_is_caught() {
        let code = sample();
        for position in 0..CODE_LEN {
            for &replacement in ALPHABET {
                let mut chars: Vec<char> = code.as_str().chars().collect();
                if chars[position] == char::from(replacement) {
                    continue;
                }
                chars[position] = char::from(replacement);
                let typed: String = chars.into_iter().collect();
                assert_eq!(
                    AttestationCode::parse(&typed),
                    Err(AttestationCodeError::CheckMismatch),
                    "{typed}"
                );
            }
        }
    }

    #[test]
    fn swapped_neighbours_are_caught_when_they_differ() {
        let code = sample();
        let chars: Vec<char> = code.as_str().chars().collect();
        for i in 0..CODE_LEN - 1 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let typed: String = swapped.into_iter().collect();
            assert!(AttestationCode::parse(&typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn wrong_lengths_and_characters_are_refused() {
        assert_eq!(
            AttestationCode::parse("7K3M-Q9TX"),
            Err(AttestationCodeError::BadLength)
        );
        assert_eq!(
            AttestationCode::parse("7K3M-Q9TX-2BC*"),
            Err(AttestationCodeError::BadCharacter)
        );
        assert_eq!(
            AttestationCode::parse("7K3M-Q9TX-2BCU"),
            Err(AttestationCodeError::BadCharacter)
        );
    }

    #[test]
    fn random_codes_differ_in_their_first_eleven_characters() {
        let a = AttestationCode::from_random([1, 2, 3, 4, 5, 6, 7]);
        let b = AttestationCode::from_random([1, 2, 3, 4, 5, 6, 8]);
        assert_ne!(a, b);
        assert_ne!(a.as_str()[..11], b.as_str()[..11]);
    }
}
