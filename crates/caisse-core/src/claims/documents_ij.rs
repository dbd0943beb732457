//! The documents of the indemnités journalières: the attestation de paiement of the IJ paid
//! in a period the member chose, and the relevé fiscal of a civil year. Both read the
//! member's stored schedules (`ij_payments`) by payment day: what was paid, to them or to
//! their employer under subrogation. The taxable amount is the one the engine stored with
//! each payment (gross less the deductible CSG, times the taxable share of `ij_charges.csv`
//! for the arrêt's kind, 0 % for an exonerating ALD): nothing is computed again here. IJ paid
//! to the employer count too: the fund declares them for the insured person
//! (`docs/payments.md`).

use std::collections::{BTreeMap, HashMap};

use caisse_domain::AmountCents;
use caisse_domain::claims::IjPayee;
use caisse_store::Db;
use caisse_store::claims::arrets;
use caisse_store::claims::ij_payments::{self, StoredIjPayment};
use time::Date;
use uuid::Uuid;

use super::documents::{DocumentError, Letter};

/// A paid IJ payment as a row of the documents (`None` if it was never paid by a payment).
pub(super) fn row(p: &StoredIjPayment) -> Option<caisse_pdf::IjRow> {
    let (_, paid_on) = p.paid_by?;
    let a = &p.payment.amounts;
    Some(caisse_pdf::IjRow {
        paid_on,
        from: p.payment.from,
        to: p.payment.to,
        days: p.payment.days,
        daily: p.payment.daily_gross(),
        gross: a.gross,
        csg: a.csg,
        crds: a.crds,
        net: a.net,
        to_employer: p.payment.payee == IjPayee::Employer,
    })
}

/// The attestation of the IJ paid from `from` to `to`.
pub(super) async fn attestation(
    db: &Db,
    member_id: Uuid,
    from: Date,
    to: Date,
    letter: Letter,
) -> Result<caisse_pdf::IjAttestation, DocumentError> {
    let rows: Vec<caisse_pdf::IjRow> =
        ij_payments::paid_of_member(db, member_id, Some(from), Some(to))
            .await?
            .iter()
            .filter_map(row)
            .collect();
    if rows.is_empty() {
        return Err(DocumentError::Nothing);
    }
    Ok(caisse_pdf::IjAttestation {
        sender: letter.sender,
        addressee: letter.addressee,
        issued_on: letter.today,
        from,
        to,
        rows,
    })
}

/// What the relevé fiscal calls the IJ of an arrêt: an exonerating ALD apart, its kind.
fn category_fr(arret: &arrets::StoredArret) -> &'static str {
    if arret.arret.ald {
        "Arrêt lié à une affection de longue durée exonérante"
    } else {
        arret.arret.kind.label_fr()
    }
}

/// The relevé fiscal of the IJ paid in `year`.
pub(super) async fn tax_statement(
    db: &Db,
    member_id: Uuid,
    year: i32,
    letter: Letter,
) -> Result<caisse_pdf::IjTaxStatement, DocumentError> {
    let first = Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(|_| DocumentError::Nothing)?;
    let last = Date::from_calendar_date(year, time::Month::December, 31)
        .map_err(|_| DocumentError::Nothing)?;
    let paid = ij_payments::paid_of_member(db, member_id, Some(first), Some(last)).await?;
    if paid.is_empty() {
        return Err(DocumentError::Nothing);
    }
    let mut labels: HashMap<Uuid, &'static str> = HashMap::new();
    let mut categories: BTreeMap<(&'static str, u16), caisse_pdf::IjTaxCategory> = BTreeMap::new();
    let mut rows = Vec::with_capacity(paid.len());
    for p in &paid {
        let Some((_, paid_on)) = p.paid_by else {
            continue;
        };
        let label = match labels.get(&p.arret_id) {
            Some(label) => *label,
            None => {
                let arret = arrets::by_id(db, p.arret_id)
                    .await?
                    .ok_or(crate::CoreError::UnreadablePayload { what: "arrêt" })?;
                let label = category_fr(&arret);
                labels.insert(p.arret_id, label);
                label
            }
        };
        let a = &p.payment.amounts;
        let share = p.payment.taxable_share;
        let category =
            categories
                .entry((label, share.get()))
                .or_insert_with(|| caisse_pdf::IjTaxCategory {
                    label: label.to_owned(),
                    share: share.label_fr(),
                    gross: AmountCents::new(0),
                    net: AmountCents::new(0),
                    taxable: AmountCents::new(0),
                });
        category.gross = AmountCents::new(category.gross.cents() + a.gross.cents());
        category.net = AmountCents::new(category.net.cents() + a.net.cents());
        category.taxable = AmountCents::new(category.taxable.cents() + a.taxable.cents());
        rows.push(caisse_pdf::IjTaxRow {
            paid_on,
            from: p.payment.from,
            to: p.payment.to,
            category: label.to_owned(),
            gross: a.gross,
            taxable: a.taxable,
        });
    }
    let categories: Vec<caisse_pdf::IjTaxCategory> = categories.into_values().collect();
    Ok(caisse_pdf::IjTaxStatement {
        sender: letter.sender,
        addressee: letter.addressee,
        issued_on: letter.today,
        year,
        total_taxable: AmountCents::new(categories.iter().map(|c| c.taxable.cents()).sum()),
        categories,
        rows,
    })
}
