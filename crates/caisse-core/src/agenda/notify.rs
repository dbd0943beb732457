//! What « Mon agenda » tells members, through the outbox in the transaction of the change:
//! the confirmation (booked or moved) with its `.ics`, the cancellation, and the freed slot
//! offered to those on the waiting list. The reminders are the job's ([`super::jobs`]).

use caisse_domain::agenda::{AppointmentStatus, Channel};
use caisse_domain::{Fund, Instant, french};
use caisse_store::ConnectionTrait;
use caisse_store::agenda::{self as store};
use caisse_store::members::{self, Account, MemberRecord};
use caisse_store::outbox::{self, Attachment, NewMessage};

use super::search::zone_of;
use super::{Agenda, AgendaError, Appointment, Motif, Site};
use crate::mails::{self, agenda as texts};

impl Agenda {
    /// « lundi 7 décembre 2026 à 9 h 30 », in the site's legal time.
    pub(super) fn when(&self, appointment: &Appointment, motif: &Motif) -> String {
        french::appointment_time(zone_of(motif).local(appointment.span.start))
    }

    /// How it takes place, in one sentence.
    pub(super) fn how(appointment: &Appointment, site: Option<&Site>) -> String {
        match (appointment.channel, site) {
            (Channel::Telephone, _) => format!(
                "Un conseiller vous appellera au {}.",
                appointment.phone.as_deref().unwrap_or("numéro de votre compte")
            ),
            (Channel::Agence, Some(site)) => format!(
                "À l'accueil {}, {}, {} {}.",
                site.name, site.address, site.postcode, site.city
            ),
            (Channel::Agence, None) => "À l'accueil de votre caisse.".to_owned(),
            (Channel::Visio, _) => {
                "En visio : le lien pour rejoindre le conseiller est sur la page du rendez-vous, dans votre compte.".to_owned()
            }
        }
    }

    fn page(&self, appointment: &Appointment) -> String {
        format!("{}/rendez-vous/{}", self.base_url(), appointment.id)
    }

    /// The member and whether they take mails (SMS), or `None` for a member gone.
    pub(super) async fn recipient<C: ConnectionTrait>(
        tx: &C,
        appointment: &Appointment,
    ) -> Result<Option<(MemberRecord, Option<Account>)>, AgendaError> {
        Ok(members::with_account(tx, appointment.member_id).await?)
    }

    async fn site_of<C: ConnectionTrait>(
        tx: &C,
        appointment: &Appointment,
    ) -> Result<Option<Site>, AgendaError> {
        let Some(id) = appointment.site else {
            return Ok(None);
        };
        Ok(store::sites(tx, appointment.caisse, false)
            .await?
            .into_iter()
            .find(|s| s.id == id))
    }

    /// The confirmation of `appointment`, booked or `moved`, with its `.ics`.
    pub(super) async fn tell_confirmed<C: ConnectionTrait>(
        &self,
        tx: &C,
        appointment: &Appointment,
        motif: &Motif,
        moved: bool,
        now: Instant,
    ) -> Result<(), AgendaError> {
        let Some((member, account)) = Self::recipient(tx, appointment).await? else {
            return Ok(());
        };
        let Some(email) = member
            .email
            .as_ref()
            .filter(|_| account.as_ref().is_none_or(|a| a.notify_email))
        else {
            return Ok(());
        };
        let site = Self::site_of(tx, appointment).await?;
        let fund = Fund::by_code(&appointment.caisse).name();
        let text = mails::mail(&texts::AppointmentConfirmed {
            when: &self.when(appointment, motif),
            how: &Self::how(appointment, site.as_ref()),
            moved,
            link: &self.page(appointment),
            fund,
        })?;
        outbox::enqueue_with_attachment(
            tx,
            NewMessage::email(email, text.subject, text.body, Some(&appointment.caisse)),
            Attachment {
                name: "rendez-vous.ics".to_owned(),
                content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
                body: self.ics_of(appointment, motif, site.as_ref()),
            },
            now,
        )
        .await?;
        Ok(())
    }

    /// The cancellation of `appointment`, by the member or the fund (`status`).
    pub(super) async fn tell_cancelled<C: ConnectionTrait>(
        &self,
        tx: &C,
        appointment: &Appointment,
        motif: &Motif,
        status: AppointmentStatus,
        now: Instant,
    ) -> Result<(), AgendaError> {
        let Some((member, account)) = Self::recipient(tx, appointment).await? else {
            return Ok(());
        };
        let Some(email) = member
            .email
            .as_ref()
            .filter(|_| account.as_ref().is_none_or(|a| a.notify_email))
        else {
            return Ok(());
        };
        let text = mails::mail(&texts::AppointmentCancelled {
            when: &self.when(appointment, motif),
            by_fund: status == AppointmentStatus::CancelledByFund,
            link: &format!("{}/rendez-vous", self.base_url()),
            fund: Fund::by_code(&appointment.caisse).name(),
        })?;
        outbox::enqueue(
            tx,
            NewMessage::email(email, text.subject, text.body, Some(&appointment.caisse)),
            now,
        )
        .await?;
        Ok(())
    }

    /// Offers the slot `freed` leaves to the members waiting for an earlier one of its motif
    /// and channel (a mail each; the first to book it has it).
    pub(super) async fn offer_freed<C: ConnectionTrait>(
        &self,
        tx: &C,
        freed: &Appointment,
        motif: &Motif,
        now: Instant,
    ) -> Result<(), AgendaError> {
        if freed.span.start <= now.get() {
            return Ok(());
        }
        let when = self.when(freed, motif);
        let link = format!(
            "{}/rendez-vous/nouveau?motif={}&canal={}",
            self.base_url(),
            motif.code,
            freed.channel.code()
        );
        for waiting in store::waiting_for(tx, motif.id, freed.channel, freed.span.start).await? {
            if waiting.member_id == freed.member_id
                || waiting.site.is_some_and(|site| Some(site) != freed.site)
            {
                continue;
            }
            let Some((member, account)) = members::with_account(tx, waiting.member_id).await?
            else {
                continue;
            };
            store::mark_offered(tx, waiting.id, now).await?;
            let Some(email) = member
                .email
                .as_ref()
                .filter(|_| account.as_ref().is_none_or(|a| a.notify_email))
            else {
                continue;
            };
            let text = mails::mail(&texts::SlotFreed {
                when: &when,
                link: &link,
                fund: Fund::by_code(&member.caisse_code).name(),
            })?;
            outbox::enqueue(
                tx,
                NewMessage::email(email, text.subject, text.body, Some(&member.caisse_code)),
                now,
            )
            .await?;
        }
        Ok(())
    }
}
