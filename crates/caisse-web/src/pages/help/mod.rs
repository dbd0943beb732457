//! The help (issue 17), for members and visitors: `/aide` (categories, search), an entry's page
//! with « Cette réponse vous a-t-elle aidé ? », suggestions while typing (JSON for
//! `static/js/aide.js`), and the assistant (`/assistant`, the panel of every member page).

mod assistant;

pub use assistant::{intent_link, write_href};
mod faq;

use axum::Router;
use axum::routing::{get, post};
use caisse_core::help::Reader;

use crate::state::AppState;
use crate::visitor::{Viewer, Visitor};

const SECTION: &str = "aide";

/// The routes of the help.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/aide", get(faq::index))
        .route("/aide/recherche", get(faq::search))
        .route("/aide/suggestions", get(faq::suggestions))
        .route("/aide/categorie/{code}", get(faq::category))
        .route("/aide/{slug}", get(faq::entry))
        .route("/aide/{slug}/avis", post(faq::feedback))
        .route("/assistant", get(assistant::ask))
        .route("/assistant/avis", post(assistant::feedback))
}

/// Who reads: a member reads their fund's FAQ; anyone else the deployment's.
fn reader_of(visitor: &Visitor) -> Reader {
    match visitor.viewer {
        Viewer::Member { id, .. } => Reader::Member(id),
        Viewer::Anonymous | Viewer::Staff { .. } => Reader::Visitor,
    }
}
