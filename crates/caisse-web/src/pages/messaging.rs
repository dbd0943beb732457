//! « Ma messagerie » for members: `/messagerie` (threads, filters, pages), `/messagerie/nouveau`
//! (step 1 writes: recipient, theme — the `objet` code —, nature, subject, body; « Vérifier
//! avant d'envoyer » leads to step 2, the message read-only with the expected answer date and
//! any sensitive-data warning, where the member sends, goes back to « Modifier », or has an
//! IBAN or card number masked on the server) and `/messagerie/{id}` (the thread and
//! « Répondre »), `/messagerie/{id}/pdf` (the thread as a PDF). A member only ever reaches
//! their own threads; another's id is a 404.
//!
//! Both forms take files (`multipart/form-data`): accepted files become drafts carried by
//! the form across the check step and any refusal, listed with a « Retirer » box
//! (`pages::attachments`); the message is sent only when every file passed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::FormProblem;
use caisse_core::messaging::{
    Attachments, DraftAttachment, MemberError, MemberFilters, MessageAuthor, NewMessageForm,
    ThreadDetail, ThreadSummary,
};
use caisse_domain::Fund;
use caisse_domain::messaging::{Body, Nature, Subject, ThreadStatus, mask_bank_data};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfUpload;
use crate::error::AppError;
use crate::forms::{CharLimit, Problems, echo};
use crate::layout::Layout;
use crate::pages::attachments::{self, ACCEPT, DraftLine, FileLink};
use crate::pages::{Choice, ChoiceGroup, objet_groups, paris_fr, render, thread_pdf_download};
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::uploads::UploadForm;
use crate::visitor::{Client, CurrentMember, urlencode};
use caisse_domain::french::letter_date;

const SECTION: &str = "messagerie";

fn layout(state: &AppState, member: &CurrentMember, title: impl Into<String>) -> Layout {
    Layout::new(&member.visitor, &state.config.brand, title, SECTION)
}

fn refusal(error: MemberError) -> AppError {
    match error {
        MemberError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

/// The problems a refused send shows on its form: the form's own, or the day's quota of
/// messages (beside the text).
fn shown_problems(error: MemberError) -> Result<Vec<FormProblem>, AppError> {
    match error {
        MemberError::Invalid(problems) => Ok(problems),
        MemberError::Quota(quota) => Ok(vec![FormProblem {
            field: "body",
            message: quota.message_fr(),
        }]),
        other => Err(refusal(other)),
    }
}

/// A thread as a list row.
struct Row {
    id: Uuid,
    reference: String,
    subject: String,
    status: &'static str,
    /// CSS modifier of the status badge (`en-attente`, `en-cours`, `traite`).
    status_class: String,
    due_on: String,
    unread: bool,
}

impl Row {
    fn of(thread: ThreadSummary) -> Row {
        Row {
            id: thread.id,
            reference: thread.reference,
            subject: thread.subject,
            status: thread.status.label_fr(),
            status_class: thread.status.code().replace('_', "-"),
            due_on: letter_date(thread.due_on),
            unread: thread.unread_by_member,
        }
    }
}

#[derive(Template)]
#[template(path = "messaging/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    status: String,
    objet: String,
    q: String,
    page: u64,
    page_count: u64,
    total: u64,
    statuses: Vec<(&'static str, &'static str)>,
    objets: Vec<ChoiceGroup>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<PageNumber>,
    statut: Option<String>,
    objet: Option<String>,
    q: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let status = query.statut.unwrap_or_default();
    let q = query.q.unwrap_or_default();
    let settings = state.messaging.settings();
    // An objet not in the catalogue (an old link, a typo) filters nothing.
    let objet = query
        .objet
        .filter(|code| settings.catalogue.get(code).is_some())
        .unwrap_or_default();
    let filters = MemberFilters {
        status: ThreadStatus::from_code(&status),
        objet: Some(objet.clone()).filter(|o| !o.is_empty()),
        search: Some(q.clone()).filter(|q| !q.trim().is_empty()),
    };
    let page = state
        .messaging
        .member
        .member_threads(member.id, &filters, page_or_first(query.page))
        .await
        .map_err(refusal)?;
    let link = |page: u64| {
        format!(
            "/messagerie?page={page}&statut={}&objet={}&q={}",
            urlencode(&status),
            urlencode(&objet),
            urlencode(&q)
        )
    };
    let previous = (page.number > 1).then(|| link(page.number - 1));
    let next = (page.number < page.page_count()).then(|| link(page.number + 1));
    let view = ListPage {
        previous,
        next,
        layout: layout(&state, &member, "Ma messagerie"),
        page: page.number,
        page_count: page.page_count(),
        total: page.total,
        rows: page.items.into_iter().map(Row::of).collect(),
        status: echo(&status, 16),
        q: echo(&q, 100),
        statuses: ThreadStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label_fr()))
            .collect(),
        objets: objet_groups(&settings.catalogue),
        objet,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "messaging/new.html")]
struct NewPage {
    layout: Layout,
    problems: Problems,
    form: MessageForm,
    recipients: Vec<Choice>,
    objets: Vec<ChoiceGroup>,
    natures: Vec<(&'static str, &'static str, &'static str)>,
    /// Set on step 2 (the form passed every check): what the summary reads.
    check: Option<CheckView>,
    /// The expected answer date, on step 2.
    due_on: Option<String>,
    warnings: Vec<&'static str>,
    subject_limit: CharLimit,
    body_limit: CharLimit,
    /// Files joined so far, carried to the next submission.
    drafts: Vec<DraftLine>,
    files_hint: String,
    accept: &'static str,
}

/// The read-only summary of step 2, in words (the form keeps the codes).
struct CheckView {
    recipient: String,
    theme: String,
    nature: &'static str,
    /// An IBAN or card number could be masked (« Masquer »).
    maskable: bool,
    /// The member just masked them.
    masked: bool,
}

/// Which page a submission leads to.
enum Step {
    /// The editable form, with its problems if any.
    Edit,
    /// The read-only check; `masked` when numbers were just masked.
    Check { masked: bool },
}

/// What the form posts, besides its files. `Debug` shows the codes, not the member's text.
#[derive(Clone, Default)]
pub struct MessageForm {
    recipient: String,
    objet: String,
    nature: String,
    subject: String,
    body: String,
    /// `verifier` (step 1), `modifier`, `masquer` or `envoyer` (step 2).
    action: String,
}

impl std::fmt::Debug for MessageForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageForm")
            .field("recipient", &self.recipient)
            .field("objet", &self.objet)
            .field("nature", &self.nature)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl MessageForm {
    fn of(form: &UploadForm) -> MessageForm {
        MessageForm {
            recipient: form.field("recipient").to_owned(),
            objet: form.field("objet").to_owned(),
            nature: form.field("nature").to_owned(),
            subject: form.field("subject").to_owned(),
            body: form.field("body").to_owned(),
            action: form.field("action").to_owned(),
        }
    }
}

async fn new_page(
    state: &AppState,
    member: &CurrentMember,
    form: MessageForm,
    problems: Problems,
    step: (Step, Option<caisse_core::messaging::Preview>),
    drafts: &[DraftAttachment],
) -> Result<Response, AppError> {
    let (step, preview) = step;
    let settings = state.messaging.settings();
    // One read of the member file: the fund names the « caisse » recipient.
    let fund = state
        .people
        .member_fund(member.id)
        .await?
        .map(|code| Fund::by_code(&code));
    let recipients: Vec<Choice> = settings
        .services
        .recipients()
        .map(|r| Choice {
            code: r.code().to_owned(),
            label: fund.map_or_else(
                || state.config.brand.name.clone(),
                |fund| r.label_fr(fund).to_owned(),
            ),
        })
        .collect();
    let check = match step {
        Step::Edit => None,
        Step::Check { masked } => Some(CheckView {
            recipient: recipients
                .iter()
                .find(|r| r.code == form.recipient.trim())
                .map(|r| r.label.clone())
                .unwrap_or_default(),
            theme: settings
                .catalogue
                .get(form.objet.trim())
                .map(|o| o.label_fr().to_owned())
                .unwrap_or_default(),
            nature: Nature::from_code(form.nature.trim()).map_or("", Nature::choice_fr),
            maskable: mask_bank_data(&form.subject).is_some()
                || mask_bank_data(&form.body).is_some(),
            masked,
        }),
    };
    let objets = objet_groups(&settings.catalogue);
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let limits = settings.limits;
    let mut subject_limit = CharLimit::new(limits.subject_max_chars);
    let mut body_limit = CharLimit::new(limits.body_max_chars);
    // Once submitted (checked, or refused), the counts show beside the limits: the only
    // counter a visitor without JavaScript gets.
    if !form.action.is_empty() || !problems.is_empty() {
        subject_limit = subject_limit.counted(Subject::counted_chars(&form.subject));
        body_limit = body_limit.counted(Body::counted_chars(&form.body));
    }
    let title = if check.is_some() {
        "Vérifiez votre message"
    } else {
        "Nouveau message"
    };
    let page = NewPage {
        layout: layout(state, member, title),
        check,
        problems,
        recipients,
        objets,
        natures: Nature::ALL
            .iter()
            .map(|n| (n.code(), n.choice_fr(), n.hint_fr()))
            .collect(),
        due_on: preview.as_ref().and_then(|p| p.due_on).map(letter_date),
        warnings: preview
            .map(|p| p.warnings.iter().map(|w| w.message_fr()).collect())
            .unwrap_or_default(),
        subject_limit,
        body_limit,
        drafts: drafts.iter().map(DraftLine::of).collect(),
        files_hint: attachments::hint(&settings.attachments),
        accept: ACCEPT,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

/// What a link may prefill « Nouveau message » with (« Signaler un remboursement »): an
/// objet of the catalogue and a nature (others are ignored), a subject and a text (cut at
/// their limits). Nothing is sent before the member checks and sends it.
#[derive(Debug, Default, Deserialize)]
pub struct NewMessagePrefill {
    objet: Option<String>,
    nature: Option<String>,
    sujet: Option<String>,
    message: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(prefill): Query<NewMessagePrefill>,
) -> Result<Response, AppError> {
    let settings = state.messaging.settings();
    let limits = settings.limits;
    let objet = prefill
        .objet
        .filter(|code| settings.catalogue.get(code).is_some())
        .unwrap_or_default();
    let nature = prefill
        .nature
        .and_then(|code| Nature::from_code(&code))
        .map(|n| n.code().to_owned())
        .unwrap_or_default();
    let form = MessageForm {
        recipient: caisse_domain::messaging::FUND_CODE.to_owned(),
        objet,
        nature,
        subject: echo(&prefill.sujet.unwrap_or_default(), limits.subject_max_chars),
        body: echo(&prefill.message.unwrap_or_default(), limits.body_max_chars),
        ..MessageForm::default()
    };
    new_page(
        &state,
        &member,
        form,
        Problems::none(),
        (Step::Edit, None),
        &[],
    )
    .await
}

pub async fn send(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfUpload(mut upload): CsrfUpload,
) -> Result<Response, AppError> {
    let mut form = MessageForm::of(&upload);
    let (staged, removed) = attachments::stage(&state, member.id, &mut upload).await?;
    if form.action == "modifier" {
        // Back to step 1 as the member left it, files included.
        return new_page(
            &state,
            &member,
            form,
            Problems::none(),
            (Step::Edit, None),
            &staged.drafts,
        )
        .await;
    }
    let mut masked = false;
    if form.action == "masquer" {
        // On the server, so it works without JavaScript; step 2 shows the result.
        if let Some(subject) = mask_bank_data(&form.subject) {
            form.subject = subject;
            masked = true;
        }
        if let Some(body) = mask_bank_data(&form.body) {
            form.body = body;
            masked = true;
        }
    }
    let request = NewMessageForm {
        recipient: form.recipient.clone(),
        objet: form.objet.clone(),
        nature: form.nature.clone(),
        subject: form.subject.clone(),
        body: form.body.clone(),
    };
    if form.action != "envoyer" || removed || !staged.problems.is_empty() {
        // A check: the form's problems and the refused files keep the member on step 1;
        // a clean form goes to step 2 with the answer date and the warnings. Taking a file
        // off, or a refused file, also comes back here rather than sending something else
        // than intended.
        let mut problems = state
            .messaging
            .member
            .validate(&request)
            .err()
            .unwrap_or_default();
        problems.extend(staged.problems);
        if !problems.is_empty() {
            return new_page(
                &state,
                &member,
                form,
                Problems::from(problems),
                (Step::Edit, None),
                &staged.drafts,
            )
            .await;
        }
        let preview = state
            .messaging
            .member
            .preview(member.id, &request)
            .await
            .map_err(refusal)?;
        return new_page(
            &state,
            &member,
            form,
            Problems::none(),
            (Step::Check { masked }, Some(preview)),
            &staged.drafts,
        )
        .await;
    }
    let ids: Vec<Uuid> = staged.drafts.iter().map(|d| d.id).collect();
    let attachments = Attachments {
        drafts: ids.clone(),
        uploads: Vec::new(),
    };
    match state
        .messaging
        .member
        .send_with_attachments(member.id, request, attachments, &context)
        .await
    {
        Ok(sent) => Ok(Redirect::to(&format!("/messagerie/{}?envoye=1", sent.id)).into_response()),
        Err(error) => {
            let problems = shown_problems(error)?;
            let drafts = state
                .messaging
                .attachments
                .member_drafts(member.id, &ids)
                .await
                .map_err(AppError::unexpected)?;
            new_page(
                &state,
                &member,
                form,
                Problems::from(problems),
                (Step::Edit, None),
                &drafts,
            )
            .await
        }
    }
}

struct MessageView {
    from_member: bool,
    body: String,
    at: String,
    files: Vec<FileLink>,
}

/// The reply form as the member left it.
#[derive(Default)]
struct ReplyDraft {
    body: String,
    drafts: Vec<DraftAttachment>,
}

#[derive(Template)]
#[template(path = "messaging/thread.html")]
struct ThreadPage {
    layout: Layout,
    thread: Row,
    objet: String,
    nature: &'static str,
    messages: Vec<MessageView>,
    just_sent: bool,
    problems: Problems,
    /// The refused reply, given back to correct.
    reply: String,
    body_limit: CharLimit,
    /// Who at the fund opened the thread: role and date (issue: the member sees it).
    viewers: Vec<(&'static str, String)>,
    drafts: Vec<DraftLine>,
    files_hint: String,
    accept: &'static str,
    /// « Saisir le médiateur », or the referral and its answer.
    mediation: crate::pages::mediation::ThreadBlock,
    /// Who signs the fund's messages: the member's fund by name.
    fund_name: String,
}

#[derive(Deserialize)]
pub struct ThreadQuery {
    envoye: Option<String>,
}

async fn thread_page(
    state: &AppState,
    member: &CurrentMember,
    detail: ThreadDetail,
    just_sent: bool,
    problems: Problems,
    reply: ReplyDraft,
) -> Result<Response, AppError> {
    let viewers = state
        .messaging
        .member
        .member_thread_viewers(member.id, detail.thread.id)
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|v| (v.role_label, paris_fr(v.at)))
        .collect();
    let mediation = crate::pages::mediation::thread_block(state, member, detail.thread.id).await?;
    let fund_name = state.people.member_fund(member.id).await?.map_or_else(
        || "Votre caisse".to_owned(),
        |code| Fund::by_code(&code).name().to_owned(),
    );
    let settings = state.messaging.settings();
    let objet = settings
        .catalogue
        .get(&detail.thread.objet_code)
        .map(|o| o.label_fr().to_owned())
        .unwrap_or_else(|| detail.thread.objet_code.clone());
    let nature = if detail.thread.nature.is_unclassified() {
        "À préciser par votre caisse"
    } else {
        detail.thread.nature.label_fr()
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ThreadPage {
        layout: layout(
            state,
            member,
            format!("Message {}", detail.thread.reference),
        ),
        objet,
        nature,
        messages: detail
            .messages
            .into_iter()
            .filter(|m| !m.internal)
            .map(|m| MessageView {
                from_member: m.author == MessageAuthor::Member,
                files: m
                    .attachments
                    .iter()
                    .map(|a| FileLink::of("/messagerie", detail.thread.id, a))
                    .collect(),
                body: m.body,
                at: paris_fr(m.created_at),
            })
            .collect(),
        thread: Row::of(detail.thread),
        just_sent,
        body_limit: if problems.is_empty() {
            CharLimit::new(settings.limits.body_max_chars)
        } else {
            CharLimit::new(settings.limits.body_max_chars).counted(Body::counted_chars(&reply.body))
        },
        problems,
        reply: reply.body.clone(),
        viewers,
        drafts: reply.drafts.iter().map(DraftLine::of).collect(),
        files_hint: attachments::hint(&settings.attachments),
        accept: ACCEPT,
        mediation,
        fund_name,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    Query(query): Query<ThreadQuery>,
) -> Result<Response, AppError> {
    let detail = state
        .messaging
        .member
        .member_thread(member.id, id)
        .await
        .map_err(refusal)?;
    thread_page(
        &state,
        &member,
        detail,
        query.envoye.is_some(),
        Problems::none(),
        ReplyDraft::default(),
    )
    .await
}

pub async fn reply(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfUpload(mut upload): CsrfUpload,
) -> Result<Response, AppError> {
    // The thread first: no draft is made for a thread that is not the member's.
    let detail = state
        .messaging
        .member
        .member_thread(member.id, id)
        .await
        .map_err(refusal)?;
    let body = upload.field("body").to_owned();
    let (staged, removed) = attachments::stage(&state, member.id, &mut upload).await?;
    let problems = if removed || !staged.problems.is_empty() {
        let limits = &state.messaging.settings().limits;
        let mut problems: Vec<_> = Body::parse(&body, limits)
            .err()
            .map(|e| FormProblem {
                field: "body",
                message: e.message_fr(),
            })
            .into_iter()
            .collect();
        problems.extend(staged.problems);
        problems
    } else {
        let attachments = Attachments {
            drafts: staged.drafts.iter().map(|d| d.id).collect(),
            uploads: Vec::new(),
        };
        match state
            .messaging
            .member
            .member_reply_with_attachments(member.id, id, &body, attachments, &context)
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/messagerie/{id}")).into_response()),
            Err(error) => shown_problems(error)?,
        }
    };
    let reply = ReplyDraft {
        body,
        drafts: staged.drafts,
    };
    thread_page(
        &state,
        &member,
        detail,
        false,
        Problems::from(problems),
        reply,
    )
    .await
}

/// `GET /messagerie/{id}/pdf`: the member's thread as a PDF, without internal notes.
pub async fn pdf(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let pdf = state
        .messaging
        .member
        .member_thread_pdf(member.id, id)
        .await
        .map_err(refusal)?;
    Ok(thread_pdf_download(pdf))
}
