//! `GET /`: the public welcome page, or the member's home: what changed and what to do first
//! (unread answers, dossiers to finish, a bank change in its cool-off), then the latest
//! payment, the next appointment, the attestation one click away, and a compact identity.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
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
}

pub struct MemberCard {
    pub first_name: String,
    pub full_name: String,
    pub nir_formatted: String,
    pub fund_name: String,
    pub beneficiaries: Vec<BeneficiaryRow>,
}

/// The home's latest payment.
pub struct LatestPayment {
    pub href: String,
    pub date: String,
    pub amount: String,
    pub kind: &'static str,
}

/// Answers of the fund the member has not read.
pub struct UnreadAnswers {
    pub count: u64,
    /// The most recently active unread thread.
    pub newest_href: Option<String>,
}

/// New bank details waiting for their cool-off to end.
pub struct PendingBank {
    pub iban_masked: String,
    /// « 22/11/2026 à 16 h 04 », Paris time.
    pub effective: String,
}

#[derive(Template)]
#[template(path = "home_member.html")]
struct HomeMember {
    layout: Layout,
    member: MemberCard,
    unread: UnreadAnswers,
    /// Dossiers to finish or complete (« Mes démarches »).
    waiting_dossiers: u64,
    pending_bank: Option<PendingBank>,
    latest_payment: Option<LatestPayment>,
    /// « Prochain rendez-vous » (« Mes rendez-vous »).
    next_appointment: Option<crate::pages::agenda::NextAppointment>,
}

impl HomeMember {
    /// Whether the « À faire » block has anything in it.
    fn has_tasks(&self) -> bool {
        self.unread.count > 0 || self.waiting_dossiers > 0 || self.pending_bank.is_some()
    }
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
        Viewer::Member { id, .. } => member_home(&state, &visitor, *id).await,
    }
}

async fn member_home(state: &AppState, visitor: &Visitor, id: Uuid) -> Result<Response, AppError> {
    let overview = state
        .people
        .member_overview(id)
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
            })
            .collect(),
    };
    // The counts were read once for the menu's badges; only the thread to open is new here.
    let layout = Layout::new(visitor, &state.config.brand, "Mon espace", "accueil");
    let unread = UnreadAnswers {
        count: layout.badges.unread_messages,
        newest_href: if layout.badges.unread_messages > 0 {
            newest_unread(state, id).await
        } else {
            None
        },
    };
    let waiting_dossiers = layout.badges.waiting_dossiers;
    let pending_bank = state
        .accounts
        .pending_bank_change(id)
        .await?
        .map(|p| PendingBank {
            iban_masked: p.iban_masked,
            effective: paris_fr(p.effective_at),
        });
    let latest_payment = state.payments.latest(id).await?.map(|p| LatestPayment {
        href: format!("/paiements/{}", p.id),
        date: letter_date(p.day),
        amount: amount(p.amount),
        kind: p.kind.label_fr(),
    });
    let next_appointment = crate::pages::agenda::next_appointment(state, id).await;
    let page = HomeMember {
        layout,
        member,
        unread,
        waiting_dossiers,
        pending_bank,
        latest_payment,
        next_appointment,
    };
    Ok(render(&page)?.into_response())
}

/// The page of the newest unread thread; `None` (the inbox link stays) when it cannot be read.
async fn newest_unread(state: &AppState, member_id: Uuid) -> Option<String> {
    state
        .messaging
        .member
        .newest_unread(member_id)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "newest unread thread not read for the home page");
            None
        })
        .map(|thread| format!("/messagerie/{thread}"))
}
