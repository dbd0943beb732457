//! Back office, accounts: `/agent/comptes/{id}` shows a member of the staff member's fund
//! (audited): the identity facts to check before telling anything on the phone, the account's
//! state, and only the actions that state calls for: lift a suspension or a lock (or close the
//! open alerts), lift a bank-details freeze, send a code by post worded for the account's state
//! (activation, lost password, reactivation). The search is `accounts_search`. `/agent/alertes`
//! lists the fund's open alerts (audited).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{MemberSecurityView, OpenAlert};
use caisse_domain::french::letter_date;
use caisse_domain::{AccountStatus, AlertKind};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
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

pub use super::accounts_search::{search, search_form};

struct HistoryLine {
    at: String,
    label: &'static str,
    ip: String,
}

/// What the account's state calls for: each action is offered only when it applies.
struct Offered {
    /// « Débloquer le compte »: suspended or locked after failures.
    unlock: bool,
    /// « Clore les alertes »: open alerts on an account neither suspended nor locked (the
    /// same action, which also closes them).
    close_alerts: bool,
    /// « Permettre de nouveau les changements bancaires »: bank-detail changes frozen.
    lift_freeze: bool,
    /// The button sending a code by post, worded for the state.
    send_code: &'static str,
}

impl Offered {
    fn of(view: &MemberSecurityView) -> Offered {
        let unlock = view.status == Some(AccountStatus::Suspended) || view.locked_until.is_some();
        Offered {
            unlock,
            close_alerts: !unlock && !view.open_alerts.is_empty(),
            lift_freeze: view.bank_frozen,
            send_code: match view.status {
                None | Some(AccountStatus::Pending) => "Envoyer un code d'activation par courrier",
                Some(AccountStatus::Closed) => "Envoyer un code de réactivation par courrier",
                Some(AccountStatus::Active | AccountStatus::Suspended) => {
                    "Envoyer un code provisoire par courrier (mot de passe perdu)"
                }
            },
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/account.html")]
struct AccountPage {
    layout: Layout,
    view: MemberSecurityView,
    birth_date: String,
    offered: Offered,
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
        "alertes-closes" => Some("Les alertes de l'assuré sont closes."),
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
        birth_date: letter_date(view.birth_date),
        offered: Offered::of(&view),
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

/// « Débloquer le compte », or « Clore les alertes » (`alertes=oui`): one action, which
/// lifts any suspension and lock and closes the alerts; only the confirmation differs.
#[derive(Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    alertes: String,
}

/// What a staff member does to an account from its page.
#[derive(Clone, Copy)]
enum Action {
    /// `true`: only alerts were open (the confirmation says so).
    Unlock(bool),
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
        Action::Unlock(alerts_only) => (
            accounts.staff_unlock(staff.id, member_id, context).await,
            if alerts_only {
                "alertes-closes"
            } else {
                "debloque"
            },
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
    CsrfForm(form): CsrfForm<UnlockForm>,
) -> Result<Response, AppError> {
    let alerts_only = form.alertes == "oui";
    act(
        &state,
        &staff,
        &context,
        member_id,
        Action::Unlock(alerts_only),
    )
    .await
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
