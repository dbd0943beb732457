//! `GET /agent/agenda/configuration`: the fund's motifs, branches and their closures, the
//! advisors' weekly hours and absences, for supervisors and administrators, each with its
//! forms (handled in `settings_forms`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::Configuration;
use caisse_domain::agenda::Channel;
use caisse_domain::french::{time_of_day, weekday_name};
use serde::Deserialize;
use time::{PrimitiveDateTime, Weekday};
use uuid::Uuid;

use super::{SECTION_AGENDA, channel_label, refusal};
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::CurrentStaff;

pub(super) const PAGE: &str = "/agent/agenda/configuration";

struct MotifRow {
    id: Uuid,
    code: String,
    label: String,
    telephone: bool,
    agence: bool,
    visio: bool,
    duration: u32,
    notice: u32,
    horizon: u32,
    documents: String,
    demarche: String,
    active: bool,
}

struct SiteRow {
    id: Uuid,
    name: String,
    address: String,
    postcode: String,
    city: String,
    opening_hours: String,
    active: bool,
}

struct PeriodRow {
    id: Uuid,
    /// The branch's name, for a closure.
    whose: String,
    from: String,
    to: String,
    reason: String,
}

struct HoursRow {
    id: Uuid,
    day: &'static str,
    from: String,
    to: String,
    channel: &'static str,
    site: String,
}

struct AdvisorRow {
    id: Uuid,
    name: String,
    hours: Vec<HoursRow>,
    absences: Vec<PeriodRow>,
}

#[derive(Template)]
#[template(path = "back_office/agenda/configuration.html")]
struct ConfigurationPage {
    layout: Layout,
    motifs: Vec<MotifRow>,
    sites: Vec<SiteRow>,
    closures: Vec<PeriodRow>,
    advisors: Vec<AdvisorRow>,
    weekdays: Vec<(u8, &'static str)>,
    refused: Option<&'static str>,
}

fn local(at: PrimitiveDateTime) -> String {
    caisse_domain::french::letter_date_time(at)
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "motif" => Some("Le motif est enregistré."),
        "accueil" => Some("L'accueil est enregistré."),
        "fermeture" => Some("La fermeture est enregistrée."),
        "fermeture-supprimee" => Some("La fermeture est supprimée."),
        "horaires" => Some("Les horaires sont enregistrés."),
        "horaires-supprimes" => Some("Les horaires sont supprimés."),
        "absence" => Some("L'absence est enregistrée."),
        "absence-supprimee" => Some("L'absence est supprimée."),
        _ => None,
    }
}

fn page_of(
    staff: &CurrentStaff,
    state: &AppState,
    config: &Configuration,
    done: Option<&'static str>,
    refused: Option<&'static str>,
) -> ConfigurationPage {
    let zone = config.zone;
    let site_name = |id: Option<Uuid>| {
        id.and_then(|id| config.sites.iter().find(|s| s.id == id))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        "Configuration de l'agenda",
        SECTION_AGENDA,
    );
    if let Some(message) = done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    ConfigurationPage {
        layout,
        motifs: config
            .motifs
            .iter()
            .map(|m| MotifRow {
                id: m.id,
                code: m.code.clone(),
                label: m.label.clone(),
                telephone: m.channels.contains(&Channel::Telephone),
                agence: m.channels.contains(&Channel::Agence),
                visio: m.channels.contains(&Channel::Visio),
                duration: m.duration_minutes,
                notice: m.min_notice_hours,
                horizon: m.horizon_days,
                documents: m.documents.clone(),
                demarche: m.demarche_code.clone().unwrap_or_default(),
                active: m.active,
            })
            .collect(),
        sites: config
            .sites
            .iter()
            .map(|s| SiteRow {
                id: s.id,
                name: s.name.clone(),
                address: s.address.clone(),
                postcode: s.postcode.clone(),
                city: s.city.clone(),
                opening_hours: s.opening_hours.clone(),
                active: s.active,
            })
            .collect(),
        closures: config
            .closures
            .iter()
            .map(|c| PeriodRow {
                id: c.id,
                whose: site_name(Some(c.site)),
                from: local(zone.local(c.span.start)),
                to: local(zone.local(c.span.end)),
                reason: c.reason.clone(),
            })
            .collect(),
        advisors: config
            .advisors
            .iter()
            .map(|a| AdvisorRow {
                id: a.id,
                name: a.name.clone(),
                hours: a
                    .hours
                    .iter()
                    .map(|h| HoursRow {
                        id: h.id,
                        day: weekday_name(h.weekday),
                        from: time_of_day(h.start),
                        to: time_of_day(h.end),
                        channel: channel_label(h.channel),
                        site: site_name(h.site),
                    })
                    .collect(),
                absences: a
                    .absences
                    .iter()
                    .map(|b| PeriodRow {
                        id: b.id,
                        whose: a.name.clone(),
                        from: local(zone.local(b.span.start)),
                        to: local(zone.local(b.span.end)),
                        reason: b.reason.clone(),
                    })
                    .collect(),
            })
            .collect(),
        weekdays: (1..=7u8)
            .scan(Weekday::Sunday, |day, n| {
                *day = day.next();
                Some((n, weekday_name(*day)))
            })
            .collect(),
        refused,
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// `GET /agent/agenda/configuration`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let config = state
        .agenda
        .configuration(staff.id)
        .await
        .map_err(refusal)?;
    let page = page_of(
        &staff,
        &state,
        &config,
        done_message(query.fait.as_deref()),
        None,
    );
    Ok(render(&page)?.into_response())
}

/// The page again (422) with why the change was refused, in French: nothing was saved.
pub(super) async fn refused_page(
    state: &AppState,
    staff: &CurrentStaff,
    why: &'static str,
) -> Result<Response, AppError> {
    let config = state
        .agenda
        .configuration(staff.id)
        .await
        .map_err(refusal)?;
    let page = page_of(staff, state, &config, None, Some(why));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
