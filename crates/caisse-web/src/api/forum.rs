//! The public questions of the help for the app: the published questions (paged, searchable)
//! and one with the fund's answers, which anyone reads; asking one and the member's own
//! questions, with a member token. An unpublished question is a 404 here.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::forum::{ForumError, PublicQuestion, QuestionDraft};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiJson, ApiMember, Path, Query};
use crate::state::AppState;

/// A question.
#[derive(Serialize, ToSchema)]
pub struct QuestionDto {
    id: Uuid,
    pseudonym: String,
    title: String,
    text: String,
    /// The day it was asked (Paris), `YYYY-MM-DD`.
    asked_on: String,
    /// The fund that answers.
    fund: &'static str,
    /// `retenue`, `a_moderer`, `publiee`, `refusee`.
    status: &'static str,
    answered: bool,
}

impl From<&PublicQuestion> for QuestionDto {
    fn from(q: &PublicQuestion) -> Self {
        QuestionDto {
            id: q.id,
            pseudonym: q.pseudonym.clone(),
            title: q.title.clone(),
            text: q.text.clone(),
            asked_on: q.asked_on.to_string(),
            fund: q.fund,
            status: q.status.code(),
            answered: q.answered,
        }
    }
}

/// A page of published questions, newest first.
#[derive(Serialize, ToSchema)]
pub struct QuestionPageDto {
    questions: Vec<QuestionDto>,
    total: u64,
    page: u64,
    pages: u64,
}

/// An answer of the fund.
#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    fund: &'static str,
    text: String,
    /// `YYYY-MM-DD`.
    on: String,
}

/// A published question with the fund's answers.
#[derive(Serialize, ToSchema)]
pub struct QuestionDetailDto {
    question: QuestionDto,
    answers: Vec<AnswerDto>,
}

/// The member's questions, newest first.
#[derive(Serialize, ToSchema)]
pub struct MyQuestionsDto {
    questions: Vec<MyQuestionDto>,
}

/// One of the member's questions.
#[derive(Serialize, ToSchema)]
pub struct MyQuestionDto {
    question: QuestionDto,
    /// Why it was refused.
    rejection_reason: Option<String>,
    /// Why it is held (the member edits it on the portal).
    held_message: Option<String>,
}

/// A question to ask.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskDto {
    /// 3 to 30 letters, digits, spaces, `-`, `_`, `.` (white space around is removed first).
    #[schema(
        pattern = "^[0-9A-Za-zÀ-ÖØ-öø-ÿ._-][0-9A-Za-zÀ-ÖØ-öø-ÿ ._-]{1,28}[0-9A-Za-zÀ-ÖØ-öø-ÿ._-]$"
    )]
    pseudonym: String,
    /// 10 to 150 characters (white space around is removed first).
    #[schema(min_length = 10, max_length = 150)]
    title: String,
    /// 20 to 4,000 characters (white space around is removed first).
    #[schema(min_length = 20, max_length = 4000)]
    text: String,
}

/// The question asked: pending, or held when it contains sensitive data.
#[derive(Serialize, ToSchema)]
pub struct AskedDto {
    id: Uuid,
    /// `a_moderer` or `retenue`.
    status: &'static str,
    /// Why it is held: it will not be published as it is.
    held_message: Option<String>,
    /// Codes of the sensitive data found: `iban`, `carte_bancaire`, `nir_tiers`.
    warnings: Vec<&'static str>,
}

/// A refusal with a French detail, and the field at fault for invalid input.
#[derive(Serialize, ToSchema)]
pub struct ForumProblem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    code: &'static str,
    detail: String,
    /// `pseudonym`, `title` or `text`, for invalid input.
    field: Option<&'static str>,
}

fn problem(status: StatusCode, code: &'static str, error: &ForumError) -> Response {
    let field = match error {
        ForumError::Invalid { field, .. } => Some(match *field {
            "pseudonyme" => "pseudonym",
            "titre" => "title",
            _ => "text",
        }),
        _ => None,
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_string(&ForumProblem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            code,
            detail: error.message_fr(),
            field,
        })
        .unwrap_or_default(),
    )
        .into_response()
}

fn refusal(error: ForumError) -> Response {
    match error {
        ForumError::NotFound => ApiError::not_found().into_response(),
        ForumError::Invalid { .. } => problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &error),
        ForumError::DailyLimit => problem(StatusCode::TOO_MANY_REQUESTS, "daily_limit", &error),
        ForumError::Moderation(_) | ForumError::Changed => {
            problem(StatusCode::CONFLICT, "conflict", &error)
        }
        ForumError::Core(error) => ApiError::unexpected(error).into_response(),
    }
}

/// Which page of published questions.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionQueryDto {
    /// Words to find in titles and texts (case and accents aside).
    q: Option<String>,
    /// Page number, from 1 to 100,000; another is refused (400).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100_000)]
    page: Option<crate::params::PageNumber>,
}

#[utoipa::path(
    get,
    path = "/api/v1/help/questions",
    operation_id = "list_questions",
    tag = "aide",
    params(QuestionQueryDto),
    responses(
        (status = 200, description = "Published questions of every fund, newest first, 20 a page", body = QuestionPageDto),
        (status = 400, description = "A page out of range", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<QuestionQueryDto>,
) -> Response {
    let page = crate::params::page_or_first(query.page);
    match state.forum.published(query.q.as_deref(), page).await {
        Ok(found) => Json(QuestionPageDto {
            questions: found.questions.iter().map(QuestionDto::from).collect(),
            total: found.total,
            page: found.page,
            pages: found.pages,
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/help/questions/{id}",
    operation_id = "show_question",
    tag = "aide",
    params(("id" = Uuid, Path, description = "The question")),
    responses(
        (status = 200, description = "A published question with the fund's answers", body = QuestionDetailDto),
        (status = 404, description = "No such published question", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn show(State(state): State<AppState>, Path(id): Path<Uuid>) -> Response {
    match state.forum.question(None, id).await {
        Ok(page) => Json(QuestionDetailDto {
            question: QuestionDto::from(&page.question),
            answers: page
                .answers
                .into_iter()
                .map(|a| AnswerDto {
                    fund: a.fund,
                    text: a.text,
                    on: a.on.to_string(),
                })
                .collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/help/questions",
    operation_id = "ask_question",
    tag = "aide",
    security(("bearer" = [])),
    request_body = AskDto,
    responses(
        (status = 201, description = "Asked: pending moderation, or held when it contains a NIR, an IBAN or a card number", body = AskedDto),
        (status = 400, description = "Not the JSON expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "A pseudonym, title or text out of its rules", body = ForumProblem, content_type = "application/problem+json"),
        (status = 429, description = "Five questions in 24 hours already", body = ForumProblem, content_type = "application/problem+json"),
    )
)]
pub async fn ask(
    State(state): State<AppState>,
    member: ApiMember,
    ApiJson(body): ApiJson<AskDto>,
) -> Response {
    let draft = QuestionDraft {
        pseudonym: body.pseudonym,
        title: body.title,
        text: body.text,
    };
    match state.forum.ask(member.id, &draft).await {
        Ok(asked) => (
            StatusCode::CREATED,
            Json(AskedDto {
                id: asked.id,
                status: asked.status.code(),
                held_message: asked.held_message_fr(),
                warnings: asked.warnings.iter().map(|w| w.code()).collect(),
            }),
        )
            .into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/help/my-questions",
    tag = "aide",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's questions, newest first, with their status", body = MyQuestionsDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn mine(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.forum.my_questions(member.id).await {
        Ok(questions) => Json(MyQuestionsDto {
            questions: questions
                .into_iter()
                .map(|q| MyQuestionDto {
                    question: QuestionDto::from(&q.question),
                    rejection_reason: q.rejection_reason,
                    held_message: q.held_message,
                })
                .collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}
