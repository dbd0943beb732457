//! `GET /agent/agenda/pilotage?du=…&au=…`: per advisor of the fund over the period (the last
//! thirty days by default), appointments booked, honoured, excused, missed and cancelled,
//! the no-show rate, and the load of the next fourteen days. Supervisors and administrators.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::{AdvisorFigures, LOAD_DAYS};
use caisse_domain::french::letter_date;
use serde::Deserialize;

use super::{SECTION_AGENDA, day_code, parse_day, refusal};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::CurrentStaff;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

struct FiguresRow {
    name: String,
    booked: u64,
    honoured: u64,
    excused: u64,
    no_show: u64,
    cancelled: u64,
    rate: String,
    load: String,
}

/// « 12,5 % » from a per-mille count.
fn per_mille_label(per_mille: Option<u64>) -> String {
    per_mille.map_or_else(
        || "—".to_owned(),
        |p| format!("{},{}\u{a0}%", p / 10, p % 10),
    )
}

/// « 4 h 30 » from minutes.
fn hours_label(minutes: u64) -> String {
    format!("{}\u{a0}h\u{a0}{:02}", minutes / 60, minutes % 60)
}

impl FiguresRow {
    fn of(f: &AdvisorFigures) -> FiguresRow {
        let share = caisse_core::agenda::per_mille(f.booked_minutes, f.open_minutes);
        FiguresRow {
            name: f.name.clone(),
            booked: f.booked,
            honoured: f.honoured,
            excused: f.excused,
            no_show: f.no_show,
            cancelled: f.cancelled,
            rate: per_mille_label(f.no_show_per_mille),
            load: if f.open_minutes == 0 {
                format!(
                    "{} réservées, aucun horaire ouvert",
                    hours_label(f.booked_minutes)
                )
            } else {
                format!(
                    "{} sur {} ({})",
                    hours_label(f.booked_minutes),
                    hours_label(f.open_minutes),
                    per_mille_label(share)
                )
            },
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/agenda/figures.html")]
struct FiguresPage {
    layout: Layout,
    du: String,
    au: String,
    period: String,
    load_days: i64,
    rows: Vec<FiguresRow>,
}

/// `GET /agent/agenda/pilotage`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(form): Query<PeriodForm>,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let figures = state
        .agenda
        .figures(staff.id, parse_day(&form.du), parse_day(&form.au))
        .await
        .map_err(refusal)?;
    let page = FiguresPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Pilotage des rendez-vous",
            SECTION_AGENDA,
        ),
        du: day_code(figures.from),
        au: day_code(figures.to),
        period: format!(
            "du {} au {}",
            letter_date(figures.from),
            letter_date(figures.to)
        ),
        load_days: LOAD_DAYS,
        rows: figures.advisors.iter().map(FiguresRow::of).collect(),
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_hours_read_in_french_without_floats() {
        assert_eq!(per_mille_label(Some(125)), "12,5\u{a0}%");
        assert_eq!(per_mille_label(None), "—");
        assert_eq!(hours_label(270), "4\u{a0}h\u{a0}30");
    }
}
