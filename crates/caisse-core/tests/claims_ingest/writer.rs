//! A small writer of lot files, the way a sender's software would write them.

use caisse_core::claims::ingest::{IncomingSheet, LotHeader};
use caisse_domain::claims::{Coefficient, ProfessionalId};
use serde_json::{Value, json};

fn kind(id: &ProfessionalId) -> &'static str {
    match id {
        ProfessionalId::Rpps(_) => "rpps",
        ProfessionalId::Adeli(_) => "adeli",
        ProfessionalId::Finess(_) => "finess",
    }
}

fn coefficient(c: Coefficient, decimal: char) -> String {
    format!(
        "{}{decimal}{:02}",
        c.hundredths() / 100,
        c.hundredths() % 100
    )
}

/// The lot in JSON Lines.
pub fn json_lines(header: &LotHeader, sheets: &[IncomingSheet]) -> String {
    let mut out = json!({"lot": {
        "type_emetteur": kind(&header.sender),
        "emetteur": header.sender.as_str(),
        "numero_lot": header.number,
    }})
    .to_string();
    for incoming in sheets {
        let sheet = &incoming.sheet;
        let acts: Vec<Value> = sheet
            .lines
            .iter()
            .map(|l| {
                json!({
                    "code_acte": l.code.as_str(),
                    "quantite": l.quantity.get(),
                    "coefficient": coefficient(l.coefficient, '.'),
                    "montant_cents": l.charged.cents(),
                    "ald": l.ald,
                    "at_mp": l.at_mp,
                })
            })
            .collect();
        let mut line = json!({
            "numero_feuille": incoming.number,
            "nir": sheet.nir.as_str(),
            "rang": sheet.rank,
            "type_professionnel": kind(&sheet.professional),
            "professionnel": sheet.professional.as_str(),
            "date_soins": sheet.date_of_care.to_string(),
            "tiers_payant": sheet.tiers_payant,
            "part_complementaire": incoming.complementary_requested,
            "parcours": sheet.parcours.code(),
            "actes": acts,
        });
        if let Some(prescriber) = &sheet.prescriber {
            line["type_prescripteur"] = kind(prescriber).into();
            line["prescripteur"] = prescriber.as_str().into();
        }
        out.push('\n');
        out.push_str(&line.to_string());
    }
    out.push('\n');
    out
}

/// The lot in CSV.
pub fn csv(header: &LotHeader, sheets: &[IncomingSheet]) -> String {
    let mut out = String::from(
        "type_emetteur,emetteur,numero_lot,numero_feuille,nir,rang,type_professionnel,\
         professionnel,type_prescripteur,prescripteur,date_soins,tiers_payant,\
         part_complementaire,parcours,code_acte,quantite,coefficient,montant_cents,ald,at_mp\n",
    );
    let yes = |b: bool| if b { "oui" } else { "non" };
    for incoming in sheets {
        let sheet = &incoming.sheet;
        let (prescriber_kind, prescriber) = sheet
            .prescriber
            .as_ref()
            .map_or(("", ""), |p| (kind(p), p.as_str()));
        for l in &sheet.lines {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},\"{}\",{},{},{}\n",
                kind(&header.sender),
                header.sender.as_str(),
                header.number,
                incoming.number,
                sheet.nir.as_str(),
                sheet.rank,
                kind(&sheet.professional),
                sheet.professional.as_str(),
                prescriber_kind,
                prescriber,
                sheet.date_of_care,
                yes(sheet.tiers_payant),
                yes(incoming.complementary_requested),
                sheet.parcours.code(),
                l.code,
                l.quantity.get(),
                coefficient(l.coefficient, ','),
                l.charged.cents(),
                yes(l.ald),
                yes(l.at_mp),
            ));
        }
    }
    out
}
