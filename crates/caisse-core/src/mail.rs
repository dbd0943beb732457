//! Outgoing messages and the port that delivers them.

use async_trait::async_trait;

pub use caisse_domain::Channel;
pub use caisse_store::outbox::Attachment;

/// A message as a transport sees it, its secrets in clear. `Debug` shows only its id and
/// channel.
#[derive(Clone)]
pub struct OutgoingMessage {
    /// Outbox id, usable as an idempotency key or Message-ID by transports.
    pub id: uuid::Uuid,
    /// Email or SMS.
    pub channel: Channel,
    /// Address or E.164 number.
    pub recipient: String,
    /// Subject (email only).
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// A file joined to a mail (the `.ics` of an appointment).
    pub attachment: Option<Attachment>,
}

impl std::fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMessage")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// Why a delivery failed.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct DeliveryError {
    /// Human-readable cause, shown to operators.
    pub message: String,
    /// True when retrying cannot help (e.g. the address was refused permanently).
    pub permanent: bool,
}

/// Delivers messages of one channel (SMTP, an SMS gateway, or the development mail
/// directory).
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Delivers one message: `Ok` once the next hop has it.
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), DeliveryError>;
}
