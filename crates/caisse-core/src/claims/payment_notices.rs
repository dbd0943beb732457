//! « Information de paiement »: after a payment run, each member a new payment concerns (their
//! own reimbursement, or their care paid to a professional in tiers payant) is told by mail,
//! when their online account asks for mail, to look at « Mes paiements ». The mail carries
//! neither amount nor care. It is queued in the run's transaction, by multi-row inserts: the
//! payment run stays a few statements, whatever the number of members.

use std::collections::HashMap;

use caisse_domain::{CaisseCode, Fund, Instant};
use caisse_store::Tx;
use caisse_store::claims::member_payments;
use caisse_store::outbox::{self, NewMessage};
use uuid::Uuid;

use crate::CoreError;
use crate::mails::{self, MailText, claims::PaymentInformation};

/// Queues « Information de paiement » for `members` (each once); returns how many mails.
///
/// # Errors
/// When the database fails or the template does not render.
pub(super) async fn enqueue(txn: &Tx, members: &[Uuid], at: Instant) -> Result<u64, CoreError> {
    let contacts = member_payments::notice_contacts(txn, members).await?;
    // The text depends on the fund only: rendered once per fund.
    let mut texts: HashMap<CaisseCode, MailText> = HashMap::new();
    let mut messages = Vec::with_capacity(contacts.len());
    for contact in contacts {
        let text = match texts.get(&contact.caisse) {
            Some(text) => text.clone(),
            None => {
                let text = mails::mail(&PaymentInformation {
                    fund: Fund::by_code(&contact.caisse).name(),
                })?;
                texts.insert(contact.caisse, text.clone());
                text
            }
        };
        messages.push(NewMessage::email(
            &contact.email,
            text.subject,
            text.body,
            Some(&contact.caisse),
        ));
    }
    let count = u64::try_from(messages.len()).unwrap_or(u64::MAX);
    outbox::enqueue_many(txn, messages, at).await?;
    Ok(count)
}
