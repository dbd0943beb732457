//! The member changes their own data from « Mon profil »: password, email address (confirmed
//! by a link sent to the new address, the old one notified), mobile number (confirmed by an
//! SMS code), postal address, notification preferences. Changes of what could hand the
//! account to someone else ask for the current password first.

use caisse_domain::{AuditAction, Email, Instant, LinkPurpose, PhoneNumber, SubjectKind};
use caisse_store::members::{self, ContactChange, MemberRecord};
use caisse_store::one_time::spend_unused_links;
use caisse_store::outbox::NewMessage;
use caisse_store::{TransactionTrait, api_tokens, contact_codes, sessions};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::Accounts;
use super::ending::{Ending, Notice};
use super::errors::{AccountError, FormProblem};
use crate::CoreError;
use crate::audit::RequestContext;
use crate::auth::LoginError;
use crate::mails;
use crate::mails::profile::{
    AddressChanged, EmailChangeLink, EmailChangeRequested, EmailTaken, PasswordChanged,
    PhoneChanged,
};
use crate::mails::security::{CodePurpose, CodeSms};
use crate::one_time::{self, CodeAttempt, LinkKind, six_digits};
use crate::outbox::{Secret, enqueue_with_secrets};
use crate::password_reset::validation;
use crate::security_mail::{self, SecurityMail, Undo};
use crate::tokens::token_digest;

/// An address belongs to one person.
const EMAIL_TAKEN: &str = "Cette adresse e-mail est déjà utilisée par un autre compte : chaque compte a sa propre adresse.";

/// Attempts allowed on an SMS code (each counted before the code is checked).
pub const MAX_SMS_ATTEMPTS: u32 = 5;

/// The email-change link's kind.
const EMAIL_CHANGE: LinkKind = LinkKind::Account(LinkPurpose::EmailChange);

/// A postal address as typed.
#[derive(Clone, Copy)]
pub struct AddressForm<'a> {
    /// Street line.
    pub line1: &'a str,
    /// Complement.
    pub line2: &'a str,
    /// Postal code (5 digits).
    pub postal_code: &'a str,
    /// City.
    pub city: &'a str,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for AddressForm<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddressForm").finish_non_exhaustive()
    }
}

/// The email-change link's payload: the address to confirm, and the one it replaces.
#[derive(Serialize, Deserialize)]
struct EmailChangePayload {
    email: String,
    previous: Option<String>,
}

impl EmailChangePayload {
    /// The address to confirm.
    fn email(&self) -> Result<Email, CoreError> {
        Email::parse(&self.email).map_err(|_| CoreError::UnreadablePayload {
            what: "email change payload",
        })
    }
}

impl Accounts {
    /// The member's file, or `NothingToDo` when it vanished.
    pub(super) async fn member(&self, member_id: Uuid) -> Result<MemberRecord, AccountError> {
        members::find(&self.db, member_id)
            .await?
            .ok_or(AccountError::NothingToDo)
    }

    /// Checks the current password typed to confirm a sensitive change. It counts in the same
    /// lockout as the login: a wrong one is a failure, and while locked nothing is checked.
    pub(super) async fn confirm_password(
        &self,
        member: &MemberRecord,
        password: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        match self
            .auth
            .confirm_member_password(member, password, context)
            .await
        {
            Ok(()) => Ok(()),
            Err(LoginError::InvalidCredentials | LoginError::Suspended) => {
                Err(AccountError::WrongPassword)
            }
            Err(LoginError::Locked { until }) => Err(AccountError::Locked { until }),
            Err(LoginError::Core(error)) => Err(error.into()),
        }
    }

    /// Changes the password. Every other session and every API token is revoked; the session
    /// in use (`current_session`, its token hash) stays open.
    ///
    /// # Errors
    /// [`AccountError::WrongPassword`] or [`AccountError::Invalid`] with the new password's
    /// problems.
    #[tracing::instrument(name = "accounts.change_password", skip_all, fields(%member_id))]
    pub async fn change_password(
        &self,
        member_id: Uuid,
        current: &str,
        new: &str,
        confirmation: &str,
        current_session: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let member = self.member(member_id).await?;
        let problems = validation::problems(&self.policy, &member, new, confirmation);
        if !problems.is_empty() {
            return Err(AccountError::Invalid(
                problems.iter().map(FormProblem::from_password).collect(),
            ));
        }
        self.confirm_password(&member, current, context).await?;
        let hash = self.hasher.hash(new).await?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        members::set_password_hash(&txn, member_id, hash, now).await?;
        sessions::revoke_others(&txn, SubjectKind::Member, member_id, current_session, now).await?;
        api_tokens::revoke_all(&txn, member_id, now).await?;
        let text = mails::mail(&PasswordChanged {
            first_name: &member.first_name,
        })
        .map_err(CoreError::from)?;
        let ending = Ending::by_member(member_id, AuditAction::MemberPasswordChanged)
            .telling(Notice::to_member(&member, text));
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Asks to change the email address: a link goes to the new address (valid
    /// [`super::AccountSettings::link_ttl`]); the old address is told, with a « Ce n'était
    /// pas moi » link.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] (malformed, same as now, or used by another account —
    /// an address belongs to one person) or [`AccountError::WrongPassword`].
    #[tracing::instrument(name = "accounts.request_email_change", skip_all, fields(%member_id))]
    pub async fn request_email_change(
        &self,
        member_id: Uuid,
        current_password: &str,
        new_email: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let email = Email::parse(new_email)
            .map_err(|e| AccountError::Invalid(vec![FormProblem::new("email", e.message_fr())]))?;
        let member = self.member(member_id).await?;
        if member
            .email
            .as_ref()
            .is_some_and(|old| old.as_str().eq_ignore_ascii_case(email.as_str()))
        {
            return Err(AccountError::Invalid(vec![FormProblem::new(
                "email",
                "C'est déjà votre adresse e-mail.",
            )]));
        }
        self.confirm_password(&member, current_password, context)
            .await?;
        // An address another account uses is answered as a free one (no oracle of who is a
        // member): its owner is told instead, and nothing changes on either account.
        if let Some(holder) = members::other_holder_of_email(&self.db, &email, member_id).await? {
            let now = self.clock.instant();
            let txn = self.db.begin().await?;
            spend_unused_links(&txn, EMAIL_CHANGE, member_id, now).await?;
            self.tell_holder_of_email(&txn, &holder, now).await?;
            self.notify_old_email(&txn, &member, now).await?;
            let ending = Ending::by_member(member_id, AuditAction::MemberEmailChangeRefusedTaken);
            self.finish(txn, context, ending, now).await?;
            return Ok(());
        }
        let payload = serde_json::to_string(&EmailChangePayload {
            email: email.as_str().to_owned(),
            previous: member.email.as_ref().map(|e| e.as_str().to_owned()),
        })
        .map_err(CoreError::from)?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let token = one_time::issue_link(
            &txn,
            EMAIL_CHANGE,
            member_id,
            Some(payload),
            self.settings.link_ttl,
            true,
            now,
        )
        .await?;
        let text = mails::mail(&EmailChangeLink {
            link: self.one_time_link(&member, &token),
        })
        .map_err(CoreError::from)?;
        enqueue_with_secrets(
            &txn,
            &self.seal,
            NewMessage::email(&email, text.subject, text.body, Some(&member.caisse_code)),
            &[Secret::Link(&token)],
            now,
        )
        .await?;
        self.notify_old_email(&txn, &member, now).await?;
        let ending = Ending::by_member(member_id, AuditAction::MemberEmailChangeRequested);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Tells the address on file that a change of it was asked, with « Ce n'était pas moi »
    /// (which puts it back).
    async fn notify_old_email(
        &self,
        txn: &caisse_store::Tx,
        member: &MemberRecord,
        now: Instant,
    ) -> Result<(), CoreError> {
        if let Some(old) = &member.email {
            security_mail::enqueue(
                txn,
                &self.seal,
                self.base_url(),
                SecurityMail {
                    member_id: member.id,
                    caisse: Some(&member.caisse_code),
                    recipient: old,
                    text: mails::mail(&EmailChangeRequested {
                        first_name: &member.first_name,
                    })?,
                    undo: Undo::email(old),
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Tells the owner of an address that another account asked to use it: it stays theirs,
    /// nothing changed.
    async fn tell_holder_of_email(
        &self,
        txn: &caisse_store::Tx,
        holder: &MemberRecord,
        now: Instant,
    ) -> Result<(), CoreError> {
        let Some(recipient) = &holder.email else {
            return Ok(());
        };
        let text = mails::mail(&EmailTaken {
            first_name: &holder.first_name,
            fund: self.fund_name(holder),
        })?;
        caisse_store::outbox::enqueue(
            txn,
            NewMessage::email(
                recipient,
                text.subject,
                text.body,
                Some(&holder.caisse_code),
            ),
            now,
        )
        .await?;
        Ok(())
    }

    /// Checks that an email-confirmation link can be used (before showing its page).
    ///
    /// # Errors
    /// [`AccountError::Unusable`].
    #[tracing::instrument(name = "accounts.check_email_change", skip_all)]
    pub async fn check_email_change(&self, token: &str) -> Result<(), AccountError> {
        self.live_link(token, LinkPurpose::EmailChange)
            .await
            .map(|_| ())
    }

    /// Confirms a new email address through its link; returns the member's id.
    ///
    /// # Errors
    /// [`AccountError::Unusable`], or [`AccountError::Invalid`] when another account took the
    /// address since the request.
    #[tracing::instrument(name = "accounts.confirm_email_change", skip_all)]
    pub async fn confirm_email_change(
        &self,
        token: &str,
        context: &RequestContext,
    ) -> Result<Uuid, AccountError> {
        let (link, member) = self.live_link(token, LinkPurpose::EmailChange).await?;
        let payload: EmailChangePayload = link
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or(CoreError::UnreadablePayload {
                what: "email change payload",
            })?;
        let email = payload.email()?;
        // Checked again: another account may have taken the address since the request.
        if members::email_taken_by_other(&self.db, &email, member.id).await? {
            return Err(AccountError::Invalid(vec![FormProblem::new(
                "email",
                EMAIL_TAKEN,
            )]));
        }
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        if !one_time::consume_link(&txn, EMAIL_CHANGE, &link, now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        members::change_contact(&txn, member.id, ContactChange::Email(email), now).await?;
        let ending = Ending::by_member(member.id, AuditAction::MemberEmailChanged);
        self.finish(txn, context, ending, now).await?;
        Ok(member.id)
    }

    /// Sends a 6-digit code by SMS to a new mobile number, after the current password (an SMS
    /// goes to any number typed, and costs): at most
    /// [`super::AccountSettings::sms_codes_per_hour`] and `sms_codes_per_day` codes per member,
    /// counted while the member's account row is held, so parallel requests cannot pass them.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] when the number is not a French mobile number,
    /// [`AccountError::WrongPassword`], [`AccountError::Locked`] or
    /// [`AccountError::TooManyCodes`].
    #[tracing::instrument(name = "accounts.request_phone_change", skip_all, fields(%member_id))]
    pub async fn request_phone_change(
        &self,
        member_id: Uuid,
        current_password: &str,
        new_phone: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let phone = PhoneNumber::parse(new_phone)
            .map_err(|e| AccountError::Invalid(vec![FormProblem::new("phone", e.message_fr())]))?;
        let member = self.member(member_id).await?;
        self.confirm_password(&member, current_password, context)
            .await?;
        let code = six_digits()?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        if !members::hold_account(&txn, member_id).await? {
            return Err(AccountError::NothingToDo);
        }
        let day = time::Duration::days(1);
        let sent = contact_codes::sent_since(&txn, member_id, now - day).await?;
        let hour = time::Duration::hours(1);
        let last_hour: Vec<_> = sent.iter().filter(|at| **at > now - hour).collect();
        let retry_at = match (sent.first(), last_hour.first()) {
            (Some(first), _) if sent.len() as u64 >= self.settings.sms_codes_per_day => {
                Some(*first + day)
            }
            (_, Some(first)) if last_hour.len() as u64 >= self.settings.sms_codes_per_hour => {
                Some(**first + hour)
            }
            _ => None,
        };
        if let Some(retry_at) = retry_at {
            let ending = Ending::by_member(member_id, AuditAction::MemberPhoneCodeThrottled);
            self.finish(txn, context, ending, now).await?;
            return Err(AccountError::TooManyCodes {
                retry_at: retry_at.get(),
            });
        }
        contact_codes::replace(
            &txn,
            member_id,
            &phone,
            token_digest(&format!("{member_id}:{code}")),
            now + self.settings.sms_code_ttl,
            now,
        )
        .await?;
        enqueue_with_secrets(
            &txn,
            &self.seal,
            NewMessage::sms(
                &phone,
                mails::sms(&CodeSms {
                    purpose: CodePurpose::PhoneConfirmation,
                    code: &code,
                    minutes: self.settings.sms_code_ttl.whole_minutes(),
                })
                .map_err(CoreError::from)?,
                Some(&member.caisse_code),
            ),
            &[Secret::Code(&code)],
            now,
        )
        .await?;
        let ending = Ending::by_member(member_id, AuditAction::MemberPhoneCodeSent);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// The number waiting for its SMS code, if any (formatted for display).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.pending_phone", skip_all, fields(%member_id))]
    pub async fn pending_phone(&self, member_id: Uuid) -> Result<Option<String>, CoreError> {
        Ok(
            contact_codes::live(&self.db, member_id, self.clock.instant())
                .await?
                .filter(|c| c.attempts < MAX_SMS_ATTEMPTS)
                .map(|c| c.target.formatted_national().to_owned()),
        )
    }

    /// Confirms the new mobile number with the SMS code.
    ///
    /// # Errors
    /// [`AccountError::Unusable`] (wrong, expired or no code) or
    /// [`AccountError::TooManyAttempts`].
    #[tracing::instrument(name = "accounts.confirm_phone_change", skip_all, fields(%member_id))]
    pub async fn confirm_phone_change(
        &self,
        member_id: Uuid,
        code: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let now = self.clock.instant();
        let live = contact_codes::live(&self.db, member_id, now)
            .await?
            .ok_or(AccountError::Unusable)?;
        let typed: String = code.chars().filter(char::is_ascii_digit).collect();
        // Counted before the code is checked: parallel guesses never get more checks.
        let attempt =
            one_time::attempt_code(&self.db, live.code(), MAX_SMS_ATTEMPTS, now, async || {
                Ok(token_digest(&format!("{member_id}:{typed}")) == live.code_hash)
            })
            .await?;
        match attempt {
            CodeAttempt::Right => {}
            CodeAttempt::Exhausted => return Err(AccountError::TooManyAttempts),
            CodeAttempt::Wrong { last } => {
                let txn = self.db.begin().await?;
                let ending = Ending::by_member(member_id, AuditAction::MemberPhoneCodeRefused);
                self.finish(txn, context, ending, now).await?;
                return Err(if last {
                    AccountError::TooManyAttempts
                } else {
                    AccountError::Unusable
                });
            }
        }
        let member = self.member(member_id).await?;
        let txn = self.db.begin().await?;
        if !one_time::consume_code(&txn, live.code(), now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        members::change_contact(&txn, member_id, ContactChange::Phone(live.target), now).await?;
        let text = mails::mail(&PhoneChanged {
            first_name: &member.first_name,
        })
        .map_err(CoreError::from)?;
        let notice = Notice {
            undo: Undo::phone(member.phone.as_ref()),
            ..Notice::to_member(&member, text)
        };
        let ending = Ending::by_member(member_id, AuditAction::MemberPhoneChanged).telling(notice);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Changes the postal address (where provisional codes go, hence the password).
    ///
    /// # Errors
    /// [`AccountError::Invalid`] or [`AccountError::WrongPassword`].
    #[tracing::instrument(name = "accounts.change_address", skip_all, fields(%member_id))]
    pub async fn change_address(
        &self,
        member_id: Uuid,
        current_password: &str,
        form: AddressForm<'_>,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let mut problems = Vec::new();
        let line1 = form.line1.trim();
        let city = form.city.trim();
        let postal_code: String = form
            .postal_code
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if line1.is_empty() || line1.chars().count() > 100 {
            problems.push(FormProblem::new(
                "line1",
                "Saisissez le numéro et le nom de la voie (100 caractères au plus).",
            ));
        }
        if form.line2.trim().chars().count() > 100 {
            problems.push(FormProblem::new(
                "line2",
                "Le complément d'adresse fait 100 caractères au plus.",
            ));
        }
        if postal_code.len() != 5 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(FormProblem::new(
                "postal_code",
                "Le code postal comporte 5 chiffres.",
            ));
        }
        if city.is_empty() || city.chars().count() > 60 {
            problems.push(FormProblem::new(
                "city",
                "Saisissez la commune (60 caractères au plus).",
            ));
        }
        if !problems.is_empty() {
            return Err(AccountError::Invalid(problems));
        }
        let member = self.member(member_id).await?;
        self.confirm_password(&member, current_password, context)
            .await?;
        let now = self.clock.instant();
        let line2 = Some(form.line2.trim().to_owned()).filter(|l| !l.is_empty());
        let txn = self.db.begin().await?;
        members::change_contact(
            &txn,
            member_id,
            ContactChange::Address {
                line1: line1.to_owned(),
                line2,
                postal_code,
                city: city.to_uppercase(),
            },
            now,
        )
        .await?;
        let text = mails::mail(&AddressChanged {
            first_name: &member.first_name,
        })
        .map_err(CoreError::from)?;
        let ending = Ending::by_member(member_id, AuditAction::MemberAddressChanged)
            .telling(Notice::to_member(&member, text));
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Sets how the member wants to be told about replies and news.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(
        name = "accounts.set_notifications",
        skip_all,
        fields(%member_id, by_email = by_email, by_sms = by_sms)
    )]
    pub async fn set_notifications(
        &self,
        member_id: Uuid,
        by_email: bool,
        by_sms: bool,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        members::set_notifications(&txn, member_id, by_email, by_sms, now).await?;
        let ending = Ending::by_member(member_id, AuditAction::MemberNotificationsChanged)
            .details(json!({ "email": by_email, "sms": by_sms }));
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }
}
