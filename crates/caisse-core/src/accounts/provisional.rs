//! Provisional codes sent by post (« code provisoire »): the way in for a member without
//! their carte Vitale at hand, who forgot everything, or who closed their account. The code
//! goes to the postal address on file, so knowing someone's NIR and birth date is never
//! enough. The member types the NIR and the code, chooses a definitive password, and is in.
//!
//! Letters wait in a print queue that supervisors and administrators of the member's fund (the
//! role that prints) download as one PDF per batch, each download audited with the members
//! whose letters it holds; another fund's staff see neither the letters nor the batches. Their
//! content (the code in clear) is erased a week after batching. Codes are stored as Argon2id
//! hashes.

use caisse_domain::{AccountStatus, AuditAction, LetterKind, Release, SubjectKind};
use caisse_store::members::MemberRecord;
use caisse_store::{
    TransactionTrait, api_tokens, devices, members, postal_letters, provisional_codes, sessions,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, Duration};
use uuid::Uuid;

use super::Accounts;
use super::ending::{Ending, Notice};
use super::errors::{AccountError, FormProblem};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::parse_login_nir;
use crate::lockout;
use crate::mails::{
    self,
    account::{ProvisionalCodeSent, ProvisionalCodeUsed},
};
use crate::one_time::{self, CodeAttempt};
use crate::passwords::Verification;

/// Wrong codes allowed on one code before it stops working.
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// Letters a member may ask for online in 30 days (each costs postage).
pub const MAX_LETTERS_PER_MONTH: u64 = 3;

/// Characters of a code: no 0/O, 1/I/L, so a code read off paper is typed right.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Why the member needs a code; it decides the wording of the letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    /// No account yet (or registration not finished).
    Activation,
    /// An open account whose password is lost.
    Recovery,
    /// A closed account.
    Reactivation,
}

/// What a letter says: everything the print run needs, nothing else.
#[derive(Clone, Serialize, Deserialize)]
pub struct LetterContent {
    /// Why.
    pub purpose: CodePurpose,
    /// The code, formatted `XXXX-XXXX`.
    pub code: String,
    /// Fund code of the member (the letterhead).
    pub caisse_code: String,
    /// Recipient block: name, then address lines.
    pub recipient_lines: Vec<String>,
    /// Name used in the salutation.
    pub salutation_name: String,
    /// NIR with its middle masked, as a reference.
    pub nir_masked: String,
    /// Date of the letter.
    pub issued_on: Date,
    /// Last day the code works.
    pub valid_until: Date,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for LetterContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterContent")
            .field("purpose", &self.purpose)
            .field("caisse_code", &self.caisse_code)
            .field("issued_on", &self.issued_on)
            .field("valid_until", &self.valid_until)
            .finish_non_exhaustive()
    }
}

/// A random code of 8 characters from [`ALPHABET`] (about 40 bits), `XXXX-XXXX`.
fn new_code() -> Result<String, CoreError> {
    let mut code = String::with_capacity(9);
    let mut drawn = 0;
    while drawn < 8 {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte)?;
        // 248 = 8 × 31: rejecting above keeps every character equally likely.
        if usize::from(byte[0]) < 248 {
            if drawn == 4 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
            drawn += 1;
        }
    }
    Ok(code)
}

/// A code as typed, reduced to what was printed: capitals, no spaces or dashes.
fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn purpose_of(status: Option<AccountStatus>) -> CodePurpose {
    match status {
        None | Some(AccountStatus::Pending) => CodePurpose::Activation,
        Some(AccountStatus::Closed) => CodePurpose::Reactivation,
        Some(AccountStatus::Active | AccountStatus::Suspended) => CodePurpose::Recovery,
    }
}

impl Accounts {
    /// A member asks for a code by post. When the NIR and birth date match the file (and the
    /// member has not asked too often), a letter is queued; the answer is the same either way,
    /// after the same work: the code is drawn and hashed before anything is looked up.
    ///
    /// # Errors
    /// Only unexpected failures.
    #[tracing::instrument(name = "accounts.request_provisional_code", skip_all)]
    pub async fn request_provisional_code(
        &self,
        nir: &str,
        birth_date: Option<Date>,
        context: &RequestContext,
    ) -> Result<(), CoreError> {
        let code = self.new_hashed_code().await?;
        let now = self.clock.instant();
        let member = match (parse_login_nir(nir), birth_date) {
            (Some(nir), Some(birth_date)) => members::find_by_nir(&self.db, &nir)
                .await?
                .filter(|m| m.birth_date == birth_date),
            _ => None,
        };
        let Some(member) = member else {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberProvisionalCodeUnmatched,
                None,
                json!({}),
                now,
            )
            .await?;
            return Ok(());
        };
        let recent =
            provisional_codes::count_issued_since(&self.db, member.id, now - Duration::days(30))
                .await?;
        if recent >= MAX_LETTERS_PER_MONTH {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberProvisionalCodeThrottled,
                Some(("member", member.id)),
                json!({}),
                now,
            )
            .await?;
            return Ok(());
        }
        self.issue_code(&member, code, Actor::Anonymous, context)
            .await
    }

    /// A fresh code and its hash (the slow part of issuing one).
    async fn new_hashed_code(&self) -> Result<(String, String), CoreError> {
        let code = new_code()?;
        let code_hash = self.hasher.hash(&normalize_code(&code)).await?;
        Ok((code, code_hash))
    }

    /// A staff member sends a code by post to a member of their fund.
    ///
    /// # Errors
    /// Only unexpected failures.
    #[tracing::instrument(
        name = "accounts.send_provisional_code_for",
        skip_all,
        fields(%member_id, %staff_id)
    )]
    pub async fn send_provisional_code_for(
        &self,
        member_id: Uuid,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let member = members::find(&self.db, member_id)
            .await?
            .ok_or(AccountError::NothingToDo)?;
        let code = self.new_hashed_code().await?;
        self.issue_code(&member, code, Actor::Staff(staff_id), context)
            .await?;
        Ok(())
    }

    async fn issue_code(
        &self,
        member: &MemberRecord,
        (code, code_hash): (String, String),
        actor: Actor,
        context: &RequestContext,
    ) -> Result<(), CoreError> {
        let now = self.clock.instant();
        let status = members::find_account(&self.db, member.id)
            .await?
            .map(|a| a.status);
        let purpose = purpose_of(status);
        let expires_at = now + self.settings.provisional_code_ttl;
        let letter = LetterContent {
            purpose,
            code,
            caisse_code: member.caisse_code.as_str().to_owned(),
            recipient_lines: crate::letterhead::postal_lines(member),
            salutation_name: format!("{} {}", member.first_name, member.last_name),
            nir_masked: crate::letterhead::masked_nir(&member.nir),
            issued_on: caisse_domain::paris_time::paris_time(now.get()).date(),
            valid_until: caisse_domain::paris_time::paris_time(expires_at.get()).date(),
        };
        let payload = serde_json::to_string(&letter)?;
        let txn = self.db.begin().await?;
        provisional_codes::replace(&txn, member.id, code_hash, expires_at, now).await?;
        postal_letters::enqueue(&txn, member.id, LetterKind::ProvisionalCode, payload, now).await?;
        let text = mails::mail(&ProvisionalCodeSent {
            first_name: &member.first_name,
            fund: self.fund_name(member),
        })?;
        let ending = Ending::about(
            actor,
            AuditAction::MemberProvisionalCodeSent,
            Some(member.id),
        )
        .details(json!({ "purpose": purpose }))
        .telling(Notice::to_member(member, text));
        self.finish(txn, context, ending, now).await
    }

    /// The member types their NIR, the code of the letter and a definitive password. On
    /// success the account is open (created, activated, recovered or reactivated) with that
    /// password, every earlier session, token and trusted device is revoked, and the lockout
    /// is cleared. Returns the member's id: the code proves the postal address, so the caller
    /// may open a session and trust the browser.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] for the password (checked first, it reveals nothing);
    /// [`AccountError::Unusable`] for an unknown NIR, a wrong, expired or used code, alike;
    /// [`AccountError::Locked`] after too many failures on that NIR.
    #[tracing::instrument(name = "accounts.redeem_provisional_code", skip_all)]
    pub async fn redeem_provisional_code(
        &self,
        nir_input: &str,
        code: &str,
        password: &str,
        confirmation: &str,
        context: &RequestContext,
    ) -> Result<Uuid, AccountError> {
        let nir = parse_login_nir(nir_input);
        let member = match &nir {
            Some(nir) => members::find_by_nir(&self.db, nir).await?,
            None => None,
        };
        // Checked against what was typed only, the same for every NIR: a refusal that depended
        // on the member file would tell whether the number is known.
        let typed = caisse_domain::PasswordContext {
            nir: nir.as_ref(),
            birth_date: None,
            email: None,
        };
        let words: Vec<String> = nir.iter().map(|n| n.as_str().to_owned()).collect();
        Self::refuse_password(crate::password_reset::validation::problems_with(
            &self.policy,
            &typed,
            &words,
            password,
            confirmation,
        ))?;
        let key = lockout::member_key(nir.as_ref(), nir_input);
        let now = self.clock.instant();
        // Counted before the code is checked, in the NIR's lockout and on the code itself, so
        // parallel guesses never get more checks than either limit.
        let reserved = match lockout::reserve(&self.db, &self.settings.lockout, &key, now).await {
            Ok(reserved) => reserved,
            Err(lockout::Refusal::Locked { until }) => {
                return Err(AccountError::Locked { until: until.get() });
            }
            Err(lockout::Refusal::Core(error)) => return Err(error.into()),
        };
        let live = match &member {
            Some(m) => provisional_codes::live(&self.db, m.id, now).await?,
            None => None,
        };
        let typed = normalize_code(code);
        let attempt = match &live {
            Some(live) => {
                one_time::attempt_code(&self.db, live.code(), MAX_CODE_ATTEMPTS, now, async || {
                    let verification = self.hasher.verify(&typed, Some(&live.code_hash)).await?;
                    Ok(matches!(verification, Verification::Match { .. }))
                })
                .await?
            }
            None => CodeAttempt::Exhausted,
        };
        if attempt == CodeAttempt::Exhausted {
            // Without a code to check, the dummy hash costs the same work.
            self.hasher.verify(&typed, None).await?;
        }
        let (CodeAttempt::Right, Some(member), Some(live)) =
            (attempt, member.as_ref(), live.as_ref())
        else {
            audit::record(
                &self.db,
                context,
                Actor::Anonymous,
                AuditAction::MemberProvisionalCodeRefused,
                member.as_ref().map(|m| ("member", m.id)),
                json!({}),
                now,
            )
            .await?;
            return Err(match reserved.lock_started() {
                Some(until) => AccountError::Locked { until: until.get() },
                None => AccountError::Unusable,
            });
        };
        // The code proved who this is: now the member's own data (birth date, email, names)
        // may be checked too, before the code is spent. A refusal gives the attempt back.
        if let Err(refusal) = Self::refuse_password(crate::password_reset::validation::problems(
            &self.policy,
            member,
            password,
            confirmation,
        )) {
            let txn = self.db.begin().await?;
            lockout::release(&txn, &self.settings.lockout, &reserved, Release::Undo, now).await?;
            one_time::give_back_attempt(&txn, live.code()).await?;
            txn.commit().await?;
            return Err(refusal);
        }
        let password_hash = self.hasher.hash(password).await?;
        let now = self.clock.instant();
        let previous = members::find_account(&self.db, member.id).await?;
        let txn = self.db.begin().await?;
        if !one_time::consume_code(&txn, live.code(), now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        match previous {
            None => {
                members::create_account(&txn, member.id, password_hash, AccountStatus::Active, now)
                    .await?;
            }
            Some(_) => {
                members::set_password_hash(&txn, member.id, password_hash, now).await?;
                members::set_account_status(&txn, member.id, AccountStatus::Active, now).await?;
            }
        }
        sessions::revoke_all(&txn, SubjectKind::Member, member.id, now).await?;
        api_tokens::revoke_all(&txn, member.id, now).await?;
        devices::revoke_all_trusted(&txn, member.id, now).await?;
        // The code proves the postal address: the lockout restarts, unless a lock was set since
        // this attempt was counted.
        lockout::release(
            &txn,
            &self.settings.lockout,
            &reserved,
            Release::Unlock,
            now,
        )
        .await?;
        let text = mails::mail(&ProvisionalCodeUsed {
            first_name: &member.first_name,
            fund: self.fund_name(member),
        })
        .map_err(CoreError::from)?;
        let ending = Ending::by_member(member.id, AuditAction::MemberProvisionalCodeRedeemed)
            .details(json!({ "previous": previous.map(|a| a.status.code()) }))
            .telling(Notice::to_member(member, text));
        self.finish(txn, context, ending, now).await?;
        Ok(member.id)
    }

    fn refuse_password(
        problems: Vec<crate::password_reset::PasswordProblem>,
    ) -> Result<(), AccountError> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AccountError::Invalid(
                problems.iter().map(FormProblem::from_password).collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_unambiguous_characters_and_typing_is_forgiving() {
        for _ in 0..200 {
            let code = new_code().unwrap();
            assert_eq!(code.len(), 9);
            assert_eq!(&code[4..5], "-");
            assert!(
                code.chars()
                    .filter(|c| *c != '-')
                    .all(|c| ALPHABET.contains(&(c as u8)))
            );
        }
        assert_eq!(normalize_code(" k7m4 - q9tx "), "K7M4Q9TX");
    }

    #[test]
    fn the_purpose_follows_the_account_state() {
        assert_eq!(purpose_of(None), CodePurpose::Activation);
        assert_eq!(
            purpose_of(Some(AccountStatus::Pending)),
            CodePurpose::Activation
        );
        assert_eq!(
            purpose_of(Some(AccountStatus::Active)),
            CodePurpose::Recovery
        );
        assert_eq!(
            purpose_of(Some(AccountStatus::Suspended)),
            CodePurpose::Recovery
        );
        assert_eq!(
            purpose_of(Some(AccountStatus::Closed)),
            CodePurpose::Reactivation
        );
    }
}
