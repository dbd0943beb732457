//! Mails and SMS about the security of a member's account: login codes, locks, suspensions,
//! and the « Ce n'était pas moi » paragraph that ends every security mail.

use askama::Template;
use caisse_domain::french;
use time::Duration;

/// A security mail's body followed by its « Ce n'était pas moi » link.
#[derive(Template)]
#[template(path = "mail/with_not_me_link.txt")]
pub struct WithNotMeLink<'a> {
    /// The body of the mail, without its final newlines.
    pub body: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
    /// The token of the link.
    pub token: &'a str,
}

/// The code that confirms a login from a new device, by mail.
#[derive(Template)]
#[template(path = "mail/login_code.txt")]
pub struct LoginCode<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The code.
    pub code: &'a str,
    /// How many minutes it works.
    pub minutes: i64,
    /// The portal's address.
    pub base_url: &'a str,
}

/// What a code sent by SMS is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePurpose {
    /// Confirming a login from a new device.
    Login,
    /// Confirming a new mobile number.
    PhoneConfirmation,
}

/// A code by SMS (plain ASCII where GSM 03.38 lacks a letter).
#[derive(Template)]
#[template(path = "sms/code.txt")]
pub struct CodeSms<'a> {
    /// What it is for.
    pub purpose: CodePurpose,
    /// The code.
    pub code: &'a str,
    /// How many minutes it works.
    pub minutes: i64,
}

/// An account locked after wrong passwords (a member's or a staff member's).
#[derive(Template)]
#[template(path = "mail/account_locked.txt")]
pub struct AccountLocked<'a> {
    /// The owner's name as they are greeted.
    pub name: &'a str,
    /// How long the lock lasts.
    pub duration: Duration,
    /// The portal's address.
    pub base_url: &'a str,
}

/// An account suspended because its activity looked like an attack.
#[derive(Template)]
#[template(path = "mail/account_suspended.txt")]
pub struct AccountSuspended<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The fund's phone number.
    pub phone: &'a str,
}
