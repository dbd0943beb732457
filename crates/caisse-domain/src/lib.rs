//! Pure domain types and rules of Caisse, the member portal of a French health-insurance
//! fund.
//!
//! Everything here is plain data and pure functions: no I/O, no async, no serde, no
//! database, no web. Values that reach this crate's types have been parsed once
//! ("parse, don't validate"): holding a [`Nir`], an [`Email`] or an [`Iban`] proves the
//! rules passed. Personal values mask themselves in `Debug` and have no `Display`, so they
//! cannot leak into logs by accident. Every error has a French `message_fr()` for users.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod agenda;
pub mod attestation_code;
pub mod attestation_kind;
pub mod audit;
pub mod bic;
pub mod c2s;
pub mod caisse;
pub mod calendar;
pub mod claims;
mod coded;
pub mod creditor_reference;
pub mod demarches;
pub mod email;
pub mod forum;
pub mod franceconnect;
pub mod french;
pub mod help;
pub mod iban;
pub mod instant;
pub mod lockout;
pub mod messaging;
pub mod money;
pub mod nir;
pub mod outbox;
pub mod paris_time;
pub mod password;
pub mod phone;
pub mod rights;
pub mod sex;
pub mod staff;
pub mod vitale;

pub use account::{
    AccountStatus, AlertKind, BankChangeStatus, LetterKind, LinkPurpose, LoginProvider, SubjectKind,
};
pub use attestation_code::{AttestationCode, AttestationCodeError};
pub use attestation_kind::AttestationKind;
pub use audit::{ActorKind, AuditAction};
pub use bic::{Bic, BicError};
pub use caisse::{CaisseCode, CaisseCodeError, FUNDS, Fund, FundKind};
pub use calendar::{
    HolidayZone, add_working_days, easter_sunday, holiday_name, is_holiday, is_working_day,
};
pub use creditor_reference::{CreditorReference, CreditorReferenceError};
pub use email::{Email, EmailError};
pub use iban::{Iban, IbanError, SEPA_COUNTRIES};
pub use instant::Instant;
pub use lockout::{LockoutPolicy, Release, Reservation, ThrottleState, Verdict};
pub use money::{AmountCents, AmountError};
pub use nir::{Nir, NirError, compute_key};
pub use outbox::{Channel, OutboxStatus};
pub use password::{ALLOWED_SPECIALS, Password, PasswordContext, PasswordError, PasswordPolicy};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use sex::Sex;
pub use staff::StaffRole;
pub use vitale::{VitaleSerial, VitaleSerialError};
