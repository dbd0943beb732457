//! `/agent/comptes`: staff find a member of their fund by NIR, or by name and birth date (the
//! caller without their card at hand). Both forms are posted (never in an address, so NIRs,
//! names and birth dates stay out of browser history and proxy logs), and every search is
//! audited. A NIR leads straight to the account; a name and a birth date list the members
//! found, or say there are none or too many.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{MAX_SEARCH_RESULTS, MemberHit, NameSearch, NameSearchResult};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::Layout;
use crate::pages::password_reset::parse_birth_date;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// A member found, as the results list shows them.
struct HitLine {
    member_id: Uuid,
    full_name: String,
    birth_name: Option<String>,
    birth_date: String,
    nir_masked: String,
    city: String,
}

impl From<MemberHit> for HitLine {
    fn from(hit: MemberHit) -> HitLine {
        HitLine {
            member_id: hit.member_id,
            full_name: hit.full_name,
            birth_name: hit.birth_name,
            birth_date: letter_date(hit.birth_date),
            nir_masked: hit.nir_masked,
            city: hit.city,
        }
    }
}

/// What the search by name found, as the page tells it.
enum NameOutcome {
    /// The form, not sent yet (or sent with problems).
    NotSearched,
    Found(Vec<HitLine>),
    TooMany(usize),
}

#[derive(Template)]
#[template(path = "back_office/accounts_search.html")]
struct SearchPage {
    layout: Layout,
    nir: String,
    not_found: bool,
    last_name: String,
    first_name: String,
    birth_date: String,
    problems: Problems,
    outcome: NameOutcome,
    max_results: usize,
}

/// Either form of the page: `nir`, or `nom`, `prenom` and `naissance`.
#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    nir: Option<String>,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    naissance: String,
}

impl SearchForm {
    fn empty() -> SearchForm {
        SearchForm {
            nir: None,
            nom: String::new(),
            prenom: String::new(),
            naissance: String::new(),
        }
    }
}

fn search_page(
    staff: &CurrentStaff,
    state: &AppState,
    form: &SearchForm,
    not_found: bool,
    problems: Problems,
    outcome: NameOutcome,
) -> Result<Response, AppError> {
    let status = problems.status();
    let page = SearchPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Comptes des assurés",
            "agent-comptes",
        ),
        not_found,
        nir: echo(form.nir.as_deref().unwrap_or_default(), 32),
        last_name: echo(&form.nom, 64),
        first_name: echo(&form.prenom, 64),
        birth_date: echo(&form.naissance, 16),
        problems,
        outcome,
        max_results: MAX_SEARCH_RESULTS,
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /agent/comptes`: the search forms.
pub async fn search_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    blank_search_page(&staff, &state)
}

/// The search forms, empty.
fn blank_search_page(staff: &CurrentStaff, state: &AppState) -> Result<Response, AppError> {
    search_page(
        staff,
        state,
        &SearchForm::empty(),
        false,
        Problems::none(),
        NameOutcome::NotSearched,
    )
}

/// `POST /agent/comptes`: with `nir`, the member of the staff member's fund with this NIR
/// (or the form again saying none matches); otherwise the members of the fund with this
/// name and birth date.
pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<SearchForm>,
) -> Result<Response, AppError> {
    let Some(nir) = form.nir.as_deref() else {
        return search_by_name(&state, &staff, &context, form).await;
    };
    if nir.trim().is_empty() {
        return blank_search_page(&staff, &state);
    }
    match state
        .accounts
        .staff_find_member(staff.id, nir, &context)
        .await
        .map_err(AppError::from_account)?
    {
        Some(member_id) => Ok(Redirect::to(&format!("/agent/comptes/{member_id}")).into_response()),
        None => search_page(
            &staff,
            &state,
            &form,
            true,
            Problems::none(),
            NameOutcome::NotSearched,
        ),
    }
}

async fn search_by_name(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    form: SearchForm,
) -> Result<Response, AppError> {
    let mut problems = Vec::new();
    if form.nom.trim().is_empty() {
        problems.push(caisse_core::accounts::FormProblem {
            field: "nom",
            message: "Indiquez le nom de l'assuré, ou son début.".to_owned(),
        });
    }
    let birth_date = parse_birth_date(&form.naissance);
    if birth_date.is_none() {
        problems.push(caisse_core::accounts::FormProblem {
            field: "naissance",
            message:
                "Indiquez la date de naissance sous la forme JJ/MM/AAAA, par exemple 14/05/1985."
                    .to_owned(),
        });
    }
    let Some(birth_date) = birth_date.filter(|_| problems.is_empty()) else {
        return search_page(
            staff,
            state,
            &form,
            false,
            Problems::from(problems),
            NameOutcome::NotSearched,
        );
    };
    let search = NameSearch {
        last_name: form.nom.clone(),
        first_name: form.prenom.clone(),
        birth_date,
    };
    let outcome = match state
        .accounts
        .staff_search_by_name(staff.id, &search, context)
        .await
        .map_err(AppError::from_account)?
    {
        NameSearchResult::Found(hits) => {
            NameOutcome::Found(hits.into_iter().map(HitLine::from).collect())
        }
        NameSearchResult::TooMany(count) => NameOutcome::TooMany(count),
    };
    search_page(staff, state, &form, false, Problems::none(), outcome)
}
