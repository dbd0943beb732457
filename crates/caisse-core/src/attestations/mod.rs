//! Attestations (issue 5): the member downloads an *attestation de droits* (or *de carte
//! Vitale*) for their family or one person, with or without the complementary mentions, and
//! anyone can check it.
//!
//! - [`statement`]: what an attestation signs (who, under which NIR, which fund, which period,
//!   when issued) and its versioned binary form;
//! - [`seal`]: Ed25519 signatures with rotating keys, the `CAISSE-ATT1:` text a QR code
//!   carries, offline verification with public keys alone, and reading that text back from a
//!   PDF;
//! - [`AttestationService`]: issue (rights read, statement signed, PDF rendered, attestation
//!   recorded and audited in one transaction) and verify (a short code, a pasted text or an
//!   uploaded PDF).
//!
//! `statement` and `seal` are pure; the format is documented in `docs/attestation-format.md`.

mod printable;
pub mod seal;
mod service;
pub mod statement;
#[cfg(test)]
mod tests;

pub use seal::{
    AttestationKeys, KeyConfigError, VerifyError, find_in_pdf, sealed_text, verification_url,
    verify_with,
};
pub use service::{
    AttestationChoices, AttestationError, AttestationRequest, AttestationService,
    AttestationSettings, Beneficiary, ChoicePerson, FileVerification, IssuedAttestation,
    VerificationOutcome, VerifiedAttestation,
};
pub use statement::{AttestationKind, Statement, StatementError, StatementPerson};

/// A new signing key for `CAISSE_ATTESTATION_SIGNING_KEYS`: `id:SEED`, 32 random bytes.
///
/// # Errors
/// [`KeyConfigError::KeyId`] for an id that is not 1 to 16 of a-z, 0-9, `-`;
/// [`KeyConfigError::Key`] when the system has no randomness to give.
pub fn generate_key_entry(id: &str) -> Result<String, KeyConfigError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| KeyConfigError::Key(1))?;
    let entry = seal::key_entry(id, seed);
    // Parsed back, so that only a usable entry is ever printed.
    AttestationKeys::parse(&entry)?;
    Ok(entry)
}
