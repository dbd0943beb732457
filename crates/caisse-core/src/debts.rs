//! A member's debts (« Avis de sommes à payer »): what is owed and why, what reimbursements
//! already withheld, and paying the rest at once by bank transfer (`transfers`, matched from
//! the bank statement by the debt's creditor reference) or by card through a payment provider
//! (`provider`, `card`); contesting a debt opens a réclamation that pauses its recovery
//! (`contest`). Every reading is scoped to the member's own debts (`views`).

mod card;
mod contest;
mod errors;
pub mod provider;
pub mod transfers;
mod views;

use std::sync::Arc;

use caisse_domain::{Bic, Iban};
use caisse_store::Db;

pub use caisse_store::claims::debt_payments::{DebtPayment, PaymentChannel, Recovery};
pub use card::CardOutcome;
pub use errors::{ContestError, DebtError, TransferError};
pub use provider::{PaymentProvider, ProviderSecret, SignedRedirectProvider};
pub use transfers::{TransferOutcome, TransferRecord, record_transfer};
pub use views::{CareOrigin, Contest, DebtDetail, DebtState, DebtSummary};

use crate::clock::Clock;
use crate::messaging::MemberMessaging;

/// The account members transfer to: the fund's, printed on the debt's page.
#[derive(Clone, PartialEq, Eq)]
pub struct FundAccount {
    /// Its IBAN.
    pub iban: Iban,
    /// Its bank's BIC.
    pub bic: Bic,
    /// The account holder's name, as the member types it.
    pub holder: String,
}

impl std::fmt::Debug for FundAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FundAccount")
            .field("bic", &self.bic)
            .finish_non_exhaustive()
    }
}

/// How debts are paid.
#[derive(Clone, Debug)]
pub struct DebtSettings {
    /// Where transfers go; `None` hides « payer par virement ».
    pub account: Option<FundAccount>,
    /// How long a debt waits before its *avis de sommes à payer*
    /// (`CAISSE_CLAIMS_DEBT_NOTICE_DAYS`).
    pub notice_after: time::Duration,
}

impl Default for DebtSettings {
    fn default() -> Self {
        DebtSettings {
            account: None,
            notice_after: time::Duration::days(90),
        }
    }
}

/// The member's list of debts (the web layer's route), printed on the paper notice.
pub const LIST_PATH: &str = "/paiements/sommes-a-payer";

/// Where the payment provider sends the member back (the web layer's route).
pub const RETURN_PATH: &str = "/paiements/sommes-a-payer/retour";

/// Days a member has to pay once the *avis de sommes à payer* is sent (figure unconfirmed:
/// no source gives the fund's delay; `docs/payments.md`).
pub const DAYS_TO_PAY_AFTER_NOTICE: i64 = 30;

/// A member's debts, for the web layer and the command line.
#[derive(Clone)]
pub struct DebtService {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: DebtSettings,
    provider: Option<Arc<dyn PaymentProvider>>,
    messaging: MemberMessaging,
}

impl DebtService {
    /// The service over `db`; card payments go through `provider` when there is one.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: DebtSettings,
        provider: Option<Arc<dyn PaymentProvider>>,
        messaging: MemberMessaging,
    ) -> DebtService {
        DebtService {
            db,
            clock,
            settings,
            provider,
            messaging,
        }
    }

    /// Whether members may pay by card.
    pub fn card_payments(&self) -> bool {
        self.provider.is_some()
    }

    /// The origin of the card payment page, which the debt pages' forms redirect to.
    pub fn payment_origin(&self) -> Option<String> {
        self.provider.as_ref().and_then(|p| p.origin())
    }

    fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }
}
