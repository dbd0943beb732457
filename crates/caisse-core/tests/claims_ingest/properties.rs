//! Any lot written by the small writer reads back equal, in both formats.

use caisse_core::claims::ingest::{IncomingSheet, LotHeader, LotReader};
use caisse_domain::claims::{
    ActCode, CareLine, CareSheet, Coefficient, Parcours, ProfessionalId, Quantity,
};
use caisse_domain::{AmountCents, Nir, compute_key};
use proptest::prelude::*;
use time::Date;

use super::writer;

fn nir() -> impl Strategy<Value = Nir> {
    (1u8..=2, 0u8..=99, 1u8..=12, 1u16..=990, 1u16..=999).prop_map(
        |(sex, yy, mm, commune, order)| {
            let body = format!("{sex}{yy:02}{mm:02}75{commune:03}{order:03}");
            let key = compute_key(&body).unwrap();
            Nir::parse(&format!("{body}{key:02}")).unwrap()
        },
    )
}

fn professional() -> impl Strategy<Value = ProfessionalId> {
    prop_oneof![
        "[0-9]{11}".prop_map(|n| ProfessionalId::rpps(&n).unwrap()),
        "[0-9]{9}".prop_map(|n| ProfessionalId::adeli(&n).unwrap()),
        "[0-9]{9}".prop_map(|n| ProfessionalId::finess(&n).unwrap()),
        "2[AB][0-9]{7}".prop_map(|n| ProfessionalId::finess(&n).unwrap()),
    ]
}

fn care_line() -> impl Strategy<Value = CareLine> {
    (
        "[A-Z0-9]{1,13}",
        1u16..=999,
        1u32..=100_000,
        0i64..=9_999_999_999,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(code, quantity, hundredths, cents, ald, at_mp)| CareLine {
            code: ActCode::parse(&code).unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            coefficient: Coefficient::from_hundredths(hundredths).unwrap(),
            charged: AmountCents::new(cents),
            ald,
            at_mp,
        })
}

fn parcours() -> impl Strategy<Value = Parcours> {
    prop::sample::select(vec![
        Parcours::MedecinTraitant,
        Parcours::Oriente,
        Parcours::AccesDirect,
        Parcours::Urgence,
        Parcours::HorsParcours,
    ])
}

fn sheet() -> impl Strategy<Value = (u32, bool, CareSheet)> {
    (
        1u32..1000,
        any::<bool>(),
        (
            nir(),
            1u8..=99,
            professional(),
            proptest::option::of(professional()),
        ),
        (2_440_000i32..2_470_000, any::<bool>(), parcours()),
        prop::collection::vec(care_line(), 1..4),
    )
        .prop_map(
            |(
                gap,
                complementary,
                (nir, rank, professional, prescriber),
                (day, tiers_payant, parcours),
                lines,
            )| {
                let sheet = CareSheet {
                    nir,
                    rank,
                    professional,
                    prescriber,
                    date_of_care: Date::from_julian_day(day).unwrap(),
                    tiers_payant,
                    parcours,
                    lines,
                };
                (gap, complementary, sheet)
            },
        )
}

fn lot() -> impl Strategy<Value = (LotHeader, Vec<IncomingSheet>)> {
    (
        professional(),
        1u32..=999_999_999,
        prop::collection::vec(sheet(), 1..5),
    )
        .prop_map(|(sender, number, drafts)| {
            let mut sheet_number = 0;
            let sheets = drafts
                .into_iter()
                .map(|(gap, complementary_requested, sheet)| {
                    sheet_number += gap;
                    IncomingSheet {
                        number: sheet_number,
                        line: 0,
                        complementary_requested,
                        sheet,
                    }
                })
                .collect();
            (LotHeader { sender, number }, sheets)
        })
}

fn read_back(text: &str) -> (LotHeader, Vec<IncomingSheet>) {
    let lot = LotReader::open(text.as_bytes(), None).unwrap();
    let header = lot.header().clone();
    let sheets = lot
        .map(|s| {
            let mut s = s.unwrap();
            s.line = 0;
            s
        })
        .collect();
    (header, sheets)
}

proptest! {
    #[test]
    fn a_lot_written_in_json_lines_reads_back_equal((header, sheets) in lot()) {
        prop_assert_eq!(read_back(&writer::json_lines(&header, &sheets)), (header, sheets));
    }

    #[test]
    fn a_lot_written_in_csv_reads_back_equal((header, sheets) in lot()) {
        prop_assert_eq!(read_back(&writer::csv(&header, &sheets)), (header, sheets));
    }
}
