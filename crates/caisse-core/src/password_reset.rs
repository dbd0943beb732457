//! « J'ai oublié mon code »: a member proves who they are with their NIR, birth date and email
//! address, receives a single-use link valid one hour, and chooses a new password.
//!
//! The request never tells whether the data matched: every input ends the same way for the
//! caller, and only the audit log knows. It is answered before it is handled (in the
//! background), so its time does not tell either. Completing a reset sets the new hash, uses up the
//! link and every other link of the member, revokes every session, API token and trusted
//! device, clears the lockout and mails a confirmation, all in one transaction.

pub(crate) mod validation;

use caisse_domain::AuditAction;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use caisse_domain::{AccountStatus, Email, Fund, Instant, PasswordPolicy, SubjectKind};
use caisse_store::members::MemberRecord;
use caisse_store::one_time::{self as stored_links, LinkTable};
use caisse_store::{Db, TransactionTrait, api_tokens, devices, members, sessions};
use serde_json::json;
use time::{Date, Duration};
use tokio::sync::Notify;
use tracing::Instrument;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::parse_login_nir;
use crate::clock::Clock;
use crate::mails::password_reset::{ResetDone, ResetLink};
use crate::mails::{self, MailText};
use crate::one_time::{self, LinkKind, LinkRefusal};
use crate::outbox::{OutboxSeal, Secret};
use crate::passwords::PasswordHasherPool;
use crate::security_mail::{self, SecurityMail, Undo};
use crate::suspicion::{self, Suspicion, SuspicionPolicy};

pub use validation::PasswordProblem;

/// How long a reset link works.
pub const LINK_LIFETIME: Duration = Duration::hours(1);

/// Most links mailed to one member per hour: beyond, requests are answered as usual but send
/// nothing, so nobody can flood a member's mailbox through the form.
pub const MAX_LINKS_PER_HOUR: u64 = 3;

/// What the mails need to know about the deployment.
#[derive(Clone, Debug)]
pub struct ResetSettings {
    /// Public base URL of the portal, for the absolute link (`https://portail.example.fr`).
    pub base_url: String,
    /// The fund's phone number, for "if it was not you, call…".
    pub phone: String,
    /// Signature when the member's fund code does not resolve (the brand name); fund codes
    /// are parsed when read now, so it is no longer used.
    pub fallback_fund_name: String,
    /// When a burst of requests is suspicious enough to suspend the account.
    pub suspicion: SuspicionPolicy,
}

/// What the member typed on the request form.
#[derive(Clone, Copy)]
pub struct ResetRequest<'a> {
    /// NIR as typed (13 or 15 characters, any separators).
    pub nir: &'a str,
    /// Birth date, when the form's date parsed.
    pub birth_date: Option<Date>,
    /// Email address as typed.
    pub email: &'a str,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for ResetRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetRequest").finish_non_exhaustive()
    }
}

/// Why a reset link cannot be used or a new password was not set.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// No such link (or its account is no longer active).
    #[error("unknown reset link")]
    UnknownLink,
    /// The link is more than [`LINK_LIFETIME`] old.
    #[error("expired reset link")]
    ExpiredLink,
    /// The link has served, or a newer link replaced it.
    #[error("used reset link")]
    UsedLink,
    /// The new password was refused; every problem is listed, in display order.
    #[error("new password refused")]
    Rejected(Vec<PasswordProblem>),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for ResetError {
    fn from(error: caisse_store::StoreError) -> Self {
        ResetError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for ResetError {
    fn from(error: caisse_store::DbErr) -> Self {
        ResetError::Core(error.into())
    }
}

/// Issues reset links and completes resets.
#[derive(Clone)]
pub struct PasswordResetService {
    db: Db,
    hasher: PasswordHasherPool,
    clock: Arc<dyn Clock>,
    policy: PasswordPolicy,
    settings: Arc<ResetSettings>,
    in_flight: InFlight,
    seal: OutboxSeal,
}

/// Requests handled after their answer, so that what a match costs never shows in the
/// answer's time; counted so that tests and shutdown can wait for them.
#[derive(Clone, Default)]
struct InFlight {
    count: Arc<AtomicUsize>,
    idle: Arc<Notify>,
}

impl InFlight {
    fn start(&self) -> InFlightGuard {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(self.clone())
    }

    async fn settle(&self) {
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

/// Ends one request in flight when dropped (even by a panic).
struct InFlightGuard(InFlight);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl PasswordResetService {
    /// A service over this database, hashing with `hasher` (the login's pool, so both share
    /// the same bound on concurrent hashing); `seal` seals the links of its mails.
    pub fn new(
        db: Db,
        hasher: PasswordHasherPool,
        clock: Arc<dyn Clock>,
        settings: ResetSettings,
        seal: OutboxSeal,
    ) -> PasswordResetService {
        PasswordResetService {
            db,
            hasher,
            clock,
            policy: PasswordPolicy::default(),
            settings: Arc::new(settings),
            in_flight: InFlight::default(),
            seal,
        }
    }

    /// The same service with another password policy (configured minimum length).
    #[must_use]
    pub fn with_policy(mut self, policy: PasswordPolicy) -> PasswordResetService {
        self.policy = policy;
        self
    }

    /// The rules a new password must follow (the form lists them up front).
    pub fn policy(&self) -> &PasswordPolicy {
        &self.policy
    }

    /// Takes a request and answers at once: the request is handled in the background
    /// ([`PasswordResetService::handle`]), so the answer costs the same work, hence the same
    /// time, whether the data matched or not. A failure is logged (without the data typed).
    #[tracing::instrument(name = "password_reset.request", skip_all)]
    pub fn request(&self, request: ResetRequest<'_>, context: &RequestContext) {
        let service = self.clone();
        let nir = request.nir.to_owned();
        let email = request.email.to_owned();
        let birth_date = request.birth_date;
        let context = context.clone();
        let guard = self.in_flight.start();
        let work = async move {
            let _guard = guard;
            let request = ResetRequest {
                nir: &nir,
                birth_date,
                email: &email,
            };
            if let Err(error) = service.handle(request, &context).await {
                tracing::error!(%error, "password reset request failed");
            }
        };
        // The request's span follows the work into the background.
        tokio::spawn(work.in_current_span());
    }

    /// Waits until every request taken so far is handled (tests, shutdown).
    pub async fn settle(&self) {
        self.in_flight.settle().await;
    }

    /// Handles a request: when the NIR, birth date and email match a member with an active
    /// account, mails them a link. Returns nothing either way, so the caller cannot tell.
    ///
    /// # Errors
    /// Only unexpected failures.
    #[tracing::instrument(name = "password_reset.handle", skip_all)]
    pub async fn handle(
        &self,
        request: ResetRequest<'_>,
        context: &RequestContext,
    ) -> Result<(), CoreError> {
        let now = self.clock.instant();
        let Some(member) = self.matching_member(request).await? else {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberPasswordResetUnmatched,
                None,
                json!({}),
                now,
            )
            .await?;
            return Ok(());
        };
        let subject = Some(("member", member.id));
        let recent = stored_links::links_issued_since(
            &self.db,
            LinkKind::PasswordReset,
            member.id,
            now - Duration::hours(1),
        )
        .await?;
        if recent >= MAX_LINKS_PER_HOUR {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberPasswordResetThrottled,
                subject,
                json!({}),
                now,
            )
            .await?;
            self.review(member.id, context).await?;
            return Ok(());
        }
        let Some(recipient) = member.email.clone() else {
            return Ok(());
        };
        let txn = self.db.begin().await?;
        // One live link at a time: an older mail stops working once a newer one is sent.
        let token = one_time::issue_link(
            &txn,
            LinkKind::PasswordReset,
            member.id,
            None,
            LINK_LIFETIME,
            true,
            now,
        )
        .await?;
        self.enqueue_security(
            &txn,
            &member,
            &recipient,
            mails::mail(&ResetLink {
                first_name: &member.first_name,
                base_url: self.settings.base_url.trim_end_matches('/'),
                token: &token,
                fund: &self.fund_name(&member),
            })?,
            &[Secret::Link(&token)],
            now,
        )
        .await?;
        audit::record(
            &txn,
            context,
            Actor::Anonymous,
            AuditAction::MemberPasswordResetRequested,
            subject,
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        self.review(member.id, context).await?;
        Ok(())
    }

    /// Suspends the account when reset requests come in a burst. The count is read outside
    /// any transaction; one is opened only to suspend, so the common case writes nothing.
    async fn review(
        &self,
        member_id: uuid::Uuid,
        context: &RequestContext,
    ) -> Result<(), CoreError> {
        let policy = &self.settings.suspicion;
        let now = self.clock.instant();
        if !suspicion::is_suspicious(&self.db, policy, member_id, Suspicion::ResetBurst, now)
            .await?
        {
            return Ok(());
        }
        let txn = self.db.begin().await?;
        suspicion::suspend(&txn, policy, member_id, Suspicion::ResetBurst, context, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Queues a mail of the reset, carrying `secrets`, with its « Ce n'était pas moi » link.
    async fn enqueue_security(
        &self,
        txn: &caisse_store::Tx,
        member: &MemberRecord,
        recipient: &Email,
        text: MailText,
        secrets: &[Secret<'_>],
        now: Instant,
    ) -> Result<(), CoreError> {
        security_mail::enqueue_carrying(
            txn,
            &self.seal,
            &self.settings.base_url,
            SecurityMail {
                member_id: member.id,
                caisse: Some(&member.caisse_code),
                recipient,
                text,
                undo: Undo::default(),
            },
            secrets,
            now,
        )
        .await
    }

    /// The member the request designates, if every piece matches and the account is active.
    async fn matching_member(
        &self,
        request: ResetRequest<'_>,
    ) -> Result<Option<MemberRecord>, CoreError> {
        let (Some(nir), Some(birth_date)) = (parse_login_nir(request.nir), request.birth_date)
        else {
            return Ok(None);
        };
        let typed_email = request.email.trim().to_lowercase();
        let Some(member) = members::find_by_nir(&self.db, &nir).await? else {
            return Ok(None);
        };
        let email_matches = member.email.as_ref().is_some_and(|stored| {
            !typed_email.is_empty() && stored.as_str().to_lowercase() == typed_email
        });
        if member.birth_date != birth_date || !email_matches {
            return Ok(None);
        }
        Ok(self.is_active(&member).await?.then_some(member))
    }

    async fn is_active(&self, member: &MemberRecord) -> Result<bool, CoreError> {
        Ok(members::find_account(&self.db, member.id)
            .await?
            .is_some_and(|a| a.status == AccountStatus::Active))
    }

    /// Checks that a link can still be used (before showing the form).
    ///
    /// # Errors
    /// [`ResetError::UnknownLink`], [`ResetError::ExpiredLink`] or [`ResetError::UsedLink`].
    #[tracing::instrument(name = "password_reset.check_link", skip_all)]
    pub async fn check_link(&self, token: &str) -> Result<(), ResetError> {
        self.live_link(token).await.map(|_| ())
    }

    /// A usable link and its member.
    async fn live_link(&self, token: &str) -> Result<(MemberRecord, one_time::Link), ResetError> {
        let link = one_time::live_link(
            &self.db,
            LinkKind::PasswordReset,
            token,
            self.clock.instant(),
        )
        .await?
        .map_err(|refusal| match refusal {
            LinkRefusal::Unknown => ResetError::UnknownLink,
            LinkRefusal::Used => ResetError::UsedLink,
            LinkRefusal::Expired => ResetError::ExpiredLink,
        })?;
        let member = members::find(&self.db, link.member_id)
            .await?
            .ok_or(ResetError::UnknownLink)?;
        if !self.is_active(&member).await? {
            return Err(ResetError::UnknownLink);
        }
        Ok((member, link))
    }

    /// Sets a new password through a link.
    ///
    /// # Errors
    /// A link error, [`ResetError::Rejected`] with every problem of the new password, or an
    /// unexpected failure. Nothing changes unless it succeeds.
    #[tracing::instrument(name = "password_reset.complete", skip_all)]
    pub async fn complete(
        &self,
        token: &str,
        password: &str,
        confirmation: &str,
        context: &RequestContext,
    ) -> Result<(), ResetError> {
        let (member, link) = self.live_link(token).await?;
        let problems = validation::problems(&self.policy, &member, password, confirmation);
        if !problems.is_empty() {
            return Err(ResetError::Rejected(problems));
        }
        // Hash before the transaction: it is slow, and a transaction should hold no lock
        // (SQLite: the whole database) while waiting for it.
        let password_hash = self.hasher.hash(password).await?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        if !one_time::consume_link(&txn, LinkKind::PasswordReset, &link, now).await? {
            // Another submission of the same link won the race, or it expired meanwhile.
            txn.rollback().await?;
            return match self.live_link(token).await {
                Err(error) => Err(error),
                Ok(_) => Err(ResetError::UsedLink),
            };
        }
        members::set_password_hash(&txn, member.id, password_hash, now).await?;
        stored_links::spend_unused_links(&txn, LinkKind::PasswordReset, member.id, now).await?;
        // Whoever knew the old password may hold a session, an API token or a device that
        // skips the mailed login code: none survives the reset.
        sessions::revoke_all(&txn, SubjectKind::Member, member.id, now).await?;
        api_tokens::revoke_all(&txn, member.id, now).await?;
        devices::revoke_all_trusted(&txn, member.id, now).await?;
        crate::lockout::clear_member(&txn, &member.nir).await?;
        if let Some(recipient) = &member.email {
            self.enqueue_security(
                &txn,
                &member,
                recipient,
                mails::mail(&ResetDone {
                    first_name: &member.first_name,
                    fund: &self.fund_name(&member),
                    phone: &self.settings.phone,
                })
                .map_err(CoreError::from)?,
                &[],
                now,
            )
            .await?;
        }
        audit::record(
            &txn,
            context,
            Actor::Member(member.id),
            AuditAction::MemberPasswordResetCompleted,
            Some(("member", member.id)),
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    fn fund_name(&self, member: &MemberRecord) -> String {
        Fund::by_code(&member.caisse_code).name().to_owned()
    }

    /// Deletes links that expired more than a day ago; returns how many. Meant for the same
    /// periodic job that purges ended sessions.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "password_reset.purge_expired", skip_all)]
    pub async fn purge_expired(&self) -> Result<u64, CoreError> {
        Ok(stored_links::delete_expired_links(
            &self.db,
            LinkTable::PasswordResets,
            self.clock.instant() - Duration::days(1),
        )
        .await?)
    }
}
