//! The monthly statement of reimbursements: the member's payments of one calendar month as
//! « Mes paiements » lists them, every line they paid read back through the payment's detail
//! (the same lines, deductions and rules the member's pages show), the month's indemnités
//! journalières, and the totals summed from those payments.

use std::collections::BTreeMap;

use caisse_domain::AmountCents;
use caisse_domain::claims::Payee;
use caisse_store::Db;
use caisse_store::claims::ij_payments;
use caisse_store::claims::member_payments::{self, MemberPaymentFilter};
use time::Date;
use uuid::Uuid;

use super::documents::{DocumentError, Letter};
use super::{documents_ij, payment_detail};

fn sum(values: impl Iterator<Item = AmountCents>) -> AmountCents {
    AmountCents::new(values.map(|v| v.cents()).sum())
}

/// The first day of the month after the one `first_day` begins.
fn next_month(first_day: Date) -> Date {
    let (year, month) = match first_day.month().next() {
        time::Month::January => (first_day.year() + 1, time::Month::January),
        next => (first_day.year(), next),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

/// The statement of the month beginning `first_day`, or [`DocumentError::Nothing`] when
/// nothing was paid for the member that month.
pub(super) async fn statement(
    db: &Db,
    member_id: Uuid,
    first_day: Date,
    letter: Letter,
) -> Result<caisse_pdf::MonthlyStatement, DocumentError> {
    let before = next_month(first_day);
    let filter = MemberPaymentFilter {
        from: Some(first_day),
        before: Some(before),
        ..MemberPaymentFilter::default()
    };
    let mut entries = member_payments::entries(db, member_id, &filter, None).await?;
    if entries.is_empty() {
        return Err(DocumentError::Nothing);
    }
    entries.reverse();
    let total_of = |payee: Payee| {
        sum(entries
            .iter()
            .filter(|e| e.payee == payee)
            .map(|e| e.amount))
    };
    let mut beneficiaries: BTreeMap<u8, caisse_pdf::StatementBeneficiary> = BTreeMap::new();
    let mut deductions = Vec::new();
    let mut recovered = 0_i64;
    for entry in &entries {
        let Some(detail) = payment_detail::read(db, member_id, entry.id).await? else {
            continue;
        };
        if detail.head.own {
            recovered += detail.head.recovered.cents();
        }
        for care in detail.beneficiaries {
            let printed = beneficiaries.entry(care.rank).or_insert_with(|| {
                caisse_pdf::StatementBeneficiary {
                    name: care.name.clone(),
                    lines: Vec::new(),
                }
            });
            printed
                .lines
                .extend(care.lines.into_iter().map(|l| caisse_pdf::StatementLine {
                    rate: l.rate.label_fr(),
                    act: l.act,
                    date_of_care: l.date_of_care,
                    professional: l.professional,
                    charged: l.charged,
                    base: l.base,
                    reimbursed: l.reimbursed,
                    tiers_payant: l.tiers_payant,
                }));
        }
        deductions.extend(
            detail
                .deductions
                .into_iter()
                .map(|d| caisse_pdf::StatementDeduction {
                    beneficiary: d.beneficiary,
                    label: d.kind.label_fr().to_owned(),
                    date_of_care: d.date_of_care,
                    amount: d.applied,
                }),
        );
    }
    let last_day = before.previous_day().unwrap_or(before);
    let ij = ij_payments::paid_of_member(db, member_id, Some(first_day), Some(last_day))
        .await?
        .iter()
        .filter_map(documents_ij::row)
        .collect();
    let totals = caisse_pdf::StatementTotals {
        to_member: total_of(Payee::Member),
        to_professionals: total_of(Payee::Professional),
        to_employer: total_of(Payee::Employer),
        deductions: sum(deductions.iter().map(|d| d.amount)),
        recovered: AmountCents::new(recovered),
    };
    Ok(caisse_pdf::MonthlyStatement {
        sender: letter.sender,
        addressee: letter.addressee,
        issued_on: letter.today,
        month: first_day,
        payments: entries
            .iter()
            .map(|e| caisse_pdf::StatementPayment {
                day: e.day,
                payee: match e.payee {
                    Payee::Member => "Vous".to_owned(),
                    Payee::Professional | Payee::Employer => e.payee_name.clone(),
                },
                kind: e.kind.label_with_ij_fr(e.includes_ij).to_owned(),
                amount: e.amount,
            })
            .collect(),
        beneficiaries: beneficiaries.into_values().collect(),
        ij,
        deductions,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_next_month_of_december_is_january() {
        assert_eq!(next_month(date!(2026 - 12 - 01)), date!(2027 - 01 - 01));
        assert_eq!(next_month(date!(2026 - 02 - 01)), date!(2026 - 03 - 01));
    }
}
