//! Mails of the claims engine.

use askama::Template;
use caisse_domain::{AmountCents, french};
use time::Date;

/// The *avis de sommes à payer*: participations and franchises still owed.
#[derive(Template)]
#[template(path = "mail/debt_notice.txt")]
pub struct DebtNotice<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// What is left to pay, in all.
    pub total: AmountCents,
    /// Each debt: the day of care and what is left of it.
    pub debts: Vec<(Date, AmountCents)>,
    /// The last day to pay (`crate::debts::DAYS_TO_PAY_AFTER_NOTICE` after this notice).
    pub deadline: Date,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// « Information de paiement »: a payment concerning the member was made. It names neither
/// the amount nor the care (health data), only where to look.
#[derive(Template)]
#[template(path = "mail/payment_information.txt")]
pub struct PaymentInformation<'a> {
    /// The fund's name, as the signature.
    pub fund: &'a str,
}
