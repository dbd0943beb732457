//! `/api/v1/messages`: « Ma messagerie » for the mobile app. A member sees and writes only in
//! their own threads: another member's thread answers 404, like a missing one, so ids cannot
//! be probed, and so does a file of such a thread.
//!
//! Writing takes JSON, or `multipart/form-data` with that JSON in a `message` part and up to
//! five `file` parts (PDF, JPEG or PNG, recognised by content, 5 Mo each). One refused file
//! refuses the message (422, every file named) and nothing is stored.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{
    AttachmentInfo, Attachments, AttachmentsError, MemberError, MemberFilters, MessageAuthor,
    NewMessageForm, ThreadDetail, ThreadSummary,
};
use caisse_domain::messaging::ThreadStatus;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Iso8601, Rfc3339};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiError;
use super::accounts::invalid;
use super::extract::{ApiMember, Path, Query, WithFiles};
use crate::pages::attachments::file_response;
use crate::params::{FileNumber, PageNumber, page_or_first};
use crate::state::AppState;
use crate::visitor::Client;

/// A thread in a list.
#[derive(Serialize, ToSchema)]
pub struct ThreadDto {
    id: Uuid,
    /// Reference quoted on the phone.
    #[schema(example = "M-2026-K7Q3-9DXA")]
    reference: String,
    recipient: String,
    objet: String,
    /// `demande_renseignements`, `signalement`, `reclamation` or `non_precisee` (« Je ne sais
    /// pas »: the fund classifies it).
    nature: &'static str,
    subject: String,
    /// `en_attente`, `en_cours` or `traite`.
    status: &'static str,
    /// « En attente de traitement », « En cours d'instruction » or « Traité ».
    status_label: &'static str,
    /// Expected answer date (`AAAA-MM-JJ`).
    due_on: String,
    unread: bool,
    created_at: String,
    updated_at: String,
}

/// A file of a message.
#[derive(Serialize, ToSchema)]
pub struct AttachmentDto {
    /// Its number in the thread, from 1 (message order, then upload order).
    position: usize,
    /// The sanitised name.
    #[schema(example = "facture.pdf")]
    name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    content_type: &'static str,
    /// Size as stored (photos are re-encoded without their metadata).
    size_bytes: u64,
    /// Where to download it, with the same bearer token.
    #[schema(example = "/api/v1/messages/0190a0c2-8f0e-7cc3-a4f5-3e1e0d1c2b3a/attachments/1")]
    url: String,
}

/// One message of a thread.
#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    id: Uuid,
    /// `member` or `fund`.
    author: &'static str,
    body: String,
    created_at: String,
    /// Its files, in upload order.
    attachments: Vec<AttachmentDto>,
}

/// A thread with every message, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ThreadDetailDto {
    thread: ThreadDto,
    messages: Vec<MessageDto>,
}

/// A page of threads, newest activity first.
#[derive(Serialize, ToSchema)]
pub struct ThreadPageDto {
    items: Vec<ThreadDto>,
    page: u64,
    page_count: u64,
    total: u64,
}

/// A new message.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageDto {
    /// `caisse` or a service code.
    #[schema(example = "caisse", min_length = 1, max_length = 64)]
    recipient: String,
    /// An objet code of the catalogue.
    #[schema(
        example = "remboursement.feuille_de_soins",
        min_length = 1,
        max_length = 64
    )]
    objet: String,
    /// `demande_renseignements`, `signalement`, `reclamation` or `non_precisee` (« Je ne sais
    /// pas »: the fund classifies it).
    #[schema(example = "demande_renseignements", value_type = super::schemas::Nature)]
    nature: String,
    /// At most 100 characters, not only white space.
    #[schema(pattern = r"\S", max_length = 100)]
    subject: String,
    /// At most 4,000 characters, not only white space.
    #[schema(pattern = r"\S", max_length = 4000)]
    body: String,
}

/// A new message with files (`multipart/form-data`).
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the multipart body in the OpenAPI document only"
)]
#[serde(deny_unknown_fields)]
pub struct NewMessageWithFiles {
    /// The same JSON as the `application/json` body (a part of type `application/json`).
    message: NewMessageDto,
    #[schema(schema_with = super::schemas::message_files)]
    file: Option<Vec<Vec<u8>>>,
}

/// A reply with files (`multipart/form-data`).
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the multipart body in the OpenAPI document only"
)]
#[serde(deny_unknown_fields)]
pub struct ReplyWithFiles {
    /// The same JSON as the `application/json` body (a part of type `application/json`).
    message: ReplyDto,
    #[schema(schema_with = super::schemas::message_files)]
    file: Option<Vec<Vec<u8>>>,
}

/// The answer to a sent message.
#[derive(Serialize, ToSchema)]
pub struct SentDto {
    id: Uuid,
    reference: String,
    /// Expected answer date (`AAAA-MM-JJ`), in working days.
    due_on: String,
}

/// A reply.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyDto {
    /// At most 4,000 characters, not only white space.
    #[schema(pattern = r"\S", max_length = 4000)]
    body: String,
}

/// Filters of the list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page number, from 1 to 100,000; another is refused (400).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100_000)]
    page: Option<PageNumber>,
    /// `en_attente`, `en_cours` or `traite`.
    status: Option<String>,
    /// An objet code.
    objet: Option<String>,
    /// Words of the subject.
    q: Option<String>,
}

fn date(value: time::Date) -> String {
    value.format(&Iso8601::DATE).unwrap_or_default()
}

fn instant(value: time::OffsetDateTime) -> String {
    value.format(&Rfc3339).unwrap_or_default()
}

fn thread_dto(thread: ThreadSummary) -> ThreadDto {
    ThreadDto {
        id: thread.id,
        reference: thread.reference,
        recipient: thread.recipient_code,
        objet: thread.objet_code,
        nature: thread.nature.code(),
        subject: thread.subject,
        status: thread.status.code(),
        status_label: thread.status.label_fr(),
        due_on: date(thread.due_on),
        unread: thread.unread_by_member,
        created_at: instant(thread.created_at),
        updated_at: instant(thread.updated_at),
    }
}

fn attachment_dto(thread_id: Uuid, info: AttachmentInfo) -> AttachmentDto {
    AttachmentDto {
        url: format!("/api/v1/messages/{thread_id}/attachments/{}", info.position),
        position: info.position,
        name: info.name,
        content_type: info.kind.content_type(),
        size_bytes: info.size_bytes,
    }
}

fn detail_dto(detail: ThreadDetail) -> ThreadDetailDto {
    let thread_id = detail.thread.id;
    ThreadDetailDto {
        thread: thread_dto(detail.thread),
        messages: detail
            .messages
            .into_iter()
            .filter(|m| !m.internal)
            .map(|m| MessageDto {
                id: m.id,
                author: match m.author {
                    MessageAuthor::Member => "member",
                    MessageAuthor::Staff(_) => "fund",
                },
                body: m.body,
                created_at: instant(m.created_at),
                attachments: m
                    .attachments
                    .into_iter()
                    .map(|a| attachment_dto(thread_id, a))
                    .collect(),
            })
            .collect(),
    }
}

fn refusal(error: MemberError) -> Result<Response, ApiError> {
    match error {
        MemberError::Invalid(problems) => Ok(invalid(&problems)),
        MemberError::NotFound => Err(ApiError::not_found()),
        MemberError::Refused(_) | MemberError::Conflict { .. } => Err(ApiError::with(
            StatusCode::CONFLICT,
            "thread_closed",
            "Conflict",
            "Cette conversation ne permet plus de répondre : écrivez un nouveau message.",
        )),
        MemberError::Quota(_) => Err(ApiError::with(
            StatusCode::TOO_MANY_REQUESTS,
            "quota_exceeded",
            "Too Many Requests",
            "Vous avez atteint le nombre de messages permis aujourd'hui : votre message n'est \
             pas envoyé. Envoyez-le demain, ou appelez votre caisse s'il est urgent.",
        )),
        MemberError::Core(error) => Err(error.into()),
        other @ (MemberError::WriterStopped | MemberError::Randomness(_) | MemberError::Pdf(_)) => {
            Err(ApiError::unexpected(other))
        }
    }
}

fn download_refusal(error: AttachmentsError) -> Result<Response, ApiError> {
    match error {
        AttachmentsError::NotFound => Err(ApiError::not_found()),
        AttachmentsError::Core(error) => Err(error.into()),
        other @ AttachmentsError::FileMissing => Err(ApiError::unexpected(other)),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/messages",
    operation_id = "list_threads",
    tag = "messagerie",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The member's threads", body = ThreadPageDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    member: ApiMember,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let filters = MemberFilters {
        status: query.status.as_deref().and_then(ThreadStatus::from_code),
        objet: query.objet.filter(|o| !o.is_empty()),
        search: query.q.filter(|q| !q.trim().is_empty()),
    };
    match state
        .messaging
        .member
        .member_threads(member.id, &filters, page_or_first(query.page))
        .await
    {
        Ok(page) => {
            let page_count = page.page_count();
            Ok(Json(ThreadPageDto {
                page: page.number,
                page_count,
                total: page.total,
                items: page.items.into_iter().map(thread_dto).collect(),
            })
            .into_response())
        }
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/messages",
    tag = "messagerie",
    security(("bearer" = [])),
    request_body(content(
        (NewMessageDto = "application/json"),
        (NewMessageWithFiles = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Sent; a confirmation mail (link only) follows", body = SentDto),
        (status = 400, description = "Not the JSON, or not the multipart, expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 413, description = "The files together are too large", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Malformed fields or refused files (each named, field `files`); nothing stored", body = super::accounts::Invalid<'static>, content_type = "application/problem+json"),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    WithFiles {
        value: request,
        files,
    }: WithFiles<NewMessageDto>,
) -> Result<Response, ApiError> {
    let form = NewMessageForm {
        recipient: request.recipient,
        objet: request.objet,
        nature: request.nature,
        subject: request.subject,
        body: request.body,
    };
    match state
        .messaging
        .member
        .send_with_attachments(member.id, form, Attachments::uploads(files), &context)
        .await
    {
        Ok(sent) => Ok((
            StatusCode::CREATED,
            Json(SentDto {
                id: sent.id,
                reference: sent.reference,
                due_on: date(sent.due_on),
            }),
        )
            .into_response()),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/messages/{id}",
    operation_id = "show_thread",
    tag = "messagerie",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Thread id")),
    responses(
        (status = 200, description = "The thread, marked read", body = ThreadDetailDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such thread for this member", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    match state.messaging.member.member_thread(member.id, id).await {
        Ok(detail) => Ok(Json(detail_dto(detail)).into_response()),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}/replies",
    tag = "messagerie",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Thread id")),
    request_body(content(
        (ReplyDto = "application/json"),
        (ReplyWithFiles = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Reply added", body = ThreadDto),
        (status = 400, description = "Not the JSON, or not the multipart, expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such thread for this member", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "The thread no longer takes replies", body = super::ApiError, content_type = "application/problem+json"),
        (status = 413, description = "The files together are too large", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body or refused files (each named, field `files`); nothing stored", body = super::accounts::Invalid<'static>, content_type = "application/problem+json"),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
    WithFiles {
        value: request,
        files,
    }: WithFiles<ReplyDto>,
) -> Result<Response, ApiError> {
    match state
        .messaging
        .member
        .member_reply_with_attachments(
            member.id,
            id,
            &request.body,
            Attachments::uploads(files),
            &context,
        )
        .await
    {
        Ok(thread) => Ok((StatusCode::CREATED, Json(thread_dto(thread))).into_response()),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/messages/{id}/attachments/{n}",
    tag = "messagerie",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Thread id"),
        ("n" = u64, Path, minimum = 1, maximum = 10_000, description = "The file's position in the thread, from 1"),
    ),
    responses(
        (status = 200, description = "The file, as a download (`Content-Disposition: attachment`)", content(
            (super::schemas::StoredFile = "application/pdf"),
            (super::schemas::StoredFile = "image/jpeg"),
            (super::schemas::StoredFile = "image/png"),
        )),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such file in a thread of this member", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, position)): Path<(Uuid, FileNumber)>,
) -> Result<Response, ApiError> {
    match state
        .messaging
        .attachments
        .member_attachment(member.id, id, position.as_usize())
        .await
    {
        Ok(file) => Ok(file_response(file)),
        Err(error) => download_refusal(error),
    }
}
