//! `GET /agent/agenda`: the signed-in advisor's day or week (a supervisor picks another
//! advisor of the fund), with the previous and next day or week; `GET
//! /agent/agenda/accueil/{id}`: a branch's day. Both name members: core audits them.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::{DayQuery, DayView};
use serde::Deserialize;
use time::Duration;
use uuid::Uuid;

use super::{LineRow, SECTION_AGENDA, day_code, day_label, parse_day, refusal};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The address's choices.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DayForm {
    #[serde(default)]
    jour: String,
    #[serde(default)]
    vue: String,
    #[serde(default)]
    conseiller: String,
}

#[derive(Template)]
#[template(path = "back_office/agenda/day.html")]
struct DayPage {
    layout: Layout,
    heading: String,
    /// A branch's day (no advisor nor week choice).
    branch: bool,
    /// Where the day form goes.
    action: String,
    week: bool,
    day: String,
    period: String,
    advisor: String,
    advisors: Vec<(String, String)>,
    sites: Vec<(Uuid, String)>,
    previous: String,
    next: String,
    today: String,
    rows: Vec<LineRow>,
}

fn period_label(view: &DayView) -> String {
    if view.from == view.to {
        day_label(view.from)
    } else {
        format!("du {} au {}", day_label(view.from), day_label(view.to))
    }
}

/// `GET /agent/agenda`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(form): Query<DayForm>,
) -> Result<Response, AppError> {
    let week = form.vue == "semaine";
    let advisor = match form.conseiller.trim() {
        "" => None,
        id => Some(id.parse::<Uuid>().map_err(|_| AppError::BadAddress)?),
    };
    let query = DayQuery {
        day: parse_day(&form.jour),
        week,
        advisor,
    };
    let view = state
        .agenda
        .staff_day(staff.id, query, &context)
        .await
        .map_err(refusal)?;
    let step = Duration::days(if week { 7 } else { 1 });
    let vue = if week { "semaine" } else { "jour" };
    let who = if view.whose.0 == staff.id {
        String::new()
    } else {
        format!("&conseiller={}", view.whose.0)
    };
    let link = |day: time::Date| format!("/agent/agenda?jour={}&vue={vue}{who}", day_code(day));
    let heading = if view.whose.0 == staff.id {
        "Mon agenda".to_owned()
    } else {
        format!("Agenda de {}", view.whose.1)
    };
    let page = DayPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            heading.clone(),
            SECTION_AGENDA,
        ),
        heading,
        branch: false,
        action: "/agent/agenda".to_owned(),
        week,
        day: day_code(view.day),
        period: period_label(&view),
        advisor: view.whose.0.to_string(),
        advisors: view
            .advisors
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect(),
        sites: view.sites.clone(),
        previous: link(view.day - step),
        next: link(view.day + step),
        today: link(view.today),
        rows: view.lines.iter().map(LineRow::of).collect(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct BranchForm {
    #[serde(default)]
    jour: String,
}

/// `GET /agent/agenda/accueil/{id}`.
pub async fn branch(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    Query(form): Query<BranchForm>,
) -> Result<Response, AppError> {
    let view = state
        .agenda
        .site_day(staff.id, id, parse_day(&form.jour), &context)
        .await
        .map_err(refusal)?;
    let link = |day: time::Date| format!("/agent/agenda/accueil/{id}?jour={}", day_code(day));
    let heading = format!("Accueil : {}", view.whose.1);
    let page = DayPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            heading.clone(),
            SECTION_AGENDA,
        ),
        heading,
        branch: true,
        action: format!("/agent/agenda/accueil/{id}"),
        week: false,
        day: day_code(view.day),
        period: period_label(&view),
        advisor: String::new(),
        advisors: Vec::new(),
        sites: view.sites.clone(),
        previous: link(view.day - Duration::days(1)),
        next: link(view.day + Duration::days(1)),
        today: link(view.today),
        rows: view.lines.iter().map(LineRow::of).collect(),
    };
    Ok(render(&page)?.into_response())
}
