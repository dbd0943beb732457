//! Mails about opening and closing a member's online account.

use askama::Template;

use super::OneTimeLink;

/// The link that activates a new account.
#[derive(Template)]
#[template(path = "mail/activation_link.txt")]
pub struct ActivationLink<'a> {
    /// The link and whom it goes to.
    pub link: OneTimeLink<'a>,
}

/// Someone tried to register with the number of a member who has an account already.
#[derive(Template)]
#[template(path = "mail/already_registered.txt")]
pub struct AlreadyRegistered<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The account is activated.
#[derive(Template)]
#[template(path = "mail/account_activated.txt")]
pub struct Activated<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The member closed their account.
#[derive(Template)]
#[template(path = "mail/account_closed.txt")]
pub struct Closed<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
}

/// A provisional code is on its way by post.
#[derive(Template)]
#[template(path = "mail/provisional_code_sent.txt")]
pub struct ProvisionalCodeSent<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The provisional code of the letter was used.
#[derive(Template)]
#[template(path = "mail/provisional_code_used.txt")]
pub struct ProvisionalCodeUsed<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}
