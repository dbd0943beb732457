//! The statement an attestation signs, and its binary form (version 1).
//!
//! Pure: bytes in, statement out, and back. The layout is documented for outside verifiers in
//! `docs/attestation-format.md`; any change is a new version byte, never an edit of this one.
//!
//! ```text
//! u8      version (1)
//! u8      kind: 1 attestation de droits, 2 attestation de carte Vitale
//! [12]    attestation code, ASCII (Crockford base 32, check character included, no dashes)
//! i64     issued at, Unix seconds (UTC), big-endian
//! [3]     fund code, ASCII (e.g. "671")
//! [2]     régime, ASCII digits ("01")
//! [2]     code de gestion, ASCII digits ("10")
//! u32     first day attested, as the number YYYYMMDD, big-endian
//! u32     last day attested, YYYYMMDD
//! u8 + n  the insured person's NIR, ASCII (15 characters)
//! u8 + n  the insured person's name as printed, UTF-8
//! u8      number of people covered (1 to 20), then for each:
//!   u8      rank (1 for the insured person, 2 to 19)
//!   u32     birth date, YYYYMMDD
//!   u8 + n  name as printed, UTF-8
//! ```
//!
//! It holds no health data: exemptions (ALD…), the régime local and the C2S stay on the paper.

use caisse_domain::rights::{CodeGestion, RegimeCode};
use caisse_domain::{AttestationCode, CaisseCode, Nir};
use time::{Date, Month, OffsetDateTime};

/// The version this module writes and reads.
pub const VERSION: u8 = 1;
/// Most people one statement lists: the insured person and 19 ayants droit.
pub const MAX_PEOPLE: usize = 20;

pub use caisse_domain::AttestationKind;

/// One person a statement covers.
#[derive(Clone, PartialEq, Eq)]
pub struct StatementPerson {
    /// 1 for the insured person, 2 to 19 for ayants droit.
    pub rank: u8,
    /// Name as printed on the attestation.
    pub name: String,
    /// Birth date.
    pub birth_date: Date,
}

/// What an attestation says, signed: who is covered, under whose NIR, by which fund, for which
/// period, and when it was issued.
#[derive(Clone, PartialEq, Eq)]
pub struct Statement {
    /// Droits or carte Vitale.
    pub kind: AttestationKind,
    /// The short code printed on the attestation.
    pub code: AttestationCode,
    /// When it was issued (whole seconds, UTC).
    pub issued_at: OffsetDateTime,
    /// The fund.
    pub caisse: CaisseCode,
    /// The régime.
    pub regime: RegimeCode,
    /// The code de gestion.
    pub code_gestion: CodeGestion,
    /// First day attested.
    pub valid_from: Date,
    /// Last day attested.
    pub valid_to: Date,
    /// The insured person's NIR, printed whole on the attestation: a verifier compares it with
    /// the paper, digit by digit.
    pub nir: Nir,
    /// The insured person's name as printed.
    pub insured_name: String,
    /// The people covered, in rank order.
    pub people: Vec<StatementPerson>,
}

/// Only the code and the kind: a statement names people.
impl std::fmt::Debug for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("people", &self.people.len())
            .finish_non_exhaustive()
    }
}

/// Why bytes are not a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// A version this code does not know.
    #[error("unknown statement version {0}")]
    Version(u8),
    /// The bytes end before the statement does.
    #[error("truncated statement")]
    Truncated,
    /// Bytes remain after the statement.
    #[error("trailing bytes after the statement")]
    TrailingBytes,
    /// A field does not hold a valid value.
    #[error("invalid {0} in the statement")]
    Field(&'static str),
    /// A value does not fit the format (a name longer than 255 bytes, more than 20 people).
    #[error("{0} does not fit the statement format")]
    TooLong(&'static str),
}

fn date_number(date: Date) -> u32 {
    let year = u32::try_from(date.year()).unwrap_or(0);
    year * 10_000 + u32::from(u8::from(date.month())) * 100 + u32::from(date.day())
}

fn date_of(number: u32) -> Option<Date> {
    let year = i32::try_from(number / 10_000).ok()?;
    let month = Month::try_from(u8::try_from(number / 100 % 100).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(number % 100).ok()?).ok()
}

fn push_short(out: &mut Vec<u8>, bytes: &[u8], what: &'static str) -> Result<(), StatementError> {
    out.push(u8::try_from(bytes.len()).map_err(|_| StatementError::TooLong(what))?);
    out.extend_from_slice(bytes);
    Ok(())
}

impl Statement {
    /// The statement's bytes (version [`VERSION`]).
    ///
    /// # Errors
    /// [`StatementError::TooLong`] when a name exceeds 255 bytes or more than [`MAX_PEOPLE`]
    /// people are listed.
    pub fn encode(&self) -> Result<Vec<u8>, StatementError> {
        if self.people.is_empty() || self.people.len() > MAX_PEOPLE {
            return Err(StatementError::TooLong("the list of people"));
        }
        let mut out = Vec::with_capacity(64 + 24 * self.people.len());
        out.push(VERSION);
        out.push(self.kind.byte());
        out.extend_from_slice(self.code.as_str().as_bytes());
        out.extend_from_slice(&self.issued_at.unix_timestamp().to_be_bytes());
        out.extend_from_slice(self.caisse.as_str().as_bytes());
        out.extend_from_slice(self.regime.as_str().as_bytes());
        out.extend_from_slice(self.code_gestion.as_str().as_bytes());
        out.extend_from_slice(&date_number(self.valid_from).to_be_bytes());
        out.extend_from_slice(&date_number(self.valid_to).to_be_bytes());
        push_short(&mut out, self.nir.as_str().as_bytes(), "the NIR")?;
        push_short(&mut out, self.insured_name.as_bytes(), "a name")?;
        out.push(u8::try_from(self.people.len()).map_err(|_| StatementError::TooLong("people"))?);
        for person in &self.people {
            out.push(person.rank);
            out.extend_from_slice(&date_number(person.birth_date).to_be_bytes());
            push_short(&mut out, person.name.as_bytes(), "a name")?;
        }
        Ok(out)
    }

    /// Reads a statement; every field is parsed into its domain type.
    ///
    /// # Errors
    /// Any [`StatementError`] but `TooLong`.
    pub fn decode(bytes: &[u8]) -> Result<Statement, StatementError> {
        let mut r = Reader { bytes, at: 0 };
        let version = r.u8()?;
        if version != VERSION {
            return Err(StatementError::Version(version));
        }
        let kind = AttestationKind::from_byte(r.u8()?).ok_or(StatementError::Field("kind"))?;
        let code = AttestationCode::parse(r.ascii(12, "code")?)
            .map_err(|_| StatementError::Field("code"))?;
        let issued_at = OffsetDateTime::from_unix_timestamp(i64::from_be_bytes(r.array()?))
            .map_err(|_| StatementError::Field("issue time"))?;
        let caisse =
            CaisseCode::parse(r.ascii(3, "fund")?).map_err(|_| StatementError::Field("fund"))?;
        let regime = RegimeCode::parse(r.ascii(2, "régime")?)
            .map_err(|_| StatementError::Field("régime"))?;
        let code_gestion = CodeGestion::parse(r.ascii(2, "code de gestion")?)
            .map_err(|_| StatementError::Field("code de gestion"))?;
        let valid_from = r.date("first day")?;
        let valid_to = r.date("last day")?;
        if valid_to < valid_from {
            return Err(StatementError::Field("period"));
        }
        let nir_len = usize::from(r.u8()?);
        let nir = Nir::parse(r.ascii(nir_len, "NIR")?).map_err(|_| StatementError::Field("NIR"))?;
        let insured_name = r.text("insured name")?;
        let count = usize::from(r.u8()?);
        if count == 0 || count > MAX_PEOPLE {
            return Err(StatementError::Field("number of people"));
        }
        let mut people = Vec::with_capacity(count);
        for _ in 0..count {
            let rank = r.u8()?;
            if !(1..=19).contains(&rank) {
                return Err(StatementError::Field("rank"));
            }
            let birth_date = r.date("birth date")?;
            let name = r.text("name")?;
            people.push(StatementPerson {
                rank,
                name,
                birth_date,
            });
        }
        if r.at != bytes.len() {
            return Err(StatementError::TrailingBytes);
        }
        Ok(Statement {
            kind,
            code,
            issued_at,
            caisse,
            regime,
            code_gestion,
            valid_from,
            valid_to,
            nir,
            insured_name,
            people,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], StatementError> {
        let end = self.at.checked_add(n).ok_or(StatementError::Truncated)?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(StatementError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, StatementError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], StatementError> {
        self.take(N)?
            .try_into()
            .map_err(|_| StatementError::Truncated)
    }

    fn ascii(&mut self, n: usize, what: &'static str) -> Result<&'a str, StatementError> {
        let bytes = self.take(n)?;
        if !bytes.is_ascii() {
            return Err(StatementError::Field(what));
        }
        std::str::from_utf8(bytes).map_err(|_| StatementError::Field(what))
    }

    fn text(&mut self, what: &'static str) -> Result<String, StatementError> {
        let n = usize::from(self.u8()?);
        let text = std::str::from_utf8(self.take(n)?).map_err(|_| StatementError::Field(what))?;
        if text.trim().is_empty() || text.chars().any(char::is_control) {
            return Err(StatementError::Field(what));
        }
        Ok(text.to_owned())
    }

    fn date(&mut self, what: &'static str) -> Result<Date, StatementError> {
        date_of(u32::from_be_bytes(self.array()?)).ok_or(StatementError::Field(what))
    }
}
