//! Outgoing messages and the port that delivers them.

use async_trait::async_trait;

pub use caisse_store::outbox::Channel;

/// A message as a transport sees it.
#[derive(Clone, Debug)]
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
}

/// What a transport did with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Handed over to the next hop.
    Sent,
    /// Kept in the outbox for reading (development transport).
    Retained,
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

/// Delivers messages of one channel (SMTP, an SMS gateway, or the development outbox).
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Delivers one message.
    async fn deliver(&self, message: &OutgoingMessage) -> Result<Delivery, DeliveryError>;
}

/// The development transport: nothing leaves the machine; messages stay readable in the
/// outbox (`/admin/outbox`).
#[derive(Clone, Copy, Debug, Default)]
pub struct RetainInOutbox;

#[async_trait]
impl Transport for RetainInOutbox {
    async fn deliver(&self, _message: &OutgoingMessage) -> Result<Delivery, DeliveryError> {
        Ok(Delivery::Retained)
    }
}
