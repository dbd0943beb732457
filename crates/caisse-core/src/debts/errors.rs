//! What can go wrong with a debt, for the member pages, the API and the command line.

use caisse_domain::AmountCents;

use super::provider::ReturnRefused;
use crate::CoreError;
use crate::accounts::FormProblem;

/// A member's action on a debt that did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DebtError {
    /// No such debt for this member: missing or another member's, one answer for both.
    #[error("debt not found")]
    NotFound,
    /// Nothing is left to pay.
    #[error("the debt is settled")]
    Settled,
    /// Card payments are not configured.
    #[error("no payment provider is configured")]
    NoProvider,
    /// The provider's return was refused (and audited).
    #[error("payment return refused: {0}")]
    Return(ReturnRefused),
    /// The return names no payment started, or not the one it paid (audited).
    #[error("the payment return does not match the payment started")]
    Mismatch,
    /// The card was charged but the debt was settled meanwhile, or its balance went below the
    /// amount (audited): the fund refunds.
    #[error("the debt was settled before the card payment")]
    PaidTwice {
        /// The debt.
        debt_id: uuid::Uuid,
    },
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Contesting a debt did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ContestError {
    /// No such debt for this member.
    #[error("debt not found")]
    NotFound,
    /// Its contest is still open.
    #[error("the debt is already contested")]
    AlreadyContested,
    /// The explanation does not have the right form.
    #[error("invalid explanation")]
    Invalid(Vec<FormProblem>),
    /// Messaging refused the réclamation (quota, writer stopped…).
    #[error(transparent)]
    Messaging(#[from] crate::messaging::MemberError),
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// A transfer that could not be recorded; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// No debt of this fund has this reference.
    #[error("no debt of this fund has this reference")]
    UnknownReference,
    /// The amount is above what is left (or the debt is settled).
    #[error("the amount is above the balance ({left:?} left)")]
    AboveBalance {
        /// What is left to pay.
        left: AmountCents,
    },
    /// This bank transaction id was recorded before for another debt or amount.
    #[error("this bank transaction was recorded before, for another debt or amount")]
    TransactionReused,
    /// The amount is not above 0.
    #[error("the amount must be above 0")]
    NotPositive,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(DebtError, ContestError, TransferError);
