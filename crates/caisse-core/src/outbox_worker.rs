//! The outbox worker: delivers queued messages with retries and exponential backoff.
//!
//! Guarantees: a message is delivered at least once. A worker that dies between handing a
//! message to the transport and recording it leaves a lease that expires, after which the
//! message is delivered again (a duplicate, never a loss). A message that keeps failing ends in
//! the `failed` status, visible to administrators, who can retry it.
//!
//! The worker alone opens the sealed body of a message carrying a secret, just before handing
//! it to the transport; recording the delivery erases it (see [`crate::outbox`]).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use caisse_store::Db;
use caisse_store::outbox::{self, Channel, Outcome, UnreadableMessage};
use futures_util::{StreamExt, stream};
use time::Duration;
use tokio_util::sync::CancellationToken;

use crate::CoreError;
use crate::clock::Clock;
use crate::mail::{OutgoingMessage, Transport};
use crate::outbox::{OutboxSeal, SealedBodyError, body_to_deliver};

/// Messages of a batch handed to their transports at once.
const DELIVERIES_AT_ONCE: usize = 8;

/// Tuning of the worker.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// Pause between polls once the worker has caught up (a poll found less than a full batch).
    pub poll_interval: StdDuration,
    /// How long a claimed message stays reserved for this worker.
    pub lease: Duration,
    /// How many messages one poll claims.
    pub batch_size: u64,
    /// Attempts before a message is marked failed.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles at each attempt.
    pub first_retry_delay: Duration,
    /// Longest delay between two attempts.
    pub max_retry_delay: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            poll_interval: StdDuration::from_secs(2),
            lease: Duration::minutes(5),
            batch_size: 100,
            max_attempts: 10,
            first_retry_delay: Duration::seconds(30),
            max_retry_delay: Duration::hours(6),
        }
    }
}

impl WorkerSettings {
    /// The delay before attempt number `attempts + 1`, given `attempts` failures so far
    /// (30 s, 1 min, 2 min, … capped), or `None` when the message should be given up.
    pub fn retry_delay(&self, attempts_so_far: u32) -> Option<Duration> {
        if attempts_so_far + 1 >= self.max_attempts {
            return None;
        }
        let factor = 2i32.saturating_pow(attempts_so_far.min(20));
        Some((self.first_retry_delay * factor).min(self.max_retry_delay))
    }
}

/// The transports by channel.
#[derive(Clone)]
pub struct Transports {
    /// Email transport.
    pub email: Arc<dyn Transport>,
    /// SMS transport.
    pub sms: Arc<dyn Transport>,
}

/// Delivers outbox messages until cancelled.
pub struct OutboxWorker {
    db: Db,
    transports: Transports,
    clock: Arc<dyn Clock>,
    settings: WorkerSettings,
    seal: OutboxSeal,
}

impl OutboxWorker {
    /// A worker over this database with these transports; `seal` opens the bodies that carry
    /// secrets.
    pub fn new(
        db: Db,
        transports: Transports,
        clock: Arc<dyn Clock>,
        settings: WorkerSettings,
        seal: OutboxSeal,
    ) -> OutboxWorker {
        OutboxWorker {
            db,
            transports,
            clock,
            settings,
            seal,
        }
    }

    /// Runs until `shutdown` is cancelled. A batch in progress is finished first, so a graceful
    /// stop never abandons a message mid-delivery.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!("outbox worker started");
        let mut depth_published: Option<std::time::Instant> = None;
        loop {
            let delivered = match self.deliver_due_batch().await {
                Ok(n) => n,
                Err(error) => {
                    tracing::error!(error = %error, "outbox poll failed");
                    0
                }
            };
            // Counting the queue costs a scan of its due range: at most once per poll interval
            // while the worker is busy.
            if delivered == 0
                || depth_published.is_none_or(|at| at.elapsed() >= self.settings.poll_interval)
            {
                self.publish_depth().await;
                depth_published = Some(std::time::Instant::now());
            }
            if shutdown.is_cancelled() {
                break;
            }
            // Full batches are drained back to back; once caught up, the worker waits, so a
            // steady stream is claimed in large batches rather than one scan per new message.
            if u64::try_from(delivered).unwrap_or(u64::MAX) < self.settings.batch_size {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(self.settings.poll_interval) => {}
                }
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Claims and delivers one batch of due messages; returns how many were attempted.
    ///
    /// # Errors
    /// When the database fails; transport failures are recorded on the message instead.
    #[tracing::instrument(name = "outbox_worker.deliver_due_batch", skip_all)]
    pub async fn deliver_due_batch(&self) -> Result<usize, CoreError> {
        let now = self.clock.instant();
        let claimed =
            outbox::claim_due(&self.db, now, self.settings.lease, self.settings.batch_size).await?;
        let count = claimed.len();
        let mut outcomes = Vec::with_capacity(count);
        let mut deliveries = Vec::with_capacity(count);
        for claimed in claimed {
            let message = match claimed {
                Ok(message) => message,
                Err(UnreadableMessage { id }) => {
                    // A stored value that no longer parses does not heal: given up at once, an
                    // operator sees why (the store logged which column).
                    outcomes.push((
                        id,
                        Outcome::Failed {
                            error: "a stored value of the message does not parse".to_owned(),
                            retry_at: None,
                        },
                    ));
                    continue;
                }
            };
            let channel = message.channel();
            let body_text = match body_to_deliver(&self.seal, &message) {
                Ok(body) => body,
                Err(error) => {
                    // A body sealed under another key stays unreadable: given up at once, an
                    // operator sees why and retries it once the key is right again. One not
                    // sealed yet is sealed by a node starting up: tried again later.
                    let retry_at = match error {
                        SealedBodyError::Unreadable => None,
                        SealedBodyError::NotSealed => self
                            .settings
                            .retry_delay(message.attempts)
                            .map(|d| self.clock.instant() + d),
                    };
                    tracing::error!(message_id = %message.id, error = %error, "outbox message cannot be delivered");
                    outcomes.push((
                        message.id,
                        Outcome::Failed {
                            error: error.to_string(),
                            retry_at,
                        },
                    ));
                    continue;
                }
            };
            let attempts = message.attempts;
            deliveries.push((
                OutgoingMessage {
                    id: message.id,
                    channel,
                    recipient: message.recipient.as_str().to_owned(),
                    subject: message.subject,
                    body_text,
                    attachment: message.attachment,
                },
                attempts,
            ));
        }
        // Several at once: a delivery mostly waits for the relay's answers (one at a time, a
        // node delivered 20–28 mails/s to a local relay, docs/perf.md).
        let delivered = stream::iter(deliveries)
            .map(|(outgoing, attempts)| async move {
                let outcome = self.deliver(&outgoing, attempts).await;
                (outgoing.id, outcome)
            })
            .buffer_unordered(DELIVERIES_AT_ONCE);
        outcomes.extend(delivered.collect::<Vec<_>>().await);
        // Recorded together after the batch: a crash in between delivers those messages again
        // once their lease ends (delivery is at-least-once; the outbox id is the Message-ID).
        outbox::record_outcomes(&self.db, outcomes, self.clock.instant()).await?;
        Ok(count)
    }

    /// Hands one message to its transport; the outcome to record.
    async fn deliver(&self, outgoing: &OutgoingMessage, attempts: u32) -> Outcome {
        let channel = outgoing.channel;
        let transport = match channel {
            Channel::Email => &self.transports.email,
            Channel::Sms => &self.transports.sms,
        };
        match transport.deliver(outgoing).await {
            Ok(()) => {
                metrics::counter!("caisse_outbox_delivered_total", "channel" => channel.code())
                    .increment(1);
                Outcome::Sent
            }
            Err(error) => {
                metrics::counter!("caisse_outbox_failures_total", "channel" => channel.code())
                    .increment(1);
                let retry_at = if error.permanent {
                    None
                } else {
                    self.settings
                        .retry_delay(attempts)
                        .map(|d| self.clock.instant() + d)
                };
                tracing::warn!(message_id = %outgoing.id, attempts = attempts + 1, gives_up = retry_at.is_none(), error = %error, "outbox delivery failed");
                Outcome::Failed {
                    error: error.message,
                    retry_at,
                }
            }
        }
    }

    async fn publish_depth(&self) {
        if let Ok((pending, failed)) = outbox::depth(&self.db).await {
            metrics::gauge!("caisse_outbox_depth", "status" => "pending").set(pending as f64);
            metrics::gauge!("caisse_outbox_depth", "status" => "failed").set(failed as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WorkerSettings;
    use time::Duration;

    #[test]
    fn retries_back_off_exponentially_then_give_up() {
        let s = WorkerSettings {
            max_attempts: 5,
            ..WorkerSettings::default()
        };
        assert_eq!(s.retry_delay(0), Some(Duration::seconds(30)));
        assert_eq!(s.retry_delay(1), Some(Duration::minutes(1)));
        assert_eq!(s.retry_delay(3), Some(Duration::minutes(4)));
        assert_eq!(s.retry_delay(4), None, "the fifth failure is final");
    }

    #[test]
    fn the_delay_is_capped() {
        let s = WorkerSettings {
            max_attempts: 100,
            ..WorkerSettings::default()
        };
        assert_eq!(s.retry_delay(40), Some(Duration::hours(6)));
    }
}
