//! The member's sections: payments, procedures, messages, attestations and profile.
//!
//! Payments, procedures, messages and attestations show their empty state until their own
//! features land; the profile shows the member file.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{date_fr, render};
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

const PAYMENTS: Section = Section {
    id: "paiements",
    heading: "Mes paiements",
    intro: "Retrouvez ici les remboursements de soins et les indemnités versés par votre caisse.",
    empty_message: "Aucun paiement n'a été enregistré sur votre compte.",
};
const PROCEDURES: Section = Section {
    id: "demarches",
    heading: "Mes démarches",
    intro: "Commandez une carte Vitale ou une carte européenne, déclarez un changement d'adresse ou de coordonnées bancaires.",
    empty_message: "Vous n'avez aucune démarche en cours.",
};
const MESSAGES: Section = Section {
    id: "messagerie",
    heading: "Ma messagerie",
    intro: "Écrivez à votre caisse et suivez les réponses de vos conseillers.",
    empty_message: "Vous n'avez aucun message.",
};
const ATTESTATIONS: Section = Section {
    id: "attestations",
    heading: "Mes attestations",
    intro: "Téléchargez vos attestations de droits et de paiement d'indemnités journalières.",
    empty_message: "Aucune attestation n'est disponible pour le moment.",
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

pub async fn payments(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    section_page(&state, &member, &PAYMENTS)
}

pub async fn procedures(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    section_page(&state, &member, &PROCEDURES)
}

pub async fn messages(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    section_page(&state, &member, &MESSAGES)
}

pub async fn attestations(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    section_page(&state, &member, &ATTESTATIONS)
}

pub struct ProfileData {
    pub full_name: String,
    pub nir_formatted: String,
    pub birth_date: String,
    pub sex_label: &'static str,
    pub fund_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_lines: Vec<String>,
}

pub struct HistoryRow {
    pub when: String,
    pub what: &'static str,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    member: ProfileData,
    history: Vec<HistoryRow>,
}

/// "22/11/2026 à 16 h 04" in Paris legal time.
fn paris_fr(instant: time::OffsetDateTime) -> String {
    let t = caisse_domain::paris_time::paris_time(instant);
    format!(
        "{:02}/{:02}/{} à {} h {:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

pub async fn profile(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    let overview = caisse_core::members::overview(&state.db, member.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = ProfileData {
        full_name: overview.full_name,
        nir_formatted: overview.nir.formatted(),
        birth_date: date_fr(overview.birth_date),
        sex_label: overview.nir.sex().label_fr(),
        fund_name: overview.fund_name,
        email: overview.email,
        phone: overview.phone,
        address_lines: overview.address_lines,
    };
    let history = caisse_core::members::security_history(&state.db, member.id, 20)
        .await?
        .into_iter()
        .map(|e| HistoryRow {
            when: paris_fr(e.at),
            what: e.label_fr,
            ip: e.ip,
        })
        .collect();
    render(&ProfilePage {
        layout: Layout::new(&member.visitor, &state.config.brand, "Mon profil", "profil"),
        member: data,
        history,
    })
}
