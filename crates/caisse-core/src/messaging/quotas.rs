//! What one member may do so many times: messages sent a day (new threads and replies
//! together), and attachment drafts kept (files joined to a message not sent yet, by count
//! and by bytes). Without them six requests could keep 30 files of 1 MiB for a day, and a
//! script could fill a fund's queue.
//!
//! Counted atomically: a send is counted by one upsert that returns the member's new count
//! (`caisse_store::member_quotas::add_sends`) before it is judged, so two requests of the
//! same member never both take the last slot; the writer of new threads counts a whole
//! batch of sends in one statement. The drafts quota runs in a transaction that first locks
//! the member's quota row (`caisse_store::member_quotas::lock_row`).

use caisse_domain::Instant;
use caisse_domain::messaging::{MIB, size_fr};
use caisse_store::ConnectionTrait;
use caisse_store::attachments::NewAttachment;
use caisse_store::member_quotas;
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

impl MessagingQuotas {
    /// The refusal of a send past today's number.
    pub(super) fn sends_exceeded(self) -> QuotaExceeded {
        QuotaExceeded::Sends {
            per_day: self.sends_per_day,
        }
    }
}

/// Counts one send of today for each of `members` (a member may come several times), in one
/// statement, and says for each whether it fits in the day's number: the first ones of a
/// member do, those past the number do not, and are given back at once, so the count is of
/// the sends let through.
///
/// # Errors
/// When the database fails: then nothing is counted.
pub(super) async fn count_sends<C: ConnectionTrait>(
    db: &C,
    members: &[Uuid],
    now: Instant,
    quotas: MessagingQuotas,
) -> Result<Vec<bool>, CoreError> {
    let mut asked: Vec<(Uuid, u32)> = Vec::new();
    for member in members {
        match asked.iter_mut().find(|(id, _)| id == member) {
            Some((_, count)) => *count += 1,
            None => asked.push((*member, 1)),
        }
    }
    let totals = member_quotas::add_sends(db, &asked, day_of(now), now).await?;
    // How many more each member may send: the day's number less what was counted before.
    let mut room: Vec<(Uuid, u32)> = asked
        .iter()
        .map(|(id, count)| {
            let total = totals.get(id).copied().unwrap_or(u32::MAX);
            let before = total.saturating_sub(*count);
            (*id, quotas.sends_per_day.saturating_sub(before))
        })
        .collect();
    let fits: Vec<bool> = members
        .iter()
        .map(|member| {
            room.iter_mut()
                .find(|(id, _)| id == member)
                .is_some_and(|(_, left)| {
                    let fits = *left > 0;
                    *left = left.saturating_sub(1);
                    fits
                })
        })
        .collect();
    for (member, count) in &asked {
        let refused = members
            .iter()
            .zip(&fits)
            .filter(|(id, fits)| *id == member && !**fits)
            .count();
        if refused > 0 {
            let refused = u32::try_from(refused).unwrap_or(*count);
            if let Err(error) =
                member_quotas::give_back_sends(db, *member, refused, day_of(now), now).await
            {
                // The member's count stays too high for today: they may be refused early.
                tracing::warn!(%error, member = %member, "refused sends not given back");
            }
        }
    }
    Ok(fits)
}

/// Gives back one of the member's sends of the day (a send counted that failed afterwards).
/// A failure is logged: the member loses one send of the day.
pub(super) async fn give_back_send<C: ConnectionTrait>(db: &C, member_id: Uuid, now: Instant) {
    if let Err(error) = member_quotas::give_back_sends(db, member_id, 1, day_of(now), now).await {
        tracing::warn!(%error, member = %member_id, "send quota not given back");
    }
}

impl Shared {
    fn quotas(&self) -> MessagingQuotas {
        self.settings.quotas
    }

    /// Takes one of the member's sends of today (one statement).
    ///
    /// # Errors
    /// `Quota` when the member already sent today's number, `Core` when the database fails.
    pub(super) async fn take_send(&self, member_id: Uuid) -> Result<(), MemberError> {
        let passed = count_sends(&self.db, &[member_id], self.now(), self.quotas()).await?;
        if passed.first().copied().unwrap_or(false) {
            Ok(())
        } else {
            Err(self.quotas().sends_exceeded().into())
        }
    }

    /// Gives back a send taken by [`Shared::take_send`] for a message that was not
    /// recorded after all. A failure is logged: the member loses one send of the day.
    pub(super) async fn give_back_send(&self, member_id: Uuid) {
        give_back_send(&self.db, member_id, self.now()).await;
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
