//! The outcome of a réclamation: once a réclamation is answered, the staff member records whether
//! the answer was favorable, partly favorable or not (issue 4, point 9). A not fully
//! favorable outcome lets the member refer the réclamation to the médiateur.

use caisse_domain::messaging::{Nature, Outcome};
use caisse_store::messaging::ThreadChange;
use uuid::Uuid;

use super::ACTION_OUTCOME;
use super::errors::StaffError;
use super::staff::StaffMessaging;
use crate::accounts::FormProblem;
use crate::audit::RequestContext;

impl StaffMessaging {
    /// The staff member records (or corrects) the outcome of a réclamation of their fund that has
    /// been answered; audited (`staff.thread.outcome`, with the outcome), at the version the
    /// staff member read, like [`StaffMessaging::close`]. Returns the new version.
    ///
    /// # Errors
    /// `Invalid` (field `outcome`) for a thread that is not a réclamation or has no answer
    /// yet, `NotFound`, `Conflict`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.record_outcome",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, ?outcome)
    )]
    pub async fn record_outcome(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        outcome: Outcome,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let now = self.shared.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        if row.nature != Nature::Reclamation || row.first_answered_at.is_none() {
            return Err(StaffError::Invalid(vec![FormProblem::new(
                "outcome",
                "Une issue ne s'enregistre que pour une réclamation qui a reçu une réponse.",
            )]));
        }
        let change = ThreadChange {
            outcome: Some(outcome),
            ..ThreadChange::default()
        };
        self.commit_change(
            &staff,
            (thread_id, expected_version),
            change,
            (
                ACTION_OUTCOME,
                serde_json::json!({ "outcome": outcome.code() }),
            ),
            context,
            now,
        )
        .await
    }
}
