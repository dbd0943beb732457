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
use time::{Date, Duration, PrimitiveDateTime, Time, Weekday};
use uuid::Uuid;

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
#[derive(Clone, Debug, Default)]
pub struct PeriodDraft {
    /// Start, local.
    pub start: String,
    /// End, local.
    pub end: String,
    /// Why.
    pub reason: String,
}

/// One advisor's hours and coming absences.
#[derive(Clone, Debug)]
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

/// Longest text kept in a field.
const TEXT_MAX: usize = 2_000;

fn text(value: &str, max: usize, empty: &'static str) -> Result<String, AgendaError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AgendaError::Invalid(empty));
    }
    if value.chars().count() > max {
        return Err(AgendaError::Invalid("Un texte saisi est trop long."));
    }
    Ok(value.to_owned())
}

fn number(
    value: &str,
    range: std::ops::RangeInclusive<u32>,
    why: &'static str,
) -> Result<u32, AgendaError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(AgendaError::Invalid(why))
}

/// Checks and reads a motif of the fund.
fn motif_of(
    draft: &MotifDraft,
    id: Uuid,
    caisse: caisse_domain::CaisseCode,
) -> Result<Motif, AgendaError> {
    let code = text(&draft.code, 64, "Saisissez le code du motif.")?;
    if !code
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(AgendaError::Invalid(
            "Le code du motif ne contient que des minuscules sans accent, des chiffres et des tirets.",
        ));
    }
    let mut channels = Vec::new();
    for code in &draft.channels {
        let channel = Channel::from_code(code).ok_or(AgendaError::Invalid(
            "Choisissez les modes de rendez-vous dans la liste.",
        ))?;
        if !channels.contains(&channel) {
            channels.push(channel);
        }
    }
    if channels.is_empty() {
        return Err(AgendaError::Invalid(
            "Cochez au moins un mode de rendez-vous (téléphone, agence ou visio).",
        ));
    }
    let demarche = draft.demarche.trim();
    Ok(Motif {
        id,
        caisse,
        label: text(&draft.label, 200, "Saisissez le libellé du motif.")?,
        code,
        channels,
        duration_minutes: number(
            &draft.duration,
            5..=240,
            "La durée d'un rendez-vous est comprise entre 5 et 240 minutes.",
        )?,
        min_notice_hours: number(
            &draft.notice,
            0..=24 * 365,
            "Le délai de prévenance est un nombre d'heures, 0 ou plus.",
        )?,
        horizon_days: number(
            &draft.horizon,
            1..=365,
            "L'horizon de réservation est compris entre 1 et 365 jours.",
        )?,
        documents: draft.documents.trim().chars().take(TEXT_MAX).collect(),
        demarche_code: (!demarche.is_empty()).then(|| demarche.chars().take(64).collect()),
        active: draft.active,
    })
}

/// « 09:00 » on a 5-minute step.
fn clock_time(value: &str) -> Result<Time, AgendaError> {
    let why = "Saisissez les heures au format HH:MM, par pas de 5 minutes.";
    let (h, m) = value
        .trim()
        .split_once(':')
        .ok_or(AgendaError::Invalid(why))?;
    let h: u8 = h.parse().map_err(|_| AgendaError::Invalid(why))?;
    let m: u8 = m.parse().map_err(|_| AgendaError::Invalid(why))?;
    if !m.is_multiple_of(5) {
        return Err(AgendaError::Invalid(why));
    }
    Time::from_hms(h, m, 0).map_err(|_| AgendaError::Invalid(why))
}

fn weekday(value: &str) -> Result<Weekday, AgendaError> {
    let why = "Choisissez un jour de la semaine.";
    let n: u8 = value
        .trim()
        .parse()
        .map_err(|_| AgendaError::Invalid(why))?;
    let first = Weekday::Monday;
    match n {
        1..=7 => Ok((1..n).fold(first, |day, _| day.next())),
        _ => Err(AgendaError::Invalid(why)),
    }
}

/// « 2026-12-24T08:00 » (or a date alone, at midnight), local.
fn local_time(value: &str) -> Option<PrimitiveDateTime> {
    let value = value.trim();
    let (date, time) = value.split_once('T').unwrap_or((value, "00:00"));
    let mut parts = date.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date = Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let (h, m) = time.get(..5)?.split_once(':')?;
    Some(PrimitiveDateTime::new(
        date,
        Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_on_five_minute_steps_and_days_one_to_seven() {
        assert_eq!(clock_time("09:05").ok(), Time::from_hms(9, 5, 0).ok());
        assert!(clock_time("09:07").is_err());
        assert!(clock_time("25:00").is_err());
        assert!(clock_time("9h").is_err());
        assert_eq!(weekday("1").ok(), Some(Weekday::Monday));
        assert_eq!(weekday("7").ok(), Some(Weekday::Sunday));
        assert!(weekday("8").is_err());
        assert!(local_time("2026-12-24T08:30").is_some());
        assert!(local_time("2026-02-30T08:30").is_none());
    }

    #[test]
    fn a_motif_needs_a_channel_and_durations_within_bounds() {
        let caisse = caisse_domain::CaisseCode::parse("781").unwrap_or_else(|_| unreachable!());
        let mut draft = MotifDraft {
            code: "rdv-test".into(),
            label: "Essai".into(),
            channels: vec!["telephone".into()],
            duration: "30".into(),
            notice: "0".into(),
            horizon: "30".into(),
            ..MotifDraft::default()
        };
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_ok());
        draft.duration = "4".into();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
        draft.duration = "30".into();
        draft.horizon = "366".into();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
        draft.horizon = "30".into();
        draft.channels.clear();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
    }
}
