//! The agenda's periodic job: the reminders two days before at 9:00, by mail and, for a
//! member who chose it, by SMS (outbox). Each reminder is claimed by a compare-and-set on
//! its due time, so two nodes running the job send it once.

use caisse_domain::{Fund, french};
use caisse_store::TransactionTrait;
use caisse_store::agenda::{self as store};
use caisse_store::outbox::{self, NewMessage};

use super::search::zone_of;
use super::{Agenda, AgendaError};
use crate::mails::{self, agenda as texts};

/// Reminders handled per run at most; the next run takes the rest.
const REMINDERS_PER_RUN: u64 = 500;

impl Agenda {
    /// Sends the reminders due; returns how many appointments were reminded.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn run_jobs(&self) -> Result<usize, AgendaError> {
        let now = self.instant();
        let due = store::reminders_due(&self.db, now.get(), REMINDERS_PER_RUN).await?;
        let mut sent = 0;
        for appointment in due {
            let Some(due_at) = appointment.reminder_due_at else {
                continue;
            };
            let motifs = store::motifs(&self.db, appointment.caisse, false).await?;
            let Some(motif) = motifs.iter().find(|m| m.id == appointment.motif_id) else {
                continue;
            };
            let tx = self.db.begin().await?;
            if !store::mark_reminded(&tx, appointment.id, due_at, now).await? {
                tx.rollback().await?;
                continue;
            }
            // A reminder that could not go before the appointment (a node down) is dropped.
            let Some((member, account)) = Self::recipient(&tx, &appointment)
                .await?
                .filter(|_| appointment.span.start > now.get())
            else {
                tx.commit().await?;
                continue;
            };
            let fund = Fund::by_code(&appointment.caisse).name();
            let link = format!("{}/rendez-vous/{}", self.base_url(), appointment.id);
            let sites = store::sites(&tx, appointment.caisse, false).await?;
            let site = appointment
                .site
                .and_then(|id| sites.iter().find(|s| s.id == id));
            let by_email = account.as_ref().is_none_or(|a| a.notify_email);
            let by_sms = account.as_ref().is_some_and(|a| a.notify_sms);
            if let Some(email) = member.email.as_ref().filter(|_| by_email) {
                let text = mails::mail(&texts::AppointmentReminder {
                    when: &self.when(&appointment, motif),
                    how: &Self::how(&appointment, site),
                    link: &link,
                    fund,
                })?;
                outbox::enqueue(
                    &tx,
                    NewMessage::email(email, text.subject, text.body, Some(&appointment.caisse)),
                    now,
                )
                .await?;
            }
            if let Some(phone) = member.phone.as_ref().filter(|_| by_sms) {
                let when = french::numeric_date_time(zone_of(motif).local(appointment.span.start));
                let text = mails::sms(&texts::AppointmentReminderSms {
                    fund,
                    when: &when,
                    link: &link,
                })?;
                outbox::enqueue(
                    &tx,
                    NewMessage::sms(phone, text, Some(&appointment.caisse)),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}
