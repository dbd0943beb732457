//! Transfers: a thread goes to another team of the fund, to the fund's reception, or to
//! another fund (it then leaves this fund's queue for the other's).
//!
//! The rule: a transfer puts the thread back « En attente de traitement », nobody's, in its
//! new queue, and **keeps its due date**. The member wrote once; handing the thread on is the
//! funds' business and must not make them wait longer. A thread going to another fund is
//! routed there by its objet, like a new one. A « Traité » thread is not transferred (the
//! domain refuses to return it to a queue): only the member reopens it.

use caisse_domain::CaisseCode;
use caisse_domain::messaging::{TeamCode, ThreadEvent};
use caisse_store::messaging::ThreadChange;
use caisse_store::teams;
use serde_json::json;
use uuid::Uuid;

use super::ACTION_TRANSFERRED;
use super::errors::StaffError;
use super::staff::StaffMessaging;
use crate::accounts::FormProblem;
use crate::audit::RequestContext;

/// Where a thread is transferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A team of the staff member's fund by code (as the form carries it), or `None` for the
    /// fund's reception (« Accueil (non routé) »).
    Team(Option<String>),
    /// Another fund.
    Fund(CaisseCode),
}

fn invalid(field: &'static str, message: &str) -> StaffError {
    StaffError::Invalid(vec![FormProblem::new(field, message)])
}

impl StaffMessaging {
    /// Transfers the thread to `destination` (the module documentation states the rule) and
    /// audits it (`staff.thread.transferred`, from and to). Returns the new version; after a
    /// transfer to another fund the staff member no longer reaches the thread.
    ///
    /// # Errors
    /// `NotFound`, `Invalid` (a team the fund does not have, the team the thread is already
    /// in, the staff member's own fund), `Conflict`, `Refused` (a « Traité » thread), or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.transfer",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, ?destination)
    )]
    pub async fn transfer(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        destination: Destination,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let current = Self::fund_thread(db, &staff, thread_id).await?;
        let code_of = |team: &Option<TeamCode>| team.as_ref().map(|t| t.as_str().to_owned());
        let (change, details) = match &destination {
            Destination::Team(team) => {
                let team = match team {
                    None => None,
                    Some(raw) => {
                        let code = TeamCode::parse(raw).ok();
                        let found = match &code {
                            Some(code) => teams::by_code(db, staff.caisse_code, code).await?,
                            None => None,
                        };
                        if found.is_none() {
                            return Err(invalid("team", "Choisissez une équipe de votre caisse."));
                        }
                        code
                    }
                };
                if team == current.team {
                    return Err(invalid("team", "Ce message est déjà dans cette équipe."));
                }
                let details = json!({
                    "from_team": code_of(&current.team),
                    "to_team": code_of(&team),
                });
                let change = ThreadChange {
                    team: Some(team),
                    ..ThreadChange::default()
                };
                (change, details)
            }
            Destination::Fund(fund) => {
                if *fund == staff.caisse_code {
                    return Err(invalid(
                        "caisse",
                        "Choisissez une autre caisse que la vôtre.",
                    ));
                }
                let team = teams::team_for_objet(db, *fund, &current.objet_code).await?;
                let details = json!({
                    "from_caisse": staff.caisse_code.as_str(),
                    "to_caisse": fund.as_str(),
                    "from_team": code_of(&current.team),
                    "to_team": code_of(&team),
                });
                let change = ThreadChange {
                    caisse_code: Some(*fund),
                    team: Some(team),
                    ..ThreadChange::default()
                };
                (change, details)
            }
        };
        let now = self.shared.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let next = row.status.after(ThreadEvent::StaffReturnedToQueue)?;
        let change = ThreadChange {
            status: Some(next),
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
