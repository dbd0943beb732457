//! The *avis de sommes à payer*: a member whose participations and franchises could not be
//! recovered from reimbursements for a while (configurable; `docs/claims-rules.md`) is told
//! what is owed, in the transaction that marks the debts noticed: by mail through the outbox,
//! or, for a member with no email address, by a letter in the print queue
//! (`crate::accounts`' print batches) quoting each debt's transfer reference.

use std::collections::BTreeMap;

use caisse_domain::paris_time::paris_time;
use caisse_domain::{AmountCents, Channel, Fund, Instant, LetterKind};
use caisse_store::claims::debt_payments;
use caisse_store::claims::debts::{self, Debt};
use caisse_store::members::MemberRecord;
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{Db, TransactionTrait, Tx, members, postal_letters};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::debts::FundAccount;
use crate::mails::{self, claims::DebtNotice};

/// Debts read per run.
const DEBTS_PER_RUN: u64 = 10_000;

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoticeRun {
    /// Members sent a notice.
    pub mailed: u64,
    /// Members without an email address, sent a printed notice.
    pub posted: u64,
}

/// What a printed notice says, as the print queue keeps it until the letter is printed.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DebtNoticeContent {
    /// Fund code of the member (the letterhead).
    pub caisse_code: String,
    /// Recipient block: name, then address lines.
    pub recipient_lines: Vec<String>,
    /// Name used in the salutation.
    pub salutation_name: String,
    /// NIR with its middle masked, as a reference.
    pub nir_masked: String,
    /// Date of the notice.
    pub issued_on: Date,
    /// The last day to pay.
    pub deadline: Date,
    /// Each debt: day of care, what is left in cents, the creditor reference.
    pub owed: Vec<(Date, i64, String)>,
    /// The fund's account for transfers, as printed: holder, IBAN, BIC.
    pub account: Option<(String, String, String)>,
}

impl DebtNoticeContent {
    /// The letter to print, from `sender` (the fund's letterhead), pointing to `portal_url`.
    pub(crate) fn printable(
        self,
        sender: caisse_pdf::Sender,
        portal_url: String,
    ) -> caisse_pdf::DebtNoticeLetter {
        caisse_pdf::DebtNoticeLetter {
            sender,
            recipient_lines: self.recipient_lines,
            salutation_name: self.salutation_name,
            nir_masked: self.nir_masked,
            issued_on: self.issued_on,
            deadline: self.deadline,
            owed: self
                .owed
                .into_iter()
                .map(|(date_of_care, left, reference)| caisse_pdf::OwedAmount {
                    date_of_care,
                    left: AmountCents::new(left),
                    reference,
                })
                .collect(),
            portal_url,
            account: self
                .account
                .map(|(holder, iban, bic)| caisse_pdf::TransferAccount { holder, iban, bic }),
        }
    }
}

/// Masked: the address, the NIR and the references stay out of logs.
impl std::fmt::Debug for DebtNoticeContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DebtNoticeContent")
            .field("caisse_code", &self.caisse_code)
            .field("issued_on", &self.issued_on)
            .field("owed", &self.owed.len())
            .finish_non_exhaustive()
    }
}

/// Sends a notice to each member whose open debts are older than `after` and not noticed: a
/// mail, or a printed letter that offers a transfer to `account` when the fund takes them.
///
/// # Errors
/// When the database fails or a template does not render (nothing is marked then).
#[tracing::instrument(name = "claims.debt_notices", skip_all)]
pub async fn issue_debt_notices(
    db: &Db,
    after: Duration,
    account: Option<&FundAccount>,
    now: OffsetDateTime,
) -> Result<NoticeRun, CoreError> {
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let due = debts::due_for_notice(&txn, Instant::from(now - after), DEBTS_PER_RUN).await?;
    let mut by_member: BTreeMap<Uuid, Vec<Debt>> = BTreeMap::new();
    for debt in due {
        by_member.entry(debt.member_id).or_default().push(debt);
    }
    let mut run = NoticeRun::default();
    let deadline = paris_time(now)
        .date()
        .saturating_add(Duration::days(crate::debts::DAYS_TO_PAY_AFTER_NOTICE));
    for (member_id, owed) in by_member {
        let ids: Vec<Uuid> = owed.iter().map(|d| d.id).collect();
        let member = members::find(&txn, member_id).await?;
        match member
            .as_ref()
            .and_then(|m| m.email.as_ref().map(|e| (m, e)))
        {
            Some((member, email)) => {
                let total = owed.iter().fold(0_i64, |sum, d| sum + d.left().cents());
                let text = mails::mail(&DebtNotice {
                    first_name: &member.first_name,
                    total: AmountCents::new(total),
                    debts: owed.iter().map(|d| (d.date_of_care, d.left())).collect(),
                    deadline,
                    fund: Fund::by_code(&member.caisse_code).name(),
                })?;
                outbox::enqueue(
                    &txn,
                    NewMessage {
                        channel: Channel::Email,
                        recipient: email.as_str().to_owned(),
                        subject: text.subject,
                        body_text: text.body,
                        caisse_code: Some(member.caisse_code.as_str().to_owned()),
                    },
                    at,
                )
                .await?;
                run.mailed += 1;
            }
            None => {
                if let Some(member) = &member {
                    let content = letter(&txn, member, &owed, account, now, deadline).await?;
                    let payload = serde_json::to_string(&content)?;
                    postal_letters::enqueue(&txn, member.id, LetterKind::DebtNotice, payload, at)
                        .await?;
                    run.posted += 1;
                }
            }
        }
        debts::mark_noticed(&txn, &ids, at).await?;
    }
    txn.commit().await?;
    Ok(run)
}

/// The printed notice of `member`'s debts `owed`, each given a transfer reference if it had
/// none (debts recorded before references existed).
async fn letter(
    txn: &Tx,
    member: &MemberRecord,
    owed: &[Debt],
    account: Option<&FundAccount>,
    now: OffsetDateTime,
    deadline: Date,
) -> Result<DebtNoticeContent, CoreError> {
    let mut lines = Vec::with_capacity(owed.len());
    for debt in owed {
        let reference = match &debt.reference {
            Some(reference) => Some(reference.clone()),
            None => {
                debt_payments::assign_reference(txn, debt.id).await?;
                debt_payments::of_member(txn, member.id, debt.id)
                    .await?
                    .and_then(|d| d.reference)
            }
        };
        let reference = reference.map(|r| r.grouped()).unwrap_or_default();
        lines.push((debt.date_of_care, debt.left().cents(), reference));
    }
    Ok(DebtNoticeContent {
        caisse_code: member.caisse_code.as_str().to_owned(),
        recipient_lines: crate::letterhead::postal_lines(member),
        salutation_name: format!("{} {}", member.first_name, member.last_name),
        nir_masked: crate::letterhead::masked_nir(&member.nir),
        issued_on: paris_time(now).date(),
        deadline,
        owed: lines,
        account: account.map(|a| {
            (
                a.holder.clone(),
                a.iban.formatted(),
                a.bic.as_str().to_owned(),
            )
        }),
    })
}
