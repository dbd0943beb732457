//! `/agent/reponses-types`: the fund's canned answers. Every staff member reads them; superviseurs
//! and administrateurs create them (same page), change them (`/agent/reponses-types/{id}`),
//! deactivate and reactivate them. A text naming an unknown variable is refused on save.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::messaging::{CannedAnswer, CannedAnswerForm, StaffError};
use caisse_core::staff::StaffRole;
use caisse_domain::messaging::Variable;
use serde::Deserialize;
use uuid::Uuid;

use super::{limit_of, problems_on, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{CharLimit, Problems, echo};
use crate::layout::{Flash, Layout};
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

const SECTION: &str = "agent-reponses-types";
const LIST_PATH: &str = "/agent/reponses-types";

/// The form as typed (and shown back).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CannedForm {
    #[serde(default)]
    titre: String,
    #[serde(default)]
    equipe: String,
    #[serde(default)]
    texte: String,
}

impl CannedForm {
    fn of(answer: &CannedAnswer) -> CannedForm {
        CannedForm {
            titre: answer.title.clone(),
            equipe: answer
                .team
                .as_ref()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default(),
            texte: answer.body.clone(),
        }
    }

    fn to_core(&self) -> CannedAnswerForm {
        CannedAnswerForm {
            title: self.titre.clone(),
            body: self.texte.clone(),
            team: self.equipe.clone(),
        }
    }

    fn echoed(&self, body_max: usize) -> CannedForm {
        CannedForm {
            titre: echo(&self.titre, 200),
            equipe: echo(&self.equipe, 40),
            texte: echo(&self.texte, body_max + 100),
        }
    }
}

/// Use-case field names and the form's.
const FIELDS: &[(&str, &str)] = &[("title", "titre"), ("team", "equipe"), ("body", "texte")];

/// What the form partial needs, on the list page and the edit page alike.
struct FormView {
    action: String,
    submit: &'static str,
    form: CannedForm,
    teams: Vec<(Uuid, String)>,
    variables: Vec<(String, &'static str)>,
    body_limit: CharLimit,
}

struct Row {
    id: Uuid,
    title: String,
    team: Option<String>,
    active: bool,
    body: String,
    updated_at: String,
}

#[derive(Template)]
#[template(path = "back_office/reponses_types/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    editor: bool,
    problems: Problems,
    edit: FormView,
}

#[derive(Template)]
#[template(path = "back_office/reponses_types/edit.html")]
struct EditPage {
    layout: Layout,
    title: String,
    problems: Problems,
    edit: FormView,
}

fn is_editor(staff: &CurrentStaff) -> bool {
    staff.role >= StaffRole::Superviseur
}

async fn form_view(
    state: &AppState,
    staff: &CurrentStaff,
    action: String,
    submit: &'static str,
    form: CannedForm,
) -> Result<FormView, AppError> {
    let body_max = state.messaging.settings().limits.body_max_chars;
    let body_limit = limit_of(body_max, &form.texte);
    Ok(FormView {
        action,
        submit,
        form: form.echoed(body_max),
        teams: state
            .messaging
            .staff
            .fund_teams(staff.id)
            .await
            .map_err(refusal)?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
        variables: Variable::ALL
            .iter()
            .map(|v| (format!("{{{}}}", v.name()), v.label_fr()))
            .collect(),
        body_limit,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// Fixed confirmations after an action, chosen by a code in the address.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "creee" => {
            Some("La réponse type est créée : les agents peuvent l'insérer dans leurs réponses.")
        }
        "modifiee" => Some("La réponse type est modifiée."),
        "desactivee" => {
            Some("La réponse type est désactivée : elle n'est plus proposée dans les réponses.")
        }
        "activee" => Some("La réponse type est de nouveau proposée dans les réponses."),
        _ => None,
    }
}

async fn list_page(
    state: &AppState,
    staff: &CurrentStaff,
    form: CannedForm,
    problems: Problems,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let answers = state
        .messaging
        .staff
        .canned_answers(staff.id, false)
        .await
        .map_err(refusal)?;
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        "Réponses types",
        SECTION,
    );
    if let Some(message) = done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ListPage {
        layout,
        rows: answers
            .into_iter()
            .map(|a| Row {
                id: a.id,
                title: a.title,
                team: a.team.map(|(_, name)| name),
                active: a.active,
                body: a.body,
                updated_at: paris_fr(a.updated_at),
            })
            .collect(),
        editor: is_editor(staff),
        problems,
        edit: form_view(
            state,
            staff,
            LIST_PATH.to_owned(),
            "Créer la réponse type",
            form,
        )
        .await?,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let done = done_message(query.fait.as_deref());
    list_page(
        &state,
        &staff,
        CannedForm::default(),
        Problems::none(),
        done,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<CannedForm>,
) -> Result<Response, AppError> {
    match state
        .messaging
        .staff
        .create_canned_answer(staff.id, &form.to_core(), &context)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{LIST_PATH}?fait=creee")).into_response()),
        Err(StaffError::Invalid(problems)) => {
            list_page(&state, &staff, form, problems_on(problems, FIELDS), None).await
        }
        Err(error) => Err(refusal(error)),
    }
}

async fn edit_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    form: Option<CannedForm>,
    problems: Problems,
) -> Result<Response, AppError> {
    if !is_editor(staff) {
        return Err(AppError::Forbidden);
    }
    let answer = state
        .messaging
        .staff
        .canned_answer(staff.id, id)
        .await
        .map_err(refusal)?;
    let form = form.unwrap_or_else(|| CannedForm::of(&answer));
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EditPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            format!("Modifier « {} »", answer.title),
            SECTION,
        ),
        title: answer.title,
        problems,
        edit: form_view(
            state,
            staff,
            format!("{LIST_PATH}/{id}"),
            "Enregistrer les modifications",
            form,
        )
        .await?,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    edit_page(&state, &staff, id, None, Problems::none()).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<CannedForm>,
) -> Result<Response, AppError> {
    match state
        .messaging
        .staff
        .update_canned_answer(staff.id, id, &form.to_core(), &context)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{LIST_PATH}?fait=modifiee")).into_response()),
        Err(StaffError::Invalid(problems)) => {
            edit_page(
                &state,
                &staff,
                id,
                Some(form),
                problems_on(problems, FIELDS),
            )
            .await
        }
        Err(error) => Err(refusal(error)),
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

async fn set_active(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    id: Uuid,
    active: bool,
) -> Result<Response, AppError> {
    state
        .messaging
        .staff
        .set_canned_answer_active(staff.id, id, active, context)
        .await
        .map_err(refusal)?;
    let done = if active { "activee" } else { "desactivee" };
    Ok(Redirect::to(&format!("{LIST_PATH}?fait={done}")).into_response())
}

pub async fn deactivate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    set_active(&state, &staff, &context, id, false).await
}

pub async fn activate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    set_active(&state, &staff, &context, id, true).await
}
