//! « Sommes à payer » (`/paiements/sommes-a-payer`): the member's debts, each with why it is
//! owed, what reimbursements withheld, its deadline, and how to pay the rest now (transfer
//! with the fund's account and the debt's reference, or card through the payment provider)
//! or contest it. Another member's debt answers 404, like a missing one. The provider's
//! return (`/paiements/sommes-a-payer/retour`) is public: its signature, not a session,
//! says who paid.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::FormProblem;
use caisse_core::debts::{
    CardOutcome, ContestError, DebtDetail, DebtError, DebtState, DebtSummary,
};
use caisse_domain::french::{amount, letter_date};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Problems;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

const TITLE: &str = "Sommes à payer";
const SECTION: &str = "paiements";

/// A debt as a card of the list.
struct Row {
    id: Uuid,
    date_of_care: String,
    amount: String,
    left: String,
    state: &'static str,
    state_class: &'static str,
}

fn state_class(state: DebtState) -> &'static str {
    match state {
        DebtState::Open => "attention",
        DebtState::Contested => "info",
        DebtState::Settled => "succes",
    }
}

impl From<&DebtSummary> for Row {
    fn from(debt: &DebtSummary) -> Self {
        Row {
            id: debt.id,
            date_of_care: letter_date(debt.date_of_care),
            amount: amount(debt.amount),
            left: amount(debt.left),
            state: debt.state.label_fr(),
            state_class: state_class(debt.state),
        }
    }
}

#[derive(Template)]
#[template(path = "debts/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    total_left: String,
    any_left: bool,
}

pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let debts = state.debts.list(member.id).await.map_err(refusal)?;
    let total_left = debts.iter().map(|d| d.left.cents()).sum::<i64>();
    render(&ListPage {
        layout: Layout::new(&member.visitor, &state.config.brand, TITLE, SECTION),
        rows: debts.iter().map(Row::from).collect(),
        total_left: amount(caisse_domain::AmountCents::new(total_left)),
        any_left: total_left > 0,
    })
    .map(IntoResponse::into_response)
}

/// A line of history: a withholding or a payment.
struct HistoryLine {
    date: String,
    what: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "debts/detail.html")]
struct DetailPage {
    layout: Layout,
    debt: DebtDetail,
    row: Row,
    reference: String,
    history: Vec<HistoryLine>,
    deductions: Vec<(&'static str, String)>,
    /// A line corrected downwards by the back office: what it paid, what it should have.
    overpayment: Option<(String, String)>,
    notice: Option<(&'static str, &'static str, &'static str)>,
    /// The deadline and the day of the *avis*, once sent.
    deadline: Option<(String, String)>,
    notice_expected_on: String,
    days_to_pay: i64,
    problems: Problems,
    explanation: String,
}

impl DetailPage {
    fn is_open(&self) -> bool {
        self.debt.summary.state != DebtState::Settled
    }

    fn is_contested(&self) -> bool {
        self.debt.summary.state == DebtState::Contested
    }

    /// Open, and no contest waiting for its answer.
    fn can_contest(&self) -> bool {
        self.is_open() && !self.debt.contest.as_ref().is_some_and(|c| c.open)
    }
}

/// What the detail page was sent back with.
#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    paiement: Option<String>,
    contestation: Option<String>,
}

fn notice_of(query: &DetailQuery) -> Option<(&'static str, &'static str, &'static str)> {
    match (query.paiement.as_deref(), query.contestation.as_deref()) {
        (Some("accepte"), _) => Some((
            "succes",
            "Paiement accepté",
            "Votre paiement par carte est enregistré : le montant restant dû est à jour.",
        )),
        (Some("refuse"), _) => Some((
            "attention",
            "Paiement non effectué",
            "Le paiement par carte n'a pas abouti et rien n'a été débité. Vous pouvez réessayer ou payer par virement.",
        )),
        (Some("a-rembourser"), _) => Some((
            "attention",
            "Paiement reçu alors que la somme était déjà réglée",
            "Cette somme a été réglée autrement (déduction ou virement) pendant votre paiement par carte : votre caisse vous rembourse le montant débité.",
        )),
        (Some("deja-enregistre"), _) => Some((
            "info",
            "Paiement déjà enregistré",
            "Ce paiement avait déjà été enregistré : il n'est compté qu'une fois.",
        )),
        (_, Some("envoyee")) => Some((
            "succes",
            "Contestation envoyée",
            "Votre réclamation est transmise à votre caisse. Rien ne sera déduit de vos remboursements pour cette somme tant qu'elle n'y a pas répondu.",
        )),
        _ => None,
    }
}

async fn detail_page(
    state: &AppState,
    member: &CurrentMember,
    id: Uuid,
    notice: Option<(&'static str, &'static str, &'static str)>,
    problems: Problems,
    explanation: String,
) -> Result<Response, AppError> {
    let debt = state.debts.detail(member.id, id).await.map_err(refusal)?;
    let mut history: Vec<(time::Date, HistoryLine)> = Vec::new();
    for r in &debt.recoveries {
        let day = r.recovered_at.get().date();
        history.push((
            day,
            HistoryLine {
                date: letter_date(day),
                what: "Déduit de votre remboursement".to_owned(),
                amount: amount(r.amount),
            },
        ));
    }
    for p in &debt.payments {
        history.push((
            p.paid_on,
            HistoryLine {
                date: letter_date(p.paid_on),
                what: match p.channel {
                    caisse_core::debts::PaymentChannel::Transfer => "Virement reçu",
                    caisse_core::debts::PaymentChannel::Card => "Paiement par carte",
                }
                .to_owned(),
                amount: amount(p.amount),
            },
        ));
    }
    history.sort_by_key(|(day, _)| *day);
    let overpayment = debt
        .overpayment
        .map(|(paid, corrected)| (amount(paid), amount(corrected)));
    let deductions = debt
        .origin
        .iter()
        .flat_map(|o| &o.deductions)
        .map(|(kind, cents)| (kind.label_fr(), amount(*cents)))
        .collect();
    let status = problems.status();
    let page = DetailPage {
        layout: Layout::new(&member.visitor, &state.config.brand, TITLE, SECTION),
        row: Row::from(&debt.summary),
        reference: debt.reference.grouped(),
        history: history.into_iter().map(|(_, line)| line).collect(),
        deductions,
        overpayment,
        notice,
        deadline: debt
            .deadline
            .zip(debt.noticed_on)
            .map(|(deadline, noticed)| (letter_date(deadline), letter_date(noticed))),
        notice_expected_on: letter_date(debt.notice_expected_on),
        days_to_pay: caisse_core::debts::DAYS_TO_PAY_AFTER_NOTICE,
        problems,
        explanation,
        debt,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, AppError> {
    detail_page(
        &state,
        &member,
        id,
        notice_of(&query),
        Problems::none(),
        String::new(),
    )
    .await
}

/// The card payment form: nothing but its token.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn pay_by_card(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    match state.debts.start_card_payment(member.id, id).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(DebtError::Settled) => {
            Ok(Redirect::to(&format!("/paiements/sommes-a-payer/{id}")).into_response())
        }
        Err(error) => Err(refusal(error)),
    }
}

pub async fn card_return(
    State(state): State<AppState>,
    Client(context): Client,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
            .map_err(|_| AppError::BadAddress)?;
    let back = |id: Uuid, outcome: &str| {
        Redirect::to(&format!(
            "/paiements/sommes-a-payer/{id}?paiement={outcome}"
        ))
        .into_response()
    };
    match state.debts.complete_card_payment(&fields, &context).await {
        Ok(CardOutcome::Paid { debt_id }) => Ok(back(debt_id, "accepte")),
        Ok(CardOutcome::Refused { debt_id }) => Ok(back(debt_id, "refuse")),
        Ok(CardOutcome::AlreadyRecorded { debt_id }) => Ok(back(debt_id, "deja-enregistre")),
        Err(DebtError::PaidTwice { debt_id }) => Ok(back(debt_id, "a-rembourser")),
        Err(DebtError::Return(_) | DebtError::Mismatch) => Err(AppError::BadAddress),
        Err(error) => Err(refusal(error)),
    }
}

/// What « Contester » posts.
#[derive(Debug, Deserialize)]
pub struct ContestForm {
    #[serde(default)]
    explication: String,
}

pub async fn contest(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<ContestForm>,
) -> Result<Response, AppError> {
    match state
        .debts
        .contest(member.id, id, &form.explication, &context)
        .await
    {
        Ok(_) | Err(ContestError::AlreadyContested) => Ok(Redirect::to(&format!(
            "/paiements/sommes-a-payer/{id}?contestation=envoyee"
        ))
        .into_response()),
        Err(ContestError::Invalid(problems)) => {
            let problems: Vec<FormProblem> = problems
                .into_iter()
                .map(|p| FormProblem {
                    field: "explication",
                    message: p.message,
                })
                .collect();
            detail_page(
                &state,
                &member,
                id,
                None,
                Problems::from(problems),
                form.explication,
            )
            .await
        }
        Err(ContestError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(AppError::unexpected(error)),
    }
}

fn refusal(error: DebtError) -> AppError {
    match error {
        DebtError::NotFound | DebtError::NoProvider => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}
