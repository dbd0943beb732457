//! `GET /`: the public welcome page, or the member's dashboard.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Viewer, Visitor};
use caisse_domain::french::{amount, letter_date};

#[derive(Template)]
#[template(path = "home_public.html")]
struct HomePublic {
    layout: Layout,
}

pub struct BeneficiaryRow {
    pub full_name: String,
    pub birth_date: String,
    pub rank: String,
}

pub struct MemberCard {
    pub first_name: String,
    pub full_name: String,
    pub nir_formatted: String,
    pub fund_name: String,
    pub beneficiaries: Vec<BeneficiaryRow>,
}

/// The dashboard's latest payment.
pub struct LatestPayment {
    pub href: String,
    pub date: String,
    pub amount: String,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "home_member.html")]
struct HomeMember {
    layout: Layout,
    member: MemberCard,
    latest_payment: Option<LatestPayment>,
    /// Dossiers to finish or complete (« Mes démarches »).
    waiting_dossiers: usize,
    /// « Prochain rendez-vous » (« Mes rendez-vous »).
    next_appointment: Option<crate::pages::agenda::NextAppointment>,
}

pub async fn home(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    match &visitor.viewer {
        Viewer::Staff { .. } => Ok(Redirect::to("/agent").into_response()),
        Viewer::Anonymous => {
            let page = HomePublic {
                layout: Layout::new(&visitor, &state.config.brand, "Accueil", "accueil"),
            };
            Ok(render(&page)?.into_response())
        }
        Viewer::Member { id, .. } => {
            let overview = state
                .people
                .member_overview(*id)
                .await?
                .ok_or(AppError::NotFound)?;
            let member = MemberCard {
                first_name: overview.first_name.clone(),
                full_name: overview.full_name.clone(),
                nir_formatted: overview.nir.formatted(),
                fund_name: overview.fund_name.clone(),
                beneficiaries: overview
                    .beneficiaries
                    .iter()
                    .map(|b| BeneficiaryRow {
                        full_name: b.full_name.clone(),
                        birth_date: letter_date(b.birth_date),
                        rank: format!("{:02}", b.rank),
                    })
                    .collect(),
            };
            let latest_payment = state.payments.latest(*id).await?.map(|p| LatestPayment {
                href: format!("/paiements/{}", p.id),
                date: letter_date(p.day),
                amount: amount(p.amount),
                kind: p.kind.label_fr(),
            });
            // The dashboard still shows if the dossiers cannot be read.
            let waiting_dossiers = state
                .demarches
                .dossiers(*id)
                .await
                .map(|dossiers| dossiers.iter().filter(|d| d.waits_for_member()).count())
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "dossiers not read for the dashboard");
                    0
                });
            let next_appointment = crate::pages::agenda::next_appointment(&state, *id).await;
            let page = HomeMember {
                layout: Layout::new(&visitor, &state.config.brand, "Mon espace", "accueil"),
                member,
                latest_payment,
                waiting_dossiers,
                next_appointment,
            };
            Ok(render(&page)?.into_response())
        }
    }
}
