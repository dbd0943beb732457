//! « Mes démarches » for the app: the procedures (with their forms, so a client can draw
//! them), and the member's dossiers — open, fill by step, add files, file, complete, cancel,
//! follow, and download the decision letter or the CEAM certificate. Another member's
//! dossier is a 404, like a missing one. The answers go and come back as form inputs (the
//! names `docs/demarches.md` gives: `field`, `field.code_postal`, `field.0.sub`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::demarches::{
    DossierError, DossierSummary, DossierView, GivenProcuration, PieceUpload,
};
use caisse_domain::demarches::answers::to_inputs;
use caisse_domain::demarches::{Condition, Definition, Field, FieldKind};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiJson, ApiMember, Path};
use super::me::iso_date;
use crate::pages::pdf_download;
use crate::state::AppState;
use crate::uploads::{self, UploadError};
use crate::visitor::Client;

/// One choice of a choice field.
#[derive(Serialize, ToSchema)]
pub struct OptionDto {
    value: String,
    label: String,
}

/// One question of a procedure.
#[derive(Serialize, ToSchema)]
pub struct FieldDto {
    id: String,
    label: String,
    hint: Option<String>,
    /// `text`, `long_text`, `number`, `amount`, `date`, `yes_no`, `choice`, `nir`, `iban`,
    /// `postal_address`, `phone`, `email`, `family_member`, `group`, `files`.
    #[serde(rename = "type")]
    kind: &'static str,
    required: bool,
    /// Shown only when this holds: `{"field": "x", "equals": "v"}`, `not_equals`, `one_of`,
    /// `{"filled": "x"}`, `{"all": […]}`, `{"any": […]}`, `{"not": {…}}`.
    #[schema(value_type = Option<Object>)]
    show_if: Option<Value>,
    /// Required only when this holds (same form).
    #[schema(value_type = Option<Object>)]
    required_if: Option<Value>,
    max_chars: Option<usize>,
    min: Option<i64>,
    max: Option<i64>,
    past_only: Option<bool>,
    options: Vec<OptionDto>,
    /// The fields of one row of a group.
    #[schema(value_type = Vec<Object>)]
    fields: Vec<FieldDto>,
    /// Most files of a files field.
    max_count: Option<usize>,
    /// An identity document, erased once the dossier is decided.
    identity_document: bool,
}

/// One page of a procedure's form.
#[derive(Serialize, ToSchema)]
pub struct StepDto {
    id: String,
    title: String,
    fields: Vec<FieldDto>,
}

/// A procedure, at its current version.
#[derive(Serialize, ToSchema)]
pub struct ProcedureDto {
    code: String,
    version: u32,
    title: String,
    summary: String,
    category: String,
    /// `self`, `beneficiary`, `mandate`.
    filing_for: Vec<&'static str>,
    /// The delay the fund has to decide, in French (« 10 jours ouvrés »).
    delay: String,
    /// `none`, `accept`, `refuse`, `implicit_recognition`.
    silence: &'static str,
    /// Decided as soon as filed, without an advisor.
    automatic: bool,
    steps: Vec<StepDto>,
}

/// The procedures offered.
#[derive(Serialize, ToSchema)]
pub struct ProcedureListDto {
    procedures: Vec<ProcedureDto>,
}

fn condition_json(condition: &Condition) -> Value {
    match condition {
        Condition::Equals { field, value } => json!({ "field": field.as_str(), "equals": value }),
        Condition::NotEquals { field, value } => {
            json!({ "field": field.as_str(), "not_equals": value })
        }
        Condition::OneOf { field, values } => json!({ "field": field.as_str(), "one_of": values }),
        Condition::Filled { field } => json!({ "filled": field.as_str() }),
        Condition::All(all) => json!({ "all": all.iter().map(condition_json).collect::<Vec<_>>() }),
        Condition::Any(any) => json!({ "any": any.iter().map(condition_json).collect::<Vec<_>>() }),
        Condition::Not(inner) => json!({ "not": condition_json(inner) }),
    }
}

fn field_dto(field: &Field) -> FieldDto {
    let mut dto = FieldDto {
        id: field.id.as_str().to_owned(),
        label: field.label.clone(),
        hint: field.hint.clone(),
        kind: field.kind.code(),
        required: field.required,
        show_if: field.show_if.as_ref().map(condition_json),
        required_if: field.required_if.as_ref().map(condition_json),
        max_chars: None,
        min: None,
        max: None,
        past_only: None,
        options: Vec::new(),
        fields: Vec::new(),
        max_count: None,
        identity_document: false,
    };
    match &field.kind {
        FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
            dto.max_chars = Some(*max_chars);
        }
        FieldKind::Number { min, max } => {
            dto.min = Some(*min);
            dto.max = Some(*max);
        }
        FieldKind::Date { past_only } => dto.past_only = Some(*past_only),
        FieldKind::Choice { options } => {
            dto.options = options
                .iter()
                .map(|o| OptionDto {
                    value: o.value.clone(),
                    label: o.label.clone(),
                })
                .collect();
        }
        FieldKind::Group { fields, min, max } => {
            dto.fields = fields.iter().map(field_dto).collect();
            dto.min = i64::try_from(*min).ok();
            dto.max = i64::try_from(*max).ok();
        }
        FieldKind::Files {
            max_count,
            identity_document,
        } => {
            dto.max_count = Some(*max_count);
            dto.identity_document = *identity_document;
        }
        _ => {}
    }
    dto
}

fn procedure_dto(definition: &Definition) -> ProcedureDto {
    ProcedureDto {
        code: definition.code.to_string(),
        version: definition.version,
        title: definition.title.clone(),
        summary: definition.summary.clone(),
        category: definition.category.clone(),
        filing_for: definition.filing_for.iter().map(|f| f.code()).collect(),
        delay: definition.delay.label_fr(),
        silence: definition.silence.code(),
        automatic: definition.automatic,
        steps: definition
            .steps
            .iter()
            .map(|step| StepDto {
                id: step.id.as_str().to_owned(),
                title: step.title.clone(),
                fields: step.fields.iter().map(field_dto).collect(),
            })
            .collect(),
    }
}

/// One answer or file refused.
#[derive(Serialize, ToSchema)]
pub struct InputErrorDto {
    /// The input (`adresse.code_postal`, `enfants.0.prenom`) or the files field.
    field: String,
    /// The French message.
    message: String,
}

/// 422: the answers or files refused, one message each; nothing stored.
#[derive(Serialize, ToSchema)]
pub struct DossierInvalid {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    /// `invalid_answers`, `invalid_files`, `incomplete`, `refused`.
    code: &'static str,
    detail: String,
    errors: Vec<InputErrorDto>,
}

fn unprocessable(code: &'static str, detail: String, errors: Vec<InputErrorDto>) -> Response {
    let body = DossierInvalid {
        kind: "about:blank",
        title: "Unprocessable Content",
        status: 422,
        code,
        detail,
        errors,
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

fn inputs(errors: Vec<caisse_domain::demarches::FieldError>) -> Vec<InputErrorDto> {
    errors
        .into_iter()
        .map(|e| InputErrorDto {
            field: e.input,
            message: e.message_fr,
        })
        .collect()
}

fn refusal(error: DossierError) -> Response {
    let message = error.message_fr();
    match error {
        DossierError::NotFound | DossierError::UnknownProcedure => {
            ApiError::not_found().into_response()
        }
        DossierError::NotAllowed | DossierError::NoProcuration => ApiError::with(
            StatusCode::FORBIDDEN,
            "not_allowed",
            "Forbidden",
            "Cette démarche ne peut pas être faite ainsi : pour cette personne, ou sans procuration en cours.",
        )
        .into_response(),
        DossierError::WrongState | DossierError::Conflict => ApiError::with(
            StatusCode::CONFLICT,
            "wrong_state",
            "Conflict",
            "Le dossier n'est pas dans un état qui le permet : relisez-le.",
        )
        .into_response(),
        DossierError::Invalid(errors) => unprocessable("invalid_answers", message, inputs(errors)),
        DossierError::Incomplete(errors) => unprocessable("incomplete", message, inputs(errors)),
        DossierError::Files(problems) => unprocessable(
            "invalid_files",
            message,
            problems
                .into_iter()
                .map(|p| InputErrorDto {
                    field: p.field.to_owned(),
                    message: p.message,
                })
                .collect(),
        ),
        DossierError::BadDecision(_) | DossierError::Effect(_) => {
            unprocessable("refused", message, Vec::new())
        }
        DossierError::IdentityNotFound => unprocessable("identity_not_found", message, Vec::new()),
        DossierError::Locked => ApiError::too_many_requests().into_response(),
        DossierError::Core(error) => ApiError::unexpected(error).into_response(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/demarches",
    tag = "démarches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The procedures offered, with their forms", body = ProcedureListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn procedures(
    State(state): State<AppState>,
    _member: ApiMember,
) -> Json<ProcedureListDto> {
    Json(ProcedureListDto {
        procedures: state
            .demarches
            .catalogue()
            .iter()
            .map(|d| procedure_dto(d))
            .collect(),
    })
}

/// A new dossier.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDossierDto {
    /// The procedure's code.
    procedure: String,
    /// Filing as mandataire: the procuration the member gave.
    procuration_id: Option<Uuid>,
}

/// The dossier made.
#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    id: Uuid,
}

#[utoipa::path(
    post,
    path = "/api/v1/dossiers",
    tag = "démarches",
    security(("bearer" = [])),
    request_body = NewDossierDto,
    responses(
        (status = 201, description = "A draft, kept 30 days after its last change", body = CreatedDto),
        (status = 400, description = "Not the JSON expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 403, description = "No procuration in force allows it", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such procedure", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    member: ApiMember,
    ApiJson(body): ApiJson<NewDossierDto>,
) -> Response {
    let opened = match body.procuration_id {
        Some(procuration) => {
            state
                .demarches
                .open_as_mandataire(member.id, procuration, &body.procedure)
                .await
        }
        None => state.demarches.open(member.id, &body.procedure).await,
    };
    match opened {
        Ok(id) => (StatusCode::CREATED, Json(CreatedDto { id })).into_response(),
        Err(error) => refusal(error),
    }
}

/// A dossier in the list.
#[derive(Serialize, ToSchema)]
pub struct DossierSummaryDto {
    id: Uuid,
    /// « D-3F9A-12BC ».
    reference: String,
    procedure: String,
    title: String,
    /// `brouillon`, `deposee`, `en_instruction`, `a_completer`, `acceptee`, `refusee`,
    /// `sans_suite`, `implicite_acceptee`, `implicite_refusee`, `annulee`.
    state: &'static str,
    state_label: &'static str,
    /// The date the fund expects to decide by.
    due_on: Option<String>,
    /// When a draft expires.
    expires_on: Option<String>,
    person: String,
    /// The member has something to do (finish, complete).
    waits_for_member: bool,
    /// Filed as mandataire for someone else.
    for_mandant: bool,
}

impl From<&DossierSummary> for DossierSummaryDto {
    fn from(d: &DossierSummary) -> Self {
        DossierSummaryDto {
            id: d.id,
            reference: d.reference.clone(),
            procedure: d.procedure.to_string(),
            title: d.title.clone(),
            state: d.state.code(),
            state_label: d.state.label_fr(),
            due_on: d.due_on.map(iso_date),
            expires_on: d.expires_on.map(iso_date),
            person: d.person.clone(),
            waits_for_member: d.waits_for_member(),
            for_mandant: d.for_mandant,
        }
    }
}

/// The member's dossiers, newest first.
#[derive(Serialize, ToSchema)]
pub struct DossierListDto {
    dossiers: Vec<DossierSummaryDto>,
}

#[utoipa::path(
    get,
    path = "/api/v1/dossiers",
    operation_id = "list_dossiers",
    tag = "démarches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's dossiers and those they filed as mandataire", body = DossierListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.demarches.dossiers(member.id).await {
        Ok(dossiers) => Json(DossierListDto {
            dossiers: dossiers.iter().map(DossierSummaryDto::from).collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

/// A file of a dossier.
#[derive(Serialize, ToSchema)]
pub struct PieceDto {
    id: Uuid,
    field: String,
    name: String,
    content_type: &'static str,
    size_bytes: u64,
    /// Erased after the decision (identity documents).
    erased: bool,
}

/// One step of the history.
#[derive(Serialize, ToSchema)]
pub struct TimelineDto {
    /// RFC 3339.
    at: String,
    label: String,
    note: Option<String>,
    by_fund: bool,
}

/// What the advisor asked to complete.
#[derive(Serialize, ToSchema)]
pub struct CompletionDto {
    message: String,
    /// The fields the member may change.
    fields: Vec<String>,
}

/// A dossier, whole.
#[derive(Serialize, ToSchema)]
pub struct DossierDto {
    #[serde(flatten)]
    summary: DossierSummaryDto,
    version: u32,
    person_rank: u8,
    /// The answers as form inputs: send them back to `PUT …/steps/{step}` unchanged.
    answers: BTreeMap<String, String>,
    pieces: Vec<PieceDto>,
    timeline: Vec<TimelineDto>,
    reasons: Vec<String>,
    completion: Option<CompletionDto>,
    decision_letter: bool,
    ceam_certificate: bool,
    /// The card it ordered and its state (« Commandée »…).
    card: Option<String>,
    /// The procedure, at the version the dossier was opened with.
    procedure_form: ProcedureDto,
}

fn dossier_dto(view: DossierView) -> DossierDto {
    let summary = DossierSummaryDto {
        id: view.id,
        reference: view.reference.clone(),
        procedure: view.definition.code.to_string(),
        title: view.definition.title.clone(),
        state: view.state.code(),
        state_label: view.state.label_fr(),
        due_on: view.due_on.map(iso_date),
        expires_on: view.expires_on.map(iso_date),
        person: view.person_name.clone(),
        waits_for_member: matches!(
            view.state,
            caisse_domain::demarches::DossierState::Draft
                | caisse_domain::demarches::DossierState::AwaitingCompletion
        ),
        for_mandant: view.filed_as == caisse_domain::demarches::FiledAs::Mandataire,
    };
    DossierDto {
        summary,
        version: view.definition.version,
        person_rank: view.person_rank,
        answers: to_inputs(&view.answers),
        pieces: view
            .pieces
            .iter()
            .map(|p| PieceDto {
                id: p.id,
                field: p.field.as_str().to_owned(),
                name: p.name.clone(),
                content_type: p.kind.content_type(),
                size_bytes: p.size_bytes,
                erased: p.erased,
            })
            .collect(),
        timeline: view
            .timeline
            .iter()
            .map(|t| TimelineDto {
                at: t
                    .at
                    .get()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                label: t.label.clone(),
                note: t.note.clone(),
                by_fund: t.by_fund,
            })
            .collect(),
        reasons: view.reasons.clone(),
        completion: view.completion.as_ref().map(|c| CompletionDto {
            message: c.message.clone(),
            fields: c.fields.iter().map(|f| f.as_str().to_owned()).collect(),
        }),
        decision_letter: view.has_letter(),
        ceam_certificate: view.has_ceam_certificate,
        card: view.card.clone(),
        procedure_form: procedure_dto(&view.definition),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}",
    operation_id = "show_dossier",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The dossier", body = DossierDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier for this member", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Response {
    match state.demarches.dossier(member.id, id).await {
        Ok(view) => Json(dossier_dto(view)).into_response(),
        Err(error) => refusal(error),
    }
}

/// The answers of one step, as form inputs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepAnswersDto {
    /// Input name → text, e.g. `{"nom": "Martin", "adresse.code_postal": "67000"}`.
    answers: BTreeMap<String, String>,
}

#[utoipa::path(
    put,
    path = "/api/v1/dossiers/{id}/steps/{step}",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id"), ("step" = String, Path, description = "Step id")),
    request_body = StepAnswersDto,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Not the JSON expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier for this member", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "The dossier cannot change now", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Answers refused, one French message per input; nothing saved", body = DossierInvalid, content_type = "application/problem+json"),
    )
)]
pub async fn save_step(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, step)): Path<(Uuid, String)>,
    ApiJson(body): ApiJson<StepAnswersDto>,
) -> Response {
    match state
        .demarches
        .save_step(member.id, id, &step, &body.answers)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => refusal(error),
    }
}

/// Files for a dossier's files field (`multipart/form-data`).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "describes the multipart body in the OpenAPI document only"
)]
pub struct DossierFiles {
    #[schema(schema_with = super::schemas::dossier_files)]
    file: Vec<Vec<u8>>,
}

#[utoipa::path(
    post,
    path = "/api/v1/dossiers/{id}/fields/{field}/files",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id"), ("field" = String, Path, description = "The files field")),
    request_body(content = DossierFiles, content_type = "multipart/form-data", description = "One to five `file` parts (PDF, JPEG, PNG), and no other part"),
    responses(
        (status = 204, description = "Added, checked as message attachments are and stripped of metadata"),
        (status = 400, description = "Not the multipart expected", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier or files field", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "The field cannot change now", body = super::ApiError, content_type = "application/problem+json"),
        (status = 413, description = "The files together are too large", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Files refused, each named; none stored", body = DossierInvalid, content_type = "application/problem+json"),
    )
)]
pub async fn add_pieces(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, field)): Path<(Uuid, String)>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let bad = || {
        ApiError::bad_request(
            "Le corps de la requête n'est pas le multipart attendu : des parties « file ».",
        )
        .into_response()
    };
    let Ok(multipart) = multipart else {
        return bad();
    };
    let max = state.messaging.settings().attachments.max_file_bytes;
    let form = match uploads::read(multipart, max, "file").await {
        Ok(form) => form,
        Err(UploadError::TooLarge) => return ApiError::payload_too_large().into_response(),
        Err(UploadError::Malformed) => return bad(),
    };
    // Parts it does not read are refused, as unknown members of a JSON body are.
    if form.field_names().next().is_some() {
        return bad();
    }
    let files: Vec<PieceUpload> = form.files;
    match state
        .demarches
        .add_pieces(member.id, id, &field, files)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    delete,
    path = "/api/v1/dossiers/{id}/files/{piece}",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id"), ("piece" = Uuid, Path, description = "File id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier or file", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "The field cannot change now", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn remove_piece(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, piece)): Path<(Uuid, Uuid)>,
) -> Response {
    match state.demarches.remove_piece(member.id, id, piece).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}/files/{piece}",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id"), ("piece" = Uuid, Path, description = "File id")),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content(
            (super::schemas::StoredFile = "application/pdf"),
            (super::schemas::StoredFile = "image/jpeg"),
            (super::schemas::StoredFile = "image/png"),
        )),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier or file, or erased", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn piece(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, piece)): Path<(Uuid, Uuid)>,
) -> Response {
    match state.demarches.piece_file(member.id, id, piece).await {
        Ok((name, kind, bytes)) => (
            [
                (header::CONTENT_TYPE, kind.content_type().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", name.replace('"', "")),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => refusal(error),
    }
}

macro_rules! dossier_action {
    ($name:ident, $path:literal, $method:ident, $ok:literal, $($extra:tt)*) => {
        #[utoipa::path(
            post,
            path = $path,
            operation_id = concat!(stringify!($name), "_dossier"),
            tag = "démarches",
            security(("bearer" = [])),
            params(("id" = Uuid, Path, description = "Dossier id")),
            responses(
                (status = 204, description = $ok),
                (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
                (status = 404, description = "No such dossier for this member", body = super::ApiError, content_type = "application/problem+json"),
                (status = 409, description = "The dossier's state does not allow it", body = super::ApiError, content_type = "application/problem+json"),
                $($extra)*
            )
        )]
        pub async fn $name(State(state): State<AppState>, member: ApiMember, Path(id): Path<Uuid>) -> Response {
            match state.demarches.$method(member.id, id).await {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(error) => refusal(error),
            }
        }
    };
}

dossier_action!(
    submit,
    "/api/v1/dossiers/{id}/submit",
    submit,
    "Filed: routed to its team with its due date (or decided at once for a procedure without instruction)",
    (
        status = 403,
        description = "Not for this person",
        body = super::ApiError,
        content_type = "application/problem+json"
    ),
    (
        status = 422,
        description =
            "Answers or files missing, one message per field; or the procedure's effect refused",
        body = DossierInvalid,
        content_type = "application/problem+json"
    ),
);
dossier_action!(
    complete,
    "/api/v1/dossiers/{id}/complete",
    complete,
    "The completed dossier goes back to instruction; its due date moves by the time it waited",
    (
        status = 422,
        description = "A flagged answer or file is still missing",
        body = DossierInvalid,
        content_type = "application/problem+json"
    ),
);
dossier_action!(
    cancel,
    "/api/v1/dossiers/{id}/cancel",
    cancel,
    "Cancelled (a draft, or a filed dossier no advisor took yet)",
);

async fn pdf(result: Result<Vec<u8>, DossierError>, name: &str) -> Response {
    match result {
        Ok(bytes) => pdf_download(name, bytes),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}/decision",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The decision letter, a tagged PDF", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier, or not decided yet", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn decision(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Response {
    pdf(
        state.demarches.decision_letter(member.id, id).await,
        "decision.pdf",
    )
    .await
}

#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}/ceam-certificate",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The certificat provisoire de remplacement of the CEAM, valid 3 months, a tagged PDF", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier, or it ordered no CEAM", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn ceam_certificate(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Response {
    pdf(
        state.demarches.ceam_certificate(member.id, id).await,
        "certificat-ceam.pdf",
    )
    .await
}

/// A procuration the member gave.
#[derive(Serialize, ToSchema)]
pub struct ProcurationDto {
    id: Uuid,
    mandataire: String,
    valid_from: String,
    valid_to: String,
    /// Revoked or past its last day.
    ended: bool,
}

/// The procurations the member gave, newest first.
#[derive(Serialize, ToSchema)]
pub struct ProcurationListDto {
    procurations: Vec<ProcurationDto>,
}

#[utoipa::path(
    get,
    path = "/api/v1/procurations",
    tag = "démarches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The procurations the member gave", body = ProcurationListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn procurations(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.demarches.procurations(member.id).await {
        Ok(list) => Json(ProcurationListDto {
            procurations: list
                .iter()
                .map(|p: &GivenProcuration| ProcurationDto {
                    id: p.id,
                    mandataire: p.mandataire.clone(),
                    valid_from: iso_date(p.valid_from),
                    valid_to: iso_date(p.valid_to),
                    ended: p.ended,
                })
                .collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/procurations/{id}/revoke",
    tag = "démarches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Procuration id")),
    responses(
        (status = 204, description = "Revoked at once"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such procuration of this member, or revoked already", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_procuration(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
) -> Response {
    match state
        .demarches
        .revoke_procuration(member.id, id, &context)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => refusal(error),
    }
}
