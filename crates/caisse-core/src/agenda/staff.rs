//! The advisors' side of « Mon agenda »: an advisor's day or week, a branch's day, an
//! appointment beside the member file, recording how it went, cancelling for the fund and
//! booking for a member on the phone line. Every query is scoped to the staff member's fund
//! (another fund's appointment, branch or member is a missing one) and every reading that
//! names members is audited. The configuration is in `settings_admin`, the
//! supervisors' figures in `load`.

use std::collections::HashMap;

use caisse_domain::agenda::{AppointmentStatus, Channel, LocalZone};
use caisse_domain::{AuditAction, CaisseCode, Fund, PhoneNumber, StaffRole};
use caisse_store::TransactionTrait;
use caisse_store::agenda::{self as store, Scope};
use caisse_store::members;
use caisse_store::staff::{self, StaffMember};
use serde_json::json;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use super::{Agenda, AgendaError, Appointment, AppointmentView};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Why an advisor's action or reading was refused.
#[derive(Debug, thiserror::Error)]
pub enum StaffAgendaError {
    /// No such appointment, branch, member or advisor in the staff member's fund.
    #[error("not found")]
    NotFound,
    /// Reserved to supervisors and administrators.
    #[error("not allowed")]
    NotAllowed,
    /// An appointment is marked « absent » once it has started.
    #[error("not started")]
    NotStarted,
    /// The member side's refusal (booking, cancelling, a configuration value).
    #[error(transparent)]
    Agenda(#[from] AgendaError),
}

impl From<CoreError> for StaffAgendaError {
    fn from(error: CoreError) -> Self {
        StaffAgendaError::Agenda(AgendaError::Core(error))
    }
}

impl From<caisse_store::StoreError> for StaffAgendaError {
    fn from(error: caisse_store::StoreError) -> Self {
        StaffAgendaError::Agenda(error.into())
    }
}

impl From<caisse_store::DbErr> for StaffAgendaError {
    fn from(error: caisse_store::DbErr) -> Self {
        StaffAgendaError::Agenda(error.into())
    }
}

impl StaffAgendaError {
    /// What the advisor reads.
    pub fn message_fr(&self) -> &'static str {
        match self {
            StaffAgendaError::NotFound => "Introuvable dans votre caisse.",
            StaffAgendaError::NotAllowed => "Réservé aux superviseurs et aux administrateurs.",
            StaffAgendaError::NotStarted => {
                "Le rendez-vous n'a pas encore commencé : « Absent » s'enregistre une fois l'heure passée."
            }
            StaffAgendaError::Agenda(AgendaError::NotConfirmed) => {
                "Ce rendez-vous n'est plus confirmé : il a déjà été traité ou annulé."
            }
            StaffAgendaError::Agenda(AgendaError::NoPhone) => {
                "Saisissez le numéro auquel le conseiller appellera l'assuré."
            }
            StaffAgendaError::Agenda(other) => other.message_fr(),
        }
    }
}

/// What an advisor records of an appointment that took place, or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Held.
    Honoured,
    /// The member excused themself (any time).
    Excused,
    /// The member did not come or answer.
    NoShow,
}

impl Outcome {
    /// From the form's `statut`: `honore`, `excuse`, `absent`.
    pub fn from_code(code: &str) -> Option<Outcome> {
        match code {
            "honore" => Some(Outcome::Honoured),
            "excuse" => Some(Outcome::Excused),
            "absent" => Some(Outcome::NoShow),
            _ => None,
        }
    }

    fn status(self) -> AppointmentStatus {
        match self {
            Outcome::Honoured => AppointmentStatus::Honoured,
            Outcome::Excused => AppointmentStatus::Excused,
            Outcome::NoShow => AppointmentStatus::NoShow,
        }
    }
}

/// One appointment of a day's list, in the fund's local time.
#[derive(Clone)]
pub struct AgendaLine {
    /// The appointment.
    pub id: Uuid,
    /// Start, local.
    pub starts: PrimitiveDateTime,
    /// End, local.
    pub ends: PrimitiveDateTime,
    /// How.
    pub channel: Channel,
    /// The motif's label.
    pub motif: String,
    /// The member's name.
    pub member: String,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// The branch's name.
    pub site: Option<String>,
    /// The advisor's name.
    pub advisor: String,
}

debug_fields!(AgendaLine { id, status });

/// Which days an advisor's agenda shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct DayQuery {
    /// The day (today in the fund's local time when `None`).
    pub day: Option<Date>,
    /// The whole week (Monday to Sunday) of the day.
    pub week: bool,
    /// Another advisor of the fund (supervisors only).
    pub advisor: Option<Uuid>,
}

/// An advisor's or a branch's day or week.
#[derive(Clone)]
pub struct DayView {
    /// The day asked.
    pub day: Date,
    /// The first day shown.
    pub from: Date,
    /// The last day shown.
    pub to: Date,
    /// Today, in the fund's local time.
    pub today: Date,
    /// Whose agenda: (id, name) of the advisor, or of the branch.
    pub whose: (Uuid, String),
    /// The advisors of the fund a supervisor may pick (empty for an advisor).
    pub advisors: Vec<(Uuid, String)>,
    /// The appointments, by time.
    pub lines: Vec<AgendaLine>,
    /// The fund's open branches, for their days: (id, name).
    pub sites: Vec<(Uuid, String)>,
}

debug_fields!(DayView { day, from, to });

/// An appointment beside the member file, with what the advisor may do.
#[derive(Clone)]
pub struct StaffAppointment {
    /// The appointment, its motif and branch.
    pub view: AppointmentView,
    /// Start, local.
    pub starts: PrimitiveDateTime,
    /// End, local.
    pub ends: PrimitiveDateTime,
    /// The advisor's name.
    pub advisor: String,
    /// Who booked it for the member, when an advisor did.
    pub booked_by: Option<String>,
    /// The member's name.
    pub member_name: String,
    /// The member's NIR, formatted.
    pub member_nir: String,
    /// The member's birth date.
    pub member_birth_date: Date,
    /// The member's postal address lines.
    pub member_address: Vec<String>,
    /// The member's email.
    pub member_email: Option<String>,
    /// The member file's phone, formatted.
    pub member_phone: Option<String>,
    /// The number to call, for a phone appointment, formatted.
    pub call_number: Option<String>,
    /// The member's other appointments in the fund, newest first.
    pub others: Vec<AgendaLine>,
    /// « Absent » may be recorded (confirmed and started).
    pub may_mark_absent: bool,
    /// « Excusé » may be recorded, and the fund may cancel (confirmed).
    pub confirmed: bool,
}

debug_fields!(StaffAppointment { view });

/// The local time of fund `caisse`'s sites.
pub(super) fn zone_of_fund(caisse: CaisseCode) -> LocalZone {
    LocalZone::for_department(Fund::by_code(&caisse).department())
}

/// The instant local midnight of `day` is in `zone`.
pub(super) fn midnight(zone: LocalZone, day: Date) -> OffsetDateTime {
    let local = PrimitiveDateTime::new(day, Time::MIDNIGHT);
    zone.instant(local).unwrap_or_else(|| local.assume_utc())
}

fn supervises(me: &StaffMember) -> bool {
    matches!(me.role, StaffRole::Superviseur | StaffRole::Administrateur)
}

pub(super) fn address_of(member: &members::MemberRecord) -> Vec<String> {
    let mut lines = vec![member.address_line1.clone()];
    lines.extend(member.address_line2.clone());
    lines.push(format!("{} {}", member.postal_code, member.city));
    lines
}

/// « 06 12 34 56 78 » for a stored number, or the number as stored.
pub(super) fn national(number: &str) -> String {
    PhoneNumber::parse(number)
        .map_or_else(|_| number.to_owned(), |n| n.formatted_national().to_owned())
}

impl Agenda {
    /// Active staff member `staff_id`.
    pub(super) async fn me(&self, staff_id: Uuid) -> Result<StaffMember, StaffAgendaError> {
        staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(StaffAgendaError::NotFound)
    }

    /// Active staff member `staff_id`, a supervisor or an administrator.
    pub(super) async fn supervisor(&self, staff_id: Uuid) -> Result<StaffMember, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        if !supervises(&me) {
            return Err(StaffAgendaError::NotAllowed);
        }
        Ok(me)
    }

    async fn site_names(
        &self,
        caisse: CaisseCode,
    ) -> Result<Vec<(Uuid, String)>, StaffAgendaError> {
        Ok(store::sites(&self.db, caisse, true)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect())
    }

    /// The lines of `appointments`, with the names they need (one query for the members).
    async fn lines(
        &self,
        caisse: CaisseCode,
        appointments: Vec<Appointment>,
    ) -> Result<Vec<AgendaLine>, StaffAgendaError> {
        let zone = zone_of_fund(caisse);
        let motifs = store::motifs(&self.db, caisse, false).await?;
        let sites = store::sites(&self.db, caisse, false).await?;
        let advisors: HashMap<Uuid, String> = staff::active_of_fund(&self.db, &caisse)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect();
        let ids: Vec<Uuid> = appointments.iter().map(|a| a.member_id).collect();
        let names: HashMap<Uuid, String> = members::with_accounts(&self.db, &ids)
            .await?
            .into_iter()
            .map(|(m, _)| (m.id, m.display_name()))
            .collect();
        Ok(appointments
            .into_iter()
            .map(|a| AgendaLine {
                id: a.id,
                starts: zone.local(a.span.start),
                ends: zone.local(a.span.end),
                channel: a.channel,
                motif: motifs
                    .iter()
                    .find(|m| m.id == a.motif_id)
                    .map(|m| m.label.clone())
                    .unwrap_or_default(),
                member: names.get(&a.member_id).cloned().unwrap_or_default(),
                status: a.status,
                site: a
                    .site
                    .and_then(|id| sites.iter().find(|s| s.id == id))
                    .map(|s| s.name.clone()),
                advisor: advisors.get(&a.staff_id).cloned().unwrap_or_default(),
            })
            .collect())
    }

    /// The first and last day shown for `day` (its week's Monday to Sunday with `week`), and
    /// the instants they span.
    fn period(
        zone: LocalZone,
        day: Date,
        week: bool,
    ) -> (Date, Date, OffsetDateTime, OffsetDateTime) {
        let from = if week {
            day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
        } else {
            day
        };
        let to = if week { from + Duration::days(6) } else { from };
        let next = to.next_day().unwrap_or(to);
        (from, to, midnight(zone, from), midnight(zone, next))
    }

    /// Advisor `staff_id`'s day or week (another advisor's for a supervisor); audited, since
    /// it names members.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for an advisor of another fund,
    /// [`StaffAgendaError::NotAllowed`] when an advisor asks for a colleague's.
    pub async fn staff_day(
        &self,
        staff_id: Uuid,
        query: DayQuery,
        context: &RequestContext,
    ) -> Result<DayView, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let caisse = me.caisse_code;
        let zone = zone_of_fund(caisse);
        let colleagues = staff::active_of_fund(&self.db, &caisse).await?;
        let advisor_id = query.advisor.unwrap_or(staff_id);
        let advisor = colleagues
            .iter()
            .find(|s| s.id == advisor_id)
            .ok_or(StaffAgendaError::NotFound)?;
        if advisor_id != staff_id && !supervises(&me) {
            return Err(StaffAgendaError::NotAllowed);
        }
        let today = zone.local(self.now()).date();
        let day = query.day.unwrap_or(today);
        let (from, to, start, end) = Self::period(zone, day, query.week);
        let appointments =
            store::of_fund_between(&self.db, caisse, Scope::Advisor(advisor_id), start, end)
                .await?;
        let lines = self.lines(caisse, appointments).await?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAgendaViewed,
            Some(("staff", advisor_id)),
            json!({ "from": from.to_string(), "to": to.to_string(), "lines": lines.len() }),
            self.instant(),
        )
        .await?;
        Ok(DayView {
            day,
            from,
            to,
            today,
            whose: (advisor.id, advisor.display_name.clone()),
            advisors: if supervises(&me) {
                colleagues
                    .iter()
                    .map(|s| (s.id, s.display_name.clone()))
                    .collect()
            } else {
                Vec::new()
            },
            lines,
            sites: self.site_names(caisse).await?,
        })
    }

    /// Branch `site_id`'s day, every advisor's appointments there; audited.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's branch.
    pub async fn site_day(
        &self,
        staff_id: Uuid,
        site_id: Uuid,
        day: Option<Date>,
        context: &RequestContext,
    ) -> Result<DayView, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let caisse = me.caisse_code;
        let site = store::sites(&self.db, caisse, false)
            .await?
            .into_iter()
            .find(|s| s.id == site_id)
            .ok_or(StaffAgendaError::NotFound)?;
        let zone = zone_of_fund(caisse);
        let today = zone.local(self.now()).date();
        let day = day.unwrap_or(today);
        let (from, to, start, end) = Self::period(zone, day, false);
        let appointments =
            store::of_fund_between(&self.db, caisse, Scope::Site(site_id), start, end).await?;
        let lines = self.lines(caisse, appointments).await?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAgendaViewed,
            Some(("site", site_id)),
            json!({ "from": from.to_string(), "to": to.to_string(), "lines": lines.len() }),
            self.instant(),
        )
        .await?;
        Ok(DayView {
            day,
            from,
            to,
            today,
            whose: (site.id, site.name),
            advisors: Vec::new(),
            lines,
            sites: self.site_names(caisse).await?,
        })
    }

    /// The fund's appointment `id` and its motif and branch, for staff member `me`.
    async fn fund_view(
        &self,
        me: &StaffMember,
        id: Uuid,
    ) -> Result<AppointmentView, StaffAgendaError> {
        let appointment = store::find(&self.db, id)
            .await?
            .filter(|a| a.caisse == me.caisse_code)
            .ok_or(StaffAgendaError::NotFound)?;
        let motifs = store::motifs(&self.db, me.caisse_code, false).await?;
        let sites = store::sites(&self.db, me.caisse_code, false).await?;
        self.view(appointment, &motifs, &sites)
            .ok_or(StaffAgendaError::NotFound)
    }

    /// Appointment `id` beside the member file; the reading is audited.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's appointment.
    pub async fn staff_appointment(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<StaffAppointment, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let view = self.fund_view(&me, id).await?;
        let appointment = &view.appointment;
        let member = self
            .member(appointment.member_id)
            .await
            .map_err(|_| StaffAgendaError::NotFound)?;
        let zone = zone_of_fund(me.caisse_code);
        let others: Vec<Appointment> = store::of_member(&self.db, member.id)
            .await?
            .into_iter()
            .filter(|a| a.id != id && a.caisse == me.caisse_code)
            .collect();
        let others = self.lines(me.caisse_code, others).await?;
        let mut names: Vec<Uuid> = vec![appointment.staff_id];
        names.extend(appointment.booked_by);
        let names: HashMap<Uuid, String> = staff::by_ids(&self.db, &names)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect();
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAppointmentViewed,
            Some(("appointment", id)),
            json!({ "member_id": member.id }),
            self.instant(),
        )
        .await?;
        let confirmed = appointment.status == AppointmentStatus::Confirmed;
        Ok(StaffAppointment {
            starts: zone.local(appointment.span.start),
            ends: zone.local(appointment.span.end),
            advisor: names
                .get(&appointment.staff_id)
                .cloned()
                .unwrap_or_default(),
            booked_by: appointment.booked_by.and_then(|by| names.get(&by).cloned()),
            member_name: member.display_name(),
            member_nir: member.nir.formatted(),
            member_birth_date: member.birth_date,
            member_address: address_of(&member),
            member_email: member.email.as_ref().map(|e| e.as_str().to_owned()),
            member_phone: member.phone.as_ref().map(|p| national(p.as_str())),
            call_number: match appointment.channel {
                Channel::Telephone => appointment.phone.as_deref().map(national),
                _ => None,
            },
            others,
            may_mark_absent: confirmed && appointment.span.start <= self.now(),
            confirmed,
            view,
        })
    }

    /// Records how appointment `id` went: compare-and-set from « confirmé », « absent » only
    /// once it has started; audited in the same transaction.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`], [`StaffAgendaError::NotStarted`],
    /// `Agenda(NotConfirmed)` when it was already recorded or cancelled.
    pub async fn record_outcome(
        &self,
        staff_id: Uuid,
        id: Uuid,
        outcome: Outcome,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let view = self.fund_view(&me, id).await?;
        if view.appointment.status != AppointmentStatus::Confirmed {
            return Err(AgendaError::NotConfirmed.into());
        }
        // « Honoré » may come early (the advisor reached the member ahead of time); nobody is
        // absent before the hour.
        if outcome == Outcome::NoShow && view.appointment.span.start > self.now() {
            return Err(StaffAgendaError::NotStarted);
        }
        let now = self.instant();
        let to = outcome.status();
        let tx = self.db.begin().await?;
        if !store::set_status(
            &tx,
            id,
            AppointmentStatus::Confirmed,
            to,
            Some(staff_id),
            now,
        )
        .await?
        {
            tx.rollback().await?;
            return Err(AgendaError::NotConfirmed.into());
        }
        audit::record(
            &tx,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAppointmentOutcome,
            Some(("appointment", id)),
            json!({ "status": to.code() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels appointment `id` for the fund: the member is told and the slot offered to
    /// those waiting.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`], `Agenda(NotConfirmed)`.
    pub async fn cancel_for_fund(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let view = self.fund_view(&me, id).await?;
        if view.appointment.status != AppointmentStatus::Confirmed {
            return Err(AgendaError::NotConfirmed.into());
        }
        self.cancel_as(&view, Actor::Staff(staff_id), context)
            .await?;
        Ok(())
    }
}
