//! The outbox's stored kinds: a message's delivery channel and where it stands.

use crate::coded::coded_enum;

coded_enum! {
    /// Delivery channel of a message.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Channel {
        /// Email (SMTP).
        Email => "email",
        /// Text message.
        Sms => "sms",
    }
}

coded_enum! {
    /// Where a queued message stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum OutboxStatus {
        /// Waiting for (another) delivery attempt.
        Pending => "pending",
        /// Handed to the transport.
        Sent => "sent",
        /// Every attempt failed; waits for an operator to retry it.
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(channel));
        }
        assert_eq!(
            OutboxStatus::ALL,
            [
                OutboxStatus::Pending,
                OutboxStatus::Sent,
                OutboxStatus::Failed
            ]
        );
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(Channel::from_code("fax"), None);
    }
}
