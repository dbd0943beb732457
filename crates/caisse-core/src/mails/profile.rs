//! Mails and SMS about changes the member makes in « Mon profil ».

use askama::Template;
use caisse_domain::french;
use time::PrimitiveDateTime;

use super::OneTimeLink;

/// New bank details, and when they take effect.
#[derive(Template)]
#[template(path = "mail/bank_details_changed.txt")]
pub struct BankDetailsChanged<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The new IBAN, masked.
    pub iban_masked: &'a str,
    /// When they replace the previous ones, in Paris legal time.
    pub effective_at: PrimitiveDateTime,
}

/// The password was changed from the profile.
#[derive(Template)]
#[template(path = "mail/password_changed.txt")]
pub struct PasswordChanged<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}

/// The link that confirms a new email address, sent to that address.
#[derive(Template)]
#[template(path = "mail/email_change_link.txt")]
pub struct EmailChangeLink<'a> {
    /// The link and whom it goes to.
    pub link: OneTimeLink<'a>,
}

/// A change of address was asked, sent to the address on file.
#[derive(Template)]
#[template(path = "mail/email_change_requested.txt")]
pub struct EmailChangeRequested<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}

/// Another account asked to use this member's address.
#[derive(Template)]
#[template(path = "mail/email_taken.txt")]
pub struct EmailTaken<'a> {
    /// The holder's first name.
    pub first_name: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The mobile number was changed.
#[derive(Template)]
#[template(path = "mail/phone_changed.txt")]
pub struct PhoneChanged<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}

/// The postal address was changed.
#[derive(Template)]
#[template(path = "mail/address_changed.txt")]
pub struct AddressChanged<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}
