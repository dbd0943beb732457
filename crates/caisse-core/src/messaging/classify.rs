//! Classifying a thread: an advisor sets its nature. Members who answered « Je ne sais
//! pas » leave it « non précisée » for the fund to decide, and a member's choice may be
//! corrected (a question that is in fact a réclamation).
//!
//! The rule: the due date becomes the new nature's, counted from the thread's creation,
//! never later than the one the member was given (they were promised that date; a
//! réclamation's longer delay does not push it back), and the queue's « Nature » filter
//! finds the thread under its new nature at once.

use caisse_domain::Instant;
use caisse_domain::messaging::{Nature, due_date};
use caisse_store::messaging::ThreadChange;
use serde_json::json;
use uuid::Uuid;

use super::ACTION_CLASSIFIED;
use super::errors::StaffError;
use super::member::zone_of;
use super::staff::StaffMessaging;
use crate::accounts::FormProblem;
use crate::audit::RequestContext;

impl StaffMessaging {
    /// Sets the nature of the thread (one of [`Nature::CLASSIFIED`]: « non précisée » is
    /// the member's answer, not the fund's) and audits it (`staff.thread.classified`, from
    /// and to). Returns the new version.
    ///
    /// # Errors
    /// `Invalid` (« non précisée »), `NotFound` (another fund's thread), `Conflict`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.classify",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, nature = nature.code())
    )]
    pub async fn classify(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        nature: Nature,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        if nature.is_unclassified() {
            return Err(StaffError::Invalid(vec![FormProblem::new(
                "nature",
                "Choisissez la nature de la demande.",
            )]));
        }
        let staff = self.acting_staff(staff_id).await?;
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let days = self.shared.delay_days(&row.objet_code, nature);
        let due_on = due_date(row.created_at.get(), days, zone_of(row.caisse_code)).min(row.due_on);
        let change = ThreadChange {
            nature: Some(nature),
            due_on: Some(due_on),
            ..ThreadChange::default()
        };
        let details = json!({ "from": row.nature.code(), "to": nature.code() });
        let now: Instant = self.shared.now();
        self.commit_change(
            &staff,
            (thread_id, expected_version),
            change,
            (ACTION_CLASSIFIED, details),
            context,
            now,
        )
        .await
    }
}
