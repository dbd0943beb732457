//! Confirming a login from a new device with a 6-digit code sent by email (ameli does this
//! since 2023), and remembering devices the member chose to trust.
//!
//! A challenge is bound to the browser that typed the password (a digest of its cookie) when
//! there is one, allows five attempts, lasts ten minutes and is used once. Each attempt is
//! counted before its code is checked, so parallel guesses never get more than five checks.

use caisse_domain::{AuditAction, Email, PhoneNumber};
use caisse_store::outbox::NewMessage;
use caisse_store::{TransactionTrait, devices, members};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::Authenticator;
use crate::mails::{
    self,
    security::{CodePurpose, CodeSms, LoginCode},
};
use crate::one_time::{self, CodeAttempt, Issued, six_digits};
use crate::outbox::{Secret, enqueue_with_secrets};
use crate::security_mail::{self, SecurityMail, Undo};
use crate::tokens::token_digest;

/// Where a login code goes.
enum CodeChannel {
    Email(Email),
    Sms(PhoneNumber),
}

/// Attempts allowed per challenge (each counted before its code is checked).
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// What happens after the right password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterPassword {
    /// Trusted device, or confirmation disabled: open the session.
    Proceed,
    /// A code was mailed; the member must type it.
    Challenge(Uuid),
}

/// Why a code was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// Wrong code (attempts remain) or unknown challenge.
    #[error("invalid code")]
    Invalid,
    /// Expired, used, or out of attempts: log in again.
    #[error("challenge expired")]
    Expired,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

fn code_digest(challenge_member: Uuid, code: &str) -> String {
    token_digest(&format!("{challenge_member}:{}", code.trim()))
}

fn same(a: &str, b: &str) -> bool {
    // Compare digests of both so the comparison time does not depend on the common prefix.
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

impl Authenticator {
    /// Whether logins from new devices need a code.
    pub fn new_device_confirmation(&self) -> bool {
        self.settings.new_device_confirmation
    }

    /// Decides whether a member who typed the right password may proceed or must confirm, and
    /// mails the code in the latter case. `device_token` is the trusted-device token the client
    /// presented; `binding` identifies the browser (a cookie value) when there is one.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "auth.check_device", skip_all, fields(%member_id))]
    pub async fn check_device(
        &self,
        member_id: Uuid,
        device_token: Option<&str>,
        binding: Option<&str>,
        context: &RequestContext,
    ) -> Result<AfterPassword, CoreError> {
        if !self.settings.new_device_confirmation {
            return Ok(AfterPassword::Proceed);
        }
        let now = self.clock.instant();
        if let Some(token) = device_token
            && devices::use_trusted(&self.db, &token_digest(token), member_id, now).await?
        {
            return Ok(AfterPassword::Proceed);
        }
        self.send_login_code(member_id, binding, context)
            .await
            .map(AfterPassword::Challenge)
    }

    /// Sends a member a login code (by email, or by SMS when their file has only a mobile
    /// number) bound to `binding`'s browser; returns the challenge the code answers. Also the
    /// extra proof before a FranceConnect identity is linked.
    ///
    /// # Errors
    /// [`CoreError::NoCodeContact`] when the file has neither; when the database fails.
    pub(crate) async fn send_login_code(
        &self,
        member_id: Uuid,
        binding: Option<&str>,
        context: &RequestContext,
    ) -> Result<Uuid, CoreError> {
        let now = self.clock.instant();
        let member = members::find(&self.db, member_id)
            .await?
            .ok_or(caisse_store::StoreError::NotFound("member"))?;
        // The code goes by email; a member whose file has only a mobile number (an account
        // opened with a provisional code) gets it by SMS.
        let channel = match (member.email.clone(), member.phone.clone()) {
            (Some(email), _) => CodeChannel::Email(email),
            (None, Some(phone)) => CodeChannel::Sms(phone),
            (None, None) => return Err(CoreError::NoCodeContact { member_id }),
        };
        let code = six_digits()?;
        let txn = self.db.begin().await?;
        let id = devices::insert_challenge(
            &txn,
            devices::NewChallenge {
                member_id,
                code_hash: code_digest(member_id, &code),
                binding: binding.map(token_digest),
                expires_at: now + self.settings.challenge_ttl,
            },
            now,
        )
        .await?;
        let minutes = self.settings.challenge_ttl.whole_minutes();
        match channel {
            CodeChannel::Email(recipient) => {
                security_mail::enqueue_carrying(
                    &txn,
                    &self.outbox_seal,
                    &self.settings.base_url,
                    SecurityMail {
                        member_id,
                        caisse: Some(&member.caisse_code),
                        recipient: &recipient,
                        text: mails::mail(&LoginCode {
                            first_name: &member.first_name,
                            code: &code,
                            minutes,
                            base_url: &self.settings.base_url,
                        })?,
                        undo: Undo::default(),
                    },
                    &[Secret::Code(&code)],
                    now,
                )
                .await?;
            }
            CodeChannel::Sms(phone) => {
                enqueue_with_secrets(
                    &txn,
                    &self.outbox_seal,
                    NewMessage::sms(
                        &phone,
                        mails::sms(&CodeSms {
                            purpose: CodePurpose::Login,
                            code: &code,
                            minutes,
                        })?,
                        Some(&member.caisse_code),
                    ),
                    &[Secret::Code(&code)],
                    now,
                )
                .await?;
            }
        }
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AuditAction::MemberLoginCodeSent,
            Some(("member", member_id)),
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Checks a code; returns the member it logs in.
    ///
    /// # Errors
    /// [`ConfirmError::Invalid`] for a wrong code, [`ConfirmError::Expired`] when the challenge
    /// can no longer succeed.
    #[tracing::instrument(name = "auth.confirm_device", skip_all, fields(%challenge_id))]
    pub async fn confirm_device(
        &self,
        challenge_id: Uuid,
        code: &str,
        binding: Option<&str>,
        context: &RequestContext,
    ) -> Result<Uuid, ConfirmError> {
        let now = self.clock.instant();
        let Some(challenge) = devices::challenge(&self.db, challenge_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Err(ConfirmError::Invalid);
        };
        if challenge.binding.is_some() && challenge.binding != binding.map(token_digest) {
            return Err(ConfirmError::Invalid);
        }
        let member_id = challenge.member_id;
        // Counted before the code is checked: however many guesses run at once, at most
        // MAX_CODE_ATTEMPTS are ever compared.
        let attempt = one_time::attempt_code(
            &self.db,
            challenge.code(),
            MAX_CODE_ATTEMPTS,
            now,
            async || Ok(same(&code_digest(member_id, code), &challenge.code_hash)),
        )
        .await?;
        match attempt {
            CodeAttempt::Right => {}
            CodeAttempt::Exhausted => return Err(ConfirmError::Expired),
            CodeAttempt::Wrong { last } => {
                audit::record(
                    &self.db,
                    context,
                    Actor::Anonymous,
                    AuditAction::MemberLoginCodeRefused,
                    Some(("member", member_id)),
                    json!({}),
                    now,
                )
                .await?;
                return Err(if last {
                    ConfirmError::Expired
                } else {
                    ConfirmError::Invalid
                });
            }
        }
        if !one_time::consume_code(&self.db, challenge.code(), now).await? {
            return Err(ConfirmError::Expired);
        }
        audit::record(
            &self.db,
            context,
            Actor::Member(member_id),
            AuditAction::MemberLoginCodeConfirmed,
            Some(("member", member_id)),
            json!({}),
            now,
        )
        .await?;
        Ok(member_id)
    }

    /// Remembers a device for a member; returns the token the device must present next time.
    ///
    /// # Errors
    /// When randomness or the database fails.
    #[tracing::instrument(name = "auth.trust_device", skip_all, fields(%member_id))]
    pub async fn trust_device(
        &self,
        member_id: Uuid,
        label: &str,
        context: &RequestContext,
    ) -> Result<String, CoreError> {
        let issued = Issued::new()?;
        let now = self.clock.instant();
        devices::trust(&self.db, issued.digest, member_id, label, now).await?;
        audit::record(
            &self.db,
            context,
            Actor::Member(member_id),
            AuditAction::MemberDeviceTrusted,
            Some(("member", member_id)),
            json!({ "label": label }),
            now,
        )
        .await?;
        Ok(issued.token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_digest_depends_on_the_member_and_ignores_surrounding_spaces() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        assert_eq!(code_digest(a, " 123456 "), code_digest(a, "123456"));
        assert_ne!(code_digest(a, "123456"), code_digest(b, "123456"));
        assert!(same("x", "x") && !same("x", "y"));
    }
}
