//! A year of care for the demo families, run through the real engine: each family's doctor
//! and pharmacy send a lot a month (JSON Lines, as their software would), the lots are
//! imported, liquidated and paid with the day of the month as "now", so « Mes paiements » has
//! a year of history to explain — ALD care at 100 % for Kévin HOARAU, the C2S for Camille
//! ROSSI, the Alsace-Moselle layer for Sophie WEBER, pharmacy in tiers payant whose franchises
//! Julien MARTIN owes and sees recovered from his next reimbursements, and a three-week arrêt
//! maladie for Sophie WEBER whose indemnités journalières are paid every 14 days; her last
//! pharmacy visit, after her last reimbursement, leaves her franchises to pay online.

use std::io::Cursor;

use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Iban, Nir};
use caisse_store::Db;
use caisse_store::claims::lots::LotSource;
use serde_json::json;
use time::{Date, Duration, OffsetDateTime};

use super::demo_value;
use crate::CoreError;
use crate::claims::arrets::{ArretsOutcome, ArretsSubmitter, import_arrets};
use crate::claims::ij_payments::pay_ij;
use crate::claims::import::{ImportOutcome, Submitter, import_lot};
use crate::claims::liquidation::liquidate_batch;
use crate::claims::payments::make_payments;
use crate::claims::{reference_data, senders};

/// Who bills a family's care.
pub(super) struct CareGivers {
    /// The family's médecin traitant (RPPS).
    pub doctor: &'static str,
    /// Its name.
    pub doctor_name: &'static str,
    /// The family's pharmacy (FINESS).
    pub pharmacy: &'static str,
    /// Its name.
    pub pharmacy_name: &'static str,
    /// The bank account both are paid on in tiers payant.
    pub iban: &'static str,
}

/// One family to give a year of care.
pub(super) struct Family<'a> {
    /// The insured member's NIR.
    pub nir: Nir,
    /// The fund.
    pub caisse: CaisseCode,
    /// Ranks of the children (2, 3…).
    pub children: Vec<u8>,
    /// Care linked to an ALD.
    pub ald: bool,
    /// Who bills.
    pub givers: &'a CareGivers,
    /// Had a three-week arrêt de travail (maladie) five months ago.
    pub arret: bool,
    /// Went to the pharmacy (tiers payant) a few days ago, after the last reimbursement: its
    /// franchises are a debt that nothing has recovered yet, to pay online.
    pub owes_last_pharmacy: bool,
}

fn act(code: &str, quantity: u32, coefficient: &str, cents: i64, ald: bool) -> serde_json::Value {
    json!({
        "code_acte": code,
        "quantite": quantity,
        "coefficient": coefficient,
        "montant_cents": cents,
        "ald": ald,
        "at_mp": false,
    })
}

#[expect(
    clippy::too_many_arguments,
    reason = "the fields of one JSON sheet, named at each call"
)]
fn sheet(
    number: u32,
    nir: &Nir,
    rank: u8,
    kind: &str,
    who: &str,
    day: Date,
    tiers_payant: bool,
    acts: Vec<serde_json::Value>,
) -> String {
    json!({
        "numero_feuille": number,
        "nir": nir.as_str(),
        "rang": rank,
        "type_professionnel": kind,
        "professionnel": who,
        "date_soins": day.to_string(),
        "tiers_payant": tiers_payant,
        "part_complementaire": false,
        "parcours": "medecin_traitant",
        "actes": acts,
    })
    .to_string()
}

fn header(kind: &str, who: &str, number: u32) -> String {
    json!({ "lot": { "type_emetteur": kind, "emetteur": who, "numero_lot": number } }).to_string()
}

/// The doctor's and the pharmacy's lots of month `month` (0 = twelve months ago).
fn month_lots(family: &Family<'_>, month: u32, day: Date) -> [String; 2] {
    let g = family.givers;
    let nir = &family.nir;
    let mut doctor = vec![header("rpps", g.doctor, month + 1)];
    let mut pharmacy = vec![header("finess", g.pharmacy, month + 1)];
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    // A consultation every month, for the ALD in relation to it.
    doctor.push(sheet(
        next(),
        nir,
        1,
        "rpps",
        g.doctor,
        day,
        family.ald,
        vec![act("G", 1, "1", 3000, family.ald)],
    ));
    pharmacy.push(sheet(
        next(),
        nir,
        1,
        "finess",
        g.pharmacy,
        day,
        true,
        vec![
            act("PH7", 2, "1", 1180, family.ald),
            act("PH4", 1, "1", 450, false),
        ],
    ));
    // Children: a consultation every third month, and its prescription.
    for (i, rank) in family.children.iter().enumerate() {
        if (month + u32::try_from(i).unwrap_or(0)).is_multiple_of(3) {
            let later = day.saturating_add(Duration::days(2));
            doctor.push(sheet(
                next(),
                nir,
                *rank,
                "rpps",
                g.doctor,
                later,
                false,
                vec![act("G", 1, "1", 3000, false)],
            ));
            pharmacy.push(sheet(
                next(),
                nir,
                *rank,
                "finess",
                g.pharmacy,
                later,
                true,
                vec![act("PH7", 1, "1", 690, false)],
            ));
        }
    }
    // Nursing at home every other month, for the ALD in relation to it; biology twice a year.
    if family.ald && month.is_multiple_of(2) {
        let nurse_day = day.saturating_add(Duration::days(5));
        doctor.push(sheet(
            next(),
            nir,
            1,
            "rpps",
            g.doctor,
            nurse_day,
            true,
            vec![act("AMI", 2, "1,5", 945, true)],
        ));
    }
    if month % 6 == 3 {
        let lab_day = day.saturating_add(Duration::days(7));
        doctor.push(sheet(
            next(),
            nir,
            1,
            "rpps",
            g.doctor,
            lab_day,
            false,
            vec![act("B", 1, "70", 1890, false)],
        ));
    }
    [doctor.join("\n"), pharmacy.join("\n")]
}

/// Imports, liquidates and pays a year of care for `families`, month by month.
///
/// # Errors
/// When the database fails or a generated lot is refused (a bug in this module).
pub(super) async fn seed(
    db: &Db,
    families: &[Family<'_>],
    now: OffsetDateTime,
) -> Result<u64, CoreError> {
    let tables = reference_data::current(db).await?;
    for family in families {
        let g = family.givers;
        let iban = demo_value("IBAN", Iban::parse(g.iban))?;
        for (kind, who, name) in [
            ("rpps", g.doctor, g.doctor_name),
            ("finess", g.pharmacy, g.pharmacy_name),
        ] {
            let id = demo_value(
                "professional",
                match kind {
                    "rpps" => ProfessionalId::rpps(who),
                    _ => ProfessionalId::finess(who),
                },
            )?;
            if senders::registered(db, family.caisse, &id).await?.is_none() {
                senders::add(db, family.caisse, &id, name, &iban, now).await?;
            }
        }
    }
    for family in families.iter().filter(|f| f.arret) {
        let start = (now - Duration::days(150)).date();
        let line = json!({
            "reference_arret": "DEMO-ARRET-1",
            "nir": family.nir.as_str(),
            "rang": 1,
            "type_arret": "maladie",
            "date_debut": start.to_string(),
            "date_fin": start.saturating_add(Duration::days(20)).to_string(),
            "siret_employeur": "73282932000074",
            "salaire_1_cents": 240_000,
            "salaire_2_cents": 240_000,
            "salaire_3_cents": 255_000,
            "subrogation_jusqu_au": null,
            "carence": true,
            "ald": false,
        })
        .to_string();
        let outcome = import_arrets(
            db,
            &tables,
            || Ok(Cursor::new(line.as_bytes())),
            None,
            ArretsSubmitter::Operator(family.caisse),
            now - Duration::days(120),
        )
        .await?;
        match outcome {
            ArretsOutcome::Accepted(ack) if ack.rejected_count == 0 => {}
            other => {
                return Err(CoreError::DemoSeed(format!(
                    "the demo arrêt was refused: {other:?}"
                )));
            }
        }
    }
    let mut sheets = 0;
    for month in 0..12_u32 {
        // The 10th of each of the last twelve months, then the lots arrive two days later.
        let care_day = (now - Duration::days(i64::from(12 - month) * 30)).date();
        let arrival = now - Duration::days(i64::from(12 - month) * 30) + Duration::days(10);
        let lots: Vec<(&Family<'_>, String)> = families
            .iter()
            .flat_map(|family| month_lots(family, month, care_day).map(|lot| (family, lot)))
            .collect();
        sheets += run_engine(db, &tables, &lots, arrival).await?;
    }
    // The last pharmacy visits, after the last month's reimbursements.
    let day = (now - Duration::days(6)).date();
    let lots: Vec<(&Family<'_>, String)> = families
        .iter()
        .filter(|f| f.owes_last_pharmacy)
        .map(|family| (family, last_pharmacy_lot(family, day)))
        .collect();
    sheets += run_engine(db, &tables, &lots, now - Duration::days(4)).await?;
    Ok(sheets)
}

/// The pharmacy's lot of one sheet in tiers payant on `day`, after the year's twelve lots.
fn last_pharmacy_lot(family: &Family<'_>, day: Date) -> String {
    let g = family.givers;
    [
        header("finess", g.pharmacy, 13),
        sheet(
            1,
            &family.nir,
            1,
            "finess",
            g.pharmacy,
            day,
            true,
            vec![act("PH7", 2, "1", 1180, family.ald)],
        ),
    ]
    .join("\n")
}

/// Imports `lots` as they arrive at `arrival`, then liquidates and pays what is due that day
/// (care and indemnités journalières); returns the sheets accepted.
async fn run_engine(
    db: &Db,
    tables: &caisse_domain::claims::ReferenceTables,
    lots: &[(&Family<'_>, String)],
    arrival: OffsetDateTime,
) -> Result<u64, CoreError> {
    let mut sheets = 0;
    for (family, lot) in lots {
        let outcome = import_lot(
            db,
            tables,
            || Ok(Cursor::new(lot.as_bytes())),
            None,
            Submitter::Operator(family.caisse),
            LotSource::File,
            arrival,
        )
        .await?;
        match outcome {
            ImportOutcome::Accepted(ack) => sheets += ack.sheets_accepted,
            ImportOutcome::AlreadyAccepted(_) => {}
            other => {
                return Err(CoreError::DemoSeed(format!(
                    "a demo lot was refused: {other:?}"
                )));
            }
        }
    }
    while liquidate_batch(db, tables, 1_000, arrival).await?.sheets() > 0 {}
    let pay_day = arrival.date();
    while make_payments(db, pay_day, arrival).await?.sheets > 0 {}
    while pay_ij(db, pay_day, arrival).await?.sheets > 0 {}
    Ok(sheets)
}
