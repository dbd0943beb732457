//! The advisors' back office for secure messaging (issue 4, point 8): the fund's queue
//! (`queue`), a thread beside the member's file with every action (`thread` shows it,
//! `actions` handles the forms), and the fund's canned answers (`canned`).
//!
//! Every page and form reaches only the advisor's fund: another fund's thread or canned
//! answer is a 404, exactly like a missing one. Each action carries the version the advisor
//! read; a stale one shows the thread as it is now with the advisor's draft kept
//! (« Ce message a changé pendant que vous le consultiez »).

pub mod actions;
pub mod canned;
pub mod queue;
pub mod thread;

use caisse_core::accounts::FormProblem;
use caisse_core::messaging::MessagingError;
use caisse_domain::messaging::{Catalogue, UNROUTED_LABEL_FR};

use crate::error::AppError;
use crate::forms::Problems;
use crate::visitor::{CurrentStaff, Viewer};

/// Layout section of the queue and the thread pages.
const SECTION_MESSAGING: &str = "agent-messagerie";

/// The refusals that have no page of their own.
fn refusal(error: MessagingError) -> AppError {
    match error {
        MessagingError::NotFound => AppError::NotFound,
        MessagingError::NotAllowed => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
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

/// One `<option>`: value and label.
struct Choice {
    value: String,
    label: String,
}

/// An `<optgroup>` of objets.
struct ChoiceGroup {
    label: String,
    choices: Vec<Choice>,
}

/// The catalogue as `<optgroup>`s.
fn objet_groups(catalogue: &Catalogue) -> Vec<ChoiceGroup> {
    catalogue
        .categories()
        .into_iter()
        .map(|category| ChoiceGroup {
            label: category.label.to_owned(),
            choices: category
                .objets
                .into_iter()
                .map(|o| Choice {
                    value: o.code().to_owned(),
                    label: o.label_fr().to_owned(),
                })
                .collect(),
        })
        .collect()
}
