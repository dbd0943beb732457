//! The extra proof before a FranceConnect identity is linked to the one member file it
//! matches: the password of the member's account (checked by the member login, with its
//! lockout), or a 6-digit code sent to the email or mobile on file (attempts counted before
//! each check); then the link, in one transaction with its audit and its mail.

use caisse_domain::AccountStatus;
use caisse_domain::AuditAction;
use caisse_store::members::MemberRecord;
use caisse_store::{TransactionTrait, members, oidc as store};
use serde_json::json;

use super::{FcError, FcLogin, FranceConnect, fc_mails};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::LoginError;
use crate::mails;
use crate::new_device::ConfirmError;
use crate::oidc::open_id_token;
use crate::one_time::Issued;
use crate::tokens::token_digest;

/// Why a proof was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    /// No identity waits for this browser (expired, used, or never matched).
    #[error("nothing to prove")]
    NothingPending,
    /// Wrong password.
    #[error("wrong password")]
    WrongPassword,
    /// The password is locked after failures, until then.
    #[error("locked until {0}")]
    Locked(time::OffsetDateTime),
    /// Wrong code; attempts remain.
    #[error("wrong code")]
    WrongCode,
    /// The code can no longer succeed (expired, out of attempts): start again.
    #[error("code expired")]
    CodeExpired,
    /// The file has neither email nor mobile number to send a code to.
    #[error("no contact for a code")]
    NoContact,
    /// The account is suspended or closed.
    #[error(transparent)]
    Account(FcError),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// What the proof page shows. `Debug` hides the masked contact.
#[derive(Clone)]
pub struct PendingProof {
    /// The member has a portal account: their password is a proof.
    pub has_account: bool,
    /// Where a code would go, masked (« j•••@exemple.fr », « •• •• •• •• 78 »); `None` when
    /// the file has neither.
    pub code_contact: Option<String>,
    /// A code was sent for this identity.
    pub code_sent: bool,
}

impl std::fmt::Debug for PendingProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingProof")
            .field("has_account", &self.has_account)
            .field("code_sent", &self.code_sent)
            .finish_non_exhaustive()
    }
}

impl From<caisse_store::StoreError> for ProofError {
    fn from(error: caisse_store::StoreError) -> Self {
        ProofError::Core(error.into())
    }
}

impl From<crate::mails::TextError> for ProofError {
    fn from(error: crate::mails::TextError) -> Self {
        ProofError::Core(error.into())
    }
}

fn masked_contact(member: &MemberRecord) -> Option<String> {
    if let Some(email) = &member.email {
        let (local, domain) = email.as_str().split_once('@')?;
        let first: String = local.chars().take(1).collect();
        return Some(format!("{first}•••@{domain}"));
    }
    member.phone.as_ref().map(|phone| {
        let digits: String = phone.as_e164().chars().rev().take(2).collect();
        let last: String = digits.chars().rev().collect();
        format!("•• •• •• •• {last}")
    })
}

impl FranceConnect {
    /// What this browser's matched identity waits for, if any.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn pending(&self, browser: &str) -> Result<Option<PendingProof>, CoreError> {
        let Some(pending) = store::pending_of_browser(
            &self.relying.db,
            &token_digest(browser),
            self.relying.clock.instant(),
        )
        .await?
        else {
            return Ok(None);
        };
        let (member, account) = members::with_account(&self.relying.db, pending.member_id)
            .await?
            .ok_or(caisse_store::StoreError::NotFound("member"))?;
        Ok(Some(PendingProof {
            has_account: account.is_some_and(|a| a.status == AccountStatus::Active),
            code_contact: masked_contact(&member),
            code_sent: pending.challenge_id.is_some(),
        }))
    }

    async fn live_pending(&self, browser: &str) -> Result<store::PendingLink, ProofError> {
        store::pending_of_browser(
            &self.relying.db,
            &token_digest(browser),
            self.relying.clock.instant(),
        )
        .await
        .map_err(CoreError::from)?
        .ok_or(ProofError::NothingPending)
    }

    /// The proof by the password of the member's account.
    ///
    /// # Errors
    /// See [`ProofError`]; the password is checked by the member login, with its lockout.
    #[tracing::instrument(name = "franceconnect.prove_with_password", skip_all)]
    pub async fn prove_with_password(
        &self,
        browser: &str,
        password: &str,
        context: &RequestContext,
    ) -> Result<FcLogin, ProofError> {
        let pending = self.live_pending(browser).await?;
        let member = members::find(&self.relying.db, pending.member_id)
            .await?
            .ok_or(CoreError::from(caisse_store::StoreError::NotFound(
                "member",
            )))?;
        match self
            .auth
            .member_login(member.nir.as_str(), password, context)
            .await
        {
            Ok(id) if id == member.id => self.link(pending, browser, context).await,
            Ok(_) | Err(LoginError::InvalidCredentials) => Err(ProofError::WrongPassword),
            Err(LoginError::Locked { until }) => Err(ProofError::Locked(until)),
            Err(LoginError::Suspended) => Err(ProofError::Account(FcError::Suspended)),
            Err(LoginError::Core(error)) => Err(error.into()),
        }
    }

    /// Sends the code of the proof to the email (or mobile) on file, once per matched identity.
    ///
    /// # Errors
    /// See [`ProofError`].
    #[tracing::instrument(name = "franceconnect.send_code", skip_all)]
    pub async fn send_code(
        &self,
        browser: &str,
        context: &RequestContext,
    ) -> Result<(), ProofError> {
        let pending = self.live_pending(browser).await?;
        if pending.challenge_id.is_some() {
            return Ok(());
        }
        let challenge = match self
            .auth
            .send_login_code(pending.member_id, Some(browser), context)
            .await
        {
            Ok(id) => id,
            Err(CoreError::NoCodeContact { .. }) => return Err(ProofError::NoContact),
            Err(error) => return Err(error.into()),
        };
        store::set_pending_challenge(&self.relying.db, pending.id, challenge)
            .await
            .map_err(CoreError::from)?;
        Ok(())
    }

    /// The proof by the code sent.
    ///
    /// # Errors
    /// See [`ProofError`]; attempts are counted before the code is checked.
    #[tracing::instrument(name = "franceconnect.prove_with_code", skip_all)]
    pub async fn prove_with_code(
        &self,
        browser: &str,
        code: &str,
        context: &RequestContext,
    ) -> Result<FcLogin, ProofError> {
        let pending = self.live_pending(browser).await?;
        let challenge = pending.challenge_id.ok_or(ProofError::NothingPending)?;
        match self
            .auth
            .confirm_device(challenge, code, Some(browser), context)
            .await
        {
            Ok(member_id) if member_id == pending.member_id => {
                self.link(pending, browser, context).await
            }
            Ok(_) | Err(ConfirmError::Invalid) => Err(ProofError::WrongCode),
            Err(ConfirmError::Expired) => Err(ProofError::CodeExpired),
            Err(ConfirmError::Core(error)) => Err(error.into()),
        }
    }

    async fn link(
        &self,
        pending: store::PendingLink,
        browser: &str,
        context: &RequestContext,
    ) -> Result<FcLogin, ProofError> {
        let member_id = pending.member_id;
        let id_token = open_id_token(
            &self.relying.seal,
            &pending.sealed_id_token,
            &token_digest(browser),
        )
        .ok_or(ProofError::NothingPending)?;
        let (member, account) = members::with_account(&self.relying.db, member_id)
            .await?
            .ok_or(caisse_store::StoreError::NotFound("member"))?;
        // Hashed before the transaction, and only for a file without an account: it gets one
        // whose password nobody knows (« Mot de passe oublié » sets one).
        let unusable_hash = match account {
            None => Some(self.auth.hasher().hash(&Issued::new()?.token).await?),
            Some(_) => None,
        };
        let now = self.relying.clock.instant();
        let txn = self.relying.db.begin().await.map_err(CoreError::from)?;
        if !store::consume_pending(&txn, pending.id, now)
            .await
            .map_err(CoreError::from)?
        {
            return Err(ProofError::NothingPending);
        }
        match members::find_account(&txn, member_id)
            .await
            .map_err(CoreError::from)?
            .map(|a| a.status)
        {
            // The account seen a moment ago is gone (never in practice): nothing changes, the
            // transaction is dropped.
            None => {
                let Some(password_hash) = unusable_hash else {
                    return Err(ProofError::NothingPending);
                };
                members::create_account(&txn, member_id, password_hash, AccountStatus::Active, now)
                    .await
                    .map_err(CoreError::from)?
            }
            Some(AccountStatus::Active) => {}
            Some(AccountStatus::Pending) => {
                members::set_account_status(&txn, member_id, AccountStatus::Active, now)
                    .await
                    .map_err(CoreError::from)?
            }
            Some(AccountStatus::Suspended) => return Err(ProofError::Account(FcError::Suspended)),
            Some(AccountStatus::Closed) => return Err(ProofError::Account(FcError::Closed)),
        }
        store::insert_link(
            &txn,
            member_id,
            &pending.issuer,
            &pending.subject,
            &pending.acr,
            now,
        )
        .await
        .map_err(CoreError::from)?;
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AuditAction::MemberFranceconnectLinked,
            Some(("member", member_id)),
            json!({ "acr": pending.acr }),
            now,
        )
        .await?;
        if let Some(email) = &member.email {
            self.security_mail(
                &txn,
                &member,
                email,
                mails::mail(&fc_mails::FranceConnectLinked {
                    first_name: &member.first_name,
                })?,
                now,
            )
            .await?;
        }
        txn.commit().await.map_err(CoreError::from)?;
        Ok(FcLogin {
            member_id,
            next: "/".to_owned(),
            id_token,
        })
    }
}
