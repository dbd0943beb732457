//! Mails and SMS about messages. They carry the reference, dates and a link to the
//! portal, never the subject or the text: a mailbox or a phone screen is not a place for
//! health data.

use caisse_domain::Instant;
use caisse_store::ConnectionTrait;
use caisse_store::outbox::{self, Channel, NewMessage};
use time::Date;
use uuid::Uuid;

use super::member::fund_name;
use super::people::{self, Member};
use super::shared::Shared;
use crate::CoreError;

/// `12/03/2026`: how mails and canned answers write a date.
pub(super) fn french_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// The member's page of a thread, for mails and SMS.
fn thread_link(base_url: &str, thread_id: Uuid) -> String {
    format!("{}/messagerie/{thread_id}", base_url.trim_end_matches('/'))
}

/// The acknowledgement of a new thread, if the member has an email on file and wants mail
/// (`by_email`, see [`people::Notices`]).
pub(super) fn sent_confirmation(
    base_url: &str,
    member: &Member,
    by_email: bool,
    (thread_id, reference, due_on): (Uuid, &str, Date),
) -> Option<NewMessage> {
    let email = member
        .email
        .as_ref()
        .map(caisse_domain::Email::as_str)
        .filter(|_| by_email)?;
    let fund = fund_name(member.caisse_code);
    let body = format!(
        "Bonjour,\n\n\
         Nous avons bien reçu votre message, enregistré sous la référence {reference}.\n\
         Une réponse vous sera apportée au plus tard le {due}.\n\n\
         Vous pouvez suivre cet échange dans votre messagerie :\n{link}\n\n\
         Par sécurité, ce courriel ne reproduit pas le contenu de votre message.\n\n\
         {fund}\n",
        due = french_date(due_on),
        link = thread_link(base_url, thread_id),
    );
    Some(NewMessage {
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: format!("Votre message a bien été envoyé ({reference})"),
        body_text: body,
        caisse_code: Some(member.caisse_code.as_str().to_owned()),
    })
}

impl Shared {
    pub(super) fn thread_link(&self, thread_id: Uuid) -> String {
        thread_link(self.base_url(), thread_id)
    }

    /// Tells the member that the fund answered: by email and by SMS as they chose.
    pub(super) async fn notify_reply<C: ConnectionTrait>(
        &self,
        db: &C,
        member_id: Uuid,
        thread_id: Uuid,
        reference: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        let Some((member, notices)) = people::with_notices(db, member_id).await? else {
            return Ok(());
        };
        let (by_email, by_sms) = (notices.by_email, notices.by_sms);
        let fund = fund_name(member.caisse_code);
        let now = now.get();
        let link = self.thread_link(thread_id);
        if let Some(email) = member
            .email
            .as_ref()
            .map(caisse_domain::Email::as_str)
            .filter(|_| by_email)
        {
            let body = format!(
                "Bonjour,\n\n\
                 Vous avez reçu une réponse à votre message {reference} dans votre messagerie.\n\n\
                 Pour la lire, connectez-vous à votre compte :\n{link}\n\n\
                 Par sécurité, ce courriel ne reproduit pas le contenu du message.\n\n\
                 {fund}\n"
            );
            outbox::enqueue(
                db,
                NewMessage {
                    channel: Channel::Email,
                    recipient: email.to_owned(),
                    subject: "Vous avez un nouveau message".to_owned(),
                    body_text: body,
                    caisse_code: Some(member.caisse_code.as_str().to_owned()),
                },
                now,
            )
            .await?;
        }
        if let Some(phone) = member
            .phone
            .as_ref()
            .map(caisse_domain::PhoneNumber::as_str)
            .filter(|_| by_sms)
        {
            outbox::enqueue(
                db,
                NewMessage {
                    channel: Channel::Sms,
                    recipient: phone.to_owned(),
                    subject: String::new(),
                    body_text: format!(
                        "{fund} : vous avez un nouveau message dans votre messagerie. {link}"
                    ),
                    caisse_code: Some(member.caisse_code.as_str().to_owned()),
                },
                now,
            )
            .await?;
        }
        Ok(())
    }
}
