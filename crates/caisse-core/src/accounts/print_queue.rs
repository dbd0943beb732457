//! The print queue of postal letters: the provisional codes (`provisional`) and the printed
//! *avis de sommes à payer* (`crate::claims::debt_notices`) wait there until a supervisor or
//! administrator of the member's fund (the role that prints) downloads them as one PDF per
//! batch, each download audited with the members whose letters it holds; another fund's staff
//! see neither the letters nor the batches. What a letter says (a code in clear, amounts) is
//! erased a week after batching.

use caisse_domain::{AuditAction, CaisseCode, LetterKind};
use caisse_store::TransactionTrait;
use caisse_store::postal_letters::{self, Letter};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Accounts;
use super::ending::Ending;
use super::errors::AccountError;
use super::provisional::{CodePurpose, LetterContent};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::claims::debt_notices::DebtNoticeContent;

/// What a queued letter says, read back by its kind.
enum QueuedLetter {
    ProvisionalCode(LetterContent),
    DebtNotice(DebtNoticeContent),
}

impl QueuedLetter {
    fn read(letter: &Letter, payload: &str) -> Result<QueuedLetter, CoreError> {
        let unreadable = |_| CoreError::UnreadablePayload {
            what: "postal letter",
        };
        Ok(match letter.kind {
            LetterKind::ProvisionalCode => {
                QueuedLetter::ProvisionalCode(serde_json::from_str(payload).map_err(unreadable)?)
            }
            LetterKind::DebtNotice => {
                QueuedLetter::DebtNotice(serde_json::from_str(payload).map_err(unreadable)?)
            }
        })
    }
}

/// How long a batch can be downloaded again before its letters are erased.
pub const BATCH_RETENTION: Duration = Duration::days(7);

/// The print queue at a glance.
#[derive(Clone, Debug)]
pub struct PrintQueueOverview {
    /// Letters waiting for a batch.
    pub waiting: u64,
    /// Batches of the last `BATCH_RETENTION`, newest first: id, when, how many letters.
    pub batches: Vec<(Uuid, OffsetDateTime, i64)>,
}

impl Accounts {
    /// Letters waiting and recent batches of the printer's fund.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for an unknown, inactive or conseiller account; otherwise
    /// when the database fails.
    #[tracing::instrument(name = "accounts.print_queue", skip_all, fields(%staff_id))]
    pub async fn print_queue(&self, staff_id: Uuid) -> Result<PrintQueueOverview, AccountError> {
        let fund = self.printer_fund(staff_id).await?;
        let now = self.clock.instant();
        Ok(PrintQueueOverview {
            waiting: postal_letters::waiting(&self.db, &fund).await?,
            batches: postal_letters::recent_batches(&self.db, &fund, now - BATCH_RETENTION)
                .await?
                .into_iter()
                .map(|b| {
                    let letters = i64::try_from(b.letters).unwrap_or(i64::MAX);
                    (b.batch_id, b.batched_at.get(), letters)
                })
                .collect(),
        })
    }

    /// Puts up to `limit` waiting letters of the printer's fund into a new batch; returns its
    /// id, or `None` when nothing waits.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for an unknown, inactive or conseiller account; otherwise
    /// when the database fails.
    #[tracing::instrument(name = "accounts.make_batch", skip_all, fields(limit = limit, %staff_id))]
    pub async fn make_batch(
        &self,
        limit: u64,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<Option<Uuid>, AccountError> {
        let fund = self.printer_fund(staff_id).await?;
        let now = self.clock.instant();
        let batch_id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        let letters = postal_letters::take_batch(&txn, &fund, batch_id, limit, now).await?;
        if letters.is_empty() {
            txn.rollback().await?;
            return Ok(None);
        }
        let ending = Ending::about(
            Actor::Staff(staff_id),
            AuditAction::StaffPrintBatchCreated,
            None,
        )
        .details(json!({ "batch": batch_id, "letters": letters.len() }));
        self.finish(txn, context, ending, now).await?;
        Ok(Some(batch_id))
    }

    /// The contents of a batch's letters to members of `fund`, in print order; empty once
    /// erased or for another fund's batch. A reading of letters is audited
    /// (`staff.print_batch.downloaded`, with the members whose letters it holds).
    ///
    /// # Errors
    /// When the database fails or a stored letter cannot be read.
    async fn batch_letters(
        &self,
        fund: &CaisseCode,
        batch_id: Uuid,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<Vec<QueuedLetter>, CoreError> {
        let rows = postal_letters::batch(&self.db, fund, batch_id).await?;
        let (members, letters): (Vec<Uuid>, Vec<QueuedLetter>) = rows
            .iter()
            .filter_map(|row| row.payload.as_deref().map(|payload| (row, payload)))
            .map(|(row, payload)| QueuedLetter::read(row, payload).map(|l| (row.member_id, l)))
            .collect::<Result<Vec<(Uuid, QueuedLetter)>, CoreError>>()?
            .into_iter()
            .unzip();
        if letters.is_empty() {
            return Ok(letters);
        }
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffPrintBatchDownloaded,
            None,
            json!({ "batch": batch_id, "letters": letters.len(), "members": members }),
            self.clock.instant(),
        )
        .await?;
        Ok(letters)
    }

    /// A batch of the printer's fund as one PDF, a letter per page, for the print shop; `None`
    /// once its letters were erased, or for an unknown batch or another fund's. The download is
    /// audited.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for an unknown, inactive or conseiller account; otherwise
    /// when the database fails or the PDF cannot be made.
    #[tracing::instrument(name = "accounts.batch_pdf", skip_all, fields(%batch_id, %staff_id))]
    pub async fn batch_pdf(
        &self,
        batch_id: Uuid,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<Option<Vec<u8>>, AccountError> {
        let fund = self.printer_fund(staff_id).await?;
        let letters = self
            .batch_letters(&fund, batch_id, staff_id, context)
            .await?;
        if letters.is_empty() {
            return Ok(None);
        }
        let letters: Vec<caisse_pdf::PostalLetter> =
            letters.into_iter().map(|l| self.printable(l)).collect();
        Ok(caisse_pdf::render_postal_batch(&letters)
            .map(Some)
            .map_err(CoreError::from)?)
    }

    fn printable(&self, letter: QueuedLetter) -> caisse_pdf::PostalLetter {
        match letter {
            QueuedLetter::ProvisionalCode(letter) => {
                caisse_pdf::PostalLetter::ProvisionalCode(self.printable_code(letter))
            }
            QueuedLetter::DebtNotice(notice) => {
                let sender = self.letter_sender(&notice.caisse_code);
                let portal_url = format!("{}{}", self.base_url(), crate::debts::LIST_PATH);
                caisse_pdf::PostalLetter::DebtNotice(notice.printable(sender, portal_url))
            }
        }
    }

    fn letter_sender(&self, caisse_code: &str) -> caisse_pdf::Sender {
        crate::letterhead::sender(
            caisse_code,
            &self.settings.fallback_fund_name,
            &self.settings.phone,
            self.base_url(),
        )
    }

    fn printable_code(&self, letter: LetterContent) -> caisse_pdf::ProvisionalCodeLetter {
        caisse_pdf::ProvisionalCodeLetter {
            sender: self.letter_sender(&letter.caisse_code),
            recipient_lines: letter.recipient_lines,
            salutation_name: letter.salutation_name,
            issued_on: letter.issued_on,
            code: letter.code,
            valid_until: letter.valid_until,
            purpose: match letter.purpose {
                CodePurpose::Activation => caisse_pdf::CodePurpose::Activation,
                CodePurpose::Recovery => caisse_pdf::CodePurpose::Recovery,
                CodePurpose::Reactivation => caisse_pdf::CodePurpose::Reactivation,
            },
            portal_url: format!("{}/code-provisoire", self.base_url()),
            nir_masked: letter.nir_masked,
        }
    }

    /// Erases letters batched more than `BATCH_RETENTION` ago; returns how many.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.erase_printed_letters", skip_all)]
    pub async fn erase_printed_letters(&self) -> Result<u64, CoreError> {
        Ok(
            postal_letters::erase_printed_before(&self.db, self.clock.instant() - BATCH_RETENTION)
                .await?,
        )
    }
}
