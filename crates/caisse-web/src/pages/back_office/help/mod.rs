//! `/agent/aide`: the fund's FAQ as its supervisors and administrators edit it (issue 17). The
//! list with its filters (`list`), an entry with its history and actions (`entry`), the form
//! of a new entry or of a new version (`form`), and the questions the help did not answer
//! (`insights`). Core scopes every call to the staff member's fund (another fund's entry is a
//! 404) and audits every change; a conseiller gets the refusal page.

pub mod entry;
pub mod form;
pub mod from_question;
pub mod insights;
pub mod list;

use caisse_core::help::{AdminRow, HelpAdminError};
use caisse_domain::help::EntryStatus;
use uuid::Uuid;

use crate::error::AppError;

/// Layout section of the help's pages.
const SECTION_HELP: &str = "agent-aide";
/// The list's address.
const LIST_PATH: &str = "/agent/aide";

/// The refusals that have no page of their own.
fn refusal(error: HelpAdminError) -> AppError {
    match error {
        HelpAdminError::NotFound => AppError::NotFound,
        HelpAdminError::NotAllowed => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// The address of entry `id`'s page.
fn entry_path(id: Uuid) -> String {
    format!("{LIST_PATH}/{id}")
}

/// What the back office reads of where an entry stands.
fn status_label(status: EntryStatus, has_draft: bool) -> &'static str {
    match (status, has_draft) {
        (EntryStatus::Published, true) => "Publiée · brouillon en cours",
        (status, _) => status.label_fr(),
    }
}

/// CSS modifier of a status's badge.
fn status_class(status: EntryStatus, has_draft: bool) -> &'static str {
    match (status, has_draft) {
        (EntryStatus::Published, false) => "succes",
        (EntryStatus::Published, true) => "info",
        (EntryStatus::Draft, _) => "attention",
        (EntryStatus::Archived, _) => "neutre",
    }
}

/// One entry of a list, as shown.
struct EntryLine {
    id: Uuid,
    question: String,
    category: &'static str,
    status: &'static str,
    status_class: &'static str,
    review_on: String,
    review_due: bool,
}

impl EntryLine {
    fn of(row: &AdminRow) -> EntryLine {
        EntryLine {
            id: row.id,
            question: row.question.clone(),
            category: row.category.label_fr(),
            status: status_label(row.status, row.has_draft),
            status_class: status_class(row.status, row.has_draft),
            review_on: caisse_domain::french::numeric_date(row.review_on),
            review_due: row.review_due,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_entry_with_a_draft_says_so() {
        assert_eq!(
            status_label(EntryStatus::Published, true),
            "Publiée · brouillon en cours"
        );
        assert_eq!(status_label(EntryStatus::Published, false), "Publiée");
        assert_eq!(status_label(EntryStatus::Draft, false), "Brouillon");
        assert_eq!(status_label(EntryStatus::Archived, true), "Retirée");
    }
}
