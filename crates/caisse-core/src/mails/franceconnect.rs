//! Mails of FranceConnect (issue 18): a link made, a login, a link removed. Each is a security
//! mail, closed by « Ce n'était pas moi ».

use askama::Template;

/// FranceConnect was linked to the account.
#[derive(Template)]
#[template(path = "mail/franceconnect_linked.txt")]
pub struct FranceConnectLinked<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}

/// A login went through FranceConnect.
#[derive(Template)]
#[template(path = "mail/franceconnect_login.txt")]
pub struct FranceConnectLogin<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// « 6 décembre 2026 à 10 h 05 », the fund's legal time.
    pub when: &'a str,
}

/// The link was removed.
#[derive(Template)]
#[template(path = "mail/franceconnect_unlinked.txt")]
pub struct FranceConnectUnlinked<'a> {
    /// The member's first name.
    pub first_name: &'a str,
}
