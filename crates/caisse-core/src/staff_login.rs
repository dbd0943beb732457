//! Staff login in two steps: the password, then a code from an authenticator app (TOTP, see
//! [`crate::staff_totp`]). The second factor is required: a staff user without a secret enrols
//! right after the password, before anything else.
//!
//! Between the two steps a *pending login* is stored (not a session): bound to the browser that
//! typed the password (a digest of its cookie), short-lived, used once. Enrolment keeps the new
//! secret in the pending login, sealed, and saves it on the account only when a first code
//! proves the app holds it.
//!
//! Wrong codes count in the same lockout as wrong passwords (the login's `staff_key`), and the
//! right password does not clear that count, so codes cannot be guessed in unlimited rounds.
//! Each code is counted before it is checked, so parallel guesses cannot pass the threshold.
//! A code is accepted once: the last accepted time step is stored on the account and moved
//! forward by a conditional update, which holds across nodes.

use caisse_domain::{AuditAction, Email, Instant, Release};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::staff::StaffMember as StaffRow;
use caisse_store::staff_challenges::{self, NewStaffChallenge};
use caisse_store::{Db, TransactionTrait, staff};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::{Authenticator, LoginError};
use crate::lockout;
use crate::mails::staff::{CodeLock, TotpEnrolled};
use crate::mails::{self, MailText};
use crate::staff_totp::{CodeCheck, TotpSecret};
use crate::tokens::token_digest;

/// How long the code may be typed after the password.
pub const CODE_TTL: Duration = Duration::minutes(5);
/// How long an enrolment may take (installing an app, scanning the QR code).
pub const ENROLMENT_TTL: Duration = Duration::minutes(15);

/// What a staff user who typed the right password does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffStep {
    /// Type the code of their authenticator app.
    Code,
    /// Enrol an authenticator app, then type its first code.
    Enrol,
}

/// An enrolment in progress, for the page that shows the new secret.
#[derive(Clone, Debug)]
pub struct PendingEnrolment {
    /// The staff user's login (the account name in the authenticator app).
    pub login: String,
    /// The new secret (masked in `Debug`).
    pub secret: TotpSecret,
}

/// Why a code did not open the session.
#[derive(Debug, thiserror::Error)]
pub enum StaffCodeError {
    /// No pending login for this browser: none, expired, already used, or another browser's.
    #[error("no pending login")]
    NoPendingLogin,
    /// Not the code of the app, now.
    #[error("wrong code")]
    Wrong,
    /// A code already accepted once.
    #[error("code already used")]
    Replayed,
    /// Too many failures: no attempt is checked until `until`; the pending login is gone.
    #[error("locked until {until}")]
    Locked {
        /// End of the lock.
        until: OffsetDateTime,
    },
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for StaffCodeError {
    fn from(error: caisse_store::StoreError) -> Self {
        StaffCodeError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for StaffCodeError {
    fn from(error: caisse_store::DbErr) -> Self {
        StaffCodeError::Core(error.into())
    }
}

fn unreadable(staff_id: Uuid) -> CoreError {
    CoreError::UnreadableTotpSecret { staff_id }
}

impl Authenticator {
    /// The first step: checks the password and, when it is right, stores a pending login bound
    /// to `browser` (the visitor cookie) and says what comes next. A staff user without a
    /// secret gets a fresh one to enrol.
    ///
    /// # Errors
    /// As the password check: [`LoginError::InvalidCredentials`] (one answer for an unknown
    /// login, a wrong password or a disabled account) or [`LoginError::Locked`].
    #[tracing::instrument(name = "auth.staff_login", skip_all)]
    pub async fn staff_login(
        &self,
        login: &str,
        password: &str,
        browser: &str,
        context: &RequestContext,
    ) -> Result<StaffStep, LoginError> {
        let staff_id = self.staff_password(login, password, context).await?;
        let row = staff::find(&self.db, staff_id)
            .await
            .map_err(CoreError::from)?
            .ok_or(CoreError::Store(caisse_store::StoreError::NotFound(
                "staff",
            )))?;
        let now = self.clock.instant();
        let (step, pending_secret, ttl) = match &row.totp_secret {
            Some(sealed) => {
                // Open it now, so a changed server key shows at once, and in the logs.
                self.sealing
                    .open(sealed, staff_id)
                    .map_err(|_| unreadable(staff_id))?;
                (StaffStep::Code, None, CODE_TTL)
            }
            None => {
                let secret = TotpSecret::generate()?;
                let sealed = self.sealing.seal(&secret, staff_id)?;
                (StaffStep::Enrol, Some(sealed), ENROLMENT_TTL)
            }
        };
        let txn = self.db.begin().await.map_err(CoreError::from)?;
        staff_challenges::replace(
            &txn,
            NewStaffChallenge {
                staff_id,
                binding: token_digest(browser),
                pending_secret,
                expires_at: now + ttl,
            },
            now,
        )
        .await
        .map_err(CoreError::from)?;
        if step == StaffStep::Enrol {
            audit::record(
                &txn,
                context,
                Actor::Anonymous,
                AuditAction::StaffTotpEnrolmentStarted,
                Some(("staff", staff_id)),
                json!({}),
                now,
            )
            .await?;
        }
        txn.commit().await.map_err(CoreError::from)?;
        Ok(step)
    }

    /// What the pending login of this browser waits for, if it has one.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "auth.staff_pending", skip_all)]
    pub async fn staff_pending(&self, browser: &str) -> Result<Option<StaffStep>, CoreError> {
        let pending = staff_challenges::live_for_binding(
            &self.db,
            &token_digest(browser),
            self.clock.instant(),
        )
        .await?;
        Ok(pending.map(|c| {
            if c.pending_secret.is_some() {
                StaffStep::Enrol
            } else {
                StaffStep::Code
            }
        }))
    }

    /// The enrolment this browser is in the middle of, if any: the login and the new secret.
    ///
    /// # Errors
    /// When the database fails or the secret cannot be opened.
    #[tracing::instrument(name = "auth.staff_enrolment", skip_all)]
    pub async fn staff_enrolment(
        &self,
        browser: &str,
    ) -> Result<Option<PendingEnrolment>, CoreError> {
        let now = self.clock.instant();
        let Some(challenge) =
            staff_challenges::live_for_binding(&self.db, &token_digest(browser), now).await?
        else {
            return Ok(None);
        };
        let Some(sealed) = challenge.pending_secret else {
            return Ok(None);
        };
        let Some(row) = staff::find(&self.db, challenge.staff_id).await? else {
            return Ok(None);
        };
        let secret = self
            .sealing
            .open(&sealed, row.id)
            .map_err(|_| unreadable(row.id))?;
        Ok(Some(PendingEnrolment {
            login: row.login,
            secret,
        }))
    }

    /// The second step: checks the code typed in `browser` against its pending login (the
    /// account's secret, or during an enrolment the new one, which is then saved) and returns
    /// the staff id to open a session for.
    ///
    /// # Errors
    /// See [`StaffCodeError`]. Wrong and replayed codes count in the lockout.
    #[tracing::instrument(name = "auth.staff_confirm", skip_all)]
    pub async fn staff_confirm(
        &self,
        browser: &str,
        code: &str,
        context: &RequestContext,
    ) -> Result<Uuid, StaffCodeError> {
        let now = self.clock.instant();
        let Some(challenge) =
            staff_challenges::live_for_binding(&self.db, &token_digest(browser), now).await?
        else {
            return Err(StaffCodeError::NoPendingLogin);
        };
        let row = match staff::find(&self.db, challenge.staff_id).await? {
            Some(row) if row.active => row,
            _ => {
                staff_challenges::end(&self.db, challenge.id, now).await?;
                return Err(StaffCodeError::NoPendingLogin);
            }
        };
        let key = lockout::staff_key(&row.login);
        let policy = &self.settings.lockout;
        // Counted before the code is checked, so parallel guesses cannot pass the threshold.
        let reserved = match lockout::reserve(&self.db, policy, &key, now).await {
            Ok(reserved) => reserved,
            Err(lockout::Refusal::Locked { until }) => {
                let txn = self.db.begin().await?;
                staff_challenges::end(&txn, challenge.id, now).await?;
                audit::record(
                    &txn,
                    context,
                    Actor::Anonymous,
                    AuditAction::StaffLoginRefusedLocked,
                    Some(("staff", row.id)),
                    json!({}),
                    now,
                )
                .await?;
                txn.commit().await?;
                return Err(StaffCodeError::Locked { until: until.get() });
            }
            Err(lockout::Refusal::Core(error)) => return Err(error.into()),
        };
        // During an enrolment the new secret is checked; otherwise the account's, unless an
        // administrator cleared it since the password.
        let (sealed, enrolment) = match (&challenge.pending_secret, &row.totp_secret) {
            (Some(pending), _) => (pending.clone(), true),
            (None, Some(saved)) => (saved.clone(), false),
            (None, None) => {
                let txn = self.db.begin().await?;
                staff_challenges::end(&txn, challenge.id, now).await?;
                lockout::release(&txn, policy, &reserved, Release::Undo, now).await?;
                txn.commit().await?;
                return Err(StaffCodeError::NoPendingLogin);
            }
        };
        let secret = self
            .sealing
            .open(&sealed, row.id)
            .map_err(|_| unreadable(row.id))?;
        let last = if enrolment { None } else { row.totp_last_step };
        let step = match secret.check(code, now.get(), last) {
            CodeCheck::Accepted { step } => step,
            CodeCheck::Replayed => {
                return Err(self
                    .refuse_code(&row, challenge.id, &reserved, "replayed", context)
                    .await);
            }
            CodeCheck::Wrong => {
                return Err(self
                    .refuse_code(&row, challenge.id, &reserved, "wrong", context)
                    .await);
            }
        };
        let txn = self.db.begin().await?;
        let saved = if enrolment {
            staff::set_totp_secret_if_unset(&txn, row.id, sealed, Some(step)).await?
        } else {
            staff::accept_totp_step(&txn, row.id, step).await?
        };
        if !saved || !staff_challenges::consume(&txn, challenge.id, now).await? {
            txn.rollback().await?;
            // Another request won the race: the same code on another node (a replay), or
            // another enrolment of the same account.
            return Err(if enrolment || saved {
                StaffCodeError::NoPendingLogin
            } else {
                self.refuse_code(&row, challenge.id, &reserved, "replayed", context)
                    .await
            });
        }
        lockout::release(&txn, policy, &reserved, Release::Success, now).await?;
        if enrolment {
            audit::record(
                &txn,
                context,
                Actor::Staff(row.id),
                AuditAction::StaffTotpEnrolled,
                Some(("staff", row.id)),
                json!({}),
                now,
            )
            .await?;
            if let Some(email) = &row.email {
                outbox::enqueue(&txn, enrolled_mail(&row, email)?, now).await?;
            }
        }
        audit::record(
            &txn,
            context,
            Actor::Staff(row.id),
            AuditAction::StaffLoginSucceeded,
            Some(("staff", row.id)),
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// Records a refused code (already counted in the lockout by `reserved`) and, when it
    /// started a lock, ends the pending login and warns the owner: whoever typed it knew the
    /// password.
    async fn refuse_code(
        &self,
        row: &StaffRow,
        challenge_id: Uuid,
        reserved: &lockout::Reserved,
        reason: &'static str,
        context: &RequestContext,
    ) -> StaffCodeError {
        let outcome = async {
            let now = self.clock.instant();
            let subject = Some(("staff", row.id));
            let txn = self.db.begin().await.map_err(CoreError::from)?;
            audit::record(
                &txn,
                context,
                Actor::Anonymous,
                AuditAction::StaffLoginCodeRefused,
                subject,
                json!({ "reason": reason }),
                now,
            )
            .await?;
            let lock = reserved.lock_started();
            if let Some(until) = lock {
                staff_challenges::end(&txn, challenge_id, now)
                    .await
                    .map_err(CoreError::from)?;
                audit::record(
                    &txn,
                    context,
                    Actor::System,
                    AuditAction::StaffAccountLocked,
                    subject,
                    json!({ "minutes": (until - now).whole_minutes() }),
                    now,
                )
                .await?;
                if let Some(email) = &row.email {
                    outbox::enqueue(&txn, code_lock_mail(row, email, until - now)?, now)
                        .await
                        .map_err(CoreError::from)?;
                }
            }
            txn.commit().await.map_err(CoreError::from)?;
            Ok::<_, CoreError>(lock)
        };
        match outcome.await {
            Ok(Some(until)) => StaffCodeError::Locked { until: until.get() },
            Ok(None) if reason == "replayed" => StaffCodeError::Replayed,
            Ok(None) => StaffCodeError::Wrong,
            Err(error) => StaffCodeError::Core(error),
        }
    }
}

/// A mail to a staff user about their second factor, at `email`.
fn staff_mail(row: &StaffRow, email: &Email, text: MailText) -> NewMessage {
    NewMessage::email(email, text.subject, text.body, Some(&row.caisse_code))
}

fn enrolled_mail(row: &StaffRow, email: &Email) -> Result<NewMessage, CoreError> {
    let text = mails::mail(&TotpEnrolled {
        name: &row.display_name,
        login: &row.login,
    })?;
    Ok(staff_mail(row, email, text))
}

fn code_lock_mail(
    row: &StaffRow,
    email: &Email,
    duration: Duration,
) -> Result<NewMessage, CoreError> {
    let text = mails::mail(&CodeLock {
        name: &row.display_name,
        login: &row.login,
        duration,
    })?;
    Ok(staff_mail(row, email, text))
}

/// Clears a staff user's TOTP secret (a lost or replaced phone) and their pending logins, so
/// they enrol again at their next login; records it in the audit log. Returns the staff id,
/// or `None` when the login is unknown. `now` may still be an `OffsetDateTime` (the command
/// line passes one).
///
/// # Errors
/// When the database fails.
pub async fn reset_totp(
    db: &Db,
    login: &str,
    context: &RequestContext,
    now: impl Into<Instant>,
) -> Result<Option<Uuid>, CoreError> {
    let now = now.into();
    let txn = db.begin().await?;
    let Some(id) = staff::clear_totp(&txn, login.trim()).await? else {
        return Ok(None);
    };
    staff_challenges::delete_for_staff(&txn, id).await?;
    audit::record(
        &txn,
        context,
        Actor::System,
        AuditAction::StaffTotpReset,
        Some(("staff", id)),
        json!({}),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(id))
}

/// Deletes pending logins that ended more than a day ago; returns how many.
///
/// # Errors
/// When the database fails.
pub async fn purge_ended(db: &Db, now: impl Into<Instant>) -> Result<u64, CoreError> {
    Ok(staff_challenges::purge_ended(db, now.into() - Duration::days(1)).await?)
}
