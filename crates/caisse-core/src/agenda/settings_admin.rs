//! The configuration of a fund's agenda by its supervisors and administrators: motifs,
//! branches and their closures, advisors' weekly hours and absences. Each value is checked
//! with a French reason ([`AgendaError::Invalid`]); each change is audited
//! (`StaffAgendaConfigured`) in the same transaction; another fund's motif, branch, advisor
//! or row is a missing one.

use caisse_domain::AuditAction;
use caisse_domain::agenda::{Channel, Interval, LocalZone};
use caisse_store::agenda::{self as store, Absence, Closure, Hours, Motif, Site};
use caisse_store::staff::{self, StaffMember};
use caisse_store::{TransactionTrait, Tx};
use serde_json::json;
use time::Duration;
use uuid::Uuid;

use super::settings_input::{TEXT_MAX, clock_time, local_time, motif_of, text, weekday};
use super::staff::{StaffAgendaError, midnight, zone_of_fund};
use super::{Agenda, AgendaError};
use crate::audit::{self, Actor, RequestContext};

/// A motif as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct MotifDraft {
    /// The motif edited; a new one when `None`.
    pub id: Option<Uuid>,
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Channel codes ticked.
    pub channels: Vec<String>,
    /// Minutes.
    pub duration: String,
    /// Least notice, hours.
    pub notice: String,
    /// Furthest booking, days.
    pub horizon: String,
    /// Documents to have at hand.
    pub documents: String,
    /// The démarche's code, or empty.
    pub demarche: String,
    /// Offered to members.
    pub active: bool,
}

/// A branch as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct SiteDraft {
    /// The branch edited; a new one when `None`.
    pub id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Street.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
    /// Opening hours, as members read them.
    pub opening_hours: String,
    /// Offered to members.
    pub active: bool,
}

/// Weekly hours as the form sends them.
#[derive(Clone, Debug, Default)]
pub struct HoursDraft {
    /// Channel code.
    pub channel: String,
    /// Branch id, for `agence`.
    pub site: String,
    /// 1 (Monday) to 7.
    pub weekday: String,
    /// « 09:00 ».
    pub start: String,
    /// « 12:00 ».
    pub end: String,
}

/// A closure or an absence as the form sends it: local « 2026-12-24T08:00 » times.
#[derive(Clone, Default)]
pub struct PeriodDraft {
    /// Start, local.
    pub start: String,
    /// End, local.
    pub end: String,
    /// Why.
    pub reason: String,
}

/// One advisor's hours and coming absences.
#[derive(Clone)]
pub struct AdvisorSetup {
    /// The advisor.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Weekly hours, by day and time.
    pub hours: Vec<Hours>,
    /// Absences not over yet.
    pub absences: Vec<Absence>,
}

debug_fields!(PeriodDraft { start, end });
debug_fields!(AdvisorSetup { id, hours });

/// The fund's agenda configuration.
#[derive(Clone, Debug)]
pub struct Configuration {
    /// Every motif.
    pub motifs: Vec<Motif>,
    /// Every branch.
    pub sites: Vec<Site>,
    /// Closures not over yet.
    pub closures: Vec<Closure>,
    /// The fund's advisors.
    pub advisors: Vec<AdvisorSetup>,
    /// The local time of the fund's sites.
    pub zone: LocalZone,
}

impl Agenda {
    /// Advisor `advisor_id` of `me`'s fund.
    async fn fund_advisor(
        &self,
        me: &StaffMember,
        advisor_id: Uuid,
    ) -> Result<StaffMember, StaffAgendaError> {
        staff::find(&self.db, advisor_id)
            .await?
            .filter(|s| s.caisse_code == me.caisse_code)
            .ok_or(StaffAgendaError::NotFound)
    }

    /// The instants of a local period of `me`'s fund, end after start.
    fn period_of(
        &self,
        me: &StaffMember,
        draft: &PeriodDraft,
    ) -> Result<(Interval, String), AgendaError> {
        let zone = zone_of_fund(me.caisse_code);
        let why = "Saisissez le début et la fin (date et heure).";
        let start = local_time(&draft.start).ok_or(AgendaError::Invalid(why))?;
        let end = local_time(&draft.end).ok_or(AgendaError::Invalid(why))?;
        let start = zone
            .instant(start)
            .unwrap_or_else(|| midnight(zone, start.date()));
        let end = zone
            .instant(end)
            .unwrap_or_else(|| midnight(zone, end.date()));
        if end <= start {
            return Err(AgendaError::Invalid("La fin doit être après le début."));
        }
        let reason = text(&draft.reason, 200, "Saisissez le motif.")?;
        Ok((Interval { start, end }, reason))
    }

    /// Ends configuration change `what` of `me`'s begun in `tx`: rolled back as a missing
    /// row when nothing was `done`, else audited and committed together.
    async fn configured(
        &self,
        tx: Tx,
        done: bool,
        (me, context): (&StaffMember, &RequestContext),
        what: &'static str,
        subject: Uuid,
    ) -> Result<(), StaffAgendaError> {
        if !done {
            tx.rollback().await?;
            return Err(StaffAgendaError::NotFound);
        }
        audit::record(
            &tx,
            context,
            Actor::Staff(me.id),
            AuditAction::StaffAgendaConfigured,
            Some(("agenda", subject)),
            json!({ "change": what }),
            self.instant(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The fund's configuration, for a supervisor or an administrator.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotAllowed`] for an advisor.
    pub async fn configuration(&self, staff_id: Uuid) -> Result<Configuration, StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let caisse = me.caisse_code;
        let now = self.now();
        let far = now + Duration::days(3_650);
        let absences = store::absences(&self.db, caisse, None, now, far).await?;
        let mut advisors = Vec::new();
        for advisor in staff::active_of_fund(&self.db, &caisse).await? {
            advisors.push(AdvisorSetup {
                hours: store::hours_of_staff(&self.db, advisor.id).await?,
                absences: absences
                    .iter()
                    .filter(|a| a.staff_id == advisor.id)
                    .cloned()
                    .collect(),
                id: advisor.id,
                name: advisor.display_name,
            });
        }
        Ok(Configuration {
            motifs: store::motifs(&self.db, caisse, false).await?,
            sites: store::sites(&self.db, caisse, false).await?,
            closures: store::closures(&self.db, caisse, now).await?,
            advisors,
            zone: zone_of_fund(caisse),
        })
    }

    /// Creates or edits a motif of the fund.
    ///
    /// # Errors
    /// `Agenda(Invalid)` with what to correct; [`StaffAgendaError::NotFound`] for another
    /// fund's motif.
    pub async fn save_motif(
        &self,
        staff_id: Uuid,
        draft: &MotifDraft,
        context: &RequestContext,
    ) -> Result<Uuid, StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let caisse = me.caisse_code;
        let existing = store::motifs(&self.db, caisse, false).await?;
        if let Some(id) = draft.id
            && !existing.iter().any(|m| m.id == id)
        {
            return Err(StaffAgendaError::NotFound);
        }
        let id = draft.id.unwrap_or_else(Uuid::new_v4);
        let motif = motif_of(draft, id, caisse)?;
        if existing.iter().any(|m| m.code == motif.code && m.id != id) {
            return Err(
                AgendaError::Invalid("Un autre motif de la caisse porte déjà ce code.").into(),
            );
        }
        let tx = self.db.begin().await?;
        store::save_motif(&tx, &motif).await?;
        self.configured(tx, true, (&me, context), "motif", id)
            .await?;
        Ok(id)
    }

    /// Creates or edits a branch of the fund.
    ///
    /// # Errors
    /// `Agenda(Invalid)`; [`StaffAgendaError::NotFound`] for another fund's branch.
    pub async fn save_site(
        &self,
        staff_id: Uuid,
        draft: &SiteDraft,
        context: &RequestContext,
    ) -> Result<Uuid, StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let caisse = me.caisse_code;
        if let Some(id) = draft.id {
            let sites = store::sites(&self.db, caisse, false).await?;
            if !sites.iter().any(|s| s.id == id) {
                return Err(StaffAgendaError::NotFound);
            }
        }
        let id = draft.id.unwrap_or_else(Uuid::new_v4);
        let postcode = draft.postcode.trim();
        if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AgendaError::Invalid("Le code postal compte cinq chiffres.").into());
        }
        let site = Site {
            id,
            caisse,
            name: text(&draft.name, 200, "Saisissez le nom de l'accueil.")?,
            address: text(&draft.address, 200, "Saisissez l'adresse de l'accueil.")?,
            postcode: postcode.to_owned(),
            city: text(&draft.city, 100, "Saisissez la ville de l'accueil.")?,
            opening_hours: draft.opening_hours.trim().chars().take(TEXT_MAX).collect(),
            active: draft.active,
        };
        let tx = self.db.begin().await?;
        store::save_site(&tx, &site).await?;
        self.configured(tx, true, (&me, context), "site", id)
            .await?;
        Ok(id)
    }

    /// Closes branch `site_id` for a period.
    ///
    /// # Errors
    /// `Agenda(Invalid)`; [`StaffAgendaError::NotFound`] for another fund's branch.
    pub async fn add_closure(
        &self,
        staff_id: Uuid,
        site_id: Uuid,
        draft: &PeriodDraft,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let sites = store::sites(&self.db, me.caisse_code, false).await?;
        if !sites.iter().any(|s| s.id == site_id) {
            return Err(StaffAgendaError::NotFound);
        }
        let (span, reason) = self.period_of(&me, draft)?;
        let closure = Closure {
            id: Uuid::new_v4(),
            site: site_id,
            span,
            reason,
        };
        let tx = self.db.begin().await?;
        store::insert_closure(&tx, &closure).await?;
        self.configured(tx, true, (&me, context), "closure_added", closure.id)
            .await
    }

    /// Removes closure `id` of a branch of the fund.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's.
    pub async fn remove_closure(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let caisse = me.caisse_code;
        let tx = self.db.begin().await?;
        let done = store::delete_closure(&tx, caisse, id).await?;
        self.configured(tx, done, (&me, context), "closure_removed", id)
            .await
    }

    /// Adds weekly hours to advisor `advisor_id`.
    ///
    /// # Errors
    /// `Agenda(Invalid)`; [`StaffAgendaError::NotFound`] for another fund's advisor or
    /// branch.
    pub async fn add_hours(
        &self,
        staff_id: Uuid,
        advisor_id: Uuid,
        draft: &HoursDraft,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        self.fund_advisor(&me, advisor_id).await?;
        let channel = Channel::from_code(draft.channel.trim())
            .ok_or(AgendaError::Invalid("Choisissez un mode de rendez-vous."))?;
        let site = match (channel, draft.site.trim()) {
            (Channel::Agence, "") => {
                return Err(
                    AgendaError::Invalid("Choisissez l'accueil des horaires en agence.").into(),
                );
            }
            (Channel::Agence, id) => {
                let id: Uuid = id.parse().map_err(|_| {
                    AgendaError::Invalid("Choisissez l'un des accueils de la liste.")
                })?;
                let sites = store::sites(&self.db, me.caisse_code, false).await?;
                if !sites.iter().any(|s| s.id == id) {
                    return Err(
                        AgendaError::Invalid("Choisissez l'un des accueils de la liste.").into(),
                    );
                }
                Some(id)
            }
            (_, "") => None,
            (_, _) => {
                return Err(AgendaError::Invalid(
                    "Un accueil ne se choisit que pour des horaires en agence.",
                )
                .into());
            }
        };
        let start = clock_time(&draft.start)?;
        let end = clock_time(&draft.end)?;
        if end <= start {
            return Err(
                AgendaError::Invalid("L'heure de fin doit être après l'heure de début.").into(),
            );
        }
        let hours = Hours {
            id: Uuid::new_v4(),
            site,
            staff_id: advisor_id,
            channel,
            weekday: weekday(&draft.weekday)?,
            start,
            end,
        };
        let tx = self.db.begin().await?;
        // An advisor holds one appointment at a time, whatever the channel or branch.
        let overlapping = store::hours_of_staff(&tx, advisor_id)
            .await?
            .iter()
            .any(|h| h.weekday == hours.weekday && h.start < hours.end && hours.start < h.end);
        if overlapping {
            return Err(AgendaError::Invalid(
                "Ces horaires chevauchent d'autres horaires de ce conseiller le même jour : un conseiller ne tient qu'un rendez-vous à la fois.",
            )
            .into());
        }
        store::insert_hours(&tx, &hours).await?;
        self.configured(tx, true, (&me, context), "hours_added", advisor_id)
            .await
    }

    /// Removes weekly hours `id` of advisor `advisor_id`.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's.
    pub async fn remove_hours(
        &self,
        staff_id: Uuid,
        advisor_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        self.fund_advisor(&me, advisor_id).await?;
        let tx = self.db.begin().await?;
        let done = store::delete_hours(&tx, advisor_id, id).await?;
        self.configured(tx, done, (&me, context), "hours_removed", advisor_id)
            .await
    }

    /// Records an absence of advisor `advisor_id`.
    ///
    /// # Errors
    /// `Agenda(Invalid)`; [`StaffAgendaError::NotFound`] for another fund's advisor.
    pub async fn add_absence(
        &self,
        staff_id: Uuid,
        advisor_id: Uuid,
        draft: &PeriodDraft,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        self.fund_advisor(&me, advisor_id).await?;
        let (span, reason) = self.period_of(&me, draft)?;
        let tx = self.db.begin().await?;
        store::insert_absence(&tx, advisor_id, span, &reason).await?;
        self.configured(tx, true, (&me, context), "absence_added", advisor_id)
            .await
    }

    /// Removes absence `id` of advisor `advisor_id`.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's.
    pub async fn remove_absence(
        &self,
        staff_id: Uuid,
        advisor_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        self.fund_advisor(&me, advisor_id).await?;
        let tx = self.db.begin().await?;
        let done = store::delete_absence(&tx, advisor_id, id).await?;
        self.configured(tx, done, (&me, context), "absence_removed", advisor_id)
            .await
    }
}
