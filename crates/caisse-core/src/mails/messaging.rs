//! Mails and SMS about messages. They carry the reference, dates and a link to the portal,
//! never the subject or the text: a mailbox or a phone screen is not a place for health data.

use askama::Template;
use caisse_domain::french;
use time::Date;

/// The acknowledgement of a new thread.
#[derive(Template)]
#[template(path = "mail/message_sent.txt")]
pub struct MessageSent<'a> {
    /// The thread's reference.
    pub reference: &'a str,
    /// When an answer is due.
    pub due_on: Date,
    /// The member's page of the thread.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The fund answered, by mail.
#[derive(Template)]
#[template(path = "mail/reply_received.txt")]
pub struct ReplyReceived<'a> {
    /// The thread's reference.
    pub reference: &'a str,
    /// The member's page of the thread.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// The fund answered, by SMS.
#[derive(Template)]
#[template(path = "sms/reply_received.txt")]
pub struct ReplyReceivedSms<'a> {
    /// The fund's name.
    pub fund: &'a str,
    /// The member's page of the thread.
    pub link: &'a str,
}

/// The acknowledgement of a referral to the mediator.
#[derive(Template)]
#[template(path = "mail/mediation_received.txt")]
pub struct MediationReceived<'a> {
    /// The referral's reference.
    pub reference: &'a str,
    /// The member's page of the referral.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}
