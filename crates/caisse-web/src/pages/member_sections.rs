//! The member's sections that show their empty state until their own features land:
//! procedures. « Mon profil » lives in [`super::profile`], « Mes attestations » in
//! [`super::attestations`], « Mes paiements » in [`super::payments`].

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::CurrentMember;

#[derive(Template)]
#[template(path = "section_empty.html")]
struct SectionEmpty {
    layout: Layout,
    heading: &'static str,
    intro: &'static str,
    empty_message: &'static str,
}

struct Section {
    id: &'static str,
    heading: &'static str,
    intro: &'static str,
    empty_message: &'static str,
}

const PROCEDURES: Section = Section {
    id: "demarches",
    heading: "Mes démarches",
    intro: "Commandez une carte Vitale ou une carte européenne, déclarez un changement d'adresse ou de coordonnées bancaires.",
    empty_message: "Vous n'avez aucune démarche en cours.",
};

fn section_page(
    state: &AppState,
    member: &CurrentMember,
    section: &Section,
) -> Result<Html<String>, AppError> {
    render(&SectionEmpty {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            section.heading,
            section.id,
        ),
        heading: section.heading,
        intro: section.intro,
        empty_message: section.empty_message,
    })
}

pub async fn procedures(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    section_page(&state, &member, &PROCEDURES)
}
