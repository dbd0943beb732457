//! `GET /agent/aide`: the fund's entries with their status and review date, filtered by
//! status, category, words and « à relire » (review date passed), with the counts of each
//! status.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::help::{AdminFilter, AdminRow};
use caisse_domain::help::{Category, EntryStatus};
use serde::Deserialize;

use super::{EntryLine, SECTION_HELP, refusal};
use crate::error::AppError;
use crate::forms::echo;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::CurrentStaff;

/// The filters as the address carries them.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    statut: String,
    #[serde(default)]
    rubrique: String,
    #[serde(default)]
    mots: String,
    #[serde(default)]
    a_relire: String,
}

impl ListQuery {
    fn filter(&self) -> AdminFilter {
        AdminFilter {
            status: EntryStatus::parse(self.statut.trim()),
            category: Category::parse(self.rubrique.trim()),
            text: self.mots.clone(),
            review_due: self.a_relire == "oui",
        }
    }
}

/// How many entries of the fund stand where.
struct Counts {
    all: usize,
    published: usize,
    drafts: usize,
    archived: usize,
    review_due: usize,
}

impl Counts {
    fn of(rows: &[AdminRow]) -> Counts {
        let with = |status: EntryStatus| rows.iter().filter(|r| r.status == status).count();
        Counts {
            all: rows.len(),
            published: with(EntryStatus::Published),
            drafts: with(EntryStatus::Draft) + rows.iter().filter(|r| r.has_draft).count(),
            archived: with(EntryStatus::Archived),
            review_due: rows.iter().filter(|r| r.review_due).count(),
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/help/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<EntryLine>,
    counts: Counts,
    filtered: bool,
    statuses: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    status: String,
    category: String,
    words: String,
    review_due: bool,
}

/// `GET /agent/aide`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let filter = query.filter();
    let all = state
        .help
        .admin_list(staff.id, &AdminFilter::default())
        .await
        .map_err(refusal)?;
    let filtered = filter.status.is_some()
        || filter.category.is_some()
        || !filter.text.trim().is_empty()
        || filter.review_due;
    let rows = if filtered {
        state
            .help
            .admin_list(staff.id, &filter)
            .await
            .map_err(refusal)?
    } else {
        all.clone()
    };
    let page = ListPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Aide en ligne",
            SECTION_HELP,
        ),
        rows: rows.iter().map(EntryLine::of).collect(),
        counts: Counts::of(&all),
        filtered,
        statuses: [
            EntryStatus::Published,
            EntryStatus::Draft,
            EntryStatus::Archived,
        ]
        .into_iter()
        .map(|s| (s.code(), s.label_fr()))
        .collect(),
        categories: Category::ALL
            .into_iter()
            .map(|c| (c.code(), c.label_fr()))
            .collect(),
        status: filter
            .status
            .map(|s| s.code().to_owned())
            .unwrap_or_default(),
        category: filter
            .category
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        words: echo(&query.mots, 200),
        review_due: filter.review_due,
    };
    Ok(render(&page)?.into_response())
}
