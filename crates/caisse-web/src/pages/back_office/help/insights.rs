//! `GET /agent/aide/questions?jours=…`: what members asked that the help did not answer
//! (grouped by their normalised text), the assistant's answers they found useless, and the
//! entries marked « Non » on their page, over 7, 30, 90 or 180 days; each with a way to
//! write or edit the answer. Core audits the reading (members' own words).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::help::{AdminFilter, QueryGroup};
use serde::Deserialize;
use uuid::Uuid;

use super::{EntryLine, LIST_PATH, SECTION_HELP, entry_path, refusal};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The periods offered, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 180];
const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct InsightsQuery {
    #[serde(default)]
    jours: Option<String>,
}

/// The period asked, if it is one offered; the default otherwise.
fn days_of(raw: Option<&str>) -> i64 {
    raw.and_then(|r| r.trim().parse::<i64>().ok())
        .filter(|d| PERIODS.contains(d))
        .unwrap_or(DEFAULT_DAYS)
}

/// A group of questions, as shown.
struct GroupRow {
    text: String,
    count: u64,
    last_at: String,
    /// The nearest entry: its question and its page, when it is one of the fund's.
    nearest: Option<(String, String)>,
    /// « Écrire une réponse » with the question filled in.
    write: String,
}

/// An entry marked « Non », and how many times.
struct NotHelpedRow {
    entry: EntryLine,
    count: u64,
}

#[derive(Template)]
#[template(path = "back_office/help/insights.html")]
struct InsightsPage {
    layout: Layout,
    days: i64,
    periods: [i64; 4],
    unanswered: Vec<GroupRow>,
    not_helped: Vec<GroupRow>,
    not_helped_entries: Vec<NotHelpedRow>,
}

fn rows_of(groups: &[QueryGroup], entries: &HashMap<String, (Uuid, String)>) -> Vec<GroupRow> {
    groups
        .iter()
        .map(|g| GroupRow {
            text: g.normalized.clone(),
            count: g.count,
            last_at: paris_fr(g.last_at),
            nearest: g
                .top_slug
                .as_ref()
                .and_then(|slug| entries.get(slug))
                .map(|(id, question)| (question.clone(), entry_path(*id))),
            write: format!(
                "{LIST_PATH}/nouvelle?{}",
                serde_urlencoded::to_string([("question", g.normalized.as_str())])
                    .unwrap_or_default()
            ),
        })
        .collect()
}

/// `GET /agent/aide/questions`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(query): Query<InsightsQuery>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let days = days_of(query.jours.as_deref());
    let insights = state
        .help
        .insights(staff.id, &context, days)
        .await
        .map_err(refusal)?;
    let entries: HashMap<String, (Uuid, String)> = state
        .help
        .admin_list(staff.id, &AdminFilter::default())
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|r| (r.slug.as_str().to_owned(), (r.id, r.question)))
        .collect();
    let page = InsightsPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Questions sans réponse",
            SECTION_HELP,
        ),
        days: insights.days,
        periods: PERIODS,
        unanswered: rows_of(&insights.unanswered, &entries),
        not_helped: rows_of(&insights.not_helped, &entries),
        not_helped_entries: insights
            .not_helped_entries
            .iter()
            .map(|(row, count)| NotHelpedRow {
                entry: EntryLine::of(row),
                count: *count,
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_offered_periods_are_read() {
        assert_eq!(days_of(Some("7")), 7);
        assert_eq!(days_of(Some("180")), 180);
        assert_eq!(days_of(Some("365")), DEFAULT_DAYS);
        assert_eq!(days_of(Some("beaucoup")), DEFAULT_DAYS);
        assert_eq!(days_of(None), DEFAULT_DAYS);
    }
}
