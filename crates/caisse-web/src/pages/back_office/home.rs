//! `/agent`, the back office's home: what waits for the staff member now, as counts of their
//! fund (threads to handle, late, unassigned, theirs; security alerts; open dossiers; their
//! appointments of the day), each a link to the queue filtered the same way
//! (`caisse_core::messaging::HomeCounts`); then the doors to each tool.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{DashboardError, HomeCounts};
use caisse_core::staff::StaffRole;
use caisse_domain::{CaisseCode, Fund, french};

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{CurrentStaff, Viewer};

pub struct StaffCard {
    pub display_name: String,
    pub role_label: &'static str,
    pub fund_name: String,
}

pub struct OutboxSummary {
    pub pending: u64,
    pub failed: u64,
}

/// One count of the home, with the queue it opens.
pub struct CountLink {
    /// « 12 » (thousands apart).
    pub count: String,
    /// « messages à traiter », singular or plural with the count.
    pub label: String,
    /// The filtered queue.
    pub href: &'static str,
    /// Draws attention (late work, open alerts) when not zero.
    pub urgent: bool,
}

impl CountLink {
    fn new(
        n: u64,
        (one, many): (&str, &str),
        href: &'static str,
        urgent_when_any: bool,
    ) -> CountLink {
        CountLink {
            count: french::number(usize::try_from(n).unwrap_or(usize::MAX)),
            label: if n > 1 { many } else { one }.to_owned(),
            href,
            urgent: urgent_when_any && n > 0,
        }
    }
}

/// The counts of the home in the order of the page.
fn count_links(counts: &HomeCounts) -> Vec<CountLink> {
    vec![
        CountLink::new(
            counts.threads_open,
            ("message à traiter", "messages à traiter"),
            "/agent/messagerie",
            false,
        ),
        CountLink::new(
            counts.threads_late,
            ("message en retard", "messages en retard"),
            "/agent/messagerie?retard=oui",
            true,
        ),
        CountLink::new(
            counts.threads_unassigned,
            ("message non attribué", "messages non attribués"),
            "/agent/messagerie?attribution=aucun",
            false,
        ),
        CountLink::new(
            counts.threads_mine,
            ("message attribué à moi", "messages attribués à moi"),
            "/agent/messagerie?attribution=moi",
            false,
        ),
        CountLink::new(
            counts.alerts,
            ("alerte de sécurité ouverte", "alertes de sécurité ouvertes"),
            "/agent/alertes",
            true,
        ),
        CountLink::new(
            counts.dossiers_open,
            (
                "dossier de démarche en cours",
                "dossiers de démarches en cours",
            ),
            "/agent/dossiers",
            false,
        ),
        CountLink::new(
            counts.appointments_today,
            ("rendez-vous aujourd'hui", "rendez-vous aujourd'hui"),
            "/agent/agenda",
            false,
        ),
    ]
}

#[derive(Template)]
#[template(path = "back_office/home.html")]
struct StaffHome {
    layout: Layout,
    staff: StaffCard,
    /// What waits, each a link to its queue.
    counts: Vec<CountLink>,
    /// The fund's outbox, for an administrator.
    outbox: Option<OutboxSummary>,
}

pub async fn home(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    let Viewer::Staff {
        display_name,
        caisse_code,
        ..
    } = &staff.visitor.viewer
    else {
        return Err(AppError::Forbidden);
    };
    let fund_name = CaisseCode::parse(caisse_code)
        .map(|code| Fund::by_code(&code).name().to_owned())
        .unwrap_or_else(|_| caisse_code.clone());
    let counts = state
        .messaging
        .dashboard
        .home_counts(staff.id)
        .await
        .map_err(|error| match error {
            DashboardError::NotFound => AppError::NotFound,
            other => AppError::unexpected(other),
        })?;
    // Administrators follow their fund's outbox from here.
    let outbox = if staff.role == StaffRole::Administrateur {
        let counts = state
            .outbox
            .counts(staff.id)
            .await
            .map_err(AppError::unexpected)?;
        Some(OutboxSummary {
            pending: counts.pending,
            failed: counts.failed,
        })
    } else {
        None
    };
    let page = StaffHome {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Accueil de l'espace agents",
            "agent",
        ),
        staff: StaffCard {
            display_name: display_name.clone(),
            role_label: staff.role.label_fr(),
            fund_name,
        },
        counts: count_links(&counts),
        outbox,
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_number_and_link_their_queue() {
        let counts = HomeCounts {
            threads_open: 1,
            threads_late: 2,
            alerts: 0,
            ..HomeCounts::default()
        };
        let links = count_links(&counts);
        assert_eq!(links[0].label, "message à traiter");
        assert_eq!(links[1].label, "messages en retard");
        assert!(links[1].urgent);
        assert_eq!(links[1].href, "/agent/messagerie?retard=oui");
        assert_eq!(links[4].label, "alerte de sécurité ouverte");
        assert!(!links[4].urgent);
    }
}
