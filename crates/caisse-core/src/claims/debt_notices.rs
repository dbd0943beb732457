//! The *avis de sommes à payer*: a member whose participations and franchises could not be
//! recovered from reimbursements for a while (configurable; `docs/claims-rules.md`) is told
//! what is owed, by mail through the outbox, in the transaction that marks the debts noticed.

use std::collections::BTreeMap;

use caisse_domain::{AmountCents, Channel, Fund, Instant};
use caisse_store::claims::debts::{self, Debt};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{Db, TransactionTrait, members};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::mails::{self, claims::DebtNotice};

/// Debts read per run.
const DEBTS_PER_RUN: u64 = 10_000;

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoticeRun {
    /// Members sent a notice.
    pub mailed: u64,
    /// Members without an email address: their debts are marked noticed too, and wait for
    /// recovery (a printed notice is not built yet; see the closing note of issue 13).
    pub without_email: u64,
}

/// Sends a notice to each member whose open debts are older than `after` and not noticed.
///
/// # Errors
/// When the database fails or a template does not render (nothing is marked then).
#[tracing::instrument(name = "claims.debt_notices", skip_all)]
pub async fn issue_debt_notices(
    db: &Db,
    after: Duration,
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
                    deadline: now
                        .date()
                        .saturating_add(Duration::days(crate::debts::DAYS_TO_PAY_AFTER_NOTICE)),
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
            None => run.without_email += 1,
        }
        debts::mark_noticed(&txn, &ids, at).await?;
    }
    txn.commit().await?;
    Ok(run)
}
