//! The back office: every page of staff members, under `/agent` and `/admin` (each reaches
//! only the staff member's fund: another fund's object is a 404, exactly like a missing one).
//!
//! Their login (`login`, `login_code`); the member search, account and alerts (`accounts`)
//! with the family's rights (`rights_view`) and payments (`payments`: the latest beside a
//! thread and on the account, a payment's lines; `corrections`: correcting a paid line and
//! the supervisors' approvals); the print queue of codes by post (`print_queue`);
//! secure messaging: the fund's queue (`queue`), a thread beside the member's file with every
//! action (`thread` shows it, `actions` handles the forms), its PDF (`thread_pdf`), a
//! réclamation's outcome (`reclamation_outcome`) and the canned answers (`canned`); the
//! médiateur's queue (`mediation`), the delay dashboard (`dashboard`) and the administrators'
//! outbox (`outbox_admin`); the instruction of the members' démarches (`dossiers`); the
//! advisors' agenda of appointments (`agenda`); the supervisors' editing of the help's FAQ
//! (`help`). Each messaging action carries the version the staff member read;
//! a stale one shows the thread as it is now with the draft kept (« Ce message a changé
//! pendant que vous le consultiez »). This module holds what the messaging pages share.

pub mod accounts;
pub mod accounts_search;
pub mod actions;
pub mod agenda;
pub mod canned;
pub mod classify;
pub mod corrections;
pub mod dashboard;
pub mod dossiers;
pub mod forum;
pub mod help;
pub mod home;
pub mod login;
pub mod login_code;
pub mod mediation;
pub mod outbox_admin;
pub mod payments;
pub mod print_queue;
pub mod queue;
pub mod reclamation_outcome;
pub mod rights_view;
pub mod staff_idp;
pub mod thread;
pub mod thread_pdf;

use caisse_core::accounts::FormProblem;
use caisse_core::messaging::{StaffError, ThreadSummary};
use caisse_domain::CaisseCode;
use caisse_domain::messaging::{Body, Catalogue, TeamCode, UNROUTED_LABEL_FR};
use time::Date;
use uuid::Uuid;

use crate::error::AppError;
use crate::forms::{CharLimit, Problems};
use crate::pages::paris_fr;
use crate::state::AppState;
use crate::visitor::{CurrentStaff, Viewer};
use caisse_domain::french::letter_date;

/// Layout section of the queue and the thread pages.
const SECTION_MESSAGING: &str = "agent-messagerie";

/// The teams of the staff member's fund: (code, name), by name.
async fn team_names(
    state: &AppState,
    staff: &CurrentStaff,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .messaging
        .staff
        .fund_teams(staff.id)
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|t| (t.code.as_str().to_owned(), t.name))
        .collect())
}

/// The names of the staff with these ids (each fetched once).
async fn names_of(state: &AppState, mut ids: Vec<Uuid>) -> Result<Vec<(Uuid, String)>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    state
        .messaging
        .staff
        .staff_names(&ids)
        .await
        .map_err(refusal)
}

/// The refusals that have no page of their own.
fn refusal(error: StaffError) -> AppError {
    match error {
        StaffError::NotFound => AppError::NotFound,
        StaffError::NotAllowed => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// Today in the legal time of the logged-in staff user's fund: a thread due before it is late.
fn fund_today(state: &AppState, staff: &CurrentStaff) -> Result<Date, AppError> {
    let fund = CaisseCode::parse(fund_of(staff)).map_err(AppError::unexpected)?;
    Ok(state.messaging.staff.fund_today(fund))
}

/// The fund code of the logged-in staff user.
fn fund_of(staff: &CurrentStaff) -> &str {
    match &staff.visitor.viewer {
        Viewer::Staff { caisse_code, .. } => caisse_code,
        _ => "",
    }
}

/// The French label of an objet code (the code itself if the catalogue no longer has it).
fn objet_label(catalogue: &Catalogue, code: &str) -> String {
    catalogue
        .get(code)
        .map_or_else(|| code.to_owned(), |o| o.label_fr().to_owned())
}

/// The name of a team code among `teams` (code, name), « Accueil (non routé) » for none.
fn team_label(teams: &[(String, String)], code: Option<&str>) -> String {
    match code {
        None => UNROUTED_LABEL_FR.to_owned(),
        Some(code) => teams
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, name)| name.clone()),
    }
}

/// The problems of a use case, each moved to the form field that shows it (`fields` maps the
/// use case's field names to the page's).
fn problems_on(problems: Vec<FormProblem>, fields: &[(&str, &'static str)]) -> Problems {
    Problems::from(
        problems
            .into_iter()
            .map(|p| FormProblem {
                field: fields
                    .iter()
                    .find(|(from, _)| *from == p.field)
                    .map_or(p.field, |(_, to)| to),
                message: p.message,
            })
            .collect::<Vec<_>>(),
    )
}

/// The name of staff member `id` among `names`, or a neutral one (an account since removed).
fn name_in(names: &[(Uuid, String)], id: Option<Uuid>) -> String {
    id.and_then(|id| names.iter().find(|(n, _)| *n == id))
        .map_or_else(|| "Un agent".to_owned(), |(_, name)| name.clone())
}

/// A thread's particulars as the queue's rows and the thread's page show them.
struct ThreadLine {
    id: Uuid,
    reference: String,
    subject: String,
    objet: String,
    nature: &'static str,
    status: &'static str,
    /// CSS modifier of the status badge (`en-attente`, `en-cours`, `traite`).
    status_class: String,
    due_on: String,
    /// Open and due before the fund's today: « En retard ».
    late: bool,
    team: String,
    assignee: Option<String>,
    received: String,
    version: i32,
}

impl ThreadLine {
    /// `thread` with its labels: objets from `catalogue`, teams from `teams` (code, name),
    /// the assignee from `names`; late as of `today`.
    fn of(
        thread: &ThreadSummary,
        today: Date,
        catalogue: &Catalogue,
        teams: &[(String, String)],
        names: &[(Uuid, String)],
    ) -> ThreadLine {
        ThreadLine {
            id: thread.id,
            reference: thread.reference.clone(),
            subject: thread.subject.clone(),
            objet: objet_label(catalogue, &thread.objet_code),
            nature: thread.nature.label_fr(),
            status: thread.status.label_fr(),
            status_class: thread.status.code().replace('_', "-"),
            due_on: letter_date(thread.due_on),
            late: thread.is_overdue(today),
            team: team_label(teams, thread.team.as_ref().map(TeamCode::as_str)),
            assignee: thread.assigned_staff_id.map(|id| name_in(names, Some(id))),
            received: paris_fr(thread.created_at),
            version: thread.version,
        }
    }
}

/// The limit of a text a staff member writes (reply, note, canned answer), with the count of the draft the page shows again.
fn limit_of(max: usize, draft: &str) -> CharLimit {
    let limit = CharLimit::new(max);
    if draft.is_empty() {
        limit
    } else {
        limit.counted(Body::counted_chars(draft))
    }
}
