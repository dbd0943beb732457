//! The member's file beside a thread in the back office: identity, contacts, notification
//! preferences and the member's other threads in the advisor's fund.
//!
//! The file is reached through the thread only: an advisor who can open the thread (it is in
//! their fund's queue, possibly after a transfer from another fund) needs the file to answer
//! it. Every reading is audited (`staff.member.viewed`, like the advisors' account pages).

use caisse_domain::Nir;
use caisse_store::members;
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::member::fund_name;
use super::views::ThreadSummary;
use super::{ACTION_MEMBER_VIEWED, MessagingError, MessagingService};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// How many of the member's other threads are listed beside one.
const OTHER_THREADS_SHOWN: u64 = 20;

/// A member's file as an advisor sees it beside a thread.
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
    /// The member's other threads in the advisor's fund, most recently active first.
    pub other_threads: Vec<ThreadSummary>,
    /// The family's rights: coverage, C2S, doctors, exemptions.
    pub rights: Option<crate::rights::FamilyRights>,
}

debug_fields!(MemberFile {
    member_id,
    other_threads
});

impl MessagingService {
    /// The file of the member who wrote thread `thread_id` of the advisor's fund, audited.
    ///
    /// # Errors
    /// `NotFound` for a thread of another fund (or a missing one), `Core` otherwise.
    pub async fn staff_member_file(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<MemberFile, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        let thread = Self::fund_thread(&self.db, &staff, thread_id).await?;
        let member = members::get(&self.db, thread.member_id)
            .await?
            .ok_or(MessagingError::NotFound)?;
        let nir =
            Nir::parse(&member.nir).map_err(|_| CoreError::InvalidData("stored NIR".to_owned()))?;
        let account = members::account(&self.db, member.id).await?;
        let other_threads = caisse_store::messaging::member_threads_in_fund(
            &self.db,
            member.id,
            &staff.caisse_code,
            thread_id,
            OTHER_THREADS_SHOWN,
        )
        .await?
        .into_iter()
        .map(ThreadSummary::from_row)
        .collect::<Result<_, _>>()?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            ACTION_MEMBER_VIEWED,
            Some(("member", member.id)),
            json!({ "view": "messaging", "thread": thread_id }),
            self.clock.now(),
        )
        .await?;
        let rights = crate::rights::load(&self.db, member.id).await?;
        let mut address_lines = vec![member.address_line1.clone()];
        address_lines.extend(member.address_line2.clone());
        address_lines.push(format!("{} {}", member.postal_code, member.city));
        Ok(MemberFile {
            member_id: member.id,
            last_name: member.usage_name.clone().unwrap_or(member.last_name),
            first_name: member.first_name,
            nir: nir.formatted(),
            birth_date: member.birth_date,
            fund_name: fund_name(&member.caisse_code),
            address_lines,
            email: member.email,
            phone: member.phone,
            notifications: account.map(|a| (a.notify_email, a.notify_sms)),
            other_threads,
            rights,
        })
    }
}
