//! Lot files as a sender writes them: the examples of `docs/claims-format.md` read in both
//! formats, a lot of 200,000 sheets streamed from a generator, and any sheet written by a
//! small writer read back equal.

#[path = "claims_ingest/generated.rs"]
mod generated;
#[path = "claims_ingest/properties.rs"]
mod properties;
#[path = "claims_ingest/writer.rs"]
mod writer;

use std::io::BufReader;

use caisse_core::claims::ingest::{Format, IncomingSheet, LotHeader, LotReader, validate_whole};
use caisse_domain::AmountCents;
use caisse_domain::claims::{Parcours, ProfessionalId};
use time::macros::date;

fn example(name: &str) -> Vec<u8> {
    let path = format!("{}/../../docs/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

fn read_all(bytes: &[u8]) -> (Format, LotHeader, Vec<IncomingSheet>) {
    let lot = LotReader::open(bytes, None).unwrap();
    let (format, header) = (lot.format(), lot.header().clone());
    let sheets = lot.collect::<Result<Vec<_>, _>>().unwrap();
    (format, header, sheets)
}

#[test]
fn the_two_examples_of_the_docs_hold_the_same_lot() {
    let (json_format, json_header, json) = read_all(&example("lot-feuilles.jsonl"));
    let (csv_format, csv_header, csv) = read_all(&example("lot-feuilles.csv"));
    assert_eq!((json_format, csv_format), (Format::JsonLines, Format::Csv));
    assert_eq!(json_header, csv_header);
    assert_eq!(
        json_header.sender,
        ProfessionalId::rpps("10003456789").unwrap()
    );
    assert_eq!(json_header.number, 42);
    let without_lines = |sheets: &[IncomingSheet]| {
        sheets
            .iter()
            .map(|s| (s.number, s.complementary_requested, s.sheet.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(without_lines(&json), without_lines(&csv));
    assert_eq!(json.iter().map(|s| s.number).collect::<Vec<_>>(), [1, 2, 5]);
    assert_eq!(json.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(csv.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3, 4]);
    let nurse = &json[2].sheet;
    assert_eq!(nurse.date_of_care, date!(2025 - 03 - 17));
    assert_eq!(nurse.parcours, Parcours::Oriente);
    assert_eq!(
        nurse.prescriber,
        Some(ProfessionalId::adeli("751234567").unwrap())
    );
    assert_eq!(nurse.lines.len(), 2);
    assert_eq!(nurse.lines[0].coefficient.hundredths(), 150);
    assert_eq!(nurse.lines[0].quantity.get(), 2);
    assert!(nurse.lines[0].ald && !nurse.lines[0].at_mp);
    assert_eq!(json[1].sheet.rank, 2);
    assert!(json[1].sheet.tiers_payant && !json[1].complementary_requested);
    assert_eq!(json[1].sheet.parcours, Parcours::HorsParcours);
}

#[test]
fn the_examples_pass_the_first_pass_with_their_counts() {
    for name in ["lot-feuilles.jsonl", "lot-feuilles.csv"] {
        let summary = validate_whole(BufReader::new(&example(name)[..]), None).unwrap();
        assert_eq!((summary.sheets, summary.care_lines), (3, 4), "{name}");
        assert_eq!(summary.charged, AmountCents::new(3000 + 3500 + 945 + 250));
    }
}
