//! `/agent/messagerie/{id}`: the advisor's workspace on a thread of their fund: every message
//! (internal notes marked) and the reply box, the member's file beside them (reading it is
//! audited), the other actions grouped in panels (tabs with JavaScript), a « Fil suivant » link
//! to the next thread of the queue, and keyboard shortcuts (`static/js/back-office-keys.js`).
//! The same page, rendered again by an action, carries the staff member's drafts, the problems
//! of a form, or the conflict notice with the thread as it is now.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::audit::RequestContext;
use caisse_core::messaging::{MessageAuthor, staff_targets};
use caisse_core::staff::StaffRole;
use caisse_domain::FUNDS;
use caisse_domain::messaging::{TeamCode, ThreadStatus, UNROUTED_LABEL_FR, Variable};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    SECTION_MESSAGING, ThreadLine, fund_of, fund_today, limit_of, name_in, names_of, refusal,
    team_names,
};
use crate::error::AppError;
use crate::forms::{CharLimit, Problems};
use crate::layout::{Flash, Layout};
use crate::pages::attachments::FileLink;
use crate::pages::back_office::payments::RecentPayments;
use crate::pages::back_office::reclamation_outcome::OutcomeForm;
use crate::pages::back_office::rights_view::RightsView;
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};
use caisse_domain::french::letter_date;

/// One message as the staff member reads it.
struct MessageView {
    author: String,
    from_member: bool,
    internal: bool,
    body: String,
    at: String,
    /// Written after the staff member read the thread (on the conflict screen).
    new: bool,
    files: Vec<FileLink>,
}

/// The member's file beside the thread.
struct FileView {
    member_id: Uuid,
    /// The member is of the staff member's fund (a thread transferred from another fund may
    /// be a member of another): their account page opens.
    own_fund: bool,
    full_name: String,
    nir: String,
    birth_date: String,
    fund_name: String,
    address_lines: Vec<String>,
    email: Option<String>,
    phone: Option<String>,
    notifications: Option<String>,
    others: Vec<(Uuid, String, String, &'static str)>,
}

/// A canned answer offered in the reply form, with its text rendered for the thread.
struct CannedOption {
    id: Uuid,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "back_office/messagerie/thread.html")]
struct ThreadPage {
    layout: Layout,
    thread: ThreadLine,
    messages: Vec<MessageView>,
    /// Some message was written after the staff member read the thread.
    has_new: bool,
    file: FileView,
    screen: Screen,
    problems: Problems,
    /// Shown to take it in charge (« En attente de traitement »).
    can_claim: bool,
    /// Superviseurs and administrateurs assign anyone of the fund: (id, name, assigned now).
    colleagues: Vec<(Uuid, String, bool)>,
    statuses: Vec<(&'static str, &'static str)>,
    teams: Vec<(String, String)>,
    funds: Vec<(&'static str, String)>,
    open: bool,
    canned: Vec<CannedOption>,
    variables: String,
    reply_limit: CharLimit,
    note_limit: CharLimit,
    /// The outcome of an answered réclamation (a partial of `pages::back_office::reclamation_outcome`).
    outcome_form: Option<OutcomeForm>,
    /// The family's rights, beside the member's file.
    rights: Option<RightsView>,
    /// The member's latest payments (none for a member of another fund).
    recent_payments: Option<RecentPayments>,
    /// « Fil suivant »: the next open thread of the queue nobody else has taken.
    next_thread: Option<Uuid>,
}

/// What an action leaves on the page it renders again: the drafts, how many messages the
/// staff member had seen, the conflict or refusal, the notice.
#[derive(Debug, Default)]
pub(super) struct Screen {
    /// The reply being written.
    pub reply: String,
    /// The note being written.
    pub note: String,
    /// How many messages the staff member's page showed (the hidden `vus` field).
    pub seen: Option<usize>,
    /// The version the staff member's page showed: another one now is a conflict (even for
    /// « Insérer », which writes nothing, so the staff member sees what changed before sending).
    pub read_version: Option<i32>,
    /// The thread changed since the staff member read it.
    pub conflict: bool,
    /// Why the thread's status refused the action, in French.
    pub refused: Option<&'static str>,
    /// The confirmation of the last action.
    pub done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// Fixed confirmations after an action, chosen by a code in the address.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "pris" => Some("Vous avez pris ce message en charge."),
        "attribue" => Some("Le message est attribué."),
        "repondu" => Some("Votre réponse est envoyée ; l'assuré est prévenu."),
        "note" => Some("La note interne est enregistrée."),
        "statut" => Some("Le statut du message est modifié."),
        "nature" => Some("La nature du message est enregistrée."),
        "equipe" => Some("Le message est transféré : il attend dans la file de l'équipe choisie."),
        "cloture" => Some("Le message est clôturé : il est « Traité »."),
        _ => None,
    }
}

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
    render_thread(&state, &staff, &context, id, screen, Problems::none()).await
}

/// Renders the thread page for `staff`: 409 on a conflict or a refusal, 422 with problems,
/// 200 otherwise. Reading the thread and the member's file is audited.
pub(super) async fn render_thread(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    screen: Screen,
    problems: Problems,
) -> Result<Response, AppError> {
    let messaging = &state.messaging;
    let detail = messaging
        .staff
        .staff_thread(staff.id, id, context)
        .await
        .map_err(refusal)?;
    let file = messaging
        .staff
        .staff_member_file(staff.id, id, context)
        .await
        .map_err(refusal)?;
    let canned = messaging
        .staff
        .canned_answers_for_thread(staff.id, id)
        .await
        .map_err(refusal)?;
    let next_thread = messaging
        .staff
        .next_thread(staff.id, id)
        .await
        .map_err(refusal)?;
    let teams = team_names(state, staff).await?;
    let recent_payments = RecentPayments::load(state, staff, file.member_id, context).await?;
    let people = detail
        .messages
        .iter()
        .filter_map(|m| match m.author {
            MessageAuthor::Staff(id) => id,
            MessageAuthor::Member => None,
        })
        .chain(detail.thread.assigned_staff_id);
    let names = names_of(state, people.collect()).await?;
    let colleagues = if staff.role >= StaffRole::Superviseur {
        messaging
            .staff
            .colleagues(staff.id)
            .await
            .map_err(refusal)?
            .into_iter()
            .map(|c| {
                let current = Some(c.id) == detail.thread.assigned_staff_id;
                (c.id, c.display_name, current)
            })
            .collect()
    } else {
        Vec::new()
    };
    let today = fund_today(state, staff)?;
    let thread = &detail.thread;
    let screen = Screen {
        conflict: screen.conflict || screen.read_version.is_some_and(|v| v != thread.version),
        ..screen
    };
    let member_name = format!("{} {}", file.first_name, file.last_name);
    let seen = screen.seen.unwrap_or(detail.messages.len());
    let messages: Vec<MessageView> = detail
        .messages
        .iter()
        .enumerate()
        .map(|(index, m)| MessageView {
            author: match m.author {
                MessageAuthor::Member => member_name.clone(),
                MessageAuthor::Staff(id) => name_in(&names, id),
            },
            from_member: m.author == MessageAuthor::Member,
            internal: m.internal,
            body: m.body.clone(),
            at: paris_fr(m.created_at),
            new: screen.conflict && index >= seen,
            files: m
                .attachments
                .iter()
                .map(|info| FileLink::of("/agent/messagerie", thread.id, info))
                .collect(),
        })
        .collect();
    let own_fund = fund_of(staff).to_owned();
    let status = if screen.conflict || screen.refused.is_some() {
        StatusCode::CONFLICT
    } else if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        format!("Message {}", thread.reference),
        SECTION_MESSAGING,
    );
    if let Some(message) = screen.done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let page = ThreadPage {
        outcome_form: OutcomeForm::for_thread(thread),
        layout,
        has_new: messages.iter().any(|m| m.new),
        can_claim: thread.status == ThreadStatus::EnAttente,
        open: thread.status.is_open(),
        colleagues,
        statuses: staff_targets(thread.status)
            .into_iter()
            .map(|s| (s.code(), s.label_fr()))
            .collect(),
        teams: teams
            .iter()
            .filter(|(code, _)| Some(code.as_str()) != thread.team.as_ref().map(TeamCode::as_str))
            .cloned()
            .chain(
                thread
                    .team
                    .is_some()
                    .then(|| ("accueil".to_owned(), UNROUTED_LABEL_FR.to_owned())),
            )
            .collect(),
        funds: FUNDS
            .iter()
            .filter(|f| f.code().as_str() != own_fund)
            .map(|f| {
                (
                    f.code().as_str(),
                    format!("{} ({})", f.name(), f.code().as_str()),
                )
            })
            .collect(),
        canned: canned
            .into_iter()
            .map(|(answer, text)| CannedOption {
                id: answer.id,
                title: answer.title,
                text,
            })
            .collect(),
        variables: Variable::ALL
            .iter()
            .map(|v| format!("{{{}}} ({})", v.name(), v.label_fr()))
            .collect::<Vec<_>>()
            .join(", "),
        reply_limit: limit_of(messaging.settings().limits.body_max_chars, &screen.reply),
        note_limit: limit_of(messaging.settings().limits.body_max_chars, &screen.note),
        thread: ThreadLine::of(
            thread,
            today,
            &messaging.settings().catalogue,
            &teams,
            &names,
        ),
        messages,
        rights: file.rights.as_ref().map(RightsView::of),
        file: FileView {
            member_id: file.member_id,
            own_fund: recent_payments.is_some(),
            full_name: member_name,
            nir: file.nir,
            birth_date: letter_date(file.birth_date),
            fund_name: file.fund_name,
            address_lines: file.address_lines,
            email: file.email,
            phone: file.phone,
            notifications: file.notifications.map(|(email, sms)| {
                match (email, sms) {
                    (true, true) => "Par e-mail et par SMS",
                    (true, false) => "Par e-mail",
                    (false, true) => "Par SMS",
                    (false, false) => "Aucune",
                }
                .to_owned()
            }),
            others: file
                .other_threads
                .into_iter()
                .map(|t| (t.id, t.reference, t.subject, t.status.label_fr()))
                .collect(),
        },
        recent_payments,
        next_thread,
        screen,
        problems,
    };
    Ok((status, render(&page)?).into_response())
}
