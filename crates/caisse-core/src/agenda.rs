//! « Mon agenda » (issue 16), first part: a member books an appointment with an advisor of
//! their fund about a motif, by phone call-back or video, in a free slot computed on the spot
//! from the advisors' weekly hours, the fund's holidays, absences and bookings
//! (`caisse_domain::agenda::free_slots`); the database refuses a double booking whatever the
//! concurrency, and the member is then offered the next slots; the member cancels until four
//! hours before. Pages, mails with the `.ics`, reminders, the waiting list and the back office
//! come next (docs/agenda.md).

use std::sync::Arc;

use caisse_domain::agenda::{
    AppointmentStatus, Channel, Interval, LocalZone, SlotQuery, WeeklyHours, can_cancel, free_slots,
};
use caisse_domain::{AuditAction, Fund, Instant, PhoneNumber};
use caisse_store::agenda::{self as store};
pub use caisse_store::agenda::{Appointment, Motif};
use caisse_store::{Db, members};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;

/// Slots a search offers at most.
pub const SLOTS_OFFERED: usize = 20;

/// A free slot offered to the member (the advisor is chosen when booking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotOffer {
    /// When.
    pub span: Interval,
}

/// Why a booking or a cancellation was not made.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    /// No such appointment or member for this person.
    #[error("not found")]
    NotFound,
    /// No such motif in the member's fund.
    #[error("unknown motif")]
    UnknownMotif,
    /// The motif is not offered on that channel.
    #[error("channel not offered")]
    ChannelNotOffered,
    /// A phone call-back needs a number to call.
    #[error("no phone number")]
    NoPhone,
    /// The time asked is not a slot offered (outside hours, notice or horizon).
    #[error("not a slot offered")]
    NotOffered,
    /// Another booking took the slot first: the next slots.
    #[error("slot taken")]
    Taken {
        /// The next slots offered now.
        next: Vec<SlotOffer>,
    },
    /// Less than four hours before: call the fund.
    #[error("too late to cancel")]
    TooLate,
    /// Not confirmed any more.
    #[error("not confirmed")]
    NotConfirmed,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(AgendaError);

impl AgendaError {
    /// What the member reads.
    pub fn message_fr(&self) -> &'static str {
        match self {
            AgendaError::NotFound => "Ce rendez-vous est introuvable.",
            AgendaError::UnknownMotif => "Ce motif de rendez-vous n'existe pas.",
            AgendaError::ChannelNotOffered => {
                "Ce motif ne se traite pas de cette façon : choisissez un autre type de rendez-vous."
            }
            AgendaError::NoPhone => "Saisissez le numéro auquel le conseiller vous appellera.",
            AgendaError::NotOffered => {
                "Ce créneau n'est pas proposé : choisissez-en un dans la liste."
            }
            AgendaError::Taken { .. } => {
                "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez l'un des suivants."
            }
            AgendaError::TooLate => {
                "Moins de quatre heures avant le rendez-vous, appelez votre caisse pour l'annuler."
            }
            AgendaError::NotConfirmed => "Ce rendez-vous n'est plus confirmé.",
            AgendaError::Core(_) => "Une erreur est survenue. Réessayez plus tard.",
        }
    }
}

/// « Mon agenda ».
#[derive(Clone)]
pub struct Agenda {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl Agenda {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Agenda {
        Agenda { db, clock }
    }

    fn now(&self) -> OffsetDateTime {
        Instant::from(self.clock.now()).get()
    }

    /// The motifs member `member_id`'s fund offers.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for an unknown member.
    pub async fn motifs(&self, member_id: Uuid) -> Result<Vec<Motif>, AgendaError> {
        let member = members::find(&self.db, member_id)
            .await?
            .ok_or(AgendaError::NotFound)?;
        Ok(store::motifs(&self.db, member.caisse_code).await?)
    }

    async fn motif(
        &self,
        member_id: Uuid,
        code: &str,
        channel: Channel,
    ) -> Result<Motif, AgendaError> {
        let motif = self
            .motifs(member_id)
            .await?
            .into_iter()
            .find(|m| m.code == code)
            .ok_or(AgendaError::UnknownMotif)?;
        if !motif.channels.contains(&channel) {
            return Err(AgendaError::ChannelNotOffered);
        }
        Ok(motif)
    }

    /// Each advisor's free slots for `motif` on `channel`, earliest first; with `bookings`
    /// false, the slots their hours offer whether booked or not.
    async fn advisors_slots(
        &self,
        motif: &Motif,
        channel: Channel,
        limit: usize,
        bookings: bool,
    ) -> Result<Vec<(Uuid, Interval)>, AgendaError> {
        let fund = Fund::by_code(&motif.caisse);
        let now = self.now();
        let query = SlotQuery {
            now,
            duration: Duration::minutes(i64::from(motif.duration_minutes)),
            min_notice: Duration::hours(i64::from(motif.min_notice_hours)),
            horizon: Duration::days(i64::from(motif.horizon_days)),
            zone: LocalZone::for_department(fund.department()),
            holidays: fund.calendar(),
        };
        let hours = store::hours_of_fund(&self.db, motif.caisse, channel).await?;
        let mut advisors: Vec<Uuid> = hours.iter().map(|h| h.staff_id).collect();
        advisors.sort_unstable();
        advisors.dedup();
        let mut found = Vec::new();
        for advisor in advisors {
            let weekly: Vec<WeeklyHours> = hours
                .iter()
                .filter(|h| h.staff_id == advisor)
                .map(|h| WeeklyHours {
                    weekday: h.weekday,
                    start: h.start,
                    end: h.end,
                })
                .collect();
            let busy = if bookings {
                store::busy(&self.db, advisor, now, now + query.horizon + query.duration).await?
            } else {
                Vec::new()
            };
            found.extend(
                free_slots(&query, &weekly, &[], &busy, limit)
                    .into_iter()
                    .map(|slot| (advisor, slot)),
            );
        }
        found.sort_by_key(|(advisor, slot)| (slot.start, *advisor));
        Ok(found)
    }

    /// The next free slots for `motif_code` on `channel`, one per time, earliest first.
    ///
    /// # Errors
    /// [`AgendaError::UnknownMotif`], [`AgendaError::ChannelNotOffered`].
    pub async fn slots(
        &self,
        member_id: Uuid,
        motif_code: &str,
        channel: Channel,
    ) -> Result<Vec<SlotOffer>, AgendaError> {
        let motif = self.motif(member_id, motif_code, channel).await?;
        Ok(offers(
            &self
                .advisors_slots(&motif, channel, SLOTS_OFFERED, true)
                .await?,
        ))
    }

    /// Books, for member `member_id`, the slot starting at `starts_at` for `motif_code` on
    /// `channel`, with an advisor free then; `phone` is the number to call (the member file's
    /// when `None`).
    ///
    /// # Errors
    /// [`AgendaError::Taken`] with the next slots when another booking came first,
    /// [`AgendaError::NotOffered`] for a time that is no slot, [`AgendaError::NoPhone`].
    pub async fn book(
        &self,
        member_id: Uuid,
        motif_code: &str,
        channel: Channel,
        starts_at: OffsetDateTime,
        phone: Option<PhoneNumber>,
        context: &RequestContext,
    ) -> Result<Appointment, AgendaError> {
        let motif = self.motif(member_id, motif_code, channel).await?;
        let member = members::find(&self.db, member_id)
            .await?
            .ok_or(AgendaError::NotFound)?;
        let phone = match channel {
            Channel::Telephone => Some(
                phone
                    .or(member.phone.clone())
                    .ok_or(AgendaError::NoPhone)?
                    .as_str()
                    .to_owned(),
            ),
            _ => None,
        };
        let all = self
            .advisors_slots(&motif, channel, usize::MAX, true)
            .await?;
        let candidates: Vec<(Uuid, Interval)> = all
            .iter()
            .copied()
            .filter(|(_, slot)| slot.start == starts_at)
            .collect();
        if candidates.is_empty() {
            // Booked meanwhile, or never a slot: the hours alone say which.
            let hours = self
                .advisors_slots(&motif, channel, usize::MAX, false)
                .await?;
            if hours.iter().any(|(_, slot)| slot.start == starts_at) {
                return Err(AgendaError::Taken { next: offers(&all) });
            }
            return Err(AgendaError::NotOffered);
        }
        let now = Instant::from(self.clock.now());
        for (advisor, span) in candidates {
            let appointment = Appointment {
                id: Uuid::new_v4(),
                caisse: member.caisse_code,
                member_id,
                staff_id: advisor,
                motif_id: motif.id,
                channel,
                span,
                status: AppointmentStatus::Confirmed,
                phone: phone.clone(),
                booked_by: None,
            };
            if store::book(&self.db, &appointment, now).await? {
                audit::record(
                    &self.db,
                    context,
                    Actor::Member(member_id),
                    AuditAction::MemberAppointmentBooked,
                    Some(("appointment", appointment.id)),
                    json!({ "motif": motif.code, "channel": channel.code() }),
                    now,
                )
                .await?;
                return Ok(appointment);
            }
        }
        let next = offers(
            &self
                .advisors_slots(&motif, channel, SLOTS_OFFERED, true)
                .await?,
        );
        Err(AgendaError::Taken { next })
    }

    /// Member `member_id`'s appointments, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn appointments(&self, member_id: Uuid) -> Result<Vec<Appointment>, AgendaError> {
        Ok(store::of_member(&self.db, member_id).await?)
    }

    /// Member `member_id` cancels appointment `id`, until four hours before it.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for someone else's, [`AgendaError::TooLate`],
    /// [`AgendaError::NotConfirmed`].
    pub async fn cancel(
        &self,
        member_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AgendaError> {
        let appointment = store::of_member(&self.db, member_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AgendaError::NotFound)?;
        if appointment.status != AppointmentStatus::Confirmed {
            return Err(AgendaError::NotConfirmed);
        }
        if !can_cancel(appointment.span.start, self.now()) {
            return Err(AgendaError::TooLate);
        }
        let now = Instant::from(self.clock.now());
        if !store::set_status(
            &self.db,
            id,
            AppointmentStatus::Confirmed,
            AppointmentStatus::CancelledByMember,
            now,
        )
        .await?
        {
            return Err(AgendaError::NotConfirmed);
        }
        audit::record(
            &self.db,
            context,
            Actor::Member(member_id),
            AuditAction::MemberAppointmentCancelled,
            Some(("appointment", id)),
            json!({}),
            now,
        )
        .await?;
        Ok(())
    }
}

/// One offer per time, earliest first.
fn offers(slots: &[(Uuid, Interval)]) -> Vec<SlotOffer> {
    let mut offers: Vec<SlotOffer> = Vec::new();
    for (_, span) in slots {
        if offers.last().is_none_or(|o| o.span.start != span.start) {
            offers.push(SlotOffer { span: *span });
        }
        if offers.len() == SLOTS_OFFERED {
            break;
        }
    }
    offers
}
