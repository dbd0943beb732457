//! The SMTP adapter of the mail port, on `lettre`.

use async_trait::async_trait;
use caisse_core::mail::{DeliveryError, OutgoingMessage, Transport};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the portal writes a mail: its sender, and the domain of its `Message-ID`s.
#[derive(Clone, Debug)]
pub struct Composer {
    from: Mailbox,
    message_id_domain: String,
}

impl Composer {
    /// A composer for sender `from` (`Caisse <noreply@example.fr>`).
    ///
    /// # Errors
    /// When the sender address is malformed.
    pub fn new(from: &str) -> Result<Composer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("invalid sender address: {e}"))?;
        let message_id_domain = from.email.domain().to_owned();
        Ok(Composer {
            from,
            message_id_domain,
        })
    }

    /// The mail of an outbox message, in plain text; with a file joined, a `multipart/mixed`
    /// of the text and the file.
    ///
    /// # Errors
    /// A permanent [`DeliveryError`] for a recipient that is not an address, or a message
    /// lettre refuses.
    pub fn compose(&self, message: &OutgoingMessage) -> Result<Message, DeliveryError> {
        let to: Mailbox = message.recipient.parse().map_err(|e| DeliveryError {
            message: format!("invalid recipient: {e}"),
            permanent: true,
        })?;
        // The outbox id as Message-ID lets receivers spot the rare duplicate that
        // at-least-once delivery can produce.
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(format!("<{}@{}>", message.id, self.message_id_domain)));
        let cannot_build = |e: lettre::error::Error| DeliveryError {
            message: format!("cannot build message: {e}"),
            permanent: true,
        };
        let Some(file) = &message.attachment else {
            return builder
                .header(ContentType::TEXT_PLAIN)
                .body(message.body_text.clone())
                .map_err(cannot_build);
        };
        let content_type = ContentType::parse(&file.content_type).map_err(|e| DeliveryError {
            message: format!("invalid attachment type: {e}"),
            permanent: true,
        })?;
        builder
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(message.body_text.clone()))
                    .singlepart(
                        Attachment::new(file.name.clone()).body(file.body.clone(), content_type),
                    ),
            )
            .map_err(cannot_build)
    }
}

/// Sends mail through an SMTP relay.
pub struct SmtpTransport {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    composer: Composer,
}

impl SmtpTransport {
    /// A transport for `smtp://…` or `smtps://…` (see lettre's URL format).
    ///
    /// # Errors
    /// When the URL or the sender address is malformed.
    pub fn new(url: &str, from: &str) -> Result<SmtpTransport, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("invalid SMTP URL: {e}"))?
            .build();
        Ok(SmtpTransport {
            transport,
            composer: Composer::new(from)?,
        })
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let email = self.composer.compose(message)?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| DeliveryError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use caisse_core::mail::{Attachment, Channel};

    use super::*;

    fn message(attachment: Option<Attachment>) -> OutgoingMessage {
        OutgoingMessage {
            id: uuid::Uuid::from_u128(1),
            channel: Channel::Email,
            recipient: "julien.martin@exemple.fr".to_owned(),
            subject: "Votre rendez-vous est confirmé".to_owned(),
            body_text: "Bonjour,\n".to_owned(),
            attachment,
        }
    }

    #[test]
    fn a_mail_with_a_file_is_multipart_with_the_text_and_the_file() {
        let composer = Composer::new("Caisse <noreply@example.fr>").expect("a sender");
        let plain = String::from_utf8(
            composer
                .compose(&message(None))
                .expect("a mail")
                .formatted(),
        )
        .expect("UTF-8");
        assert!(plain.contains("Content-Type: text/plain"));
        assert!(!plain.contains("multipart"));
        let with_file = composer
            .compose(&message(Some(Attachment {
                name: "rendez-vous.ics".to_owned(),
                content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
                body: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_owned(),
            })))
            .expect("a mail");
        let text = String::from_utf8(with_file.formatted()).expect("UTF-8");
        assert!(text.contains("Content-Type: multipart/mixed"), "{text}");
        assert!(text.contains("Content-Type: text/calendar"), "{text}");
        assert!(text.contains("filename=\"rendez-vous.ics\""), "{text}");
        assert!(text.contains("Content-Type: text/plain"), "{text}");
    }
}
