//! The two mails of a password reset. Plain French text with no health data: a mailbox is not
//! a safe place, and the link itself is the only secret they carry.

use askama::Template;

/// The mail carrying the reset link.
#[derive(Template)]
#[template(path = "mail/password_reset_link.txt")]
pub struct ResetLink<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
    /// The token of the link.
    pub token: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The confirmation sent once the new password is set.
#[derive(Template)]
#[template(path = "mail/password_reset_done.txt")]
pub struct ResetDone<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
    /// The fund's phone number.
    pub phone: &'a str,
}
