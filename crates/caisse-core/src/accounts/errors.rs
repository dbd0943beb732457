//! Refusals of the account use cases.

use crate::CoreError;
use crate::password_reset::PasswordProblem;

/// A problem with one field of a form, for the form to show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormProblem {
    /// The form field (`nir`, `email`, `password`…).
    pub field: &'static str,
    /// The sentence shown to the member, in French.
    pub message: String,
}

impl FormProblem {
    pub(crate) fn new(field: &'static str, message: impl Into<String>) -> FormProblem {
        FormProblem {
            field,
            message: message.into(),
        }
    }

    pub(crate) fn from_password(problem: &PasswordProblem) -> FormProblem {
        let field = if problem.concerns_confirmation() {
            "confirmation"
        } else {
            "password"
        };
        FormProblem::new(field, problem.message_fr())
    }
}

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Input that does not have the right form; every problem is listed.
    #[error("invalid form")]
    Invalid(Vec<FormProblem>),
    /// The current password typed to confirm the operation is wrong.
    #[error("wrong current password")]
    WrongPassword,
    /// A link or code that does not exist, has expired or has served.
    #[error("unusable link or code")]
    Unusable,
    /// Too many wrong codes: the code no longer works.
    #[error("too many attempts")]
    TooManyAttempts,
    /// Bank-detail changes are frozen on this account until the fund lifts it.
    #[error("bank details frozen")]
    BankFrozen,
    /// Too many codes sent lately: no other one until `retry_at`.
    #[error("too many codes sent, retry at {retry_at}")]
    TooManyCodes {
        /// When one may be sent again.
        retry_at: time::OffsetDateTime,
    },
    /// Nothing to act on (no pending change, unknown session…).
    #[error("nothing to do")]
    NothingToDo,
    /// The identifier is locked after too many failures.
    #[error("locked until {until}")]
    Locked {
        /// End of the lock.
        until: time::OffsetDateTime,
    },
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for AccountError {
    fn from(error: caisse_store::StoreError) -> Self {
        AccountError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for AccountError {
    fn from(error: caisse_store::DbErr) -> Self {
        AccountError::Core(error.into())
    }
}

impl From<Vec<FormProblem>> for AccountError {
    fn from(problems: Vec<FormProblem>) -> Self {
        AccountError::Invalid(problems)
    }
}
