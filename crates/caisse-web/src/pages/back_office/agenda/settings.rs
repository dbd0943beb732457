//! `/agent/agenda/configuration`: the fund's motifs, branches and their closures, the
//! advisors' weekly hours and absences, for supervisors and administrators. Each form posts
//! to its own address and comes back to the page with a fixed confirmation, or shows the
//! page again (422) with what to correct, in French; core checks, scopes to the fund and
//! audits every change.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{
    AgendaError, Configuration, HoursDraft, MotifDraft, PeriodDraft, SiteDraft, StaffAgendaError,
};
use caisse_domain::agenda::Channel;
use caisse_domain::french::{time_of_day, weekday_name};
use serde::Deserialize;
use time::{PrimitiveDateTime, Weekday};
use uuid::Uuid;

use super::{SECTION_AGENDA, channel_label, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

const PAGE: &str = "/agent/agenda/configuration";

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

/// A change's outcome: back to the page with `done`'s confirmation, or the page again with
/// what to correct.
async fn outcome<T>(
    state: &AppState,
    staff: &CurrentStaff,
    result: Result<T, StaffAgendaError>,
    done: &'static str,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{PAGE}?fait={done}")).into_response()),
        Err(StaffAgendaError::Agenda(AgendaError::Invalid(why))) => {
            let config = state
                .agenda
                .configuration(staff.id)
                .await
                .map_err(refusal)?;
            let page = page_of(staff, state, &config, None, Some(why));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(refusal(other)),
    }
}

/// The first value of `name`, or empty.
fn one_of(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

fn motif_draft(id: Option<Uuid>, fields: &[(String, String)]) -> MotifDraft {
    MotifDraft {
        id,
        code: one_of(fields, "code"),
        label: one_of(fields, "libelle"),
        channels: fields
            .iter()
            .filter(|(key, _)| key == "canal")
            .map(|(_, value)| value.clone())
            .collect(),
        duration: one_of(fields, "duree"),
        notice: one_of(fields, "prevenance"),
        horizon: one_of(fields, "horizon"),
        documents: one_of(fields, "documents"),
        demarche: one_of(fields, "demarche"),
        active: one_of(fields, "actif") == "oui",
    }
}

/// `POST /agent/agenda/configuration/motifs`: a new motif.
pub async fn create_motif(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let draft = motif_draft(None, &fields);
    let result = state.agenda.save_motif(staff.id, &draft, &context).await;
    outcome(&state, &staff, result, "motif").await
}

/// `POST /agent/agenda/configuration/motifs/{id}`: a motif edited (and turned on or off).
pub async fn edit_motif(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let draft = motif_draft(Some(id), &fields);
    let result = state.agenda.save_motif(staff.id, &draft, &context).await;
    outcome(&state, &staff, result, "motif").await
}

#[derive(Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    adresse: String,
    #[serde(default)]
    code_postal: String,
    #[serde(default)]
    ville: String,
    #[serde(default)]
    horaires: String,
    #[serde(default)]
    actif: String,
}

impl SiteForm {
    fn draft(self, id: Option<Uuid>) -> SiteDraft {
        SiteDraft {
            id,
            name: self.nom,
            address: self.adresse,
            postcode: self.code_postal,
            city: self.ville,
            opening_hours: self.horaires,
            active: self.actif == "oui",
        }
    }
}

/// `POST /agent/agenda/configuration/accueils`: a new branch.
pub async fn create_site(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<SiteForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .save_site(staff.id, &form.draft(None), &context)
        .await;
    outcome(&state, &staff, result, "accueil").await
}

/// `POST /agent/agenda/configuration/accueils/{id}`: a branch edited.
pub async fn edit_site(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<SiteForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .save_site(staff.id, &form.draft(Some(id)), &context)
        .await;
    outcome(&state, &staff, result, "accueil").await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    debut: String,
    #[serde(default)]
    fin: String,
    #[serde(default)]
    motif: String,
}

impl PeriodForm {
    fn draft(self) -> PeriodDraft {
        PeriodDraft {
            start: self.debut,
            end: self.fin,
            reason: self.motif,
        }
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /agent/agenda/configuration/accueils/{id}/fermetures`: the branch closes.
pub async fn add_closure(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<PeriodForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .add_closure(staff.id, id, &form.draft(), &context)
        .await;
    outcome(&state, &staff, result, "fermeture").await
}

/// `POST /agent/agenda/configuration/fermetures/{id}/supprimer`.
pub async fn remove_closure(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state.agenda.remove_closure(staff.id, id, &context).await;
    outcome(&state, &staff, result, "fermeture-supprimee").await
}

#[derive(Deserialize)]
pub struct HoursForm {
    #[serde(default)]
    canal: String,
    #[serde(default)]
    accueil: String,
    #[serde(default)]
    jour: String,
    #[serde(default)]
    debut: String,
    #[serde(default)]
    fin: String,
}

/// `POST /agent/agenda/configuration/conseillers/{id}/horaires`: weekly hours added.
pub async fn add_hours(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<HoursForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let draft = HoursDraft {
        channel: form.canal,
        site: form.accueil,
        weekday: form.jour,
        start: form.debut,
        end: form.fin,
    };
    let result = state.agenda.add_hours(staff.id, id, &draft, &context).await;
    outcome(&state, &staff, result, "horaires").await
}

/// `POST /agent/agenda/configuration/conseillers/{id}/horaires/{hours}/supprimer`.
pub async fn remove_hours(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((id, hours)): Path<(Uuid, Uuid)>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .remove_hours(staff.id, id, hours, &context)
        .await;
    outcome(&state, &staff, result, "horaires-supprimes").await
}

/// `POST /agent/agenda/configuration/conseillers/{id}/absences`: an absence recorded.
pub async fn add_absence(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<PeriodForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .add_absence(staff.id, id, &form.draft(), &context)
        .await;
    outcome(&state, &staff, result, "absence").await
}

/// `POST /agent/agenda/configuration/conseillers/{id}/absences/{absence}/supprimer`.
pub async fn remove_absence(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((id, absence)): Path<(Uuid, Uuid)>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let result = state
        .agenda
        .remove_absence(staff.id, id, absence, &context)
        .await;
    outcome(&state, &staff, result, "absence-supprimee").await
}
