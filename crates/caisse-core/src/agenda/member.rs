//! The member's side: motifs and branches, slots, booking (by the member, or by an advisor
//! for a member calling the phone line), moving and cancelling until four hours before, the
//! waiting list, and each appointment as the member reads it.

use caisse_domain::agenda::{
    AppointmentStatus, Channel, Interval, can_cancel, reminder_at, waiting_list_applies,
};
use caisse_domain::{AuditAction, PhoneNumber};
use caisse_store::TransactionTrait;
use caisse_store::agenda::{self as store, MoveOutcome, NewTime};
use caisse_store::members::{self, MemberRecord};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::search::{AdvisorSlot, zone_of};
use super::{Agenda, AgendaError, Appointment, AppointmentLink, Motif, Site, SlotOffer, Waiting};
use crate::audit::{self, Actor, RequestContext};

/// What a booking asks for.
#[derive(Clone, Debug)]
pub struct BookingRequest {
    /// The motif's code.
    pub motif: String,
    /// How.
    pub channel: Channel,
    /// The branch, for a slot at a branch.
    pub site: Option<Uuid>,
    /// The slot's start.
    pub starts_at: OffsetDateTime,
    /// The number to call (the member file's when `None`).
    pub phone: Option<PhoneNumber>,
    /// What it is booked from.
    pub link: Option<AppointmentLink>,
}

/// An appointment as the member (or the advisor) reads it.
#[derive(Clone, Debug)]
pub struct AppointmentView {
    /// The appointment.
    pub appointment: Appointment,
    /// Its motif.
    pub motif: Motif,
    /// Its branch.
    pub site: Option<Site>,
    /// The video room's link, for a confirmed video appointment.
    pub video_link: Option<String>,
    /// Whether the member may still move or cancel it.
    pub can_change: bool,
}

impl Agenda {
    pub(super) async fn member(&self, member_id: Uuid) -> Result<MemberRecord, AgendaError> {
        members::find(&self.db, member_id)
            .await?
            .ok_or(AgendaError::NotFound)
    }

    /// Whether `channel` can be offered at all (video needs the fund's video service).
    fn channel_available(&self, channel: Channel) -> bool {
        channel != Channel::Visio || self.settings.video.is_some()
    }

    /// The motifs member `member_id`'s fund offers, with the channels it can serve.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for an unknown member.
    pub async fn motifs(&self, member_id: Uuid) -> Result<Vec<Motif>, AgendaError> {
        let member = self.member(member_id).await?;
        Ok(store::motifs(&self.db, member.caisse_code, true)
            .await?
            .into_iter()
            .map(|mut motif| {
                motif.channels.retain(|c| self.channel_available(*c));
                motif
            })
            .filter(|motif| !motif.channels.is_empty())
            .collect())
    }

    /// The open branches of member `member_id`'s fund.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for an unknown member.
    pub async fn sites(&self, member_id: Uuid) -> Result<Vec<Site>, AgendaError> {
        let member = self.member(member_id).await?;
        Ok(store::sites(&self.db, member.caisse_code, true).await?)
    }

    pub(super) async fn motif(
        &self,
        member_id: Uuid,
        code: &str,
        channel: Channel,
        site: Option<Uuid>,
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
        if let Some(site) = site {
            let known = channel == Channel::Agence
                && self.sites(member_id).await?.iter().any(|s| s.id == site);
            if !known {
                return Err(AgendaError::UnknownSite);
            }
        }
        Ok(motif)
    }

    /// The next free slots for `motif_code` on `channel` (at branch `site`, or any), one per
    /// time and branch, earliest first.
    ///
    /// # Errors
    /// [`AgendaError::UnknownMotif`], [`AgendaError::ChannelNotOffered`],
    /// [`AgendaError::UnknownSite`].
    pub async fn slots(
        &self,
        member_id: Uuid,
        motif_code: &str,
        channel: Channel,
        site: Option<Uuid>,
    ) -> Result<Vec<SlotOffer>, AgendaError> {
        let motif = self.motif(member_id, motif_code, channel, site).await?;
        self.offers_for(&motif, channel, site).await
    }

    /// Books `request` for member `member_id`, with an advisor free then.
    ///
    /// # Errors
    /// [`AgendaError::Taken`] with the next slots when another booking came first,
    /// [`AgendaError::NotOffered`] for a time that is no slot, [`AgendaError::NoPhone`].
    pub async fn book(
        &self,
        member_id: Uuid,
        request: &BookingRequest,
        context: &RequestContext,
    ) -> Result<Appointment, AgendaError> {
        self.book_as(member_id, request, Actor::Member(member_id), context)
            .await
    }

    /// Books for `member_id`, as `actor` (the member, or an advisor on the phone line).
    pub(super) async fn book_as(
        &self,
        member_id: Uuid,
        request: &BookingRequest,
        actor: Actor,
        context: &RequestContext,
    ) -> Result<Appointment, AgendaError> {
        let channel = request.channel;
        let motif = self
            .motif(member_id, &request.motif, channel, request.site)
            .await?;
        let member = self.member(member_id).await?;
        let phone = match channel {
            Channel::Telephone => Some(
                request
                    .phone
                    .clone()
                    .or(member.phone.clone())
                    .ok_or(AgendaError::NoPhone)?
                    .as_str()
                    .to_owned(),
            ),
            _ => None,
        };
        let candidates = self
            .candidates(&motif, channel, request.site, request.starts_at)
            .await?;
        let booked_by = match actor {
            Actor::Staff(id) => Some(id),
            _ => None,
        };
        let action = if booked_by.is_some() {
            AuditAction::StaffAppointmentBooked
        } else {
            AuditAction::MemberAppointmentBooked
        };
        let now = self.instant();
        let zone = zone_of(&motif);
        for slot in candidates {
            let appointment = Appointment {
                id: Uuid::new_v4(),
                caisse: member.caisse_code,
                member_id,
                staff_id: slot.staff_id,
                motif_id: motif.id,
                channel,
                site: slot.site,
                span: slot.span,
                status: AppointmentStatus::Confirmed,
                phone: phone.clone(),
                booked_by,
                link: request.link,
                reminder_due_at: reminder_at(zone, slot.span.start, now.get()),
                outcome_by: None,
            };
            let tx = self.db.begin().await?;
            if !store::book(&tx, &appointment, now).await? {
                tx.rollback().await?;
                continue;
            }
            audit::record(
                &tx,
                context,
                actor,
                action,
                Some(("appointment", appointment.id)),
                json!({ "motif": motif.code, "channel": channel.code() }),
                now,
            )
            .await?;
            store::close_waiting(&tx, member_id, Some(motif.id), now).await?;
            self.tell_confirmed(&tx, &appointment, &motif, false, now)
                .await?;
            tx.commit().await?;
            return Ok(appointment);
        }
        Err(AgendaError::Taken {
            next: self.offers_for(&motif, channel, request.site).await?,
        })
    }

    /// The advisors free at `starts_at` for `motif`, or why none is.
    async fn candidates(
        &self,
        motif: &Motif,
        channel: Channel,
        site: Option<Uuid>,
        starts_at: OffsetDateTime,
    ) -> Result<Vec<AdvisorSlot>, AgendaError> {
        let at = Some(Interval {
            start: starts_at,
            end: starts_at,
        });
        let schedule = self.schedule(motif, channel, site).await?;
        let candidates: Vec<AdvisorSlot> = self
            .slots_in(&schedule, motif, at, usize::MAX, true)
            .await?
            .into_iter()
            .filter(|slot| slot.span.start == starts_at)
            .collect();
        if !candidates.is_empty() {
            return Ok(candidates);
        }
        // Booked meanwhile, or never a slot: the hours alone say which.
        let hours = self
            .slots_in(&schedule, motif, at, usize::MAX, false)
            .await?;
        if hours.iter().any(|slot| slot.span.start == starts_at) {
            return Err(AgendaError::Taken {
                next: self.offers_for(motif, channel, site).await?,
            });
        }
        Err(AgendaError::NotOffered)
    }

    /// Member `member_id`'s appointments, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn appointments(&self, member_id: Uuid) -> Result<Vec<AppointmentView>, AgendaError> {
        let member = self.member(member_id).await?;
        let motifs = store::motifs(&self.db, member.caisse_code, false).await?;
        let sites = store::sites(&self.db, member.caisse_code, false).await?;
        let mut views = Vec::new();
        for appointment in store::of_member(&self.db, member_id).await? {
            if let Some(view) = self.view(appointment, &motifs, &sites) {
                views.push(view);
            }
        }
        Ok(views)
    }

    pub(super) fn view(
        &self,
        appointment: Appointment,
        motifs: &[Motif],
        sites: &[Site],
    ) -> Option<AppointmentView> {
        let motif = motifs
            .iter()
            .find(|m| m.id == appointment.motif_id)?
            .clone();
        let site = appointment
            .site
            .and_then(|id| sites.iter().find(|s| s.id == id).cloned());
        let confirmed = appointment.status == AppointmentStatus::Confirmed;
        let video_link = match (&self.settings.video, appointment.channel) {
            (Some(video), Channel::Visio) if confirmed => Some(video.link(appointment.id)),
            _ => None,
        };
        let can_change = confirmed && can_cancel(appointment.span.start, self.now());
        Some(AppointmentView {
            appointment,
            motif,
            site,
            video_link,
            can_change,
        })
    }

    /// Member `member_id`'s appointment `id`.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for another member's, like a missing one.
    pub async fn appointment(
        &self,
        member_id: Uuid,
        id: Uuid,
    ) -> Result<AppointmentView, AgendaError> {
        self.appointments(member_id)
            .await?
            .into_iter()
            .find(|v| v.appointment.id == id)
            .ok_or(AgendaError::NotFound)
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
        let view = self.appointment(member_id, id).await?;
        if view.appointment.status != AppointmentStatus::Confirmed {
            return Err(AgendaError::NotConfirmed);
        }
        if !view.can_change {
            return Err(AgendaError::TooLate);
        }
        self.cancel_as(&view, Actor::Member(member_id), context)
            .await
    }

    /// Cancels confirmed appointment `view` as `actor`, tells the member and offers the freed
    /// slot to those waiting, in one transaction.
    pub(super) async fn cancel_as(
        &self,
        view: &AppointmentView,
        actor: Actor,
        context: &RequestContext,
    ) -> Result<(), AgendaError> {
        let (to, action) = match actor {
            Actor::Staff(_) => (
                AppointmentStatus::CancelledByFund,
                AuditAction::StaffAppointmentCancelled,
            ),
            _ => (
                AppointmentStatus::CancelledByMember,
                AuditAction::MemberAppointmentCancelled,
            ),
        };
        let now = self.instant();
        let id = view.appointment.id;
        let tx = self.db.begin().await?;
        if !store::set_status(&tx, id, AppointmentStatus::Confirmed, to, None, now).await? {
            return Err(AgendaError::NotConfirmed);
        }
        audit::record(
            &tx,
            context,
            actor,
            action,
            Some(("appointment", id)),
            json!({}),
            now,
        )
        .await?;
        self.tell_cancelled(&tx, &view.appointment, &view.motif, to, now)
            .await?;
        self.offer_freed(&tx, &view.appointment, &view.motif, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Member `member_id` moves appointment `id` to the slot starting at `starts_at` (at
    /// branch `site` for a branch), until four hours before it.
    ///
    /// # Errors
    /// [`AgendaError::TooLate`], [`AgendaError::Taken`] with the next slots,
    /// [`AgendaError::NotOffered`], [`AgendaError::NotFound`].
    pub async fn move_to(
        &self,
        member_id: Uuid,
        id: Uuid,
        starts_at: OffsetDateTime,
        site: Option<Uuid>,
        context: &RequestContext,
    ) -> Result<Appointment, AgendaError> {
        let view = self.appointment(member_id, id).await?;
        let old = &view.appointment;
        if old.status != AppointmentStatus::Confirmed {
            return Err(AgendaError::NotConfirmed);
        }
        if !view.can_change {
            return Err(AgendaError::TooLate);
        }
        let site = if old.channel == Channel::Agence {
            site.or(old.site)
        } else {
            None
        };
        let motif = self
            .motif(member_id, &view.motif.code, old.channel, site)
            .await?;
        let candidates = self
            .candidates(&motif, old.channel, site, starts_at)
            .await?;
        let now = self.instant();
        for slot in candidates {
            let to = NewTime {
                staff_id: slot.staff_id,
                span: slot.span,
                site: slot.site,
                reminder_due_at: reminder_at(zone_of(&motif), slot.span.start, now.get()),
            };
            let tx = self.db.begin().await?;
            match store::reschedule(&tx, id, old.span.start, to, now).await? {
                MoveOutcome::Taken => {
                    tx.rollback().await?;
                    continue;
                }
                MoveOutcome::Changed => {
                    tx.rollback().await?;
                    return Err(AgendaError::NotConfirmed);
                }
                MoveOutcome::Moved => {}
            }
            audit::record(
                &tx,
                context,
                Actor::Member(member_id),
                AuditAction::MemberAppointmentMoved,
                Some(("appointment", id)),
                json!({ "from": old.span.start.unix_timestamp(), "to": slot.span.start.unix_timestamp() }),
                now,
            )
            .await?;
            let moved = Appointment {
                staff_id: slot.staff_id,
                span: slot.span,
                site: slot.site,
                reminder_due_at: to.reminder_due_at,
                ..old.clone()
            };
            self.tell_confirmed(&tx, &moved, &motif, true, now).await?;
            self.offer_freed(&tx, old, &motif, now).await?;
            tx.commit().await?;
            return Ok(moved);
        }
        Err(AgendaError::Taken {
            next: self.offers_for(&motif, old.channel, site).await?,
        })
    }

    /// Member `member_id` waits for a slot earlier than the first one offered for
    /// `motif_code` on `channel`, which must be more than a week ahead.
    ///
    /// # Errors
    /// [`AgendaError::WaitingListNotOpen`] when a slot within a week is offered (book it).
    pub async fn join_waiting_list(
        &self,
        member_id: Uuid,
        motif_code: &str,
        channel: Channel,
        site: Option<Uuid>,
        context: &RequestContext,
    ) -> Result<(), AgendaError> {
        let motif = self.motif(member_id, motif_code, channel, site).await?;
        let first = self.offers_for(&motif, channel, site).await?;
        let now = self.instant();
        // With no slot at all within the horizon, the member waits for any.
        let earliest = first.first().map_or_else(
            || now.get() + time::Duration::days(i64::from(motif.horizon_days)),
            |offer| offer.span.start,
        );
        if !waiting_list_applies(earliest, now.get()) {
            return Err(AgendaError::WaitingListNotOpen);
        }
        let member = self.member(member_id).await?;
        let tx = self.db.begin().await?;
        store::join_waiting(
            &tx,
            &Waiting {
                id: Uuid::new_v4(),
                caisse: member.caisse_code,
                member_id,
                motif_id: motif.id,
                channel,
                site,
                earliest_offered: earliest,
                offered_at: None,
            },
            now,
        )
        .await?;
        audit::record(
            &tx,
            context,
            Actor::Member(member_id),
            AuditAction::MemberWaitingListJoined,
            None,
            json!({ "motif": motif.code, "channel": channel.code() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Member `member_id`'s places on the waiting list.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn waiting(&self, member_id: Uuid) -> Result<Vec<(Waiting, Motif)>, AgendaError> {
        let member = self.member(member_id).await?;
        let motifs = store::motifs(&self.db, member.caisse_code, false).await?;
        Ok(store::waiting_of_member(&self.db, member_id)
            .await?
            .into_iter()
            .filter_map(|w| {
                let motif = motifs.iter().find(|m| m.id == w.motif_id)?.clone();
                Some((w, motif))
            })
            .collect())
    }

    /// Member `member_id` leaves the waiting list.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn leave_waiting_list(&self, member_id: Uuid) -> Result<(), AgendaError> {
        store::close_waiting(&self.db, member_id, None, self.instant()).await?;
        Ok(())
    }

    /// The `.ics` file of member `member_id`'s appointment `id`.
    ///
    /// # Errors
    /// [`AgendaError::NotFound`] for another member's.
    pub async fn ics(&self, member_id: Uuid, id: Uuid) -> Result<String, AgendaError> {
        let view = self.appointment(member_id, id).await?;
        Ok(self.ics_of(&view.appointment, &view.motif, view.site.as_ref()))
    }
}
