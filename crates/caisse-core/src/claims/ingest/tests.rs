//! One malformed case per error kind, in both formats: the line, the field and the French
//! sentence an operator reads.

use serde_json::{Value, json};

use super::error::{IngestError, IngestErrorKind};
use super::{Format, LotReader, MAX_CARE_LINES, MAX_LINE_BYTES, validate_whole};

const LOT: &str =
    r#"{"lot": {"type_emetteur": "rpps", "emetteur": "10003456789", "numero_lot": 42}}"#;

fn sheet(number: u32) -> Value {
    json!({
        "numero_feuille": number, "nir": "185057800608491", "rang": 1,
        "type_professionnel": "rpps", "professionnel": "10003456789",
        "date_soins": "2025-03-14", "tiers_payant": true, "part_complementaire": false,
        "parcours": "medecin_traitant",
        "actes": [{"code_acte": "G", "quantite": 1, "coefficient": 1, "montant_cents": 3000,
                   "ald": false, "at_mp": false}]
    })
}

/// The problems of a JSON Lines lot made of the header and `lines`.
fn json_errors(lines: &[String]) -> Vec<IngestError> {
    let text = format!("{LOT}\n{}\n", lines.join("\n"));
    validate_whole(text.as_bytes(), None).unwrap_err().errors
}

/// The one problem of a lot whose second line is sheet 1 changed by `edit`.
fn one_json_error(edit: impl FnOnce(&mut Value)) -> IngestError {
    let mut value = sheet(1);
    edit(&mut value);
    let errors = json_errors(&[value.to_string()]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap()
}

fn assert_message(error: &IngestError, message: &str) {
    assert_eq!(error.message_fr(), message);
}

#[test]
fn a_line_that_is_not_json_is_located() {
    let errors = json_errors(&[sheet(1).to_string(), r#"{"numero_feuille": 2,"#.to_owned()]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert_message(
        &errors[0],
        "ligne 3 : JSON illisible (colonne 21 de la ligne)",
    );
}

#[test]
fn a_missing_field_is_named() {
    let error = one_json_error(|v| {
        v.as_object_mut().unwrap().remove("date_soins");
    });
    assert_message(
        &error,
        "ligne 2, champ date_soins : champ obligatoire absent ou vide",
    );
}

#[test]
fn a_nir_with_a_wrong_key_is_refused_without_quoting_it() {
    let error = one_json_error(|v| v["nir"] = "185057800608492".into());
    assert_message(
        &error,
        "ligne 2, champ nir : la clé du NIR ne correspond pas aux 13 premiers caractères",
    );
    assert!(!error.message_fr().contains("1850578"));
}

#[test]
fn an_impossible_date_is_refused() {
    let error = one_json_error(|v| v["date_soins"] = "2025-02-30".into());
    assert_message(
        &error,
        "ligne 2, champ date_soins : date invalide (attendu AAAA-MM-JJ)",
    );
    let error = one_json_error(|v| v["date_soins"] = "14/03/2025".into());
    assert_eq!(error.field.as_deref(), Some("date_soins"));
}

#[test]
fn a_negative_amount_is_refused_with_the_position_of_its_act() {
    let error = one_json_error(|v| v["actes"][0]["montant_cents"] = (-100).into());
    assert_message(
        &error,
        "ligne 2, champ actes[1].montant_cents : montant négatif : un montant facturé est positif ou nul",
    );
    let error = one_json_error(|v| v["actes"][0]["montant_cents"] = 30.5.into());
    assert_eq!(error.field.as_deref(), Some("actes[1].montant_cents"));
}

#[test]
fn a_sheet_without_acts_is_refused() {
    let error = one_json_error(|v| v["actes"] = json!([]));
    assert_message(
        &error,
        "ligne 2, champ actes : la feuille ne compte aucun acte",
    );
    let error = one_json_error(|v| {
        v.as_object_mut().unwrap().remove("actes");
    });
    assert_eq!(error.kind, IngestErrorKind::Missing);
    let error = one_json_error(|v| v["actes"] = json!("G"));
    assert_eq!(error.field.as_deref(), Some("actes"));
    let error = one_json_error(|v| v["actes"] = json!(["G"]));
    assert_eq!(
        (error.field.as_deref(), error.kind),
        (Some("actes[1]"), IngestErrorKind::NotAnObject)
    );
}

#[test]
fn an_unknown_parcours_is_refused() {
    let error = one_json_error(|v| v["parcours"] = "libre".into());
    assert_message(
        &error,
        "ligne 2, champ parcours : parcours attendu : medecin_traitant, oriente, acces_direct, urgence ou hors_parcours",
    );
}

#[test]
fn an_unknown_field_is_refused_as_a_likely_typo() {
    let mut value = sheet(1);
    value["date_soin"] = value["date_soins"].take();
    let errors = json_errors(&[value.to_string()]);
    let fields: Vec<_> = errors
        .iter()
        .map(|e| (e.field.as_deref(), e.kind.clone()))
        .collect();
    assert_eq!(
        fields,
        [
            (Some("date_soin"), IngestErrorKind::UnknownField),
            (Some("date_soins"), IngestErrorKind::Missing)
        ]
    );
    let error = one_json_error(|v| v["actes"][0]["remise"] = 0.into());
    assert_eq!(error.field.as_deref(), Some("actes[1].remise"));
}

#[test]
fn ranges_are_checked() {
    for (field, value, message) in [
        ("rang", json!(0), "rang de 1 à 99 attendu"),
        ("rang", json!(100), "rang de 1 à 99 attendu"),
        (
            "numero_feuille",
            json!(0),
            "nombre entier de 1 à 999999999 attendu",
        ),
        (
            "tiers_payant",
            json!("peut-être"),
            "oui ou non attendu (true ou false en JSON)",
        ),
    ] {
        let error = one_json_error(|v| v[field] = value);
        assert_eq!(
            error.message_fr(),
            format!("ligne 2, champ {field} : {message}")
        );
    }
    for (field, value) in [
        ("quantite", json!(1000)),
        ("quantite", json!(0)),
        ("coefficient", json!(0)),
        ("coefficient", json!("1,555")),
        ("coefficient", json!(1001)),
        ("montant_cents", json!(10_000_000_000_i64)),
        ("code_acte", json!("ami")),
        ("ald", json!(1)),
    ] {
        let error = one_json_error(|v| v["actes"][0][field] = value);
        assert_eq!(error.field, Some(format!("actes[1].{field}")));
    }
}

#[test]
fn professional_identifiers_have_their_shape() {
    let error = one_json_error(|v| v["professionnel"] = "1000345678".into());
    assert_message(
        &error,
        "ligne 2, champ professionnel : un numéro RPPS compte 11 chiffres",
    );
    let error = one_json_error(|v| v["type_professionnel"] = "siret".into());
    assert_eq!(error.field.as_deref(), Some("type_professionnel"));
    let error = one_json_error(|v| v["type_prescripteur"] = "adeli".into());
    assert_message(
        &error,
        "ligne 2, champ prescripteur : champ obligatoire absent ou vide",
    );
    let error = one_json_error(|v| v["prescripteur"] = "751234567".into());
    assert_eq!(error.field.as_deref(), Some("type_prescripteur"));
    let error = one_json_error(|v| v["professionnel"] = 10_003_456_789_u64.into());
    assert_eq!(error.field.as_deref(), Some("professionnel"));
}

#[test]
fn sheet_numbers_increase_through_the_lot() {
    let errors = json_errors(&[
        sheet(5).to_string(),
        sheet(5).to_string(),
        sheet(3).to_string(),
    ]);
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(
        errors[1].kind,
        IngestErrorKind::OutOfOrder {
            number: 3,
            previous: 5
        }
    );
    assert!(
        errors[1]
            .message_fr()
            .starts_with("ligne 4, champ numero_feuille : feuille 3 après la feuille 5")
    );
}

#[test]
fn the_lot_header_comes_first_and_once() {
    let text = format!("{}\n", sheet(1));
    let errors = validate_whole(text.as_bytes(), None).unwrap_err().errors;
    assert_message(
        &errors[0],
        "ligne 1 : la première ligne doit être l'en-tête du lot, {\"lot\": {…}}",
    );
    let errors = json_errors(&[LOT.to_owned()]);
    assert_eq!(
        (errors[0].line, &errors[0].kind),
        (2, &IngestErrorKind::SecondLotHeader)
    );
    let text =
        r#"{"lot": {"type_emetteur": "finess", "emetteur": "2C0000001", "numero_lot": 1, "x": 1}}"#;
    let errors = validate_whole(text.as_bytes(), None).unwrap_err().errors;
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, [Some("lot.x"), Some("lot.emetteur")]);
}

#[test]
fn an_empty_file_and_a_lot_without_sheets_are_refused() {
    for text in ["", "\u{feff}", "\n\n"] {
        let errors = validate_whole(text.as_bytes(), Some(Format::JsonLines))
            .unwrap_err()
            .errors;
        assert_message(&errors[0], "ligne 1 : le fichier est vide");
    }
    let errors = json_errors(&[]);
    assert_message(&errors[0], "ligne 1 : le lot ne compte aucune feuille");
}

#[test]
fn a_line_too_long_is_refused_and_the_next_ones_still_read() {
    let long = format!(r#"{{"x": "{}"}}"#, "a".repeat(MAX_LINE_BYTES));
    let errors = json_errors(&[long, sheet(1).to_string(), "[]".to_owned()]);
    let kinds: Vec<_> = errors.iter().map(|e| (e.line, e.kind.clone())).collect();
    assert_eq!(
        kinds,
        [
            (2, IngestErrorKind::LineTooLong),
            (4, IngestErrorKind::NotAnObject)
        ]
    );
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let text = [LOT.as_bytes(), b"\n{\"nir\": \"\xff\"}\n"].concat();
    let errors = validate_whole(&text[..], None).unwrap_err().errors;
    assert_message(&errors[0], "ligne 2 : le texte n'est pas en UTF-8");
}

#[test]
fn every_problem_is_reported_up_to_a_hundred() {
    let lines: Vec<String> = (1..=150).map(|_| "[1]".to_owned()).collect();
    let refusal =
        validate_whole(format!("{LOT}\n{}", lines.join("\n")).as_bytes(), None).unwrap_err();
    assert_eq!((refusal.errors.len(), refusal.more), (100, 50));
    let report = refusal.report_fr();
    assert_eq!(report[0], "ligne 2 : un objet JSON { … } est attendu");
    assert_eq!(report[100], "… et 50 autres erreurs");
}

#[test]
fn a_sheet_read_shows_no_nir_in_debug() {
    let text = format!("{LOT}\n{}\n", sheet(1));
    let mut lot = LotReader::open(text.as_bytes(), None).unwrap();
    let sheet = lot.next().unwrap().unwrap();
    assert!(!format!("{sheet:?}").contains("1850578006"));
    assert!(lot.next().is_none());
}

const CSV_HEADER: &str = "type_emetteur,emetteur,numero_lot,numero_feuille,nir,rang,type_professionnel,professionnel,type_prescripteur,prescripteur,date_soins,tiers_payant,part_complementaire,parcours,code_acte,quantite,coefficient,montant_cents,ald,at_mp";

/// A CSV row of sheet `number`, with `changes` to its cells.
fn row(number: u32, changes: &[(&str, &str)]) -> String {
    let mut cells: Vec<String> = format!(
        "rpps,10003456789,42,{number},185057800608491,1,rpps,10003456789,,,2025-03-14,oui,non,medecin_traitant,G,1,1,3000,non,non"
    )
    .split(',')
    .map(str::to_owned)
    .collect();
    for (column, value) in changes {
        let at = CSV_HEADER.split(',').position(|c| c == *column).unwrap();
        cells[at] = (*value).to_owned();
    }
    cells.join(",")
}

fn csv_errors(rows: &[String]) -> Vec<IngestError> {
    let text = format!("{CSV_HEADER}\n{}\n", rows.join("\n"));
    validate_whole(text.as_bytes(), None).unwrap_err().errors
}

#[test]
fn a_csv_header_missing_a_column_is_refused() {
    let header = CSV_HEADER
        .replace(",montant_cents", "")
        .replace("ald", "ALD");
    let text = format!("{header}\n");
    let errors = validate_whole(text.as_bytes(), None).unwrap_err().errors;
    let messages: Vec<_> = errors.iter().map(IngestError::message_fr).collect();
    assert_eq!(
        messages,
        [
            "ligne 1, champ ALD : champ inconnu (voir docs/claims-format.md)",
            "ligne 1, champ montant_cents : colonne absente de l'en-tête",
            "ligne 1, champ ald : colonne absente de l'en-tête",
        ]
    );
    let text = format!("{CSV_HEADER},nir\n");
    let errors = validate_whole(text.as_bytes(), None).unwrap_err().errors;
    assert_eq!(errors[0].kind, IngestErrorKind::DuplicateColumn);
}

#[test]
fn csv_rows_of_a_sheet_follow_one_another() {
    let errors = csv_errors(&[row(1, &[]), row(2, &[]), row(1, &[("code_acte", "K")])]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert_eq!(
        errors[0].kind,
        IngestErrorKind::OutOfOrder {
            number: 1,
            previous: 2
        }
    );
}

#[test]
fn repeated_csv_cells_agree_with_the_first_row() {
    let errors = csv_errors(&[row(1, &[]), row(1, &[("date_soins", "2025-03-15")])]);
    assert_eq!(errors.len(), 1);
    assert_message(
        &errors[0],
        "ligne 3, champ date_soins : valeur différente de celle de la ligne 2 (elle se répète à l'identique sur chaque ligne)",
    );
    let errors = csv_errors(&[row(1, &[]), row(2, &[]), row(3, &[("numero_lot", "43")])]);
    assert_eq!(
        (errors[0].line, errors[0].field.as_deref()),
        (4, Some("numero_lot"))
    );
}

#[test]
fn csv_cells_are_checked_on_their_own_line() {
    let errors = csv_errors(&[
        row(1, &[]),
        row(1, &[("montant_cents", "\"12,50\"")]),
        row(2, &[("quantite", "")]),
    ]);
    let located: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(located, [(3, Some("montant_cents")), (4, Some("quantite"))]);
    let errors = csv_errors(&[row(1, &[("nir", "185057800608492")])]);
    assert_eq!(
        (errors[0].line, errors[0].field.as_deref()),
        (2, Some("nir"))
    );
}

#[test]
fn a_csv_row_with_a_wrong_cell_count_is_refused() {
    let errors = csv_errors(&[row(1, &[]), format!("{},x", row(1, &[])), row(2, &[])]);
    assert_message(
        &errors[0],
        "ligne 3 : 21 cellules au lieu de 20 (celles de l'en-tête)",
    );
}

#[test]
fn a_csv_lot_with_a_bad_first_row_or_no_row_is_refused() {
    let errors = csv_errors(&[row(1, &[("type_emetteur", "siret")])]);
    assert_eq!(
        (errors[0].line, errors[0].field.as_deref()),
        (2, Some("type_emetteur"))
    );
    let errors = validate_whole(format!("{CSV_HEADER}\n").as_bytes(), None)
        .unwrap_err()
        .errors;
    assert_message(&errors[0], "ligne 2 : le lot ne compte aucune feuille");
}

#[test]
fn a_csv_lot_with_a_byte_order_mark_reads() {
    let text = format!(
        "\u{feff}{CSV_HEADER}\n{}\n{}\n",
        row(1, &[]),
        row(1, &[("code_acte", "MU")])
    );
    let summary = validate_whole(text.as_bytes(), None).unwrap();
    assert_eq!(
        (summary.format, summary.sheets, summary.care_lines),
        (Format::Csv, 1, 2)
    );
}

#[test]
fn a_sheet_of_more_than_999_acts_is_refused_in_both_formats() {
    let error =
        one_json_error(|v| v["actes"] = json!(vec![v["actes"][0].clone(); MAX_CARE_LINES + 1]));
    assert_message(
        &error,
        "ligne 2, champ actes : la feuille compte plus de 999 actes",
    );
    let mut rows = vec![row(1, &[]); MAX_CARE_LINES + 2];
    rows.push(row(2, &[]));
    let errors = csv_errors(&rows);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_message(
        &errors[0],
        "ligne 1001 : la feuille compte plus de 999 actes",
    );
}
