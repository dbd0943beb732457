//! Card payments of debts: started by the member (a payment of what is left, sent to the
//! provider's page), then matched when the provider sends the member back with a signed
//! result. A return counts once (the provider's transaction id is unique); one whose signature,
//! amount or reference does not match the payment started is refused and audited.

use caisse_domain::{AuditAction, Instant};
use caisse_store::TransactionTrait;
use caisse_store::claims::debt_payments::{self, NewDebtPayment, PaymentChannel, PaymentRecorded};
use uuid::Uuid;

use super::provider::{PaymentRequest, PaymentResult, ProviderReturn};
use super::{DebtError, DebtService};
use crate::audit::{self, Actor, RequestContext};

/// What a provider's return did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardOutcome {
    /// The payment is recorded.
    Paid {
        /// The debt.
        debt_id: Uuid,
    },
    /// The member gave up or the bank refused: nothing changed.
    Refused {
        /// The debt.
        debt_id: Uuid,
    },
    /// This return was matched before: nothing changed.
    AlreadyRecorded {
        /// The debt.
        debt_id: Uuid,
    },
}

impl DebtService {
    /// Starts paying by card what is left of the member's debt; returns the provider's page.
    ///
    /// # Errors
    /// `NotFound` (missing or another member's debt), `Settled`, `NoProvider`, or `Core`.
    #[tracing::instrument(name = "debts.start_card_payment", skip_all, fields(%member_id, %debt_id))]
    pub async fn start_card_payment(
        &self,
        member_id: Uuid,
        debt_id: Uuid,
    ) -> Result<String, DebtError> {
        let debt = self.own_debt(member_id, debt_id).await?;
        let provider = self.provider.as_ref().ok_or(DebtError::NoProvider)?;
        let (Some(reference), left) = (debt.reference.as_ref(), debt.left()) else {
            return Err(DebtError::NotFound);
        };
        if debt.settled_at.is_some() || left.cents() <= 0 {
            return Err(DebtError::Settled);
        }
        let order_id = debt_payments::insert_order(
            &self.db,
            debt.id,
            member_id,
            left,
            Instant::from(self.now()),
        )
        .await?;
        Ok(provider.start(&PaymentRequest {
            order_id,
            reference,
            amount: left,
        }))
    }

    /// Matches a return of the provider (its query's fields), whoever's browser brings it.
    ///
    /// # Errors
    /// `Return` for a bad signature or malformed fields, `Mismatch` for a return that does not
    /// match its payment, `PaidTwice` for a card payment of a debt settled meanwhile (all
    /// audited `debt.card.return_refused`), `NoProvider`, or `Core`.
    #[tracing::instrument(name = "debts.complete_card_payment", skip_all)]
    pub async fn complete_card_payment(
        &self,
        fields: &[(String, String)],
        context: &RequestContext,
    ) -> Result<CardOutcome, DebtError> {
        let provider = self.provider.as_ref().ok_or(DebtError::NoProvider)?;
        let back = match provider.verify(fields) {
            Ok(back) => back,
            Err(refused) => {
                self.refuse(context, None, &refused.to_string()).await?;
                return Err(DebtError::Return(refused));
            }
        };
        let order = debt_payments::find_order(&self.db, back.order_id).await?;
        let debt = match &order {
            Some(order) => {
                debt_payments::of_member(&self.db, order.member_id, order.debt_id).await?
            }
            None => None,
        };
        let (Some(order), Some(debt)) = (order, debt) else {
            self.refuse(context, None, "unknown order").await?;
            return Err(DebtError::Mismatch);
        };
        let reference_matches = debt
            .reference
            .as_ref()
            .is_some_and(|r| r.as_str() == back.reference);
        if !reference_matches || back.amount != order.amount {
            self.refuse(context, Some(debt.id), "amount or reference differs")
                .await?;
            return Err(DebtError::Mismatch);
        }
        if back.result == PaymentResult::Refused {
            debt_payments::complete_order(&self.db, order.id, Instant::from(self.now())).await?;
            return Ok(CardOutcome::Refused { debt_id: debt.id });
        }
        self.record_card_payment(&back, order.id, debt.id, context)
            .await
    }

    async fn record_card_payment(
        &self,
        back: &ProviderReturn,
        order_id: Uuid,
        debt_id: Uuid,
        context: &RequestContext,
    ) -> Result<CardOutcome, DebtError> {
        let now = self.now();
        let txn = self.db.begin().await?;
        let recorded = debt_payments::record(
            &txn,
            NewDebtPayment {
                debt_id,
                channel: PaymentChannel::Card,
                external_id: &back.transaction_id,
                amount: back.amount,
                paid_on: now.date(),
            },
            Instant::from(now),
        )
        .await?;
        match recorded {
            PaymentRecorded::Recorded => {
                debt_payments::complete_order(&txn, order_id, Instant::from(now)).await?;
                audit::record(
                    &txn,
                    context,
                    Actor::System,
                    AuditAction::DebtCardPaid,
                    Some(("debt", debt_id)),
                    serde_json::json!({
                        "amount_cents": back.amount.cents(),
                        "order": order_id,
                    }),
                    now,
                )
                .await?;
                txn.commit().await?;
                Ok(CardOutcome::Paid { debt_id })
            }
            PaymentRecorded::AlreadyRecorded {
                debt_id: earlier,
                amount,
            } if earlier == debt_id && amount == back.amount => {
                Ok(CardOutcome::AlreadyRecorded { debt_id })
            }
            PaymentRecorded::AlreadyRecorded { .. } => {
                drop(txn);
                self.refuse(context, Some(debt_id), "transaction id reused")
                    .await?;
                Err(DebtError::Mismatch)
            }
            PaymentRecorded::AboveBalance => {
                drop(txn);
                // Signed by the provider, so worth keeping: what the fund must refund.
                let details = serde_json::json!({
                    "reason": "debt settled before the payment",
                    "order": order_id,
                    "amount_cents": back.amount.cents(),
                    "transaction": back.transaction_id,
                });
                self.refuse_with(context, Some(debt_id), details).await?;
                Err(DebtError::PaidTwice { debt_id })
            }
        }
    }

    /// Audits a refused return: `reason` is ours, never a value the return carried.
    async fn refuse(
        &self,
        context: &RequestContext,
        debt_id: Option<Uuid>,
        reason: &str,
    ) -> Result<(), DebtError> {
        self.refuse_with(context, debt_id, serde_json::json!({ "reason": reason }))
            .await
    }

    async fn refuse_with(
        &self,
        context: &RequestContext,
        debt_id: Option<Uuid>,
        details: serde_json::Value,
    ) -> Result<(), DebtError> {
        audit::record(
            &self.db,
            context,
            Actor::Anonymous,
            AuditAction::DebtCardReturnRefused,
            debt_id.map(|id| ("debt", id)),
            details,
            self.now(),
        )
        .await?;
        Ok(())
    }
}
