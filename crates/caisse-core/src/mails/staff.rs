//! Mails to a staff member about their second factor. Whoever got that far knew the password,
//! so each ends with what to do if it was not them (`mail/staff_not_you.txt`).

use askama::Template;
use caisse_domain::french;
use time::Duration;

/// An authenticator app was enrolled.
#[derive(Template)]
#[template(path = "mail/staff_totp_enrolled.txt")]
pub struct TotpEnrolled<'a> {
    /// The staff member's display name.
    pub name: &'a str,
    /// Their login.
    pub login: &'a str,
}

/// The account is locked after wrong codes.
#[derive(Template)]
#[template(path = "mail/staff_code_lock.txt")]
pub struct CodeLock<'a> {
    /// The staff member's display name.
    pub name: &'a str,
    /// Their login.
    pub login: &'a str,
    /// How long the lock lasts.
    pub duration: Duration,
}
