//! A local emulator of the card payment provider's protocol (`caisse dev payment-emulator`,
//! and the tests): its payment page checks the signed request, shows the amount and the
//! reference with « Payer » and « Refuser », and sends the browser back to the return URL with
//! a signed result, as [`SignedRedirectProvider`] expects. For development only: it charges
//! nothing and knows no card.

use askama::Template;
use axum::Router;
use axum::extract::{Form, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use caisse_core::debts::SignedRedirectProvider;
use caisse_core::debts::provider::{REQUEST_FIELDS, RETURN_FIELDS, field};
use caisse_domain::AmountCents;
use caisse_domain::french::amount;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "dev/payment_emulator.html")]
struct PayPage {
    amount: String,
    reference: String,
    fields: Vec<(String, String)>,
}

/// The emulator's routes: `GET /payer` (the page) and `POST /payer` (the decision).
/// `provider` holds the merchant id and the shared secret; its URLs are not used.
pub fn payment_emulator(provider: SignedRedirectProvider) -> Router {
    Router::new()
        .route("/payer", get(page).post(decide))
        .with_state(provider)
}

fn refused(text: &'static str) -> Response {
    (StatusCode::BAD_REQUEST, text).into_response()
}

/// The request's fields, if signed by the merchant's secret.
fn signed_request(
    provider: &SignedRedirectProvider,
    fields: Vec<(String, String)>,
) -> Option<Vec<(String, String)>> {
    (provider.signature_matches(&REQUEST_FIELDS, &fields)
        && field(&fields, "merchant") == Some(provider.merchant_id.as_str()))
    .then_some(fields)
}

async fn page(
    State(provider): State<SignedRedirectProvider>,
    RawQuery(query): RawQuery,
) -> Response {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let Some(fields) = signed_request(&provider, fields) else {
        return refused("Demande de paiement mal signée.");
    };
    let cents = field(&fields, "amount")
        .and_then(|a| a.parse::<i64>().ok())
        .unwrap_or_default();
    let page = PayPage {
        amount: amount(AmountCents::new(cents)),
        reference: field(&fields, "reference").unwrap_or_default().to_owned(),
        fields: fields
            .into_iter()
            .filter(|(name, _)| name != "decision")
            .collect(),
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn decide(
    State(provider): State<SignedRedirectProvider>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let result = match field(&fields, "decision") {
        Some("payer") => "paid",
        Some("refuser") => "refused",
        _ => return refused("Choisissez « Payer » ou « Refuser »."),
    };
    let request: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(name, _)| name != "decision")
        .collect();
    let Some(request) = signed_request(&provider, request) else {
        return refused("Demande de paiement mal signée.");
    };
    let Some(return_url) = field(&request, "return_url").map(str::to_owned) else {
        return refused("Adresse de retour manquante.");
    };
    let mut back: Vec<(String, String)> = RETURN_FIELDS
        .iter()
        .filter_map(|name| field(&request, name).map(|v| ((*name).to_owned(), v.to_owned())))
        .collect();
    back.push((
        "transaction".to_owned(),
        format!("EMU-{}", Uuid::new_v4().simple()),
    ));
    back.push(("result".to_owned(), result.to_owned()));
    let separator = if return_url.contains('?') { '&' } else { '?' };
    let query = provider.signed_query(&RETURN_FIELDS, back);
    Redirect::to(&format!("{return_url}{separator}{query}")).into_response()
}
