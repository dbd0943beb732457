//! `GET/POST /agent/aide/nouvelle` (a new entry, `?question=…` prefilling its question) and
//! `GET/POST /agent/aide/{id}/modifier` (a new draft version of an entry, from the version
//! edited). A refused form comes back (422) with the French reason beside its field and
//! everything typed kept; a saved one leads to the entry's page.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::help::{EntryForm, HelpAdminError, current_form};
use caisse_domain::help::{Category, FaqError};
use serde::Deserialize;
use uuid::Uuid;

use super::{LIST_PATH, SECTION_HELP, entry_path, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The form's fields as posted (and shown back).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct HelpEntryForm {
    #[serde(default)]
    adresse: String,
    #[serde(default)]
    rubrique: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    formulations: String,
    #[serde(default)]
    reponse: String,
    #[serde(default)]
    lien_libelle: String,
    #[serde(default)]
    lien_adresse: String,
    #[serde(default)]
    relecture: String,
}

impl HelpEntryForm {
    fn of(form: EntryForm) -> HelpEntryForm {
        HelpEntryForm {
            adresse: form.slug,
            rubrique: form.category,
            question: form.question,
            formulations: form.alternatives,
            reponse: form.answer,
            lien_libelle: form.link_label,
            lien_adresse: form.link_href,
            relecture: form.review_on,
        }
    }

    fn to_core(&self) -> EntryForm {
        EntryForm {
            slug: self.adresse.clone(),
            category: self.rubrique.clone(),
            question: self.question.clone(),
            alternatives: self.formulations.clone(),
            answer: self.reponse.clone(),
            link_label: self.lien_libelle.clone(),
            link_href: self.lien_adresse.clone(),
            review_on: self.relecture.clone(),
        }
    }

    /// What was typed, cut to a little over each limit, to show it back.
    fn echoed(&self) -> HelpEntryForm {
        HelpEntryForm {
            adresse: echo(&self.adresse, 100),
            rubrique: echo(&self.rubrique, 40),
            question: echo(&self.question, 400),
            formulations: echo(&self.formulations, 7_000),
            reponse: echo(&self.reponse, 8_200),
            lien_libelle: echo(&self.lien_libelle, 200),
            lien_adresse: echo(&self.lien_adresse, 300),
            relecture: echo(&self.relecture, 20),
        }
    }
}

/// The field a refusal is about, and what it says.
fn problem_of(error: &HelpAdminError) -> Option<Problems> {
    let (field, message) = match error {
        HelpAdminError::Invalid(why) => (field_of(*why), why.to_string()),
        HelpAdminError::SlugTaken => (
            "adresse",
            "Une autre réponse de votre caisse a déjà cette adresse : choisissez-en une autre."
                .to_owned(),
        ),
        _ => return None,
    };
    Some(Problems::one(field, message))
}

fn field_of(error: FaqError) -> &'static str {
    match error {
        FaqError::Slug => "adresse",
        FaqError::Question => "question",
        FaqError::Answer => "reponse",
        FaqError::Alternatives => "formulations",
        FaqError::Link => "lien_libelle",
        FaqError::Category => "rubrique",
        FaqError::ReviewDate => "relecture",
    }
}

#[derive(Template)]
#[template(path = "back_office/help/form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    /// The entry edited, for the breadcrumb; none for a new one.
    entry: Option<(Uuid, String)>,
    action: String,
    submit: &'static str,
    problems: Problems,
    form: HelpEntryForm,
    categories: Vec<(&'static str, &'static str)>,
}

fn form_page(
    state: &AppState,
    staff: &CurrentStaff,
    entry: Option<(Uuid, String)>,
    form: &HelpEntryForm,
    problems: Problems,
) -> Result<Response, AppError> {
    let (heading, action, submit) = match &entry {
        None => (
            "Nouvelle entrée de l'aide".to_owned(),
            format!("{LIST_PATH}/nouvelle"),
            "Enregistrer le brouillon",
        ),
        Some((id, question)) => (
            format!("Modifier « {question} »"),
            format!("{}/modifier", entry_path(*id)),
            "Enregistrer une nouvelle version",
        ),
    };
    let status = problems.status();
    let page = FormPage {
        layout: Layout::new(&staff.visitor, &state.config.brand, &heading, SECTION_HELP),
        heading,
        entry,
        action,
        submit,
        problems,
        form: form.echoed(),
        categories: Category::ALL
            .into_iter()
            .map(|c| (c.code(), c.label_fr()))
            .collect(),
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    question: String,
}

/// `GET /agent/aide/nouvelle`.
pub async fn new_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let mut form = HelpEntryForm::of(state.help.new_entry_form());
    form.question = query.question.trim().to_owned();
    form_page(&state, &staff, None, &form, Problems::none())
}

/// `POST /agent/aide/nouvelle`: a new entry, saved as a draft.
pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<HelpEntryForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    match state
        .help
        .admin_create(staff.id, &context, &form.to_core())
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("{}?fait=brouillon", entry_path(id))).into_response()),
        Err(error) => match problem_of(&error) {
            Some(problems) => form_page(&state, &staff, None, &form, problems),
            None => Err(refusal(error)),
        },
    }
}

/// The form of the version edited, with the entry's id and question (breadcrumb, heading).
async fn edited(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
) -> Result<(HelpEntryForm, (Uuid, String)), AppError> {
    let admin = state
        .help
        .admin_entry(staff.id, id)
        .await
        .map_err(refusal)?;
    let form = current_form(&admin.entry).ok_or(AppError::NotFound)?;
    let question = form.question.clone();
    Ok((HelpEntryForm::of(form), (id, question)))
}

/// `GET /agent/aide/{id}/modifier`.
pub async fn edit_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let (form, entry) = edited(&state, &staff, id).await?;
    form_page(&state, &staff, Some(entry), &form, Problems::none())
}

/// `POST /agent/aide/{id}/modifier`: a new draft version.
pub async fn save(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<HelpEntryForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    match state
        .help
        .admin_save(staff.id, &context, id, &form.to_core())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?fait=brouillon", entry_path(id))).into_response()),
        Err(error) => match problem_of(&error) {
            Some(problems) => {
                let (saved, entry) = edited(&state, &staff, id).await?;
                // The address cannot change once the entry exists: show the stored one.
                let form = HelpEntryForm {
                    adresse: saved.adresse,
                    ..form
                };
                form_page(&state, &staff, Some(entry), &form, problems)
            }
            None => Err(refusal(error)),
        },
    }
}
