//! « Fil suivant »: the thread an advisor opens after this one, in the queue's order, so a
//! working day goes thread after thread without going back to the queue.

use caisse_store::messaging as store;
use uuid::Uuid;

use super::errors::StaffError;
use super::staff::StaffMessaging;

impl StaffMessaging {
    /// The open thread of the staff member's fund that follows `thread_id` in the queue's
    /// order (earliest due first), among those nobody else has taken; the first one of the
    /// queue when none follows, `None` when no other thread waits. `NotFound` for another
    /// fund's thread. Reads ids only: nothing to audit.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.staff.next_thread",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn next_thread(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Option<Uuid>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let thread = Self::fund_thread(db, &staff, thread_id).await?;
        Ok(
            store::next_in_queue(db, staff.caisse_code, staff_id, (thread.due_on, thread.id))
                .await?,
        )
    }
}
