//! « Je crée mon compte »: a member the fund insures proves who they are with their NIR,
//! birth date, carte Vitale serial and the bank details the fund holds, gives an email
//! address and a mobile number, chooses a password, and receives an activation link.
//!
//! Format problems are reported field by field (they say nothing about the member file).
//! Past them, every outcome looks the same to the caller, matched or not, and costs the same
//! hashing work; only the audit log and the mails differ.

use caisse_domain::{
    AccountStatus, AuditAction, Email, Iban, LinkPurpose, Nir, PasswordContext, PhoneNumber,
    VitaleSerial,
};
use caisse_store::TransactionTrait;
use caisse_store::members::{self, MemberRecord};
use caisse_store::outbox::NewMessage;
use serde_json::json;
use time::Date;

use super::ending::{Ending, Notice};
use super::errors::{AccountError, FormProblem};
use super::{Accounts, activation::ActivationPayload};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::parse_login_nir;
use crate::mails::{
    self,
    account::{ActivationLink, AlreadyRegistered},
};
use crate::one_time::{self, LinkKind};
use crate::outbox::{Secret, enqueue_with_secrets};
use crate::password_reset::validation::problems_with;

/// What the member typed on the registration form.
#[derive(Clone, Copy)]
pub struct Registration<'a> {
    /// NIR (13 or 15 characters).
    pub nir: &'a str,
    /// Birth date, when the form's date parsed.
    pub birth_date: Option<Date>,
    /// Carte Vitale serial number.
    pub vitale_serial: &'a str,
    /// IBAN of the bank details already given to the fund.
    pub iban: &'a str,
    /// Email address for the account.
    pub email: &'a str,
    /// Mobile number.
    pub phone: &'a str,
    /// Chosen password.
    pub password: &'a str,
    /// Its confirmation.
    pub confirmation: &'a str,
    /// The terms of use were accepted.
    pub accepts_terms: bool,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for Registration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("accepts_terms", &self.accepts_terms)
            .finish_non_exhaustive()
    }
}

/// A registration whose every field has the right form.
struct Parsed {
    nir: Nir,
    birth_date: Date,
    vitale_serial: VitaleSerial,
    iban: Iban,
    email: Email,
    phone: PhoneNumber,
}

impl Accounts {
    /// Registers: checks the form, then, if the identity matches the member file and no
    /// account is open, creates a pending account and mails an activation link to the
    /// address given. Returns `Ok` for every well-formed request, matched or not.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] with every format problem, or an unexpected failure.
    #[tracing::instrument(name = "accounts.register", skip_all)]
    pub async fn register(
        &self,
        form: Registration<'_>,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let parsed = self.parse_registration(&form)?;
        // Hash before looking anything up: the work, hence the time, is the same whether
        // the identity matches or not.
        let password_hash = self.hasher.hash(form.password).await?;
        let now = self.clock.instant();
        let Some(member) = self.matching_member(&parsed).await? else {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberRegistrationUnmatched,
                None,
                json!({}),
                now,
            )
            .await?;
            return Ok(());
        };
        let subject = Some(("member", member.id));
        let account = members::find_account(&self.db, member.id).await?;
        let open = account
            .as_ref()
            .is_some_and(|a| a.status != AccountStatus::Pending);
        if open {
            // Already an account (or a closed one, reopened by a provisional code): tell
            // the owner, at the address on file, not the requester.
            let txn = self.db.begin().await?;
            let ending = Ending::about(
                Actor::Anonymous,
                AuditAction::MemberRegistrationAlreadyOpen,
                Some(member.id),
            )
            .telling(Notice::to_member(
                &member,
                mails::mail(&AlreadyRegistered {
                    first_name: &member.first_name,
                    base_url: self.base_url(),
                    fund: self.fund_name(&member),
                })
                .map_err(CoreError::from)?,
            ));
            self.finish(txn, context, ending, now).await?;
            return Ok(());
        }
        if members::email_taken_by_other(&self.db, &parsed.email, member.id).await? {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberRegistrationEmailTaken,
                subject,
                json!({}),
                now,
            )
            .await?;
            return Ok(());
        }
        let payload = ActivationPayload::new(&parsed.email, &parsed.phone);
        let txn = self.db.begin().await?;
        members::put_pending_account(&txn, member.id, password_hash, account.is_some(), now)
            .await?;
        // One live activation link: registering again replaces the earlier one.
        let token = one_time::issue_link(
            &txn,
            LinkKind::Account(LinkPurpose::Activation),
            member.id,
            Some(payload.to_json()?),
            self.settings.link_ttl,
            true,
            now,
        )
        .await?;
        let text = mails::mail(&ActivationLink {
            link: self.one_time_link(&member, &token),
        })
        .map_err(CoreError::from)?;
        enqueue_with_secrets(
            &txn,
            &self.seal,
            NewMessage::email(
                &parsed.email,
                text.subject,
                text.body,
                Some(&member.caisse_code),
            ),
            &[Secret::Link(&token)],
            now,
        )
        .await?;
        let ending = Ending::about(
            Actor::Anonymous,
            AuditAction::MemberRegistrationRequested,
            Some(member.id),
        );
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Every format problem of the form, or the parsed values.
    fn parse_registration(&self, form: &Registration<'_>) -> Result<Parsed, AccountError> {
        let mut problems = Vec::new();
        let nir = match parse_login_nir(form.nir) {
            Some(nir) if nir.is_temporary() => {
                problems.push(FormProblem::new(
                    "nir",
                    caisse_domain::NirError::TemporaryNumber.message_fr(),
                ));
                None
            }
            Some(nir) => Some(nir),
            None => {
                let message = match Nir::parse(form.nir) {
                    Err(error) => error.message_fr(),
                    Ok(_) => caisse_domain::NirError::KeyMismatch.message_fr(),
                };
                problems.push(FormProblem::new("nir", message));
                None
            }
        };
        if form.birth_date.is_none() {
            problems.push(FormProblem::new(
                "birth_date",
                "Saisissez votre date de naissance (jour, mois, année).",
            ));
        }
        let vitale_serial = VitaleSerial::parse(form.vitale_serial)
            .map_err(|e| problems.push(FormProblem::new("vitale_serial", e.message_fr())))
            .ok();
        let iban = Iban::parse(form.iban)
            .map_err(|e| problems.push(FormProblem::new("iban", e.message_fr())))
            .ok();
        let email = Email::parse(form.email)
            .map_err(|e| problems.push(FormProblem::new("email", e.message_fr())))
            .ok();
        let phone = PhoneNumber::parse(form.phone)
            .map_err(|e| problems.push(FormProblem::new("phone", e.message_fr())))
            .ok();
        let context = PasswordContext {
            nir: nir.as_ref(),
            birth_date: form.birth_date,
            email: email.as_ref(),
        };
        let mut words: Vec<String> = Vec::new();
        words.extend(nir.iter().map(|n| n.as_str().to_owned()));
        words.extend(email.iter().map(|e| e.as_str().to_owned()));
        words.extend(email.iter().map(|e| e.local_part().to_owned()));
        problems.extend(
            problems_with(
                &self.policy,
                &context,
                &words,
                form.password,
                form.confirmation,
            )
            .iter()
            .map(FormProblem::from_password),
        );
        if !form.accepts_terms {
            problems.push(FormProblem::new(
                "terms",
                "Pour créer votre compte, acceptez les conditions générales d'utilisation.",
            ));
        }
        match (nir, form.birth_date, vitale_serial, iban, email, phone) {
            (
                Some(nir),
                Some(birth_date),
                Some(vitale_serial),
                Some(iban),
                Some(email),
                Some(phone),
            ) if problems.is_empty() => Ok(Parsed {
                nir,
                birth_date,
                vitale_serial,
                iban,
                email,
                phone,
            }),
            _ => Err(AccountError::Invalid(problems)),
        }
    }

    /// The member the identity designates, when every factor matches the file: birth date,
    /// carte Vitale serial and bank details. A file without a serial or an IBAN cannot match
    /// online; that member asks for a provisional code by post.
    async fn matching_member(&self, parsed: &Parsed) -> Result<Option<MemberRecord>, CoreError> {
        let Some(member) = members::find_by_nir(&self.db, &parsed.nir).await? else {
            return Ok(None);
        };
        let matches = member.birth_date == parsed.birth_date
            && member.vitale_serial.as_ref() == Some(&parsed.vitale_serial)
            && member.iban.as_ref() == Some(&parsed.iban);
        Ok(matches.then_some(member))
    }
}
