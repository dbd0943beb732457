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
use crate::mails::{
    self,
    messaging::{MessageSent, ReplyReceived, ReplyReceivedSms},
};

/// The member's page of a thread, for mails and SMS.
fn thread_link(base_url: &str, thread_id: Uuid) -> String {
    format!("{}/messagerie/{thread_id}", base_url.trim_end_matches('/'))
}

/// The acknowledgement of a new thread, if the member has an email on file and wants mail
/// (`by_email`, see [`people::Notices`]).
///
/// # Errors
/// [`CoreError::MailText`] when its template does not render.
pub(super) fn sent_confirmation(
    base_url: &str,
    member: &Member,
    by_email: bool,
    (thread_id, reference, due_on): (Uuid, &str, Date),
) -> Result<Option<NewMessage>, CoreError> {
    let Some(email) = member
        .email
        .as_ref()
        .map(caisse_domain::Email::as_str)
        .filter(|_| by_email)
    else {
        return Ok(None);
    };
    let text = mails::mail(&MessageSent {
        reference,
        due_on,
        link: &thread_link(base_url, thread_id),
        fund: &fund_name(member.caisse_code),
    })?;
    Ok(Some(NewMessage {
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: text.subject,
        body_text: text.body,
        caisse_code: Some(member.caisse_code.as_str().to_owned()),
    }))
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
            let text = mails::mail(&ReplyReceived {
                reference,
                link: &link,
                fund: &fund,
            })?;
            outbox::enqueue(
                db,
                NewMessage {
                    channel: Channel::Email,
                    recipient: email.to_owned(),
                    subject: text.subject,
                    body_text: text.body,
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
                    body_text: mails::sms(&ReplyReceivedSms {
                        fund: &fund,
                        link: &link,
                    })?,
                    caisse_code: Some(member.caisse_code.as_str().to_owned()),
                },
                now,
            )
            .await?;
        }
        Ok(())
    }
}
