//! Back office, accounts: `/agent/comptes` finds a member of the staff member's fund by NIR, posted
//! (never in an address, so NIRs stay out of browser history and proxy logs) and audited;
//! `/agent/comptes/{id}` shows the account (audited) with the actions a staff member takes after
//! checking the caller's identity on the phone: lift a suspension or lock, lift a bank-details
//! freeze, send a provisional code by post. `/agent/alertes` lists the fund's open alerts
//! (audited).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{MemberSecurityView, OpenAlert};
use caisse_domain::{AccountStatus, AlertKind};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::echo;
use crate::layout::Layout;
use crate::pages::back_office::payments::RecentPayments;
use crate::pages::back_office::rights_view::RightsView;
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The French wording of an account state.
pub fn status_fr(status: Option<AccountStatus>) -> &'static str {
    match status {
        None => "Pas de compte en ligne",
        Some(AccountStatus::Pending) => "En attente d'activation",
        Some(AccountStatus::Active) => "Actif",
        Some(AccountStatus::Suspended) => "Suspendu par précaution",
        Some(AccountStatus::Closed) => "Fermé par l'assuré",
    }
}

/// The French wording of an alert.
pub fn alert_fr(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::NotMe => "L'assuré a signalé une opération qu'il n'a pas faite",
        AlertKind::DistributedFailures => "Mots de passe erronés depuis de nombreuses adresses",
        AlertKind::ResetBurst => "Demandes répétées de nouveau mot de passe",
    }
}

#[derive(Template)]
#[template(path = "back_office/accounts_search.html")]
struct SearchPage {
    layout: Layout,
    nir: String,
    not_found: bool,
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    nir: String,
}

fn search_page(staff: &CurrentStaff, state: &AppState, nir: &str) -> Result<Response, AppError> {
    let page = SearchPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Comptes des assurés",
            "agent-comptes",
        ),
        not_found: !nir.trim().is_empty(),
        nir: echo(nir, 32),
    };
    Ok(render(&page)?.into_response())
}

/// `GET /agent/comptes`: the search form.
pub async fn search_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    search_page(&staff, &state, "")
}

/// `POST /agent/comptes`: the member of the staff member's fund with this NIR, or the form again
/// saying none matches.
pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<SearchForm>,
) -> Result<Response, AppError> {
    if form.nir.trim().is_empty() {
        return search_page(&staff, &state, "");
    }
    match state
        .accounts
        .staff_find_member(staff.id, &form.nir, &context)
        .await
        .map_err(AppError::from_account)?
    {
        Some(member_id) => Ok(Redirect::to(&format!("/agent/comptes/{member_id}")).into_response()),
        None => search_page(&staff, &state, &form.nir),
    }
}

struct HistoryLine {
    at: String,
    label: &'static str,
    ip: String,
}

#[derive(Template)]
#[template(path = "back_office/account.html")]
struct AccountPage {
    layout: Layout,
    view: MemberSecurityView,
    status: &'static str,
    locked_until: Option<String>,
    alerts: Vec<&'static str>,
    history: Vec<HistoryLine>,
    done: Option<&'static str>,
    rights: Option<RightsView>,
    recent_payments: Option<RecentPayments>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// Fixed confirmations, chosen by a code in the address after an action.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "debloque" => Some("Le compte est débloqué ; les alertes de l'assuré sont closes."),
        "gel-leve" => Some("Les changements de coordonnées bancaires sont de nouveau permis."),
        "code-envoye" => Some("Un code provisoire part par courrier à l'adresse du dossier."),
        _ => None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(member_id): Path<Uuid>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let view = state
        .accounts
        .staff_member_view(staff.id, member_id, &context)
        .await
        .map_err(AppError::from_account)?;
    let recent_payments = RecentPayments::load(&state, &staff, member_id, &context).await?;
    let page = AccountPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            format!("Compte de {}", view.full_name),
            "agent-comptes",
        ),
        status: status_fr(view.status),
        locked_until: view.locked_until.map(paris_fr),
        alerts: view.open_alerts.iter().map(|k| alert_fr(*k)).collect(),
        history: view
            .history
            .iter()
            .map(|e| HistoryLine {
                at: paris_fr(e.at),
                label: e.label_fr,
                ip: e.ip.clone(),
            })
            .collect(),
        done: done_message(query.fait.as_deref()),
        rights: view.rights.as_ref().map(RightsView::of),
        recent_payments,
        view,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// What a staff member does to an account from its page.
#[derive(Clone, Copy)]
enum Action {
    Unlock,
    LiftFreeze,
    SendCode,
}

async fn act(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    member_id: Uuid,
    action: Action,
) -> Result<Response, AppError> {
    let accounts = &state.accounts;
    let (result, done) = match action {
        Action::Unlock => (
            accounts.staff_unlock(staff.id, member_id, context).await,
            "debloque",
        ),
        Action::LiftFreeze => (
            accounts
                .staff_lift_bank_freeze(staff.id, member_id, context)
                .await,
            "gel-leve",
        ),
        Action::SendCode => (
            accounts.staff_send_code(staff.id, member_id, context).await,
            "code-envoye",
        ),
    };
    result.map_err(AppError::from_account)?;
    Ok(Redirect::to(&format!("/agent/comptes/{member_id}?fait={done}")).into_response())
}

pub async fn unlock(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(member_id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    act(&state, &staff, &context, member_id, Action::Unlock).await
}

pub async fn lift_freeze(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(member_id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    act(&state, &staff, &context, member_id, Action::LiftFreeze).await
}

pub async fn send_code(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(member_id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    act(&state, &staff, &context, member_id, Action::SendCode).await
}

struct AlertLine {
    member_id: Uuid,
    full_name: String,
    label: &'static str,
    at: String,
}

#[derive(Template)]
#[template(path = "back_office/alerts.html")]
struct AlertsPage {
    layout: Layout,
    alerts: Vec<AlertLine>,
}

pub async fn alerts(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
) -> Result<Response, AppError> {
    let alerts: Vec<OpenAlert> = state
        .accounts
        .staff_open_alerts(staff.id, &context)
        .await
        .map_err(AppError::from_account)?;
    let page = AlertsPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Alertes de sécurité",
            "agent-alertes",
        ),
        alerts: alerts
            .into_iter()
            .map(|a| AlertLine {
                member_id: a.member_id,
                full_name: a.full_name,
                label: alert_fr(a.kind),
                at: paris_fr(a.created_at),
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
