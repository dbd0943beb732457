//! What members pay of their debts themselves (`debt_payments`: bank transfers and card
//! payments), the card payments they start (`debt_card_orders`), and a debt as its member
//! reads it: by id within the member's own, by creditor reference, with its recoveries.

use caisse_domain::{AmountCents, CreditorReference, Instant};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::Date;
use uuid::Uuid;

use super::debts::{Debt, debt, new_reference};
use crate::StoreError;
use crate::entities::{debt_card_order, debt_payment, debt_recovery, member_debt};
use crate::one_time::instant;

/// How a member paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentChannel {
    /// A bank transfer quoting the debt's reference, recorded from the bank statement.
    Transfer,
    /// A card payment through the payment provider.
    Card,
}

impl PaymentChannel {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            PaymentChannel::Transfer => "transfer",
            PaymentChannel::Card => "card",
        }
    }

    fn from_code(code: &str) -> Option<PaymentChannel> {
        [PaymentChannel::Transfer, PaymentChannel::Card]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// What the member paid once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebtPayment {
    /// How.
    pub channel: PaymentChannel,
    /// How much.
    pub amount: AmountCents,
    /// The day of the transfer or of the card payment.
    pub paid_on: Date,
}

/// What a reimbursement withheld of a debt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// The payment that withheld it.
    pub payment_id: Uuid,
    /// How much.
    pub amount: AmountCents,
    /// When.
    pub recovered_at: Instant,
}

/// A card payment started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOrder {
    /// Its id, sent to the provider and returned by it.
    pub id: Uuid,
    /// The debt it pays.
    pub debt_id: Uuid,
    /// Who started it.
    pub member_id: Uuid,
    /// The amount asked of the provider.
    pub amount: AmountCents,
    /// When the provider's return was matched.
    pub completed_at: Option<Instant>,
}

/// What recording a payment did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentRecorded {
    /// Recorded: the balance went down by the amount.
    Recorded,
    /// This transaction id was recorded before, for this debt and amount: nothing changed.
    AlreadyRecorded {
        /// The debt it paid.
        debt_id: Uuid,
        /// What it paid.
        amount: AmountCents,
    },
    /// The debt is settled, or the amount is above what is left: nothing changed.
    AboveBalance,
}

/// The debt `debt_id` if it is `member_id`'s; `None` for another member's as for a missing id.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    debt_id: Uuid,
) -> Result<Option<Debt>, StoreError> {
    member_debt::Entity::find_by_id(debt_id)
        .filter(member_debt::Column::MemberId.eq(member_id))
        .one(db)
        .await?
        .map(debt)
        .transpose()
}

/// The debt of a creditor reference.
pub async fn by_reference<C: ConnectionTrait>(
    db: &C,
    reference: &CreditorReference,
) -> Result<Option<Debt>, StoreError> {
    member_debt::Entity::find()
        .filter(member_debt::Column::Reference.eq(reference.as_str()))
        .one(db)
        .await?
        .map(debt)
        .transpose()
}

/// Gives a reference to a debt recorded before references existed (no change otherwise).
pub async fn assign_reference<C: ConnectionTrait>(db: &C, debt_id: Uuid) -> Result<(), StoreError> {
    member_debt::Entity::update_many()
        .col_expr(member_debt::Column::Reference, Expr::value(new_reference()))
        .filter(member_debt::Column::Id.eq(debt_id))
        .filter(member_debt::Column::Reference.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Links a debt to the réclamation thread that contests it.
pub async fn set_contest<C: ConnectionTrait>(
    db: &C,
    debt_id: Uuid,
    thread_id: Uuid,
) -> Result<(), StoreError> {
    member_debt::Entity::update_many()
        .col_expr(member_debt::Column::ContestThreadId, Expr::value(thread_id))
        .filter(member_debt::Column::Id.eq(debt_id))
        .exec(db)
        .await?;
    Ok(())
}

/// What reimbursements withheld of a debt, oldest first.
pub async fn recoveries<C: ConnectionTrait>(
    db: &C,
    debt_id: Uuid,
) -> Result<Vec<Recovery>, StoreError> {
    Ok(debt_recovery::Entity::find()
        .filter(debt_recovery::Column::DebtId.eq(debt_id))
        .order_by_asc(debt_recovery::Column::RecoveredAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Recovery {
            payment_id: row.payment_id,
            amount: AmountCents::new(row.amount_cents),
            recovered_at: instant(row.recovered_at),
        })
        .collect())
}

/// What the member paid of a debt, oldest first.
pub async fn payments<C: ConnectionTrait>(
    db: &C,
    debt_id: Uuid,
) -> Result<Vec<DebtPayment>, StoreError> {
    debt_payment::Entity::find()
        .filter(debt_payment::Column::DebtId.eq(debt_id))
        .order_by_asc(debt_payment::Column::RecordedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(DebtPayment {
                channel: PaymentChannel::from_code(&row.channel)
                    .ok_or_else(|| StoreError::corrupt("debt_payments", "channel", row.id))?,
                amount: AmountCents::new(row.amount_cents),
                paid_on: row.paid_on,
            })
        })
        .collect()
}

/// A payment of `amount` on `debt_id`, known to the bank or the provider as `external_id`.
#[derive(Clone, Copy, Debug)]
pub struct NewDebtPayment<'a> {
    /// The debt.
    pub debt_id: Uuid,
    /// How.
    pub channel: PaymentChannel,
    /// The bank's or the provider's transaction id.
    pub external_id: &'a str,
    /// How much.
    pub amount: AmountCents,
    /// The day of the transfer or card payment.
    pub paid_on: Date,
}

/// Records a payment and lowers the debt's balance, settling it when nothing is left; call it
/// in a transaction. A transaction id recorded before changes nothing (the caller compares
/// what it returns), nor does an amount above the balance. The balance is lowered by one
/// conditional statement, so two payments at once cannot both take the last euros.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    payment: NewDebtPayment<'_>,
    now: Instant,
) -> Result<PaymentRecorded, StoreError> {
    let earlier = debt_payment::Entity::find()
        .filter(debt_payment::Column::Channel.eq(payment.channel.code()))
        .filter(debt_payment::Column::ExternalId.eq(payment.external_id))
        .one(db)
        .await?;
    if let Some(row) = earlier {
        return Ok(PaymentRecorded::AlreadyRecorded {
            debt_id: row.debt_id,
            amount: AmountCents::new(row.amount_cents),
        });
    }
    let cents = payment.amount.cents();
    let paid = Expr::col(member_debt::Column::RecoveredCents).add(cents);
    let settled = Expr::case(
        paid.clone()
            .gte(Expr::col(member_debt::Column::AmountCents)),
        Expr::value(now.get()),
    )
    .finally(Expr::value(Option::<time::OffsetDateTime>::None));
    let updated = member_debt::Entity::update_many()
        .col_expr(member_debt::Column::RecoveredCents, paid)
        .col_expr(member_debt::Column::SettledAt, settled.into())
        .filter(member_debt::Column::Id.eq(payment.debt_id))
        .filter(member_debt::Column::SettledAt.is_null())
        .filter(
            Expr::col(member_debt::Column::AmountCents)
                .sub(Expr::col(member_debt::Column::RecoveredCents))
                .gte(cents),
        )
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(PaymentRecorded::AboveBalance);
    }
    let member_id = member_debt::Entity::find_by_id(payment.debt_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("member debt"))?
        .member_id;
    debt_payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        debt_id: Set(payment.debt_id),
        member_id: Set(member_id),
        channel: Set(payment.channel.code().to_owned()),
        external_id: Set(payment.external_id.to_owned()),
        amount_cents: Set(cents),
        paid_on: Set(payment.paid_on),
        recorded_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(PaymentRecorded::Recorded)
}

/// Records a card payment started; returns its id.
pub async fn insert_order<C: ConnectionTrait>(
    db: &C,
    debt_id: Uuid,
    member_id: Uuid,
    amount: AmountCents,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    debt_card_order::ActiveModel {
        id: Set(id),
        debt_id: Set(debt_id),
        member_id: Set(member_id),
        amount_cents: Set(amount.cents()),
        created_at: Set(now.get()),
        completed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// A card payment started.
pub async fn find_order<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<CardOrder>, StoreError> {
    Ok(debt_card_order::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| CardOrder {
            id: row.id,
            debt_id: row.debt_id,
            member_id: row.member_id,
            amount: AmountCents::new(row.amount_cents),
            completed_at: row.completed_at.map(instant),
        }))
}

/// Marks a card payment as answered by the provider.
pub async fn complete_order<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<(), StoreError> {
    debt_card_order::Entity::update_many()
        .col_expr(debt_card_order::Column::CompletedAt, Expr::value(now.get()))
        .filter(debt_card_order::Column::Id.eq(id))
        .filter(debt_card_order::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
