//! What members do with the médiateur: see whether a thread may be referred, refer it, follow
//! the referral. Only ever on their own threads.

use caisse_domain::Instant;
use caisse_domain::messaging::{
    Body, ReclamationFacts, ReferralReason, ReferralState, local_date, referral_reason,
};
use caisse_store::mediation::{self as store, NewReferral};
use caisse_store::messaging::{self, Thread};
use caisse_store::outbox::{self, Channel, NewMessage};
use caisse_store::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use super::{
    ACTION_REFERRED, MediationError, MediationService, MemberMediation, Referral, SUBJECT_REFERRAL,
    referral_reference,
};
use crate::CoreError;
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};
use crate::mails::{self, messaging::MediationReceived};
use crate::messaging::member::{fund_name, zone_of};
use crate::messaging::people::{self, Member};

impl MediationService {
    async fn own_thread_row(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Thread, MediationError> {
        messaging::member_thread(&self.shared.db, member_id, thread_id)
            .await?
            .ok_or(MediationError::NotFound)
    }

    /// Why the thread may go to the médiateur today (in the fund's time), if it may.
    fn referral_reason_of(&self, thread: &Thread) -> Option<ReferralReason> {
        let today = local_date(self.shared.clock.now(), zone_of(thread.caisse_code));
        referral_reason(
            &ReclamationFacts {
                nature: thread.nature,
                due_on: thread.due_on,
                first_answer_in_time: thread.answered_within_delay,
                outcome: thread.outcome,
            },
            today,
        )
    }

    /// The médiateur on the member's thread: its referral if there is one, otherwise whether
    /// the member may refer it now. `NotFound` for a thread not the member's.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.mediation.member_mediation",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_mediation(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<MemberMediation, MediationError> {
        let row = self.own_thread_row(member_id, thread_id).await?;
        if let Some(referral) =
            store::for_member_thread(&self.shared.db, member_id, thread_id).await?
        {
            return Ok(MemberMediation::Referred(member_view(referral)));
        }
        Ok(match self.referral_reason_of(&row) {
            Some(reason) => MemberMediation::Eligible(reason),
            None => MemberMediation::Unavailable,
        })
    }

    /// The member refers their réclamation to the médiateur with `text`. In one
    /// transaction: the referral (« À traiter »), the audit event `member.mediation.referred`
    /// and an acknowledgement mail holding the reference and a link, never the text.
    ///
    /// # Errors
    /// `Invalid` (field `body`) for an empty or too long text, `NotFound` for a thread not
    /// the member's, `AlreadyReferred`, `Ineligible`, or `Core`.
    #[tracing::instrument(
        name = "messaging.mediation.refer_to_mediateur",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn refer_to_mediateur(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        text: &str,
        context: &RequestContext,
    ) -> Result<Referral, MediationError> {
        let db = &self.shared.db;
        let text = Body::parse(text, &self.shared.settings.limits)
            .map_err(|e| MediationError::Invalid(vec![FormProblem::new("body", e.message_fr())]))?;
        let row = self.own_thread_row(member_id, thread_id).await?;
        if store::for_member_thread(db, member_id, thread_id)
            .await?
            .is_some()
        {
            return Err(MediationError::AlreadyReferred);
        }
        let reason = self
            .referral_reason_of(&row)
            .ok_or(MediationError::Ineligible)?;
        let member = people::get(db, member_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        let now = self.shared.now();
        let reference = referral_reference(&row.reference);
        let tx = db.begin().await?;
        // The first statement writes (see `staff::versioned` on SQLite's lock upgrade).
        let inserted = store::insert(
            &tx,
            NewReferral {
                reference: reference.clone(),
                thread_id,
                member_id,
                caisse_code: row.caisse_code,
                reason,
                member_text: text.as_str().to_owned(),
                status: ReferralState::INITIAL.status,
            },
            now,
        )
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(error) => {
                tx.rollback().await?;
                // Two submissions at once: the unique index kept the first.
                return match store::for_member_thread(db, member_id, thread_id).await? {
                    Some(_) => Err(MediationError::AlreadyReferred),
                    None => Err(error.into()),
                };
            }
        };
        audit::record(
            &tx,
            context,
            Actor::Member(member_id),
            ACTION_REFERRED,
            Some((SUBJECT_REFERRAL, id)),
            serde_json::json!({ "thread_id": thread_id, "reason": reason.code() }),
            now.get(),
        )
        .await?;
        self.acknowledge_referral(&tx, &member, thread_id, &reference, now)
            .await?;
        let created = store::for_member_thread(&tx, member_id, thread_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        tx.commit().await?;
        Ok(member_view(created))
    }

    /// Queues the acknowledgement of a referral, if the member has an email and wants mail.
    async fn acknowledge_referral<C: ConnectionTrait>(
        &self,
        db: &C,
        member: &Member,
        thread_id: Uuid,
        reference: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        let notices = people::notices_of(db, member.id).await?;
        let Some(email) = member
            .email
            .as_ref()
            .map(caisse_domain::Email::as_str)
            .filter(|_| notices.by_email)
        else {
            return Ok(());
        };
        let text = mails::mail(&MediationReceived {
            reference,
            link: &self.shared.thread_link(thread_id),
            fund: &fund_name(member.caisse_code),
        })?;
        outbox::enqueue(
            db,
            NewMessage {
                channel: Channel::Email,
                recipient: email.to_owned(),
                subject: text.subject,
                body_text: text.body,
                caisse_code: Some(member.caisse_code.as_str().to_owned()),
            },
            now.get(),
        )
        .await?;
        Ok(())
    }
}

/// A referral as its member sees it: who handles it is the fund's business.
fn member_view(row: store::Referral) -> Referral {
    let mut referral = Referral::from(row);
    referral.assigned_staff_id = None;
    referral
}
