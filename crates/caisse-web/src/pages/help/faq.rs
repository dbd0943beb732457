//! The FAQ's pages: `/aide`, `/aide/recherche?q=`, `/aide/categorie/{code}`, `/aide/{slug}`,
//! `POST /aide/{slug}/avis`, and `GET /aide/suggestions?q=` (JSON).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::help::{CategoryCount, EntryPage, EntrySummary};
use caisse_domain::french::letter_date;
use caisse_domain::help::{AnswerBlock, Category};
use serde::{Deserialize, Serialize};

use super::{SECTION, reader_of};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::Visitor;

/// Longest question echoed back, in characters.
const QUERY_MAX: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

impl SearchQuery {
    fn text(&self) -> String {
        self.q
            .as_deref()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(QUERY_MAX)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "help/index.html")]
struct IndexPage {
    layout: Layout,
    categories: Vec<CategoryCount>,
}

pub async fn index(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let categories = state.help.overview(reader_of(&visitor)).await?;
    let page = IndexPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Aide et questions fréquentes",
            SECTION,
        ),
        categories,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "help/search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    hits: Vec<EntrySummary>,
    confident: bool,
    write_href: String,
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let text = query.text();
    if text.is_empty() {
        return Ok(Redirect::to("/aide").into_response());
    }
    let results = state.help.search(reader_of(&visitor), &text).await?;
    let page = SearchPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            format!("Recherche « {text} » – Aide"),
            SECTION,
        ),
        write_href: super::assistant::via_login(
            &super::assistant::write_href(&text, None),
            matches!(visitor.viewer, crate::visitor::Viewer::Member { .. }),
        ),
        hits: results.hits,
        confident: results.confident,
        query: text,
    };
    Ok(render(&page)?.into_response())
}

/// One suggestion of `/aide/suggestions`.
#[derive(Debug, Serialize)]
struct Suggestion {
    question: String,
    href: String,
}

pub async fn suggestions(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let found = state
        .help
        .suggest(reader_of(&visitor), &query.text())
        .await?;
    let suggestions: Vec<Suggestion> = found
        .into_iter()
        .map(|e| Suggestion {
            href: format!("/aide/{}", e.slug),
            question: e.question,
        })
        .collect();
    Ok(Json(suggestions).into_response())
}

#[derive(Template)]
#[template(path = "help/category.html")]
struct CategoryPage {
    layout: Layout,
    category: Category,
    entries: Vec<EntrySummary>,
}

pub async fn category(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let category = Category::parse(&code).ok_or(AppError::NotFound)?;
    let entries = state.help.category(reader_of(&visitor), category).await?;
    if entries.is_empty() {
        return Err(AppError::NotFound);
    }
    let page = CategoryPage {
        layout: Layout::new(&visitor, &state.config.brand, category.label_fr(), SECTION),
        category,
        entries,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "help/entry.html")]
struct EntryView {
    layout: Layout,
    entry: EntryPage,
    blocks: Vec<AnswerBlock>,
    updated: Option<String>,
    /// After « Cette réponse vous a-t-elle aidé ? »: `Some(helped)`.
    answered: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EntryQuery {
    avis: Option<String>,
}

pub async fn entry(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<EntryQuery>,
) -> Result<Response, AppError> {
    let entry = state
        .help
        .entry(reader_of(&visitor), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = EntryView {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            entry.content.question(),
            SECTION,
        ),
        blocks: entry.content.answer_blocks(),
        updated: entry.published_at.map(|at| letter_date(at.date())),
        answered: match query.avis.as_deref() {
            Some("oui") => Some(true),
            Some("non") => Some(false),
            _ => None,
        },
        entry,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct FeedbackForm {
    aide: String,
}

pub async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<FeedbackForm>,
) -> Result<Response, AppError> {
    let helped = match form.aide.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Err(AppError::BadAddress),
    };
    if !state
        .help
        .entry_feedback(reader_of(&visitor), &slug, helped)
        .await?
    {
        return Err(AppError::NotFound);
    }
    let answer = if helped { "oui" } else { "non" };
    Ok(Redirect::to(&format!("/aide/{slug}?avis={answer}#avis")).into_response())
}
