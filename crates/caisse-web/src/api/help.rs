//! The help for the app: search the member's fund's FAQ, read an entry, and ask the assistant
//! (an answer from the FAQ with its sources, an action with its deep link, or « je ne sais
//! pas » with a prefilled message to the fund). The same use cases as `/aide` and `/assistant`.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::help::{EntryPage, EntrySummary, Intent, Reader, Reply};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiJson, ApiMember, Path, Query};
use crate::state::AppState;

/// An entry found.
#[derive(Serialize, ToSchema)]
pub struct HelpHitDto {
    slug: String,
    question: String,
    /// The category's code (`carte-vitale`…).
    category: &'static str,
    category_label: &'static str,
}

impl From<EntrySummary> for HelpHitDto {
    fn from(e: EntrySummary) -> Self {
        HelpHitDto {
            category: e.category.code(),
            category_label: e.category.label_fr(),
            slug: e.slug,
            question: e.question,
        }
    }
}

/// What the search found, best first.
#[derive(Serialize, ToSchema)]
pub struct HelpSearchDto {
    results: Vec<HelpHitDto>,
    /// Whether the best result answers the question well.
    confident: bool,
}

/// A link of the portal.
#[derive(Serialize, ToSchema)]
pub struct HelpLinkDto {
    label: String,
    /// A path of the portal (`/attestations`).
    href: String,
}

/// An entry of the FAQ.
#[derive(Serialize, ToSchema)]
pub struct HelpEntryDto {
    slug: String,
    question: String,
    category: &'static str,
    /// Paragraphs separated by a blank line; lines starting with `- ` form a list.
    answer: String,
    link: Option<HelpLinkDto>,
    /// The day this version was published (ISO 8601), for a fund's FAQ.
    published_on: Option<String>,
    related: Vec<HelpHitDto>,
}

impl From<EntryPage> for HelpEntryDto {
    fn from(page: EntryPage) -> Self {
        HelpEntryDto {
            question: page.content.question().to_owned(),
            category: page.content.category.code(),
            answer: page.content.answer().to_owned(),
            link: page.content.link.as_ref().map(|l| HelpLinkDto {
                label: l.label().to_owned(),
                href: l.href().to_owned(),
            }),
            published_on: page.published_at.map(|at| at.date().to_string()),
            related: page.related.into_iter().map(HelpHitDto::from).collect(),
            slug: page.slug,
        }
    }
}

/// The member's latest payment.
#[derive(Serialize, ToSchema)]
pub struct LatestPaymentDto {
    id: Uuid,
    /// ISO 8601 day.
    day: String,
    amount_cents: i64,
    payee: String,
}

/// What the assistant does: `answer` (an entry), `action` (a deep link), or `unknown`.
#[derive(Serialize, ToSchema)]
pub struct AssistantReplyDto {
    /// `answer`, `action` or `unknown`.
    kind: &'static str,
    /// The entry that answers, for `answer`.
    entry: Option<HelpEntryDto>,
    /// For `action`: `download_attestation`, `order_carte_vitale`, `latest_payment`,
    /// `book_appointment`, `write_to_fund`.
    intent: Option<&'static str>,
    /// Where to go: the action's page, or for `unknown` a new message prefilled with the
    /// question.
    link: Option<HelpLinkDto>,
    /// For `latest_payment`: the member's latest payment, if any.
    latest_payment: Option<LatestPaymentDto>,
    /// The entries used (or the nearest ones, for `unknown`).
    sources: Vec<HelpHitDto>,
    /// For `POST /api/v1/help/assistant/feedback`.
    question_id: Option<Uuid>,
}

/// `?q=`: the question.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HelpSearchQuery {
    /// The question, not only white space (at most 500 characters are read).
    #[param(pattern = r"\S")]
    q: String,
}

/// A question for the assistant.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssistantQuestionDto)]
pub struct AskDto {
    /// Not only white space; at most 500 characters are read.
    #[schema(pattern = r"\S")]
    question: String,
}

/// Whether an answer of the assistant helped.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssistantFeedbackDto {
    question_id: Uuid,
    helped: bool,
}

#[utoipa::path(
    get,
    path = "/api/v1/help/search",
    tag = "aide",
    security(("bearer" = [])),
    params(HelpSearchQuery),
    responses(
        (status = 200, description = "The entries found, best first", body = HelpSearchDto),
        (status = 400, description = "No question", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    member: ApiMember,
    Query(query): Query<HelpSearchQuery>,
) -> Response {
    if query.q.trim().is_empty() {
        return ApiError::bad_request("Saisissez votre question.").into_response();
    }
    match state.help.search(Reader::Member(member.id), &query.q).await {
        Ok(found) => Json(HelpSearchDto {
            results: found.hits.into_iter().map(HelpHitDto::from).collect(),
            confident: found.confident,
        })
        .into_response(),
        Err(error) => ApiError::unexpected(error).into_response(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/help/entries/{slug}",
    tag = "aide",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The entry's key")),
    responses(
        (status = 200, description = "The entry", body = HelpEntryDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such published entry", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn entry(
    State(state): State<AppState>,
    member: ApiMember,
    Path(slug): Path<String>,
) -> Response {
    match state.help.entry(Reader::Member(member.id), &slug).await {
        Ok(Some(page)) => Json(HelpEntryDto::from(page)).into_response(),
        Ok(None) => ApiError::not_found().into_response(),
        Err(error) => ApiError::unexpected(error).into_response(),
    }
}

fn intent_code(intent: Intent) -> &'static str {
    match intent {
        Intent::DownloadAttestation => "download_attestation",
        Intent::OrderCarteVitale => "order_carte_vitale",
        Intent::LatestPayment => "latest_payment",
        Intent::BookAppointment => "book_appointment",
        Intent::WriteToFund => "write_to_fund",
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/help/assistant",
    operation_id = "ask_assistant",
    tag = "aide",
    security(("bearer" = [])),
    request_body = AskDto,
    responses(
        (status = 200, description = "The assistant's answer", body = AssistantReplyDto),
        (status = 400, description = "A malformed body or no question", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn ask(
    State(state): State<AppState>,
    member: ApiMember,
    ApiJson(ask): ApiJson<AskDto>,
) -> Response {
    if ask.question.trim().is_empty() {
        return ApiError::bad_request("Saisissez votre question.").into_response();
    }
    let reply = match state
        .help
        .ask(Reader::Member(member.id), &ask.question)
        .await
    {
        Ok(reply) => reply,
        Err(error) => return ApiError::unexpected(error).into_response(),
    };
    let mut dto = AssistantReplyDto {
        kind: "unknown",
        entry: None,
        intent: None,
        link: None,
        latest_payment: None,
        sources: reply.sources.into_iter().map(HelpHitDto::from).collect(),
        question_id: reply.query_id,
    };
    match reply.reply {
        Reply::Answer(page) => {
            dto.kind = "answer";
            dto.entry = Some(HelpEntryDto::from(page));
        }
        Reply::Act { intent, payment } => {
            let (label, href) = crate::pages::help::intent_link(intent);
            dto.kind = "action";
            dto.intent = Some(intent_code(intent));
            dto.link = Some(match &payment {
                Some(p) => HelpLinkDto {
                    label: "Voir le détail de ce paiement".to_owned(),
                    href: format!("/paiements/{}", p.id),
                },
                None => HelpLinkDto {
                    label: label.to_owned(),
                    href: href.to_owned(),
                },
            });
            dto.latest_payment = payment.map(|p| LatestPaymentDto {
                id: p.id,
                day: p.day.to_string(),
                amount_cents: p.amount.cents(),
                payee: p.payee_name,
            });
        }
        Reply::DontKnow { objet } => {
            dto.link = Some(HelpLinkDto {
                label: "Écrire à ma caisse".to_owned(),
                href: crate::pages::help::write_href(&reply.question, objet),
            });
        }
    }
    Json(dto).into_response()
}

#[utoipa::path(
    post,
    path = "/api/v1/help/assistant/feedback",
    tag = "aide",
    security(("bearer" = [])),
    request_body = AssistantFeedbackDto,
    responses(
        (status = 204, description = "Recorded (the first answer counts)"),
        (status = 400, description = "A malformed body", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn feedback(
    State(state): State<AppState>,
    member: ApiMember,
    ApiJson(feedback): ApiJson<AssistantFeedbackDto>,
) -> Response {
    match state
        .help
        .reply_feedback(
            Reader::Member(member.id),
            feedback.question_id,
            feedback.helped,
        )
        .await
    {
        Ok(_) => axum::http::StatusCode::NO_CONTENT.into_response(),
        Err(error) => ApiError::unexpected(error).into_response(),
    }
}
