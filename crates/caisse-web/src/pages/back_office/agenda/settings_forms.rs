//! The configuration's forms: each posts to its own address under
//! `/agent/agenda/configuration` and comes back to the page with a fixed confirmation, or
//! shows the page again (422) with what to correct, in French; core checks the values,
//! scopes every call to the fund and audits every change.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{
    AgendaError, HoursDraft, MotifDraft, PeriodDraft, SiteDraft, StaffAgendaError,
};
use serde::Deserialize;
use uuid::Uuid;

use super::refusal;
use super::settings::{PAGE, refused_page};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

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
            refused_page(state, staff, why).await
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
