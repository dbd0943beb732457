//! « Mes démarches » for members: the catalogue and the member's dossiers (`/demarches`),
//! starting a procedure (for themself or under a procuration), filling it step by step
//! (`/demarches/dossiers/{id}/etapes/{step}`), its files, the summary and filing, completing
//! what an advisor asked, cancelling, and the dossier's page with its letters.
//!
//! Every page works without JavaScript: conditions are evaluated on the server, a group's
//! rows come with empty rows to fill, files are sent by their own small forms. Another
//! member's dossier answers the same 404 page as a missing one, on every route.

mod catalogue;
mod dossier;
mod fields;
mod form;
mod public;

use axum::Router;
use axum::routing::{get, post};
use caisse_core::demarches::DossierError;
use uuid::Uuid;

use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::state::AppState;
use crate::uploads;
use crate::visitor::CurrentMember;

const SECTION: &str = "demarches";

/// The routes of « Mes démarches »; `attachments` is the body limit of routes taking files.
pub fn routes(attachments: usize) -> Router<AppState> {
    Router::new()
        .route("/demarches", get(catalogue::list))
        .route("/demarches/{code}/commencer", post(catalogue::start))
        .route(
            "/demarches/sans-compte/{code}",
            get(public::form).merge(crate::uploads::post_with_files(public::file, attachments)),
        )
        .route("/demarches/dossiers/{id}", get(dossier::show))
        .route(
            "/demarches/dossiers/{id}/etapes/{step}",
            get(form::show).post(form::save),
        )
        .route(
            "/demarches/dossiers/{id}/recapitulatif",
            get(dossier::summary),
        )
        .route("/demarches/dossiers/{id}/deposer", post(dossier::submit))
        .route(
            "/demarches/dossiers/{id}/completer",
            post(dossier::complete),
        )
        .route("/demarches/dossiers/{id}/annuler", post(dossier::cancel))
        .route(
            "/demarches/dossiers/{id}/pieces/{piece}",
            get(dossier::piece).merge(uploads::post_with_files(form::add_pieces, attachments)),
        )
        .route(
            "/demarches/dossiers/{id}/pieces/{piece}/retirer",
            post(form::remove_piece),
        )
        .route(
            "/demarches/dossiers/{id}/decision.pdf",
            get(dossier::decision_letter),
        )
        .route(
            "/demarches/dossiers/{id}/certificat-ceam.pdf",
            get(dossier::ceam_certificate),
        )
}

fn layout(state: &AppState, member: &CurrentMember, title: impl Into<String>) -> Layout {
    Layout::new(&member.visitor, &state.config.brand, title, SECTION)
}

/// A layout showing `message` as an error notice at the top of the page.
fn layout_with_error(
    state: &AppState,
    member: &CurrentMember,
    title: impl Into<String>,
    message: String,
) -> Layout {
    let mut layout = layout(state, member, title);
    layout.flash = Some(Flash {
        kind: "erreur",
        message,
    });
    layout
}

/// A refusal with no page of its own: a dossier or procedure that is not there (or not the
/// member's) is a 404, a procuration that does not allow it a 403, anything else a 500.
fn refusal(error: DossierError) -> AppError {
    match error {
        DossierError::NotFound | DossierError::UnknownProcedure => AppError::NotFound,
        DossierError::NoProcuration | DossierError::NotAllowed => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// Errors a page answers with a notice rather than an error page: the dossier moved on
/// (filed twice, decided meanwhile) or the action is not allowed for it.
fn is_notice(error: &DossierError) -> bool {
    matches!(
        error,
        DossierError::WrongState
            | DossierError::Conflict
            | DossierError::NotAllowed
            | DossierError::NoProcuration
            | DossierError::Effect(_)
    )
}

fn dossier_href(id: Uuid) -> String {
    format!("/demarches/dossiers/{id}")
}

fn step_href(id: Uuid, step: &str) -> String {
    format!("/demarches/dossiers/{id}/etapes/{step}")
}

fn summary_href(id: Uuid) -> String {
    format!("/demarches/dossiers/{id}/recapitulatif")
}
