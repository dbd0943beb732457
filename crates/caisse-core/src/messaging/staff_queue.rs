//! The fund's queue of threads, as staff list it: filtered, earliest due first, by pages.
//! The page of the back office names the member of each thread, a read of personal data:
//! it is audited (`staff.threads.listed`, with the members listed), as the dossiers' queue
//! and the alerts' list are.

use std::collections::HashMap;

use caisse_domain::messaging::{TeamCode, day_start};
use caisse_domain::{AuditAction, Instant};
use caisse_store::members;
use caisse_store::messaging::{self as store, Assignment, Paged, Thread};
use uuid::Uuid;

use super::errors::StaffError;
use super::member::zone_of;
use super::people::ActingStaff;
use super::staff::StaffMessaging;
use super::views::{
    Page, QueueAssignment, QueueFilters, QueueRow, QueueTeam, ThreadSummary, page_window,
};
use crate::audit::{self, Actor, RequestContext};

impl StaffMessaging {
    /// The queue of the staff member's fund matching `filters`, earliest due first; page `page`
    /// (from 1). Offset pagination, like the member's list: queues are filtered down to
    /// screenfuls, and staff jump to a page. No member is named: not audited.
    ///
    /// # Errors
    /// `NotFound` for an unknown or inactive staff member, `Core` otherwise.
    #[tracing::instrument(name = "messaging.staff.queue", skip_all, fields(%staff_id, page = page))]
    pub async fn queue(
        &self,
        staff_id: Uuid,
        filters: &QueueFilters,
        page: u64,
    ) -> Result<Page<ThreadSummary>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let (found, number, size) = self.fund_rows(&staff, filters, page).await?;
        Ok(Page::from_rows(found, number, size, ThreadSummary::from))
    }

    /// [`StaffMessaging::queue`] with the member of each thread named, as the back office's
    /// queue shows it; the listing is audited (`staff.threads.listed`) when it names anyone.
    ///
    /// # Errors
    /// `NotFound` for an unknown or inactive staff member, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.staff.named_queue",
        skip_all,
        fields(%staff_id, page = page)
    )]
    pub async fn named_queue(
        &self,
        staff_id: Uuid,
        filters: &QueueFilters,
        page: u64,
        context: &RequestContext,
    ) -> Result<Page<QueueRow>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let (found, number, size) = self.fund_rows(&staff, filters, page).await?;
        let mut ids: Vec<Uuid> = found.rows.iter().map(|t| t.member_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: HashMap<Uuid, String> =
            members::with_accounts(self.shared.reads.lagging(), &ids)
                .await?
                .into_iter()
                .map(|(member, _)| (member.id, member.display_name()))
                .collect();
        if !ids.is_empty() {
            audit::record(
                &self.shared.db,
                context,
                Actor::Staff(staff_id),
                AuditAction::StaffThreadsListed,
                None,
                serde_json::json!({ "members": ids, "page": number }),
                self.shared.now(),
            )
            .await?;
        }
        Ok(Page::from_rows(found, number, size, |thread| QueueRow {
            member_name: names.get(&thread.member_id).cloned().unwrap_or_default(),
            thread: ThreadSummary::from(thread),
        }))
    }

    /// The rows of page `page` of the staff member's fund's queue, with the page's number and
    /// size.
    async fn fund_rows(
        &self,
        staff: &ActingStaff,
        filters: &QueueFilters,
        page: u64,
    ) -> Result<(Paged<Thread>, u64, u64), StaffError> {
        let size = self.shared.page_size();
        let (number, offset) = page_window(page, size);
        let empty = Paged {
            rows: Vec::new(),
            total: 0,
        };
        let team = match &filters.team {
            None => None,
            Some(QueueTeam::Unrouted) => Some(None),
            Some(QueueTeam::Code(code)) => match TeamCode::parse(code) {
                Ok(code) => Some(Some(code)),
                // No team has a code of another form: an empty page.
                Err(_) => return Ok((empty, number, size)),
            },
        };
        // Days are the fund's: « reçus aujourd'hui » starts at its midnight.
        let zone = zone_of(staff.caisse_code);
        let since = |day: Option<time::Date>| day.map(|day| Instant::from(day_start(day, zone)));
        let found = store::fund_queue(
            self.shared.reads.lagging(),
            staff.caisse_code,
            &store::QueueFilters {
                statuses: filters.statuses.clone(),
                objet: filters.objet.clone(),
                nature: filters.nature,
                overdue_on: filters.overdue_on,
                assignment: filters.assignment.map(|a| match a {
                    QueueAssignment::To(id) => Assignment::To(id),
                    QueueAssignment::Unassigned => Assignment::Unassigned,
                }),
                team,
                received_since: since(filters.received_since),
                answered_since: since(filters.answered_since),
                answered_within_delay: filters.answered_in_time,
            },
            offset,
            size,
        )
        .await?;
        Ok((found, number, size))
    }
}
