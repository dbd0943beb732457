//! Who handles a thread: assigning it to a staff member of the fund, and putting it back in the
//! queue. A conseiller only takes threads themselves (`claim`); superviseurs and
//! administrateurs assign anyone of their fund.

use caisse_domain::messaging::{ThreadEvent, ThreadStatus};
use caisse_store::messaging::ThreadChange;
use serde_json::json;
use uuid::Uuid;

use super::errors::StaffError;
use super::people;
use super::staff::StaffMessaging;
use super::{ACTION_ASSIGNED, ACTION_CLAIMED, ACTION_RETURNED};
use crate::accounts::FormProblem;
use crate::audit::RequestContext;
use crate::staff::StaffRole;

impl StaffMessaging {
    /// Assigns the thread to `assignee`, an active staff member of the same fund: a thread « En
    /// attente de traitement » becomes « En cours d'instruction »; one already in progress
    /// changes hands. Returns the new version.
    ///
    /// A conseiller may only assign themselves (the same as [`StaffMessaging::claim`]);
    /// superviseurs and administrateurs assign anyone of their fund.
    ///
    /// # Errors
    /// `NotFound` (another fund's thread), `NotAllowed` (a conseiller naming someone else),
    /// `Invalid` (an assignee not of the fund), `Conflict`, `Refused` (a « Traité » thread),
    /// or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.assign",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, %assignee)
    )]
    pub async fn assign(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        assignee: Uuid,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        Self::fund_thread(&self.shared.db, &staff, thread_id).await?;
        let role = staff.role;
        if role == StaffRole::Conseiller && assignee != staff_id {
            return Err(StaffError::NotAllowed);
        }
        let colleague = people::active_staff(&self.shared.db, assignee)
            .await?
            .filter(|s| s.caisse_code == staff.caisse_code);
        if colleague.is_none() {
            return Err(StaffError::Invalid(vec![FormProblem::new(
                "assignee",
                "Choisissez un agent de votre caisse.",
            )]));
        }
        let now = self.shared.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let next = match row.status {
            ThreadStatus::EnCours => ThreadStatus::EnCours,
            other => other.after(ThreadEvent::StaffTookCharge)?,
        };
        let change = ThreadChange {
            status: Some(next),
            assigned_staff_id: Some(Some(assignee)),
            ..ThreadChange::default()
        };
        let action = if assignee == staff_id {
            ACTION_CLAIMED
        } else {
            ACTION_ASSIGNED
        };
        self.commit_change(
            &staff,
            (thread_id, expected_version),
            change,
            (action, json!({ "assignee": assignee })),
            context,
            now,
        )
        .await
    }

    /// Puts the thread back in the queue: « En attente de traitement », nobody's. Returns the
    /// new version.
    ///
    /// # Errors
    /// `NotFound`, `Conflict`, `Refused` (a « Traité » thread: only the member reopens it),
    /// or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.return_to_queue",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn return_to_queue(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let change = ThreadChange {
            assigned_staff_id: Some(None),
            ..ThreadChange::default()
        };
        let step = (ThreadEvent::StaffReturnedToQueue, ACTION_RETURNED);
        self.move_thread(staff_id, thread_id, expected_version, step, change, context)
            .await
    }

    /// Moves the thread to status `target` by the staff member's event that leads there (domain
    /// `status` table): « En cours d'instruction » takes it in charge
    /// ([`StaffMessaging::claim`]), « Traité » closes it ([`StaffMessaging::close`]),
    /// « En attente de traitement » puts it back in the queue
    /// ([`StaffMessaging::return_to_queue`]). Returns the new version.
    ///
    /// # Errors
    /// Those of the action taken; `Refused` where the table refuses.
    #[tracing::instrument(
        name = "messaging.staff.change_status",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, ?target)
    )]
    pub async fn change_status(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        target: ThreadStatus,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        match target {
            ThreadStatus::EnCours => {
                self.claim(staff_id, thread_id, expected_version, context)
                    .await
            }
            ThreadStatus::Traite => {
                self.close(staff_id, thread_id, expected_version, context)
                    .await
            }
            ThreadStatus::EnAttente => {
                self.return_to_queue(staff_id, thread_id, expected_version, context)
                    .await
            }
        }
    }
}

/// The statuses a staff member may move a thread of status `from` to, by the events the staff member
/// has (take charge, close, return to the queue), without `from` itself.
pub fn staff_targets(from: ThreadStatus) -> Vec<ThreadStatus> {
    [
        ThreadEvent::StaffTookCharge,
        ThreadEvent::StaffReturnedToQueue,
        ThreadEvent::StaffClosed,
    ]
    .into_iter()
    .filter_map(|event| from.after(event).ok())
    .filter(|to| *to != from)
    .collect()
}
