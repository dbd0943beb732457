//! Mails and SMS of « Mon agenda ». They give the date, the way it takes place and the page's
//! link, never the motif (it can say something of one's health or means) nor a video link
//! (the page computes it; a mail at rest would keep a usable link).

use askama::Template;

/// An appointment booked or moved.
#[derive(Template)]
#[template(path = "mail/appointment_confirmed.txt")]
pub struct AppointmentConfirmed<'a> {
    /// « lundi 7 décembre 2026 à 9 h 30 ».
    pub when: &'a str,
    /// How it takes place (the number called, the branch's address, the video page).
    pub how: &'a str,
    /// Moved rather than booked.
    pub moved: bool,
    /// The appointment's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// An appointment cancelled.
#[derive(Template)]
#[template(path = "mail/appointment_cancelled.txt")]
pub struct AppointmentCancelled<'a> {
    /// « lundi 7 décembre 2026 à 9 h 30 ».
    pub when: &'a str,
    /// The fund cancelled it, not the member.
    pub by_fund: bool,
    /// The agenda's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The reminder two days before.
#[derive(Template)]
#[template(path = "mail/appointment_reminder.txt")]
pub struct AppointmentReminder<'a> {
    /// « lundi 7 décembre 2026 à 9 h 30 ».
    pub when: &'a str,
    /// How it takes place.
    pub how: &'a str,
    /// The appointment's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The reminder two days before, by SMS.
#[derive(Template)]
#[template(path = "sms/appointment_reminder.txt")]
pub struct AppointmentReminderSms<'a> {
    /// The fund's name.
    pub fund: &'a str,
    /// « 07/12/2026 à 9 h 30 ».
    pub when: &'a str,
    /// The appointment's page.
    pub link: &'a str,
}

/// A slot freed earlier than the one a member waits for.
#[derive(Template)]
#[template(path = "mail/appointment_slot_freed.txt")]
pub struct SlotFreed<'a> {
    /// « lundi 7 décembre 2026 à 9 h 30 ».
    pub when: &'a str,
    /// The booking page of the motif.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}
