//! The mail of the demo data: an account opened for a demo member.

use askama::Template;

/// A demo member's account is open.
#[derive(Template)]
#[template(path = "mail/demo_account_opened.txt")]
pub struct AccountOpened<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The fund's name.
    pub fund: &'a str,
}
