//! Logging in: members with their NIR and password, staff with their login and password (the
//! first of their two steps: see [`crate::staff_login`]).
//!
//! Every failure answers the same [`LoginError::InvalidCredentials`], after the same work: an
//! unknown identifier is checked against a dummy hash, so neither the answer nor its timing
//! tells whether an account exists. Every attempt is counted in the lockout before its
//! password is checked ([`crate::lockout::reserve`]), so at most the threshold of attempts is
//! ever checked before the lock, however many run at once.

use caisse_domain::AuditAction;
use std::sync::Arc;

use caisse_domain::nir::compute_key;
use caisse_domain::{AccountStatus, CaisseCode, Email, LockoutPolicy, Nir, Release};
use caisse_store::members::MemberRecord;
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{Db, TransactionTrait, members, staff};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;
use crate::lockout;
use crate::mails::{self, security::AccountLocked};
use crate::outbox::OutboxSeal;
use crate::passwords::{PasswordHasherPool, Verification};
use crate::security_mail::{self, SecurityMail, Undo};
use crate::staff_totp::SealingKey;
use crate::suspicion::{self, Suspicion, SuspicionPolicy};

/// Why a login was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown identifier, wrong password or disabled account: one answer for all.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many consecutive failures for this identifier (known or not): no attempt is checked
    /// until `until`.
    #[error("locked until {until}")]
    Locked {
        /// End of the lock.
        until: OffsetDateTime,
    },
    /// The right password, but the fund suspended the account after suspicious activity:
    /// only the owner learns it, so it enumerates nothing.
    #[error("account suspended")]
    Suspended,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Settings of logging in.
#[derive(Clone, Debug)]
pub struct LoginSettings {
    /// Lockout rules.
    pub lockout: LockoutPolicy,
    /// Public base URL, for links in security mails.
    pub base_url: String,
    /// A login from a device not yet trusted must be confirmed with a code sent by email.
    pub new_device_confirmation: bool,
    /// How long such a code is valid.
    pub challenge_ttl: time::Duration,
    /// How long an API token is valid.
    pub api_token_ttl: time::Duration,
    /// When failures on one account are suspicious enough to suspend it.
    pub suspicion: SuspicionPolicy,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            lockout: LockoutPolicy::default(),
            base_url: "http://127.0.0.1:8080".to_owned(),
            new_device_confirmation: true,
            challenge_ttl: time::Duration::minutes(10),
            api_token_ttl: time::Duration::days(30),
            suspicion: SuspicionPolicy::default(),
        }
    }
}

/// Reads the identifier a member types: the 13-character body (what ameli asks for) or the
/// full 15 characters, with or without spaces.
pub fn parse_login_nir(raw: &str) -> Option<Nir> {
    let compact: String = raw
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '.' || *c == '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() == 13 {
        let key = compute_key(&compact)?;
        Nir::parse(&format!("{compact}{key:02}")).ok()
    } else {
        Nir::parse(&compact).ok()
    }
}

/// Checks credentials and records the attempt in the audit log.
#[derive(Clone)]
pub struct Authenticator {
    pub(crate) db: Db,
    hasher: PasswordHasherPool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: LoginSettings,
    /// Seals the staff's TOTP secrets at rest.
    pub(crate) sealing: SealingKey,
    /// Seals the secrets of queued mails (login codes, links).
    pub(crate) outbox_seal: OutboxSeal,
}

impl Authenticator {
    /// An authenticator over this database; `sealing` and `outbox_seal` are derived from the
    /// server key (see [`SealingKey::derive`], [`OutboxSeal::derive`]).
    pub fn new(
        db: Db,
        hasher: PasswordHasherPool,
        clock: Arc<dyn Clock>,
        settings: LoginSettings,
        sealing: SealingKey,
        outbox_seal: OutboxSeal,
    ) -> Authenticator {
        Authenticator {
            db,
            hasher,
            clock,
            settings,
            sealing,
            outbox_seal,
        }
    }

    /// The key sealing the secrets of queued mails (shared with the other use cases).
    pub fn outbox_seal(&self) -> &OutboxSeal {
        &self.outbox_seal
    }

    /// The hashing pool (shared with account creation).
    pub fn hasher(&self) -> &PasswordHasherPool {
        &self.hasher
    }

    /// The settings.
    pub fn settings(&self) -> &LoginSettings {
        &self.settings
    }

    /// Logs a member in; returns their id.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] or [`LoginError::Locked`], identical whether or not
    /// the NIR is known.
    #[tracing::instrument(name = "auth.member_login", skip_all)]
    pub async fn member_login(
        &self,
        nir_input: &str,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let nir = parse_login_nir(nir_input);
        let member = match &nir {
            Some(nir) => members::find_by_nir(&self.db, nir)
                .await
                .map_err(CoreError::from)?,
            None => None,
        };
        let account = match &member {
            Some(m) => members::find_account(&self.db, m.id)
                .await
                .map_err(CoreError::from)?,
            None => None,
        };
        let attempt = Attempt {
            principal: Principal::Member,
            key: lockout::member_key(nir.as_ref(), nir_input),
            known: member.as_ref().map(|m| m.id),
            suspended: account
                .as_ref()
                .is_some_and(|a| a.status == AccountStatus::Suspended),
            usable: account
                .filter(|a| matches!(a.status, AccountStatus::Active | AccountStatus::Suspended))
                .map(|a| (a.member_id, a.password_hash)),
            contact: member.and_then(|m| {
                m.email.map(|email| Contact {
                    email,
                    name: m.first_name,
                    caisse: m.caisse_code,
                })
            }),
        };
        self.conclude(attempt, password, context).await
    }

    /// Checks a staff user's password, the first of their two steps; returns their id.
    ///
    /// The right password does not clear the lockout count: only the code does, so guessing
    /// codes cannot be spread over fresh password steps.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] or [`LoginError::Locked`].
    pub(crate) async fn staff_password(
        &self,
        login: &str,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let row = staff::by_login(&self.db, login.trim())
            .await
            .map_err(CoreError::from)?;
        let attempt = Attempt {
            principal: Principal::Staff,
            key: lockout::staff_key(login),
            known: row.as_ref().map(|s| s.id),
            suspended: false,
            contact: row.as_ref().and_then(|s| {
                s.email.clone().map(|email| Contact {
                    email,
                    name: s.display_name.clone(),
                    caisse: s.caisse_code,
                })
            }),
            usable: row.filter(|s| s.active).map(|s| (s.id, s.password_hash)),
        };
        self.conclude(attempt, password, context).await
    }

    /// Checks the current password a logged-in member types again to confirm a sensitive change
    /// (« Mon profil »). It counts in the same lockout as the login, on the member's NIR.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] for a wrong password, [`LoginError::Locked`].
    pub(crate) async fn confirm_member_password(
        &self,
        member: &MemberRecord,
        password: &str,
        context: &RequestContext,
    ) -> Result<(), LoginError> {
        let account = members::find_account(&self.db, member.id)
            .await
            .map_err(CoreError::from)?;
        let attempt = Attempt {
            principal: Principal::MemberReentry,
            key: lockout::member_key(Some(&member.nir), ""),
            known: Some(member.id),
            suspended: false,
            usable: account
                .filter(|a| a.status == AccountStatus::Active)
                .map(|a| (a.member_id, a.password_hash)),
            contact: member.email.clone().map(|email| Contact {
                email,
                name: member.first_name.clone(),
                caisse: member.caisse_code,
            }),
        };
        self.conclude(attempt, password, context).await.map(|_| ())
    }

    /// Counts the attempt in the lockout first (refused while locked), then verifies the
    /// password against the usable account (or the dummy hash), upgrades an old hash, and
    /// records the attempt. A right password gives its count back; a wrong one that started
    /// the lock mails the account's owner.
    async fn conclude(
        &self,
        attempt: Attempt,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let policy = &self.settings.lockout;
        let (kind, succeeded, failed) = attempt.principal.codes();
        let subject = attempt.known.map(|id| (kind, id));
        let reserved =
            match lockout::reserve(&self.db, policy, &attempt.key, self.clock.instant()).await {
                Ok(reserved) => reserved,
                Err(lockout::Refusal::Locked { until }) => {
                    audit::record(
                        &self.db,
                        context,
                        Actor::Anonymous,
                        attempt.principal.refused_locked(),
                        subject,
                        json!({}),
                        self.clock.instant(),
                    )
                    .await?;
                    return Err(LoginError::Locked { until: until.get() });
                }
                Err(lockout::Refusal::Core(error)) => return Err(error.into()),
            };
        let verification = self
            .hasher
            .verify(
                password,
                attempt.usable.as_ref().map(|(_, hash)| hash.as_str()),
            )
            .await?;
        if let (Verification::Match { needs_rehash }, Some((id, _))) =
            (verification, &attempt.usable)
        {
            let id = *id;
            if needs_rehash && !attempt.suspended {
                let fresh = self.hasher.hash(password).await?;
                let now = self.clock.instant();
                match attempt.principal {
                    Principal::Member | Principal::MemberReentry => {
                        members::set_password_hash(&self.db, id, fresh, now).await
                    }
                    Principal::Staff => staff::set_password_hash(&self.db, id, fresh).await,
                }
                .map_err(CoreError::from)?;
            }
            let now = self.clock.instant();
            let txn = self.db.begin().await.map_err(CoreError::from)?;
            // A member's right password clears the failures before it; a staff user's only
            // gives its own count back (the code clears them), as does a suspended account's.
            let release = match attempt.principal {
                Principal::Member | Principal::MemberReentry if !attempt.suspended => {
                    Release::Success
                }
                _ => Release::Undo,
            };
            lockout::release(&txn, policy, &reserved, release, now).await?;
            let action = if attempt.suspended {
                Some(AuditAction::MemberLoginRefusedSuspended)
            } else {
                succeeded
            };
            if let Some(action) = action {
                let actor = if attempt.suspended {
                    Actor::Anonymous
                } else {
                    attempt.principal.actor(id)
                };
                audit::record(
                    &txn,
                    context,
                    actor,
                    action,
                    Some((kind, id)),
                    json!({}),
                    now,
                )
                .await?;
            }
            txn.commit().await.map_err(CoreError::from)?;
            return if attempt.suspended {
                Err(LoginError::Suspended)
            } else {
                Ok(id)
            };
        }
        let now = self.clock.instant();
        let txn = self.db.begin().await.map_err(CoreError::from)?;
        audit::record(
            &txn,
            context,
            Actor::Anonymous,
            failed,
            subject,
            json!({}),
            now,
        )
        .await?;
        let lock = reserved.lock_started();
        if let Some(until) = lock {
            audit::record(
                &txn,
                context,
                Actor::System,
                attempt.principal.locked(),
                subject,
                json!({ "minutes": (until - now).whole_minutes() }),
                now,
            )
            .await?;
            if let (Some(contact), Some(id)) = (&attempt.contact, attempt.known) {
                let text = mails::mail(&AccountLocked {
                    name: &contact.name,
                    duration: until - now,
                    base_url: &self.settings.base_url,
                })
                .map_err(CoreError::from)?;
                match attempt.principal {
                    // A member may disown the attempts (« Ce n'était pas moi »).
                    Principal::Member | Principal::MemberReentry => {
                        security_mail::enqueue(
                            &txn,
                            &self.outbox_seal,
                            &self.settings.base_url,
                            SecurityMail {
                                member_id: id,
                                caisse: Some(&contact.caisse),
                                recipient: &contact.email,
                                text,
                                undo: Undo::default(),
                            },
                            now,
                        )
                        .await?;
                    }
                    Principal::Staff => {
                        let mail = NewMessage::email(
                            &contact.email,
                            text.subject,
                            text.body,
                            Some(&contact.caisse),
                        );
                        outbox::enqueue(&txn, mail, now)
                            .await
                            .map_err(CoreError::from)?;
                    }
                }
            }
        }
        if let (Principal::Member, Some(id)) = (attempt.principal, attempt.known) {
            suspicion::review(
                &txn,
                &self.settings.suspicion,
                id,
                Suspicion::DistributedFailures,
                context,
                now,
            )
            .await?;
        }
        txn.commit().await.map_err(CoreError::from)?;
        Err(match lock {
            Some(until) => LoginError::Locked { until: until.get() },
            None => LoginError::InvalidCredentials,
        })
    }
}

/// One login attempt, whoever it designates.
struct Attempt {
    principal: Principal,
    /// Throttle key of the identifier typed.
    key: String,
    /// The person the identifier designates, even when they cannot log in.
    known: Option<Uuid>,
    /// Id and password hash of an account that may log in.
    usable: Option<(Uuid, String)>,
    /// The account is suspended: even the right password does not open it.
    suspended: bool,
    /// Where to warn the owner about a lock.
    contact: Option<Contact>,
}

struct Contact {
    email: Email,
    name: String,
    caisse: CaisseCode,
}

#[derive(Clone, Copy)]
enum Principal {
    Member,
    /// A logged-in member typing their password again to confirm a change.
    MemberReentry,
    Staff,
}

impl Principal {
    /// Audit subject kind, success action (if audited here), failure action.
    fn codes(self) -> (&'static str, Option<AuditAction>, AuditAction) {
        match self {
            Principal::Member => (
                "member",
                Some(AuditAction::MemberLoginSucceeded),
                AuditAction::MemberLoginFailed,
            ),
            // The change it confirms is audited by its use case.
            Principal::MemberReentry => (
                "member",
                None,
                AuditAction::MemberPasswordConfirmationFailed,
            ),
            // A staff login succeeds only with the code (`staff.login.succeeded`, in
            // `staff_login`).
            Principal::Staff => (
                "staff",
                Some(AuditAction::StaffLoginPasswordAccepted),
                AuditAction::StaffLoginFailed,
            ),
        }
    }

    fn refused_locked(self) -> AuditAction {
        match self {
            Principal::Member => AuditAction::MemberLoginRefusedLocked,
            Principal::MemberReentry => AuditAction::MemberPasswordConfirmationRefusedLocked,
            Principal::Staff => AuditAction::StaffLoginRefusedLocked,
        }
    }

    fn locked(self) -> AuditAction {
        match self {
            Principal::Member | Principal::MemberReentry => AuditAction::MemberAccountLocked,
            Principal::Staff => AuditAction::StaffAccountLocked,
        }
    }

    fn actor(self, id: Uuid) -> Actor {
        match self {
            Principal::Member | Principal::MemberReentry => Actor::Member(id),
            Principal::Staff => Actor::Staff(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_login_nir;

    #[test]
    fn members_may_type_the_thirteen_character_identifier_or_the_full_number() {
        let full = parse_login_nir("1 85 05 78 006 084 91").unwrap();
        let body = parse_login_nir("1850578006084").unwrap();
        assert_eq!(full, body);
        assert_eq!(
            parse_login_nir("2 93 12 2a 004 123").unwrap().as_str(),
            "293122A00412317"
        );
        assert!(parse_login_nir("185057800608492").is_none(), "wrong key");
        assert!(parse_login_nir("").is_none());
    }
}
