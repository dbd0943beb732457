//! `GET /agent/aide/{id}`: an entry as members would read the version edited, where it
//! stands, what its draft changes from the published version, its history (who saved and
//! who published each version), and its actions: `POST …/publier`, `…/retirer`,
//! `…/remettre`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::help::{AdminEntry, HelpAdminError, Version};
use caisse_domain::help::{AnswerBlock, EntryStatus, FaqContent};
use serde::Deserialize;
use uuid::Uuid;

use super::{SECTION_HELP, entry_path, refusal, status_class, status_label};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// A block of the answer: a paragraph, or a list when `items` is not empty.
struct Block {
    paragraph: String,
    items: Vec<String>,
}

/// A version as members would read it.
struct Shown {
    number: i32,
    question: String,
    category: &'static str,
    alternatives: Vec<String>,
    blocks: Vec<Block>,
    link: Option<(String, String)>,
    review_on: String,
    review_due: bool,
}

impl Shown {
    fn of(version: &Version, today: time::Date) -> Shown {
        let content = &version.content;
        Shown {
            number: version.number,
            question: content.question().to_owned(),
            category: content.category.label_fr(),
            alternatives: content.alternatives().to_vec(),
            blocks: content
                .answer_blocks()
                .into_iter()
                .map(|block| match block {
                    AnswerBlock::Paragraph(text) => Block {
                        paragraph: text,
                        items: Vec::new(),
                    },
                    AnswerBlock::List(items) => Block {
                        paragraph: String::new(),
                        items,
                    },
                })
                .collect(),
            link: content
                .link
                .as_ref()
                .map(|l| (l.label().to_owned(), l.href().to_owned())),
            review_on: caisse_domain::french::numeric_date(content.review_on),
            review_due: content.review_on <= today,
        }
    }
}

/// A draft waiting beside the published version: their numbers and what the draft changes.
struct Pending {
    draft: i32,
    published: i32,
    changes: Vec<&'static str>,
}

/// What differs between two versions, named as the form names the fields.
fn changes(draft: &FaqContent, published: &FaqContent) -> Vec<&'static str> {
    [
        (draft.question() != published.question(), "la question"),
        (draft.category != published.category, "la rubrique"),
        (
            draft.alternatives() != published.alternatives(),
            "les autres formulations",
        ),
        (draft.answer() != published.answer(), "la réponse"),
        (draft.link != published.link, "le lien"),
        (
            draft.review_on != published.review_on,
            "la date de relecture",
        ),
    ]
    .into_iter()
    .filter_map(|(changed, what)| changed.then_some(what))
    .collect()
}

/// A line of the history.
struct HistoryRow {
    number: i32,
    saved_by: String,
    saved_at: String,
    /// « par … le … », if it was published.
    published: Option<(String, String)>,
    /// « brouillon », « en ligne » or nothing.
    note: &'static str,
}

#[derive(Template)]
#[template(path = "back_office/help/entry.html")]
struct EntryPage {
    layout: Layout,
    id: Uuid,
    slug: String,
    status: &'static str,
    status_class: &'static str,
    shown: Shown,
    pending: Option<Pending>,
    /// Only a draft, never published.
    draft_only: bool,
    has_draft: bool,
    published: bool,
    archived: bool,
    archived_at: Option<String>,
    history: Vec<HistoryRow>,
}

fn history_of(admin: &AdminEntry) -> Vec<HistoryRow> {
    let entry = &admin.entry;
    entry
        .versions
        .iter()
        .map(|v| HistoryRow {
            number: v.number,
            saved_by: admin.name_of(v.saved_by),
            saved_at: paris_fr(v.saved_at),
            published: v
                .published
                .map(|(at, by)| (admin.name_of(by), paris_fr(at))),
            note: if Some(v.number) == entry.draft_version {
                "Brouillon"
            } else if Some(v.number) == entry.published_version {
                "Lue par les assurés"
            } else {
                ""
            },
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// Fixed confirmations after an action, chosen by a code in the address.
fn done_message(code: Option<&str>) -> Option<(&'static str, &'static str)> {
    match code? {
        "brouillon" => Some(("succes", "Brouillon enregistré.")),
        "depuis-question" => Some((
            "succes",
            "Brouillon créé à partir de la question publique et de la réponse de la caisse : \
             relisez-le (rubrique, autres formulations, lien) avant de le publier.",
        )),
        "publiee" => Some((
            "succes",
            "La réponse est publiée : les assurés lisent cette version.",
        )),
        "retiree" => Some((
            "succes",
            "La réponse est retirée de l'aide : les assurés ne la voient plus.",
        )),
        "remise" => Some(("succes", "La réponse est de nouveau en ligne.")),
        "rien-a-publier" => Some((
            "info",
            "Il n'y a pas de brouillon à publier : il vient peut-être de l'être.",
        )),
        _ => None,
    }
}

/// `GET /agent/aide/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let admin = state
        .help
        .admin_entry(staff.id, id)
        .await
        .map_err(refusal)?;
    let entry = &admin.entry;
    let current = entry.current().ok_or(AppError::NotFound)?;
    let today = caisse_domain::paris_time::paris_time(state.clock.now()).date();
    let has_draft = entry.draft_version.is_some();
    let pending = match (has_draft, entry.published()) {
        (true, Some(published)) => Some(Pending {
            draft: current.number,
            published: published.number,
            changes: changes(&current.content, &published.content),
        }),
        _ => None,
    };
    let status = entry.status();
    let with_draft = has_draft && entry.published_version.is_some();
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        current.content.question(),
        SECTION_HELP,
    );
    if let Some((kind, message)) = done_message(query.fait.as_deref()) {
        layout.flash = Some(Flash {
            kind,
            message: message.to_owned(),
        });
    }
    let page = EntryPage {
        layout,
        id,
        slug: entry.slug.as_str().to_owned(),
        status: status_label(status, with_draft),
        status_class: status_class(status, with_draft),
        shown: Shown::of(current, today),
        pending,
        draft_only: entry.published_version.is_none(),
        has_draft,
        published: status == EntryStatus::Published,
        archived: status == EntryStatus::Archived,
        archived_at: entry.archived_at.map(paris_fr),
        history: history_of(&admin),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// Back to the entry's page with the confirmation `done`.
fn back(id: Uuid, done: &str) -> Response {
    Redirect::to(&format!("{}?fait={done}", entry_path(id))).into_response()
}

/// `POST /agent/aide/{id}/publier`: the draft becomes what members read.
pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    match state.help.admin_publish(staff.id, &context, id).await {
        Ok(()) => Ok(back(id, "publiee")),
        Err(HelpAdminError::NothingToPublish) => Ok(back(id, "rien-a-publier")),
        Err(error) => Err(refusal(error)),
    }
}

async fn set_archived(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    id: Uuid,
    archived: bool,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    state
        .help
        .admin_archive(staff.id, context, id, archived)
        .await
        .map_err(refusal)?;
    Ok(back(id, if archived { "retiree" } else { "remise" }))
}

/// `POST /agent/aide/{id}/retirer`: members no longer see the entry.
pub async fn withdraw(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    set_archived(&state, &staff, &context, id, true).await
}

/// `POST /agent/aide/{id}/remettre`: the entry is back where it stood.
pub async fn restore(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    set_archived(&state, &staff, &context, id, false).await
}
