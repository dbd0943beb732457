//! Contesting a debt: a réclamation about the *avis de sommes à payer*, written through secure
//! messaging (the fund's conseillers answer it like any other), linked to the debt. The
//! payment runs leave the debt alone while that thread is open (`debts::open_of_many`).

use caisse_domain::AuditAction;
use caisse_store::TransactionTrait;
use caisse_store::claims::debt_payments;
use uuid::Uuid;

use super::{Contest, ContestError, DebtError, DebtService};
use crate::audit::{self, Actor, RequestContext};
use crate::messaging::{MemberError, NewMessageForm};

/// The objet of the réclamation, from the default catalogue.
const CONTEST_OBJET: &str = "sommes_a_payer.avis";

impl DebtService {
    /// Contests the member's debt with `explanation`: sends a réclamation to the fund, links
    /// it to the debt and audits `member.debt.contested`.
    ///
    /// # Errors
    /// `NotFound`, `AlreadyContested` while an earlier contest is open, `Invalid` for an
    /// explanation empty or too long, `Messaging` (quota…), or `Core`.
    #[tracing::instrument(name = "debts.contest", skip_all, fields(%member_id, %debt_id))]
    pub async fn contest(
        &self,
        member_id: Uuid,
        debt_id: Uuid,
        explanation: &str,
        context: &RequestContext,
    ) -> Result<Contest, ContestError> {
        let debt = match self.own_debt(member_id, debt_id).await {
            Ok(debt) => debt,
            Err(DebtError::Core(error)) => return Err(ContestError::Core(error)),
            Err(_) => return Err(ContestError::NotFound),
        };
        let current = self
            .contest_of(member_id, &debt)
            .await
            .map_err(|_| ContestError::NotFound)?;
        if current.is_some_and(|c| c.open) {
            return Err(ContestError::AlreadyContested);
        }
        let reference = debt
            .reference
            .as_ref()
            .map(|r| r.grouped())
            .unwrap_or_default();
        let form = NewMessageForm {
            recipient: "caisse".to_owned(),
            objet: CONTEST_OBJET.to_owned(),
            nature: "reclamation".to_owned(),
            subject: format!("Contestation de la somme à payer {reference}"),
            body: explanation.to_owned(),
        };
        let sent = match self.messaging.send(member_id, form, context).await {
            Ok(sent) => sent,
            Err(MemberError::Invalid(problems)) => return Err(ContestError::Invalid(problems)),
            Err(error) => return Err(error.into()),
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        debt_payments::set_contest(&txn, debt.id, sent.id).await?;
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AuditAction::MemberDebtContested,
            Some(("debt", debt.id)),
            serde_json::json!({ "thread": sent.id }),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Contest {
            thread_id: sent.id,
            reference: sent.reference,
            open: true,
        })
    }
}
