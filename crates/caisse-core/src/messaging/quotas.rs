//! What one member may do so many times: messages sent a day (new threads and replies
//! together), and attachment drafts kept (files joined to a message not sent yet, by count
//! and by bytes). Without them six requests could keep 30 files of 1 MiB for a day, and a
//! script could fill a fund's queue.
//!
//! Counted atomically: every check runs in a transaction that first locks the member's
//! quota row (`caisse_store::member_quotas::lock_row`), so two requests of the same member
//! never both take the last slot; the second waits for the first and sees what it did.

use caisse_domain::Instant;
use caisse_domain::messaging::{MIB, size_fr};
use caisse_store::attachments::NewAttachment;
use caisse_store::member_quotas;
use caisse_store::{ConnectionTrait, TransactionTrait};
use time::Date;
use uuid::Uuid;

use super::errors::MemberError;
use super::shared::Shared;
use crate::CoreError;

/// The limits per member. Configuration (`messaging_*` keys of the server's settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessagingQuotas {
    /// Messages a member may send in a day, new threads and replies together. Default 20.
    pub sends_per_day: u32,
    /// Attachment drafts a member may keep at once. Default 10: two messages' worth.
    pub max_drafts: u64,
    /// Bytes of attachment drafts a member may keep at once. Default 50 Mio: two messages
    /// of five files of 5 Mio.
    pub max_draft_bytes: u64,
}

impl Default for MessagingQuotas {
    fn default() -> Self {
        MessagingQuotas {
            sends_per_day: 20,
            max_drafts: 10,
            max_draft_bytes: 50 * MIB as u64,
        }
    }
}

/// A quota reached. Carries the limits only, never user input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuotaExceeded {
    /// The member already sent `per_day` messages today.
    #[error("{per_day} messages sent today")]
    Sends {
        /// The limit in force.
        per_day: u32,
    },
    /// The member's drafts would go over `max_files` files or `max_bytes` bytes.
    #[error("drafts over {max_files} files or {max_bytes} bytes")]
    Drafts {
        /// The count limit in force.
        max_files: u64,
        /// The bytes limit in force.
        max_bytes: u64,
    },
}

impl QuotaExceeded {
    /// The sentence shown to the member, in French.
    pub fn message_fr(&self) -> String {
        match self {
            QuotaExceeded::Sends { per_day } => format!(
                "Vous avez déjà envoyé {per_day} messages aujourd'hui, le nombre permis par jour. \
                 Votre message n'est pas envoyé : envoyez-le demain, ou appelez votre caisse \
                 s'il est urgent."
            ),
            QuotaExceeded::Drafts {
                max_files,
                max_bytes,
            } => format!(
                "Ces fichiers n'ont pas été joints : vos pièces jointes en attente d'envoi \
                 atteignent la limite ({max_files} fichiers ou {} en tout). Envoyez votre \
                 message ou retirez une pièce jointe, puis joignez-les de nouveau ; celles d'un \
                 message abandonné sont effacées au bout de 24 heures.",
                size_fr(*max_bytes)
            ),
        }
    }
}

/// Why new drafts were not kept.
#[derive(Debug, thiserror::Error)]
pub(super) enum DraftQuota {
    /// They would take the member past their drafts quota.
    #[error(transparent)]
    Exceeded(#[from] QuotaExceeded),
    /// The database failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for DraftQuota {
    fn from(error: caisse_store::StoreError) -> Self {
        DraftQuota::Core(error.into())
    }
}

/// The day sends are counted in: the date in metropolitan France.
fn day_of(now: Instant) -> Date {
    caisse_domain::paris_time::paris_time(now.get()).date()
}

impl Shared {
    fn quotas(&self) -> MessagingQuotas {
        self.settings.quotas
    }

    /// Takes one of the member's sends of today, in a transaction of its own.
    ///
    /// # Errors
    /// `Quota` when the member already sent today's number, `Core` when the database fails.
    pub(super) async fn take_send(&self, member_id: Uuid) -> Result<(), MemberError> {
        let now = self.now();
        let today = day_of(now);
        let tx = self.db.begin().await?;
        let row = member_quotas::lock_row(&tx, member_id, today, now).await?;
        let used = if row.day == today { row.sends } else { 0 };
        let per_day = self.quotas().sends_per_day;
        if used >= per_day {
            tx.rollback().await?;
            return Err(QuotaExceeded::Sends { per_day }.into());
        }
        member_quotas::set_sends(&tx, member_id, today, used.saturating_add(1), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives back a send taken by [`Shared::take_send`] for a message that was not
    /// recorded after all. A failure is logged: the member loses one send of the day.
    pub(super) async fn give_back_send(&self, member_id: Uuid) {
        let given_back: Result<(), MemberError> = async {
            let now = self.now();
            let today = day_of(now);
            let tx = self.db.begin().await?;
            let row = member_quotas::lock_row(&tx, member_id, today, now).await?;
            if row.day == today && row.sends > 0 {
                member_quotas::set_sends(&tx, member_id, today, row.sends - 1, now).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(error) = given_back {
            tracing::warn!(%error, member = %member_id, "send quota not given back");
        }
    }

    /// Runs `send` within the member's sends of the day: takes one first, gives it back when
    /// `send` fails.
    pub(super) async fn within_sends<T>(
        &self,
        member_id: Uuid,
        send: impl Future<Output = Result<T, MemberError>>,
    ) -> Result<T, MemberError> {
        self.take_send(member_id).await?;
        let sent = send.await;
        if sent.is_err() {
            self.give_back_send(member_id).await;
        }
        sent
    }

    /// Checks, in the caller's transaction and after locking the member's row, that the
    /// drafts `records` fit beside the member's drafts still valid at `now`.
    ///
    /// # Errors
    /// `Quota` when they do not fit, `Core` when the database fails.
    pub(super) async fn check_draft_quota<C: ConnectionTrait>(
        &self,
        tx: &C,
        member_id: Uuid,
        records: &[NewAttachment],
        now: Instant,
    ) -> Result<(), DraftQuota> {
        member_quotas::lock_row(tx, member_id, day_of(now), now).await?;
        let (count, bytes) = member_quotas::draft_usage(tx, member_id, now).await?;
        let quotas = self.quotas();
        let new_bytes: u64 = records.iter().map(|r| r.size_bytes).sum();
        if count + records.len() as u64 > quotas.max_drafts
            || bytes.saturating_add(new_bytes) > quotas.max_draft_bytes
        {
            return Err(QuotaExceeded::Drafts {
                max_files: quotas.max_drafts,
                max_bytes: quotas.max_draft_bytes,
            }
            .into());
        }
        Ok(())
    }
}
