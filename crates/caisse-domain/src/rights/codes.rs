//! The two codes of a coverage period: the régime and the *code de gestion*.

use std::fmt;

/// Why a régime code or a code de gestion was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RightsCodeError {
    /// Not exactly two digits.
    #[error("a régime code or code de gestion has two digits")]
    NotTwoDigits,
}

impl RightsCodeError {
    /// The sentence shown to an operator or a member, in French.
    pub fn message_fr(&self) -> &'static str {
        "Ce code s'écrit avec 2 chiffres, par exemple 01 ou 10."
    }
}

fn two_digits(raw: &str) -> Result<[u8; 2], RightsCodeError> {
    let raw = raw.trim();
    // A spreadsheet drops the leading zero of « 01 »: one digit is read as « 0x ».
    let bytes = match raw.as_bytes() {
        [d] if d.is_ascii_digit() => [b'0', *d],
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => [*a, *b],
        _ => return Err(RightsCodeError::NotTwoDigits),
    };
    Ok(bytes)
}

/// The régime that covers a member, on two digits: `01` is the régime général. Other codes are
/// kept as they are; their labels beyond the two main régimes are not confirmed by an official
/// table (domain.md §9.1 names only the régime général and the régime agricole).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegimeCode([u8; 2]);

impl RegimeCode {
    /// The régime général.
    pub const GENERAL: RegimeCode = RegimeCode(*b"01");

    /// Parses two digits (`01`; a lone `1` reads as `01`).
    pub fn parse(raw: &str) -> Result<RegimeCode, RightsCodeError> {
        two_digits(raw).map(RegimeCode)
    }

    /// The two digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("00")
    }

    /// The name printed on an attestation.
    pub fn label_fr(&self) -> &'static str {
        match &self.0 {
            b"01" => "Régime général",
            b"02" => "Régime agricole",
            _ => "Régime spécial",
        }
    }
}

impl fmt::Debug for RegimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegimeCode({})", self.as_str())
    }
}

/// The *code de gestion* of a coverage period, on two digits: it tells which rules manage the
/// member's benefits (`10` for the régime général's salaried workers, domain.md §9.1). The
/// full table is the funds' own: any two digits are accepted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeGestion([u8; 2]);

impl CodeGestion {
    /// `10`, the code of the régime général.
    pub const GENERAL: CodeGestion = CodeGestion(*b"10");

    /// Parses two digits (`10`; a lone `5` reads as `05`).
    pub fn parse(raw: &str) -> Result<CodeGestion, RightsCodeError> {
        two_digits(raw).map(CodeGestion)
    }

    /// The two digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("00")
    }
}

impl fmt::Debug for CodeGestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeGestion({})", self.as_str())
    }
}
