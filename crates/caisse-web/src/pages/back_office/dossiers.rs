//! `/agent/dossiers`: the instruction of the members' démarches. The fund's queue (due date
//! first, late ones flagged, a GET filter form and pages), a dossier beside the member file
//! (every answer by step, the pieces, the history; reading it and each download are audited
//! by core), and its actions: take it, ask the member to complete flagged fields, decide
//! (accept, refuse with reasons, close), send it to another team. Each action redirects to
//! the dossier with a fixed confirmation; a refused one shows the dossier again with why, in
//! French. Another fund's dossier is a 404 on every route: core scopes every call.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::audit::RequestContext;
use caisse_core::demarches::{
    Decision, DossierError, DossierView, QueueLine, QueueQuery, StaffDossier,
};
use caisse_core::messaging::AttachmentFile;
use caisse_domain::demarches::{AnswerValue, DossierState, Field, FieldId, FieldKind, Move};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use super::fund_today;
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::{Flash, Layout};
use crate::pages::attachments::{file_response, kind_and_size};
use crate::pages::{paris_fr, render};
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff, urlencode};

/// Layout section of the queue and the dossier pages.
const SECTION_DOSSIERS: &str = "agent-dossiers";

/// The `equipe` value of the dossiers routed to no team.
const NO_TEAM: &str = "aucune";

/// Longest message or free reason kept when a refused form is shown again.
const ECHO_MAX: usize = 4_000;

/// The refusals that have no page of their own.
fn refusal(error: DossierError) -> AppError {
    match error {
        DossierError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

/// CSS modifier of a state's badge.
fn state_class(state: DossierState) -> &'static str {
    match state {
        DossierState::Submitted => "en-attente",
        DossierState::InInstruction => "en-cours",
        DossierState::AwaitingCompletion => "attention",
        DossierState::Accepted | DossierState::AcceptedBySilence => "succes",
        DossierState::Refused | DossierState::RefusedBySilence => "erreur",
        _ => "neutre",
    }
}

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

/// The filter form, as the address carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct QueueForm {
    #[serde(default)]
    equipe: String,
    #[serde(default)]
    etat: String,
    #[serde(default)]
    demarche: String,
    #[serde(default)]
    mes: String,
    /// One member's dossiers (from the member's account page).
    #[serde(default)]
    assure: String,
    /// `oui`: only the late ones (the delay dashboard's link).
    #[serde(default)]
    retard: String,
    #[serde(default)]
    page: Option<PageNumber>,
}

impl QueueForm {
    /// The same filters as an address, at page `page` (from 1).
    fn link(&self, page: u64) -> String {
        format!(
            "/agent/dossiers?equipe={}&etat={}&demarche={}&mes={}&assure={}&retard={}&page={page}",
            urlencode(&self.equipe),
            urlencode(&self.etat),
            urlencode(&self.demarche),
            urlencode(&self.mes),
            urlencode(&self.assure),
            urlencode(&self.retard),
        )
    }

    /// What was typed, shortened for showing back.
    fn echoed(&self) -> QueueForm {
        QueueForm {
            equipe: echo(&self.equipe, 40),
            etat: echo(&self.etat, 32),
            demarche: echo(&self.demarche, 64),
            mes: echo(&self.mes, 3),
            assure: echo(&self.assure, 36),
            retard: echo(&self.retard, 3),
            page: self.page,
        }
    }

    fn is_filtered(&self) -> bool {
        [
            &self.equipe,
            &self.etat,
            &self.demarche,
            &self.mes,
            &self.assure,
            &self.retard,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }

    /// Core's query; an unknown value filters nothing rather than failing the page.
    fn query(&self) -> QueueQuery {
        QueueQuery {
            team: match self.equipe.as_str() {
                "" => None,
                NO_TEAM => Some(None),
                id => id.parse::<Uuid>().ok().map(Some),
            },
            state: DossierState::from_code(&self.etat).filter(|s| DossierState::FILED.contains(s)),
            procedure: Some(self.demarche.clone()).filter(|p| !p.is_empty()),
            mine: self.mes == "oui",
            member: self.assure.parse::<Uuid>().ok(),
            late: self.retard == "oui",
            page: page_or_first(self.page) - 1,
        }
    }
}

/// One line of the queue, as shown.
struct QueueRow {
    id: Uuid,
    reference: String,
    title: String,
    state: &'static str,
    state_class: &'static str,
    member: String,
    submitted_on: String,
    due_on: String,
    late: bool,
    team: String,
    mine: bool,
}

impl QueueRow {
    fn of(line: &QueueLine) -> QueueRow {
        QueueRow {
            id: line.id,
            reference: line.reference.clone(),
            title: line.title.clone(),
            state: line.state.label_fr(),
            state_class: state_class(line.state),
            member: line.member.clone(),
            submitted_on: line.submitted_on.map(letter_date).unwrap_or_default(),
            due_on: line.due_on.map_or_else(|| "—".to_owned(), letter_date),
            late: line.late,
            team: line.team.clone().unwrap_or_else(|| "Aucune".to_owned()),
            mine: line.mine,
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/dossiers/queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<QueueRow>,
    filters: QueueForm,
    teams: Vec<(String, String)>,
    states: Vec<(&'static str, &'static str)>,
    procedures: Vec<(String, String)>,
    page: u64,
    /// Lines on this page.
    shown: usize,
    previous: Option<String>,
    next: Option<String>,
    filtered: bool,
}

/// `GET /agent/dossiers`: the fund's dossiers, due date first.
pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(form): Query<QueueForm>,
) -> Result<Response, AppError> {
    let found = state
        .demarches
        .queue(staff.id, &form.query(), &context)
        .await
        .map_err(refusal)?;
    let page = found.page + 1;
    let view = QueuePage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Dossiers des démarches",
            SECTION_DOSSIERS,
        ),
        rows: found.lines.iter().map(QueueRow::of).collect(),
        previous: (page > 1).then(|| form.link(page - 1)),
        next: found.has_next.then(|| form.link(page + 1)),
        page,
        shown: found.lines.len(),
        filtered: form.is_filtered(),
        filters: form.echoed(),
        teams: found
            .teams
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect(),
        states: DossierState::FILED
            .iter()
            .map(|s| (s.code(), s.label_fr()))
            .collect(),
        procedures: found.procedures,
    };
    Ok(render(&view)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// A dossier
// ---------------------------------------------------------------------------------------------

/// A file of the dossier, as a download link (none once erased).
struct PieceLine {
    href: Option<String>,
    name: String,
    label: String,
}

/// One answer of a step.
struct AnswerRow {
    label: String,
    /// The answer as read; for a group, one line per row.
    lines: Vec<String>,
    /// A files field: its pieces (perhaps none).
    pieces: Option<Vec<PieceLine>>,
}

struct StepView {
    title: String,
    rows: Vec<AnswerRow>,
}

struct TimelineLine {
    at: String,
    label: String,
    note: Option<String>,
    by_fund: bool,
}

/// A field the advisor may flag for completion.
struct FlagChoice {
    id: String,
    label: String,
    step: String,
    checked: bool,
}

/// A refusal reason of the definition, as a checkbox.
struct ReasonChoice {
    /// Position, for the input's id.
    n: usize,
    text: String,
    checked: bool,
}

/// What a refused action leaves on the page: the advisor's input and why.
#[derive(Default)]
struct Screen {
    /// The confirmation of the last action.
    done: Option<&'static str>,
    /// Why the action was refused, when no field is to blame.
    refused: Option<String>,
    message: String,
    flagged: Vec<String>,
    reasons: Vec<String>,
    free_reason: String,
}

#[derive(Template)]
#[template(path = "back_office/dossiers/show.html")]
struct DossierPage {
    layout: Layout,
    id: Uuid,
    reference: String,
    title: String,
    state: &'static str,
    state_class: &'static str,
    due_on: Option<String>,
    late: bool,
    submitted: Option<String>,
    decided: Option<String>,
    team: String,
    assignee: Option<String>,
    person: Option<String>,
    member_id: Uuid,
    member_name: String,
    member_nir: String,
    member_birth_date: String,
    member_address: Vec<String>,
    steps: Vec<StepView>,
    timeline: Vec<TimelineLine>,
    chain_holds: bool,
    c2s_preview: Option<String>,
    completion: Option<(String, Vec<String>)>,
    reasons: Vec<String>,
    can_take: bool,
    /// Taking it from « À compléter » resumes instruction without the member's answer.
    take_resumes: bool,
    can_ask: bool,
    can_accept: bool,
    can_refuse: bool,
    can_close: bool,
    /// « Ouvrir une enquête » and the due date it brings.
    investigation_due_on: Option<String>,
    /// The card's next production step.
    card_next: Option<&'static str>,
    flags: Vec<FlagChoice>,
    reason_choices: Vec<ReasonChoice>,
    transfer_teams: Vec<(Uuid, String)>,
    screen: Screen,
    problems: Problems,
}

impl DossierPage {
    fn any_decision(&self) -> bool {
        self.can_accept || self.can_refuse || self.can_close
    }
}

/// One line per row of group `field`: « 1 — Prénom : Léa ; Nom : MARTIN ».
fn row_lines(field: &Field, rows: &[caisse_domain::demarches::Answers]) -> Vec<String> {
    let FieldKind::Group { fields, .. } = &field.kind else {
        return Vec::new();
    };
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let parts: Vec<String> = fields
                .iter()
                .filter_map(|sub| {
                    row.get(&sub.id)
                        .map(|value| format!("{} : {}", sub.label, value.shown(sub)))
                })
                .collect();
            format!("{} — {}", index + 1, parts.join(" ; "))
        })
        .collect()
}

fn steps_of(view: &DossierView) -> Vec<StepView> {
    view.definition
        .steps
        .iter()
        .map(|step| StepView {
            title: step.title.clone(),
            rows: step
                .fields
                .iter()
                .filter_map(|field| {
                    if field.kind.is_files() {
                        let pieces = view
                            .pieces
                            .iter()
                            .filter(|p| p.field == field.id)
                            .map(|p| PieceLine {
                                href: (!p.erased).then(|| {
                                    format!("/agent/dossiers/{}/pieces/{}", view.id, p.id)
                                }),
                                name: p.name.clone(),
                                label: if p.erased {
                                    "Effacé après décision".to_owned()
                                } else {
                                    kind_and_size(p.kind, p.size_bytes)
                                },
                            })
                            .collect();
                        return Some(AnswerRow {
                            label: field.label.clone(),
                            lines: Vec::new(),
                            pieces: Some(pieces),
                        });
                    }
                    // A field hidden by the member's other answers has none: nothing to read.
                    let value = view.answers.get(&field.id)?;
                    let lines = match value {
                        AnswerValue::Rows(rows) if !rows.is_empty() => row_lines(field, rows),
                        other => vec![other.shown(field)],
                    };
                    Some(AnswerRow {
                        label: field.label.clone(),
                        lines,
                        pieces: None,
                    })
                })
                .collect(),
        })
        .filter(|step| !step.rows.is_empty())
        .collect()
}

/// Fixed confirmations after an action, chosen by a code in the address.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "pris" => Some("Vous instruisez ce dossier."),
        "complements" => Some(
            "La demande de compléments est envoyée : l'assuré est prévenu et le délai est suspendu.",
        ),
        "accepte" => Some("Le dossier est accepté ; l'assuré est prévenu."),
        "refuse" => Some("Le dossier est refusé ; l'assuré est prévenu avec les motifs."),
        "classe" => Some("Le dossier est classé sans suite ; l'assuré est prévenu."),
        "transmis" => Some("Le dossier est transmis : il attend dans la file de l'équipe choisie."),
        "enquete" => Some(
            "L'enquête est ouverte : la date de décision est reportée et l'assuré est prévenu.",
        ),
        "carte" => Some("L'étape de la carte est enregistrée ; l'assuré la voit dans son dossier."),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// `GET /agent/dossiers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let screen = Screen {
        done: done_message(query.fait.as_deref()),
        ..Screen::default()
    };
    render_dossier(&state, &staff, &context, id, screen, Problems::none()).await
}

/// Renders the dossier for `staff`: 422 with problems, 409 for a refusal that is not a
/// field's, 200 otherwise. Reading it is audited by core.
async fn render_dossier(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    screen: Screen,
    problems: Problems,
) -> Result<Response, AppError> {
    let found: StaffDossier = state
        .demarches
        .staff_dossier(staff.id, id, context)
        .await
        .map_err(refusal)?;
    let today = fund_today(state, staff)?;
    let view = &found.view;
    let definition = &view.definition;
    let current = view.state;
    let status = if !problems.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if screen.refused.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        format!("Dossier {}", view.reference),
        SECTION_DOSSIERS,
    );
    if let Some(message) = screen.done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let flags = definition
        .steps
        .iter()
        .flat_map(|step| {
            step.fields.iter().map(|field| FlagChoice {
                id: field.id.as_str().to_owned(),
                label: field.label.clone(),
                step: step.title.clone(),
                checked: screen.flagged.iter().any(|f| f == field.id.as_str()),
            })
        })
        .collect();
    let reason_choices = definition
        .refusal_reasons
        .iter()
        .enumerate()
        .map(|(n, text)| ReasonChoice {
            n: n + 1,
            text: text.clone(),
            checked: screen.reasons.contains(text),
        })
        .collect();
    let completion = view.completion.as_ref().map(|c| {
        let labels = c
            .fields
            .iter()
            .map(|f| {
                definition
                    .field(f.as_str())
                    .map_or_else(|| f.as_str().to_owned(), |field| field.label.clone())
            })
            .collect();
        (c.message.clone(), labels)
    });
    let current_team = found.team.clone();
    let page = DossierPage {
        layout,
        id: view.id,
        reference: view.reference.clone(),
        title: definition.title.clone(),
        state: current.label_fr(),
        state_class: state_class(current),
        due_on: view.due_on.map(letter_date),
        late: view.due_on.is_some_and(|due| due < today)
            && current.is_open()
            && current != DossierState::AwaitingCompletion,
        submitted: view.submitted_at.map(|at| paris_fr(at.get())),
        decided: view.decided_at.map(|at| paris_fr(at.get())),
        team: found.team.clone().unwrap_or_else(|| "Aucune".to_owned()),
        assignee: found.assignee.clone(),
        person: (view.person_rank != 1).then(|| view.person_name.clone()),
        member_id: view.member_id,
        member_name: found.member_name.clone(),
        member_nir: found.member_nir.clone(),
        member_birth_date: letter_date(found.member_birth_date),
        member_address: found.member_address.clone(),
        steps: steps_of(view),
        timeline: view
            .timeline
            .iter()
            .map(|entry| TimelineLine {
                at: paris_fr(entry.at.get()),
                label: entry.label.clone(),
                note: entry.note.clone(),
                by_fund: entry.by_fund,
            })
            .collect(),
        chain_holds: view.chain_holds,
        c2s_preview: found.c2s_preview.clone(),
        completion,
        reasons: view.reasons.clone(),
        can_take: current.after(Move::StartInstruction).is_some(),
        take_resumes: current == DossierState::AwaitingCompletion,
        can_ask: current.after(Move::AskCompletion).is_some(),
        can_accept: current.after(Move::Accept).is_some(),
        can_refuse: current.after(Move::Refuse).is_some(),
        can_close: current.after(Move::CloseWithoutFollowUp).is_some(),
        investigation_due_on: found
            .investigation_due_on
            .map(caisse_domain::french::letter_date),
        card_next: found.card_next,
        flags,
        reason_choices,
        transfer_teams: if current.is_open() {
            found
                .teams
                .iter()
                .filter(|(_, name)| Some(name) != current_team.as_ref())
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
        screen,
        problems,
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /agent/dossiers/{id}/pieces/{piece}`: a piece of the dossier (audited by core).
pub async fn piece(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((id, piece_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let (name, kind, bytes) = state
        .demarches
        .staff_piece(staff.id, id, piece_id, &context)
        .await
        .map_err(refusal)?;
    Ok(file_response(AttachmentFile { name, kind, bytes }))
}

// ---------------------------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------------------------

/// What an action's outcome becomes: a redirect to the dossier with confirmation `done`, or
/// the dossier again with why it was refused (beside form field `field` when the input is to
/// blame).
async fn outcome(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    result: Result<(), DossierError>,
    (done, field): (&'static str, &'static str),
    screen: Screen,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/agent/dossiers/{id}?fait={done}")).into_response()),
        Err(DossierError::BadDecision(why)) => {
            let problems = Problems::one(field, why);
            render_dossier(state, staff, context, id, screen, problems).await
        }
        Err(
            error @ (DossierError::WrongState | DossierError::Conflict | DossierError::Effect(_)),
        ) => {
            let screen = Screen {
                refused: Some(error.message_fr()),
                ..screen
            };
            render_dossier(state, staff, context, id, screen, Problems::none()).await
        }
        Err(other) => Err(refusal(other)),
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// A one-button form's outcome: back to the dossier with `done`'s confirmation, or the
/// dossier again with the refusal as a notice (never beside a field: there is none).
async fn one_button(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    result: Result<(), DossierError>,
    done: &'static str,
) -> Result<Response, AppError> {
    let result = result.map_err(|error| match error {
        DossierError::BadDecision(why) => DossierError::Effect(why.to_owned()),
        other => other,
    });
    outcome(
        state,
        staff,
        context,
        id,
        result,
        (done, done),
        Screen::default(),
    )
    .await
}

/// `POST /agent/dossiers/{id}/prendre`: the advisor starts instructing it.
pub async fn take(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let result = state.demarches.take(staff.id, id, &context).await;
    one_button(&state, &staff, &context, id, result, "pris").await
}

/// `POST /agent/dossiers/{id}/enquete`: the advisor opens an investigation (the procedure's
/// longer delay, e.g. 90 jours francs for an accident du travail).
pub async fn open_investigation(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let result = state
        .demarches
        .open_investigation(staff.id, id, &context)
        .await;
    one_button(&state, &staff, &context, id, result, "enquete").await
}

/// `POST /agent/dossiers/{id}/carte`: the advisor records the next production step of the
/// card the dossier ordered, as the producer reports it.
pub async fn advance_card(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let result = state.demarches.advance_card(staff.id, id, &context).await;
    one_button(&state, &staff, &context, id, result, "carte").await
}

/// Every value of the form's repeated `name`.
fn all_of(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

/// The first value of `name`, or empty.
fn one_of(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

/// `POST /agent/dossiers/{id}/completer`: a message and the fields (`champ`, repeated) the
/// member is to complete; the delay pauses.
pub async fn ask_completion(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let message = one_of(&fields, "message");
    let flagged = all_of(&fields, "champ");
    // An id that does not parse is one the definition lacks: core refuses it as such.
    let ids: Option<Vec<FieldId>> = flagged.iter().map(|f| FieldId::parse(f)).collect();
    let screen = Screen {
        message: echo(&message, ECHO_MAX),
        flagged: flagged.clone(),
        ..Screen::default()
    };
    let result = match ids {
        Some(ids) => {
            state
                .demarches
                .ask_completion(staff.id, id, &message, ids, &context)
                .await
        }
        None => Err(DossierError::BadDecision(
            "Cochez au moins une réponse ou un justificatif à compléter.",
        )),
    };
    // The message's own refusal goes beside it, the fields' beside the checkboxes.
    let field = if message.trim().is_empty() {
        "message"
    } else {
        "champs"
    };
    outcome(
        &state,
        &staff,
        &context,
        id,
        result,
        ("complements", field),
        screen,
    )
    .await
}

/// `POST /agent/dossiers/{id}/decider`: `decision` = `accepter`, `refuser` or `classer`, with
/// the reasons ticked (`motif`, repeated) and one written (`motif_libre`).
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let ticked = all_of(&fields, "motif");
    let free_reason = one_of(&fields, "motif_libre");
    let screen = Screen {
        reasons: ticked.clone(),
        free_reason: echo(&free_reason, ECHO_MAX),
        ..Screen::default()
    };
    let (decision, done) = match one_of(&fields, "decision").as_str() {
        "accepter" => (Decision::Accept, "accepte"),
        "refuser" => (Decision::Refuse, "refuse"),
        "classer" => (Decision::Close, "classe"),
        _ => {
            let result = Err(DossierError::BadDecision("Choisissez une décision."));
            return outcome(
                &state,
                &staff,
                &context,
                id,
                result,
                ("", "decision"),
                screen,
            )
            .await;
        }
    };
    let mut reasons = ticked;
    reasons.push(free_reason);
    let result = state
        .demarches
        .decide(staff.id, id, decision, reasons, &context)
        .await;
    outcome(
        &state,
        &staff,
        &context,
        id,
        result,
        (done, "motifs"),
        screen,
    )
    .await
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    equipe: String,
}

/// `POST /agent/dossiers/{id}/transmettre`: to team `equipe` of the fund.
pub async fn transfer(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> Result<Response, AppError> {
    let result = match form.equipe.trim().parse::<Uuid>() {
        Ok(team_id) => {
            state
                .demarches
                .transfer(staff.id, id, team_id, &context)
                .await
        }
        Err(_) => Err(DossierError::BadDecision(
            "Choisissez une équipe de votre caisse.",
        )),
    };
    outcome(
        &state,
        &staff,
        &context,
        id,
        result,
        ("transmis", "equipe"),
        Screen::default(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(query: &str) -> QueueForm {
        serde_urlencoded::from_str(query).unwrap_or_default()
    }

    #[test]
    fn the_filter_form_reads_as_cores_query_and_unknown_values_filter_nothing() {
        let team = Uuid::nil();
        let query = form(&format!(
            "equipe={team}&etat=a_completer&demarche=ceam&mes=oui&page=3"
        ))
        .query();
        assert_eq!(query.team, Some(Some(team)));
        assert_eq!(query.state, Some(DossierState::AwaitingCompletion));
        assert_eq!(query.procedure.as_deref(), Some("ceam"));
        assert!(query.mine);
        assert!(!query.late);
        assert!(form("retard=oui").query().late);
        assert_eq!(query.page, 2, "core counts pages from 0");

        assert_eq!(form("equipe=aucune").query().team, Some(None));
        let unknown = form("equipe=rien&etat=brouillon&mes=peut-etre").query();
        assert_eq!(unknown.team, None);
        assert_eq!(unknown.state, None, "a draft is never in the queue");
        assert!(!unknown.mine);
        assert_eq!(form("").query().page, 0);
    }

    #[test]
    fn page_links_keep_the_filters() {
        let filters = form("equipe=aucune&etat=deposee&demarche=carte-vitale&mes=oui&assure=x");
        assert_eq!(
            filters.link(2),
            "/agent/dossiers?equipe=aucune&etat=deposee&demarche=carte-vitale&mes=oui&assure=x&retard=&page=2"
        );
    }
}
