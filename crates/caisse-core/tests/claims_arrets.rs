//! Files of arrêts de travail as a sender writes them: the examples of
//! `docs/claims-format.md` (§ Arrêts de travail) read in both formats to the same arrêts and
//! scheduled against the repository's reference files, and each kind of problem located by
//! its line and field in French, the file refused whole.

use std::io::BufReader;

use caisse_core::claims::ingest::arrets::{ArretsReader, IncomingArret, validate_arrets};
use caisse_core::claims::ingest::{Format, IngestErrorKind};
use caisse_core::claims::{ReferenceFiles, parse_reference_files};
use caisse_domain::AmountCents;
use caisse_domain::claims::{ArretKind, IjPayee, Subrogation, Table, ij_schedule};
use time::macros::date;

fn example(name: &str) -> Vec<u8> {
    let path = format!("{}/../../docs/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

fn read_all(bytes: &[u8]) -> (Format, Vec<IncomingArret>) {
    let arrets = ArretsReader::open(bytes, None).unwrap();
    let format = arrets.format();
    (format, arrets.collect::<Result<Vec<_>, _>>().unwrap())
}

#[test]
fn the_two_examples_hold_the_same_arrets_and_schedule_against_the_reference_files() {
    let (json_format, json) = read_all(&example("arrets.jsonl"));
    let (csv_format, csv) = read_all(&example("arrets.csv"));
    assert_eq!((json_format, csv_format), (Format::JsonLines, Format::Csv));
    let without_lines = |arrets: &[IncomingArret]| {
        arrets
            .iter()
            .map(|a| {
                (
                    a.reference.clone(),
                    a.nir.clone(),
                    a.rank,
                    a.arret.clone(),
                    a.employer_iban.clone(),
                    a.employer_name.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(without_lines(&json), without_lines(&csv));
    assert_eq!(
        json.iter().map(|a| a.line).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    // In CSV the header is line 1.
    assert_eq!(csv.iter().map(|a| a.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert_eq!(json[0].reference, "AT-2026-0001");
    assert_eq!(json[1].arret.kind, ArretKind::Maternite);
    assert_eq!(
        json[1].arret.subrogation,
        Some(Subrogation {
            until: date!(2026 - 04 - 30)
        })
    );
    // AT/MP: the months left empty count as 0.
    assert_eq!(
        json[2].arret.gross_salaries,
        [300_000, 0, 0].map(AmountCents::new)
    );
    assert!(json[3].arret.ald && !json[3].arret.carence_applies);
    assert_eq!(
        json[1].employer_name.as_deref(),
        Some("Boulangerie Martin SARL")
    );
    assert!(json[1].employer_iban.is_some() && json[3].employer_iban.is_some());
    assert!(json[0].employer_iban.is_none() && json[3].employer_name.is_none());

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../reference/");
    let texts =
        Table::ALL.map(|t| std::fs::read_to_string(format!("{dir}{}", t.file_name())).unwrap());
    let tables = parse_reference_files(&ReferenceFiles::from_texts(std::array::from_fn(|i| {
        texts[i].as_str()
    })))
    .unwrap();
    for incoming in &json {
        let schedule = ij_schedule(&incoming.arret, &tables).unwrap();
        assert_eq!(
            schedule.payments.iter().map(|p| p.days).sum::<u32>(),
            schedule.paid_days
        );
    }
    let maternite = ij_schedule(&json[1].arret, &tables).unwrap();
    assert_eq!(maternite.payments[0].payee, IjPayee::Employer);
    assert_eq!(maternite.payments.last().unwrap().payee, IjPayee::Member);
}

#[test]
fn debug_shows_neither_the_nir_nor_the_salaries() {
    let (_, arrets) = read_all(&example("arrets.csv"));
    let shown = format!("{arrets:?}");
    assert!(
        !shown.contains("185057800608491") && !shown.contains("0608491"),
        "{shown}"
    );
    assert!(
        !shown.contains("251230") && !shown.contains("200000"),
        "{shown}"
    );
}

#[test]
fn the_examples_pass_the_first_pass_with_their_counts() {
    for name in ["arrets.jsonl", "arrets.csv"] {
        let summary = validate_arrets(BufReader::new(&example(name)[..]), None).unwrap();
        assert_eq!((summary.arrets, summary.by_kind), (4, [2, 1, 1]), "{name}");
    }
}

const HEADER: &str = "reference_arret,nir,rang,type_arret,date_debut,date_fin,siret_employeur,\
                      salaire_1_cents,salaire_2_cents,salaire_3_cents,subrogation_jusqu_au,\
                      iban_employeur,raison_sociale_employeur,carence,ald";
const ROW: &str = "R1,185057800608491,1,maladie,2026-03-02,2026-03-22,73282932000074,\
                   200000,200000,200000,,,,oui,non";

fn csv_report(rows: &[&str]) -> Vec<String> {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    validate_arrets(text.as_bytes(), None)
        .unwrap_err()
        .report_fr()
}

#[test]
fn every_bad_field_is_reported_with_its_line_and_the_file_is_refused() {
    let report = csv_report(&[
        ROW,
        "R2,185057800608492,0,conge,2026-03-22,2026-03-02,73282932000075,-5,,200000,2026-01-01,FR76,,peut-etre,non",
        "R1,185057800608491,1,maladie,2026-03-02,2026-03-22,73282932000074,200000,200000,200000,,,,oui,non",
    ]);
    assert_eq!(
        report,
        [
            "ligne 3, champ nir : la clé du NIR ne correspond pas aux 13 premiers caractères",
            "ligne 3, champ rang : rang de 1 à 99 attendu",
            "ligne 3, champ type_arret : type d'arrêt attendu : maladie, maternite ou at_mp",
            "ligne 3, champ siret_employeur : numéro SIRET erroné : la clé de contrôle (formule de Luhn) ne correspond pas",
            "ligne 3, champ salaire_1_cents : salaire négatif : un salaire brut est positif ou nul",
            "ligne 3, champ iban_employeur : IBAN erroné : vérifier le code pays, la longueur et la clé de contrôle",
            "ligne 3, champ carence : oui ou non attendu (true ou false en JSON)",
            "ligne 3, champ date_fin : la fin de l'arrêt est antérieure à son début",
            "ligne 3, champ subrogation_jusqu_au : la subrogation se termine avant le début de l'arrêt : laisser vide s'il n'y en a pas",
            "ligne 4, champ reference_arret : arrêt déjà présent ligne 2 (même SIRET d'employeur et même reference_arret) : chaque arrêt figure une seule fois",
        ]
    );
}

#[test]
fn a_subrogation_needs_the_employers_iban() {
    let subrogated = ROW.replace(
        ",,,,oui,non",
        ",2026-03-10,,Boulangerie Martin SARL,oui,non",
    );
    assert_eq!(
        csv_report(&[&subrogated]),
        [
            "ligne 2, champ iban_employeur : IBAN de l'employeur obligatoire quand la subrogation est déclarée : les indemnités lui sont versées"
        ]
    );
    let with_iban = ROW.replace(
        ",,,,oui,non",
        ",2026-03-10,FR7630006000011234567890189,,oui,non",
    );
    assert!(validate_arrets(format!("{HEADER}\n{with_iban}\n").as_bytes(), None).is_ok());
}

#[test]
fn a_missing_month_is_an_error_but_for_at_mp() {
    let maladie = ROW.replace("200000,200000,200000", "200000,,200000");
    assert_eq!(
        csv_report(&[&maladie]),
        ["ligne 2, champ salaire_2_cents : champ obligatoire absent ou vide"]
    );
    let at_mp = maladie.replace("maladie", "at_mp");
    assert!(validate_arrets(format!("{HEADER}\n{at_mp}\n").as_bytes(), None).is_ok());
}

#[test]
fn json_lines_report_unknown_fields_bad_json_and_types() {
    let good = r#"{"reference_arret": "R1", "nir": "185057800608491", "rang": 1, "type_arret": "maladie", "date_debut": "2026-03-02", "date_fin": "2026-03-22", "siret_employeur": "73282932000074", "salaire_1_cents": 200000, "salaire_2_cents": 200000, "salaire_3_cents": 200000, "carence": true, "ald": false}"#;
    let typo = good.replace("\"ald\"", "\"ald_exo\"");
    let text = format!("{good}\n{{not json\n\n{typo}\n[1]\n");
    let refusal = validate_arrets(text.as_bytes(), Some(Format::JsonLines)).unwrap_err();
    assert_eq!(
        refusal.report_fr(),
        [
            "ligne 2 : JSON illisible (colonne 2 de la ligne)",
            "ligne 4, champ ald_exo : champ inconnu (voir docs/claims-format.md)",
            "ligne 4, champ ald : champ obligatoire absent ou vide",
            "ligne 5 : un objet JSON { … } est attendu",
        ]
    );
}

#[test]
fn an_empty_file_a_bad_header_and_a_short_row_are_reported() {
    let refusal = validate_arrets(&b""[..], Some(Format::JsonLines)).unwrap_err();
    assert_eq!(refusal.errors[0].kind, IngestErrorKind::NoArret);
    let refusal = validate_arrets(
        "reference_arret,nir,commentaire\nR1,185057800608491,x\n".as_bytes(),
        None,
    )
    .unwrap_err();
    let report = refusal.report_fr();
    assert_eq!(
        report[0],
        "ligne 1, champ commentaire : champ inconnu (voir docs/claims-format.md)"
    );
    assert!(report.contains(&"ligne 1, champ rang : colonne absente de l'en-tête".to_owned()));
    assert_eq!(
        csv_report(&["R1,185057800608491,1"]),
        ["ligne 2 : 3 cellules au lieu de 15 (celles de l'en-tête)"]
    );
}
