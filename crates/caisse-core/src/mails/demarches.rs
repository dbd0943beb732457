//! Mails of « Mes démarches ». They name the dossier's reference and its state, never the
//! procedure nor the answers (a procedure can say something of one's health).

use askama::Template;

/// A dossier changed state.
#[derive(Template)]
#[template(path = "mail/dossier_update.txt")]
pub struct DossierUpdate<'a> {
    /// « D-3F9A-12BC ».
    pub reference: &'a str,
    /// The new state, in lower case (« en cours d'instruction »).
    pub state: &'a str,
    /// The fund waits for the member.
    pub waiting: bool,
    /// The dossier's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// A draft will expire.
#[derive(Template)]
#[template(path = "mail/dossier_draft_expiring.txt")]
pub struct DraftExpiring<'a> {
    /// « D-3F9A-12BC ».
    pub reference: &'a str,
    /// « 4 janvier 2027 ».
    pub expires_on: &'a str,
    /// The dossier's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// A dossier waits for the member, by SMS.
#[derive(Template)]
#[template(path = "sms/dossier_waiting.txt")]
pub struct DossierWaitingSms<'a> {
    /// The fund's name.
    pub fund: &'a str,
    /// « D-3F9A-12BC ».
    pub reference: &'a str,
    /// The dossier's page.
    pub link: &'a str,
}
