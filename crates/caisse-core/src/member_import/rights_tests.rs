//! Unit tests of the columns of rights: coverage, régime local, C2S, doctor and exemptions.

use caisse_domain::CaisseCode;
use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_store::rights::{C2s, Coverage, Doctor, Exemption};
use time::Date;
use time::macros::date;

fn period(from: Date, to: Option<Date>) -> Period {
    Period::new(from, to).unwrap()
}

use super::{ParsedFile, parse};

const HEADER: &str = "type;nir;rang;nom;prenom;date_naissance;sexe;caisse;adresse_ligne1;\
code_postal;ville;regime;code_gestion;droits_debut;droits_fin;regime_local;c2s;c2s_debut;\
c2s_fin;medecin_traitant;exonerations";

/// Sophie WEBER, Bas-Rhin (fund 671).
const SOPHIE: &str = "282126748202355";

fn row(overrides: &[(&str, &str)], defaults: &[(&str, &str)]) -> String {
    super::tests::row_in(HEADER, defaults, overrides)
}

fn insured(overrides: &[(&str, &str)]) -> String {
    row(
        overrides,
        &[
            ("type", "assure"),
            ("nir", SOPHIE),
            ("rang", "01"),
            ("nom", "WEBER"),
            ("prenom", "Sophie"),
            ("date_naissance", "21/12/1982"),
            ("sexe", "2"),
            ("caisse", "671"),
            ("adresse_ligne1", "8 quai des Bateliers"),
            ("code_postal", "67000"),
            ("ville", "STRASBOURG"),
        ],
    )
}

fn child(overrides: &[(&str, &str)]) -> String {
    row(
        overrides,
        &[
            ("type", "ayant_droit"),
            ("nir", SOPHIE),
            ("rang", "02"),
            ("nom", "WEBER"),
            ("prenom", "Emma"),
            ("date_naissance", "04/06/2012"),
            ("sexe", "2"),
        ],
    )
}

fn parse_rows(rows: &[String]) -> ParsedFile {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    parse(text.as_bytes(), date!(2026 - 01 - 15)).unwrap()
}

fn errors(rows: &[String]) -> Vec<String> {
    parse_rows(rows)
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn rights_columns_give_coverage_c2s_doctors_and_exemptions() {
    let parsed = parse_rows(&[
        insured(&[
            ("droits_debut", "01/01/2004"),
            ("regime_local", "oui"),
            ("c2s", "gratuite"),
            ("c2s_debut", "2026-01-01"),
            ("c2s_fin", "31/12/2026"),
            ("medecin_traitant", "Dr Anne  MEYER"),
            (
                "exonerations",
                "ald:100:01/03/2024:28/02/2029|maternite:100 %:2026-02-01",
            ),
        ]),
        child(&[("medecin_traitant", "Dr Anne MEYER")]),
    ]);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert!(parsed.carries_rights);
    let rights = &parsed.insured[0].rights;
    assert_eq!(
        rights.coverages,
        [Coverage {
            regime: RegimeCode::parse("01").unwrap(),
            code_gestion: CodeGestion::parse("10").unwrap(),
            caisse: CaisseCode::parse("671").unwrap(),
            period: period(date!(2004 - 01 - 01), None),
            local_regime: true,
        }]
    );
    assert_eq!(
        rights.c2s,
        [C2s {
            kind: C2sKind::parse("gratuite").unwrap(),
            period: period(date!(2026 - 01 - 01), Some(date!(2026 - 12 - 31))),
        }]
    );
    assert_eq!(
        rights.doctors,
        [Doctor {
            rank: 1,
            name: "Dr Anne MEYER".to_owned(),
            declared_on: None,
        }]
    );
    assert_eq!(
        rights.exemptions,
        [
            Exemption {
                rank: 1,
                nature: ExemptionNature::parse("ald").unwrap(),
                rate: Rate::from_percent(100).unwrap(),
                period: period(date!(2024 - 03 - 01), Some(date!(2029 - 02 - 28))),
            },
            Exemption {
                rank: 1,
                nature: ExemptionNature::parse("maternite").unwrap(),
                rate: Rate::from_percent(100).unwrap(),
                period: period(date!(2026 - 02 - 01), None),
            },
        ]
    );
    let child = &parsed.beneficiaries[0].rights;
    assert_eq!(child.doctors[0].rank, 2);
    assert!(child.coverages.is_empty() && child.c2s.is_empty());
}

#[test]
fn a_file_without_rights_columns_carries_no_rights() {
    let text = "type;nir;rang;nom;prenom;date_naissance;sexe;caisse;adresse_ligne1;code_postal;ville\n\
                assure;282126748202355;01;WEBER;Sophie;21/12/1982;2;671;8 quai;67000;STRASBOURG\n";
    let parsed = parse(text.as_bytes(), date!(2026 - 01 - 15)).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert!(!parsed.carries_rights);
    assert!(parsed.insured[0].rights.is_empty());
}

#[test]
fn regime_and_codes_are_checked_and_need_a_start() {
    let found = errors(&[insured(&[
        ("droits_debut", "01/01/2004"),
        ("regime", "A1"),
        ("code_gestion", "123"),
        ("regime_local", "peut-être"),
    ])]);
    assert_eq!(
        found,
        [
            "ligne 2, colonne regime : ce code s'écrit avec 2 chiffres, par exemple 01 ou 10.",
            "ligne 2, colonne code_gestion : ce code s'écrit avec 2 chiffres, par exemple 01 ou 10.",
            "ligne 2, colonne regime_local : s'écrit oui ou non",
        ]
    );
    let found = errors(&[insured(&[
        ("code_gestion", "10"),
        ("regime_local", "oui"),
        ("droits_fin", "31/12/2030"),
    ])]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|e| e.ends_with("renseignez aussi droits_debut, le début de la période de droits"))
    );
    let found = errors(&[insured(&[
        ("droits_debut", "01/01/2027"),
        ("droits_fin", "31/12/2026"),
    ])]);
    assert_eq!(
        found,
        ["ligne 2, colonne droits_fin : la fin des droits précède leur début"]
    );
}

#[test]
fn a_c2s_needs_its_kind_and_its_start() {
    assert_eq!(
        errors(&[insured(&[("c2s", "gratuite")])]),
        ["ligne 2, colonne c2s_debut : obligatoire quand la colonne c2s est remplie"]
    );
    assert_eq!(
        errors(&[insured(&[("c2s_debut", "01/01/2026")])]),
        ["ligne 2, colonne c2s : précisez la forme de la C2S : gratuite ou participation"]
    );
    assert_eq!(
        errors(&[insured(&[("c2s", "oui"), ("c2s_debut", "01/01/2026")])]),
        ["ligne 2, colonne c2s : la C2S s'écrit gratuite (sans participation) ou participation."]
    );
}

#[test]
fn exemptions_name_the_faulty_entry() {
    let found = errors(&[insured(&[(
        "exonerations",
        "ald:100:01/03/2024|grossesse:100:01/01/2026|ald:120:01/01/2026|ald:100:31/02/2026|ald:100",
    )])]);
    assert_eq!(found.len(), 1, "{found:?}");
    // The first faulty entry is reported: the column holds one value for the operator to fix.
    assert_eq!(
        found[0],
        "ligne 2, colonne exonerations : exonération n° 2 : nature d'exonération inconnue : \
         ald, maternite, invalidite ou at_mp."
    );
    for (value, expected) in [
        (
            "ald:120:01/01/2026",
            "exonération n° 1 : le taux est un pourcentage entier de 0 à 100, par exemple 100.",
        ),
        (
            "ald:100:31/02/2026",
            "exonération n° 1, début : cette date n'existe pas",
        ),
        (
            "ald:100",
            "exonération n° 1 : s'écrit nature:taux:début[:fin], par exemple ald:100:01/03/2024",
        ),
        (
            "ald:100:01/03/2026:01/01/2026",
            "exonération n° 1 : la date de fin est antérieure à la date de début.",
        ),
    ] {
        assert_eq!(
            errors(&[insured(&[("exonerations", value)])]),
            [format!("ligne 2, colonne exonerations : {expected}")],
            "{value}"
        );
    }
}

#[test]
fn an_ayant_droit_leaves_the_insured_rights_columns_empty() {
    let found = errors(&[
        insured(&[]),
        child(&[("droits_debut", "01/01/2004"), ("c2s", "gratuite")]),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("ligne 3, colonne droits_debut : ne s'applique pas"));
    assert!(found[1].starts_with("ligne 3, colonne c2s : ne s'applique pas"));
}
