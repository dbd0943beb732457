//! Back office, the médiateur's queue, apart from the staff members' one: `/agent/mediation` lists
//! the fund's referrals oldest first (open ones by default), `/agent/mediation/{id}` opens one
//! with its réclamation (audited as a view of the member's thread) and takes it, answers the
//! member or closes it, each at the version read. Supervisors and administrators of the fund
//! only: a conseiller gets 403, another fund's referral is a 404.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::messaging::{MediationError, MessageAuthor, Referral, ReferralDetail};
use caisse_domain::messaging::{ReferralEvent, ReferralStatus};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{CharLimit, Problems, echo};
use crate::layout::Layout;
use crate::pages::mediation::{body_limit, status_class};
use crate::pages::{paris_fr, render};
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff, urlencode};
use caisse_domain::french::letter_date;

const SECTION: &str = "agent-mediation";

fn refusal(error: MediationError) -> AppError {
    match error {
        MediationError::NotFound => AppError::NotFound,
        MediationError::Forbidden => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// The status filter: `ouvertes` (the default), one status code, or `toutes`.
fn statuses_of(filter: &str) -> Vec<ReferralStatus> {
    match filter {
        "toutes" => Vec::new(),
        code => ReferralStatus::from_code(code).map_or_else(
            || vec![ReferralStatus::ATraiter, ReferralStatus::EnCours],
            |status| vec![status],
        ),
    }
}

struct Line {
    id: Uuid,
    reference: String,
    received: String,
    reason: &'static str,
    status: &'static str,
    status_class: &'static str,
}

impl Line {
    fn of(referral: Referral) -> Line {
        Line {
            id: referral.id,
            received: paris_fr(referral.created_at),
            reason: referral.reason.label_fr(),
            status: referral.status.label_fr(),
            status_class: status_class(referral.status),
            reference: referral.reference,
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/mediation_list.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<Line>,
    filter: String,
    filters: Vec<(&'static str, &'static str)>,
    page: u64,
    page_count: u64,
    total: u64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<PageNumber>,
    statut: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let filter = query.statut.unwrap_or_else(|| "ouvertes".to_owned());
    let page = state
        .messaging
        .mediation
        .mediation_queue(staff.id, &statuses_of(&filter), page_or_first(query.page))
        .await
        .map_err(refusal)?;
    let link = |number: u64| {
        format!(
            "/agent/mediation?page={number}&statut={}",
            urlencode(&filter)
        )
    };
    let mut filters = vec![("ouvertes", "À traiter ou en cours")];
    filters.extend(ReferralStatus::ALL.iter().map(|s| (s.code(), s.label_fr())));
    filters.push(("toutes", "Toutes"));
    let view = ListPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Saisines du médiateur",
            SECTION,
        ),
        previous: (page.number > 1).then(|| link(page.number - 1)),
        next: (page.number < page.page_count()).then(|| link(page.number + 1)),
        page: page.number,
        page_count: page.page_count(),
        total: page.total,
        lines: page.items.into_iter().map(Line::of).collect(),
        filter: echo(&filter, 16),
        filters,
    };
    Ok(render(&view)?.into_response())
}

struct MessageLine {
    who: &'static str,
    internal: bool,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "back_office/mediation_referral.html")]
struct ReferralPage {
    layout: Layout,
    line: Line,
    version: i32,
    member_text: String,
    thread_reference: String,
    subject: String,
    nature: &'static str,
    outcome: &'static str,
    due_on: String,
    first_answer: String,
    messages: Vec<MessageLine>,
    answer: Option<(String, String)>,
    may_take: bool,
    may_answer: bool,
    may_close: bool,
    notice: Option<(&'static str, &'static str)>,
    problems: Problems,
    /// The refused answer, given back to correct.
    body: String,
    body_limit: CharLimit,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// Fixed notices, chosen by a code in the address after an action: (kind, message).
fn notice(code: Option<&str>) -> Option<(&'static str, &'static str)> {
    match code? {
        "prise" => Some(("succes", "Vous avez pris cette saisine en charge.")),
        "repondu" => Some((
            "succes",
            "Votre réponse est envoyée : l'assuré la lit dans son échange et en est prévenu.",
        )),
        "close" => Some(("succes", "La saisine est close.")),
        "conflit" => Some((
            "attention",
            "La saisine a changé depuis votre lecture : rien n'a été enregistré. Vérifiez-la ci-dessous, puis recommencez.",
        )),
        _ => None,
    }
}

fn referral_page(
    state: &AppState,
    staff: &CurrentStaff,
    detail: ReferralDetail,
    notice: Option<(&'static str, &'static str)>,
    problems: Problems,
    body: String,
) -> Result<Response, AppError> {
    let ReferralDetail { referral, thread } = detail;
    let state_now = referral.state();
    let may = |event| state_now.after(event).is_ok();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReferralPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            format!("Saisine {}", referral.reference),
            SECTION,
        ),
        may_take: may(ReferralEvent::Taken),
        may_answer: may(ReferralEvent::Answered),
        may_close: may(ReferralEvent::Closed),
        version: referral.version,
        member_text: referral.member_text.clone(),
        answer: referral
            .answer
            .clone()
            .map(|text| (referral.answered_at.map(paris_fr).unwrap_or_default(), text)),
        thread_reference: thread.thread.reference.clone(),
        subject: thread.thread.subject.clone(),
        nature: thread.thread.nature.label_fr(),
        outcome: thread
            .thread
            .outcome
            .map_or("Non renseignée", |o| o.label_fr()),
        due_on: letter_date(thread.thread.due_on),
        first_answer: thread
            .thread
            .first_answered_at
            .map_or_else(|| "Aucune".to_owned(), paris_fr),
        messages: thread
            .messages
            .into_iter()
            .map(|m| MessageLine {
                who: match m.author {
                    MessageAuthor::Member => "L'assuré",
                    MessageAuthor::Staff(_) if m.internal => "Note interne",
                    MessageAuthor::Staff(_) => "La caisse",
                },
                internal: m.internal,
                at: paris_fr(m.created_at),
                body: m.body,
            })
            .collect(),
        line: Line::of(referral),
        notice,
        body_limit: body_limit(state, &problems, &body),
        problems,
        body,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let detail = state
        .messaging
        .mediation
        .mediation_referral(staff.id, id, &context)
        .await
        .map_err(refusal)?;
    referral_page(
        &state,
        &staff,
        detail,
        notice(query.fait.as_deref()),
        Problems::none(),
        String::new(),
    )
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    body: String,
}

/// Where an action leads: back to the referral with a notice, or an error.
fn after_action(
    id: Uuid,
    done: &str,
    result: Result<i32, MediationError>,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/agent/mediation/{id}?fait={done}")).into_response()),
        // A stale version, or a state another supervisor just changed: show it as it is now.
        Err(MediationError::Conflict { .. } | MediationError::Refused(_)) => {
            Ok(Redirect::to(&format!("/agent/mediation/{id}?fait=conflit")).into_response())
        }
        Err(error) => Err(refusal(error)),
    }
}

/// What a supervisor does to a referral with a button alone.
#[derive(Clone, Copy)]
enum Action {
    Take,
    Close,
}

/// Takes or closes the referral at the version of the form.
async fn act(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    id: Uuid,
    version: i32,
    action: Action,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let messaging = &state.messaging;
    let (result, done) = match action {
        Action::Take => (
            messaging
                .mediation
                .take_referral(staff.id, id, version, context)
                .await,
            "prise",
        ),
        Action::Close => (
            messaging
                .mediation
                .close_referral(staff.id, id, version, context)
                .await,
            "close",
        ),
    };
    after_action(id, done, result)
}

pub async fn take(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    act(&state, &staff, &context, id, form.version, Action::Take).await
}

pub async fn close(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    act(&state, &staff, &context, id, form.version, Action::Close).await
}

pub async fn answer(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    match state
        .messaging
        .mediation
        .answer_referral(staff.id, id, form.version, &form.body, &context)
        .await
    {
        Err(MediationError::Invalid(problems)) => {
            let detail = state
                .messaging
                .mediation
                .mediation_referral(staff.id, id, &context)
                .await
                .map_err(refusal)?;
            let body = echo(&form.body, state.messaging.settings().limits.body_max_chars);
            referral_page(&state, &staff, detail, None, Problems::from(problems), body)
        }
        result => after_action(id, "repondu", result),
    }
}
