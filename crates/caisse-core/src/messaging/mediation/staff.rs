//! The médiateur's queue: supervisors and administrators of the fund list its referrals,
//! open one with its thread (audited as a view of the member's thread), take it, answer the
//! member and close it. Conseillers are refused; other funds' referrals are not found.

use caisse_domain::messaging::{Body, ReferralEvent, ReferralStatus};
use caisse_store::mediation::{self as store, ReferralChange};
use caisse_store::{TransactionTrait, messaging};
use uuid::Uuid;

use super::{
    ACTION_REFERRAL_ANSWERED, ACTION_REFERRAL_CLOSED, ACTION_REFERRAL_TAKEN, MediationError,
    MediationService, Referral, ReferralDetail, SUBJECT_REFERRAL,
};
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};
use crate::messaging::Page;
use crate::messaging::people::ActingStaff;
use crate::messaging::views::page_window;

impl MediationService {
    /// An active supervisor or administrator: `NotFound` for an unknown or inactive account,
    /// `Forbidden` for a conseiller.
    async fn supervisor(&self, staff_id: Uuid) -> Result<ActingStaff, MediationError> {
        let staff = self
            .shared
            .acting_staff(staff_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        if staff.supervises() {
            Ok(staff)
        } else {
            Err(MediationError::Forbidden)
        }
    }

    async fn fund_referral(
        &self,
        staff: &ActingStaff,
        referral_id: Uuid,
    ) -> Result<Referral, MediationError> {
        let row = store::fund_referral(&self.shared.db, staff.caisse_code, referral_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        Ok(Referral::from(row))
    }

    /// The referrals of the supervisor's fund whose status is one of `statuses` (all when
    /// empty), oldest first; page `page` (from 1).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden` (see the module documentation), or `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.mediation_queue",
        skip_all,
        fields(%staff_id, ?statuses, page = page)
    )]
    pub async fn mediation_queue(
        &self,
        staff_id: Uuid,
        statuses: &[ReferralStatus],
        page: u64,
    ) -> Result<Page<Referral>, MediationError> {
        let staff = self.supervisor(staff_id).await?;
        let size = self.shared.page_size();
        let (number, offset) = page_window(page, size);
        let found =
            store::fund_queue(&self.shared.db, staff.caisse_code, statuses, offset, size).await?;
        Ok(Page::from_rows(found, number, size, Referral::from))
    }

    /// Opens a referral of the supervisor's fund with its thread, internal notes included.
    /// Audited as a view of the member's thread (`staff.thread.viewed`), which the member sees
    /// in their viewers list.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, or `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.mediation_referral",
        skip_all,
        fields(%staff_id, %referral_id)
    )]
    pub async fn mediation_referral(
        &self,
        staff_id: Uuid,
        referral_id: Uuid,
        context: &RequestContext,
    ) -> Result<ReferralDetail, MediationError> {
        let staff = self.supervisor(staff_id).await?;
        let referral = self.fund_referral(&staff, referral_id).await?;
        let thread = self
            .shared
            .staff_thread_detail(
                staff_id,
                referral.thread_id,
                context,
                serde_json::json!({ "mediation_referral": referral_id }),
            )
            .await?
            .ok_or(MediationError::NotFound)?;
        Ok(ReferralDetail { referral, thread })
    }

    /// The supervisor takes the referral (« En cours », assigned to them); returns the new
    /// version.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict`, `Refused`, or `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.take_referral",
        skip_all,
        fields(%staff_id, %referral_id, expected_version = expected_version)
    )]
    pub async fn take_referral(
        &self,
        staff_id: Uuid,
        referral_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, MediationError> {
        self.change_referral(
            staff_id,
            referral_id,
            expected_version,
            ReferralEvent::Taken,
            None,
            context,
        )
        .await
    }

    /// The médiateur answers the member (once): the answer shows on the member's thread
    /// page, and the member is told by email and SMS as they chose, with a link only.
    /// Answering an untaken referral takes it. Returns the new version.
    ///
    /// # Errors
    /// `Invalid` (field `body`), `NotFound`, `Forbidden`, `Conflict`, `Refused`, or `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.answer_referral",
        skip_all,
        fields(%staff_id, %referral_id, expected_version = expected_version)
    )]
    pub async fn answer_referral(
        &self,
        staff_id: Uuid,
        referral_id: Uuid,
        expected_version: i32,
        text: &str,
        context: &RequestContext,
    ) -> Result<i32, MediationError> {
        let text = Body::parse(text, &self.shared.settings.limits)
            .map_err(|e| MediationError::Invalid(vec![FormProblem::new("body", e.message_fr())]))?;
        self.change_referral(
            staff_id,
            referral_id,
            expected_version,
            ReferralEvent::Answered,
            Some(text),
            context,
        )
        .await
    }

    /// The supervisor closes an answered referral (« Clos »); returns the new version.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict`, `Refused` (not answered, already closed), or
    /// `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.close_referral",
        skip_all,
        fields(%staff_id, %referral_id, expected_version = expected_version)
    )]
    pub async fn close_referral(
        &self,
        staff_id: Uuid,
        referral_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, MediationError> {
        self.change_referral(
            staff_id,
            referral_id,
            expected_version,
            ReferralEvent::Closed,
            None,
            context,
        )
        .await
    }

    /// Checks the version then the rules, and applies `event` in one transaction with its
    /// audit event (and, for an answer, the member's notice). The read happens before the
    /// transaction, whose first statement is the versioned write (see `staff::versioned`).
    async fn change_referral(
        &self,
        staff_id: Uuid,
        referral_id: Uuid,
        expected_version: i32,
        event: ReferralEvent,
        answer: Option<Body>,
        context: &RequestContext,
    ) -> Result<i32, MediationError> {
        let staff = self.supervisor(staff_id).await?;
        let db = &self.shared.db;
        let now = self.shared.now();
        let referral = self.fund_referral(&staff, referral_id).await?;
        if referral.version != expected_version {
            return Err(MediationError::Conflict {
                current_version: referral.version,
            });
        }
        let next = referral.state().after(event)?;
        let thread = messaging::fund_thread(db, staff.caisse_code, referral.thread_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        let takes = event == ReferralEvent::Taken
            || (event == ReferralEvent::Answered && referral.assigned_staff_id.is_none());
        let change = ReferralChange {
            status: Some(next.status),
            assigned_staff_id: takes.then_some(staff_id),
            answer: answer.map(|text| (text.as_str().to_owned(), staff_id)),
            closed: event == ReferralEvent::Closed,
        };
        let action = match event {
            ReferralEvent::Taken => ACTION_REFERRAL_TAKEN,
            ReferralEvent::Answered => ACTION_REFERRAL_ANSWERED,
            ReferralEvent::Closed => ACTION_REFERRAL_CLOSED,
        };
        let tx = db.begin().await?;
        if !store::update_if_version(&tx, referral_id, expected_version, change, now).await? {
            tx.rollback().await?;
            // Read outside the transaction: the winner has committed.
            let current = self.fund_referral(&staff, referral_id).await?;
            return Err(MediationError::Conflict {
                current_version: current.version,
            });
        }
        audit::record(
            &tx,
            context,
            Actor::Staff(staff_id),
            action,
            Some((SUBJECT_REFERRAL, referral_id)),
            serde_json::json!({ "thread_id": referral.thread_id }),
            now.get(),
        )
        .await?;
        if event == ReferralEvent::Answered {
            self.shared
                .notify_reply(&tx, thread.member_id, thread.id, &thread.reference, now)
                .await?;
        }
        tx.commit().await?;
        Ok(expected_version + 1)
    }
}
