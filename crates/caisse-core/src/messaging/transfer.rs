//! Transfers: a thread goes to another team of the fund, to the fund's reception, or to
//! another fund (it then leaves this fund's queue for the other's).
//!
//! The rule: a transfer puts the thread back « En attente de traitement », nobody's, in its
//! new queue, and **keeps its due date**. The member wrote once; handing the thread on is the
//! funds' business and must not make them wait longer. A thread going to another fund is
//! routed there by its objet, like a new one. A « Traité » thread is not transferred (the
//! domain refuses to return it to a queue): only the member reopens it.

use caisse_domain::CaisseCode;
use caisse_domain::messaging::ThreadEvent;
use caisse_store::messaging::ThreadChange;
use serde_json::json;
use uuid::Uuid;

use super::views::ThreadSummary;
use super::{ACTION_TRANSFERRED, MessagingError, MessagingService};
use crate::accounts::FormProblem;
use crate::audit::RequestContext;

/// Where a thread is transferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A team of the advisor's fund by code, or `None` for the fund's reception
    /// (« Accueil (non routé) »).
    Team(Option<String>),
    /// Another fund.
    Fund(CaisseCode),
}

fn invalid(field: &'static str, message: &str) -> MessagingError {
    MessagingError::Invalid(vec![FormProblem::new(field, message)])
}

impl MessagingService {
    /// Transfers the thread to `destination` (the module documentation states the rule) and
    /// audits it (`staff.thread.transferred`, from and to). Returns the new version; after a
    /// transfer to another fund the advisor no longer reaches the thread.
    ///
    /// # Errors
    /// `NotFound`, `Invalid` (a team the fund does not have, the team the thread is already
    /// in, the advisor's own fund), `Conflict`, `Refused` (a « Traité » thread), or `Core`.
    pub async fn transfer(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        destination: Destination,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        let current = Self::fund_thread(&self.db, &staff, thread_id).await?;
        let (change, details) = match &destination {
            Destination::Team(team) => {
                if let Some(code) = team
                    && caisse_store::teams::by_code(&self.db, &staff.caisse_code, code)
                        .await?
                        .is_none()
                {
                    return Err(invalid("team", "Choisissez une équipe de votre caisse."));
                }
                if *team == current.team {
                    return Err(invalid("team", "Ce message est déjà dans cette équipe."));
                }
                let change = ThreadChange {
                    team: Some(team.clone()),
                    ..ThreadChange::default()
                };
                (
                    change,
                    json!({ "from_team": current.team, "to_team": team }),
                )
            }
            Destination::Fund(fund) => {
                if fund.as_str() == staff.caisse_code {
                    return Err(invalid(
                        "caisse",
                        "Choisissez une autre caisse que la vôtre.",
                    ));
                }
                let team = caisse_store::teams::team_for_objet(
                    &self.db,
                    fund.as_str(),
                    &current.objet_code,
                )
                .await?;
                let details = json!({
                    "from_caisse": staff.caisse_code,
                    "to_caisse": fund.as_str(),
                    "from_team": current.team,
                    "to_team": team,
                });
                let change = ThreadChange {
                    caisse_code: Some(fund.as_str().to_owned()),
                    team: Some(team),
                    ..ThreadChange::default()
                };
                (change, details)
            }
        };
        let now = self.clock.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let next = ThreadSummary::from_row(row)?
            .status
            .after(ThreadEvent::AdvisorReturnedToQueue)?;
        let change = ThreadChange {
            status: Some(next.code().to_owned()),
            assigned_staff_id: Some(None),
            ..change
        };
        self.commit_change(
            &staff,
            (thread_id, expected_version),
            change,
            (ACTION_TRANSFERRED, details),
            context,
            now,
        )
        .await
    }
}
