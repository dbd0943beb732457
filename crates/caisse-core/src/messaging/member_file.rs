//! The member's file beside a thread in the back office: identity, contacts, notification
//! preferences and the member's other threads in the staff member's fund.
//!
//! The file is reached through the thread only: a staff member who can open the thread (it is in
//! their fund's queue, possibly after a transfer from another fund) needs the file to answer
//! it. Every reading is audited (`staff.member.viewed`, like the staff members' account pages).

use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::ACTION_MEMBER_VIEWED;
use super::errors::StaffError;
use super::member::fund_name;
use super::people;
use super::staff::StaffMessaging;
use super::views::ThreadSummary;
use crate::audit::{self, Actor, RequestContext};

/// How many of the member's other threads are listed beside one.
const OTHER_THREADS_SHOWN: u64 = 20;

/// A member's file as a staff member sees it beside a thread.
#[derive(Clone)]
pub struct MemberFile {
    /// Member id.
    pub member_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name in use (usage name if any, else birth name).
    pub last_name: String,
    /// The NIR, formatted (`1 85 05 78 006 084 91`).
    pub nir: String,
    /// Birth date.
    pub birth_date: Date,
    /// The member's fund, by name.
    pub fund_name: String,
    /// Postal address lines.
    pub address_lines: Vec<String>,
    /// Email on file.
    pub email: Option<String>,
    /// Mobile number on file (E.164).
    pub phone: Option<String>,
    /// Notification preferences (email, SMS); `None` without an online account.
    pub notifications: Option<(bool, bool)>,
    /// The member's other threads in the staff member's fund, most recently active first.
    pub other_threads: Vec<ThreadSummary>,
    /// The family's rights: coverage, C2S, doctors, exemptions.
    pub rights: Option<crate::rights::FamilyRights>,
}

/// Shows the member's id and how many other threads are listed; never who they are.
impl std::fmt::Debug for MemberFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberFile")
            .field("member_id", &self.member_id)
            .field("other_threads", &self.other_threads.len())
            .finish_non_exhaustive()
    }
}

impl StaffMessaging {
    /// The file of the member who wrote thread `thread_id` of the staff member's fund, audited.
    ///
    /// # Errors
    /// `NotFound` for a thread of another fund (or a missing one), `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.staff.staff_member_file",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn staff_member_file(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<MemberFile, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let thread = Self::fund_thread(db, &staff, thread_id).await?;
        let (member, notices) = people::with_notices(db, thread.member_id)
            .await?
            .ok_or(StaffError::NotFound)?;
        let nir = member.nir.formatted();
        let other_threads = caisse_store::messaging::member_threads_in_fund(
            db,
            member.id,
            staff.caisse_code,
            thread_id,
            OTHER_THREADS_SHOWN,
        )
        .await?
        .into_iter()
        .map(ThreadSummary::from)
        .collect();
        audit::record(
            db,
            context,
            Actor::Staff(staff_id),
            ACTION_MEMBER_VIEWED,
            Some(("member", member.id)),
            json!({ "view": "messaging", "thread": thread_id }),
            self.shared.clock.now(),
        )
        .await?;
        let rights = crate::rights::load(db, member.id).await?;
        Ok(MemberFile {
            member_id: member.id,
            last_name: member.last_name,
            first_name: member.first_name,
            nir,
            birth_date: member.birth_date,
            fund_name: fund_name(member.caisse_code),
            address_lines: member.address_lines,
            email: member.email.map(|email| email.as_str().to_owned()),
            phone: member.phone.map(|phone| phone.as_str().to_owned()),
            notifications: notices.chosen.then_some((notices.by_email, notices.by_sms)),
            other_threads,
            rights,
        })
    }
}
