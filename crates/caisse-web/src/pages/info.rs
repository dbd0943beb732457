//! Legal and accessibility pages every public site must publish.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::Visitor;

#[derive(Template)]
#[template(path = "info/accessibilite.html")]
struct Accessibility {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "info/mentions_legales.html")]
struct LegalNotice {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "info/donnees_personnelles.html")]
struct PersonalData {
    layout: Layout,
}

pub async fn accessibility(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, AppError> {
    render(&Accessibility {
        layout: Layout::new(&visitor, &state.config.brand, "Accessibilité", "info"),
    })
}

pub async fn legal_notice(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, AppError> {
    render(&LegalNotice {
        layout: Layout::new(&visitor, &state.config.brand, "Mentions légales", "info"),
    })
}

pub async fn personal_data(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, AppError> {
    render(&PersonalData {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Données personnelles",
            "info",
        ),
    })
}
