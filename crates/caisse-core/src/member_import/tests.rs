//! Unit tests of the member-file parser: every column rule, the file format, line numbers.

use caisse_domain::compute_key;
use time::macros::date;

use super::{ImportSummary, ParsedFile, RowError, error_report, parse};

const HEADER: &str = "type;nir;rang;nom;nom_usage;prenom;date_naissance;sexe;caisse;\
numero_carte_vitale;adresse_ligne1;adresse_ligne2;code_postal;ville;email;telephone;iban";

/// 1 85 05 78 006 084 91: a man born in May 1985 in the Yvelines (domain.md §1.3).
const JULIEN: &str = "185057800608491";

fn nir(body: &str) -> String {
    format!("{body}{:02}", compute_key(body).unwrap())
}

fn insured(overrides: &[(&str, &str)]) -> String {
    row(
        &[
            ("type", "assure"),
            ("nir", JULIEN),
            ("rang", "01"),
            ("nom", "MARTIN"),
            ("prenom", "Julien"),
            ("date_naissance", "14/05/1985"),
            ("sexe", "1"),
            ("caisse", "781"),
            ("numero_carte_vitale", "123456789"),
            ("adresse_ligne1", "12 rue de la Paroisse"),
            ("code_postal", "78000"),
            ("ville", "VERSAILLES"),
            ("email", "julien.martin@exemple.fr"),
            ("telephone", "06 12 34 56 78"),
        ],
        overrides,
    )
}

fn beneficiary(overrides: &[(&str, &str)]) -> String {
    row(
        &[
            ("type", "ayant_droit"),
            ("nir", JULIEN),
            ("rang", "02"),
            ("nom", "MARTIN"),
            ("prenom", "Léa"),
            ("date_naissance", "12/03/2015"),
            ("sexe", "2"),
        ],
        overrides,
    )
}

fn row(defaults: &[(&str, &str)], overrides: &[(&str, &str)]) -> String {
    row_in(HEADER, defaults, overrides)
}

/// A row for `header`: each column's override, else its default, else empty.
pub(super) fn row_in(
    header: &str,
    defaults: &[(&str, &str)],
    overrides: &[(&str, &str)],
) -> String {
    header
        .split(';')
        .map(|column| {
            overrides
                .iter()
                .chain(defaults)
                .find(|(name, _)| *name == column)
                .map_or("", |(_, value)| *value)
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn file(rows: &[String]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn parse_text(text: &str) -> ParsedFile {
    parse(text.as_bytes(), date!(2026 - 01 - 15)).unwrap()
}

fn errors_of(text: &str) -> Vec<String> {
    parse_text(text)
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The errors of a file made of the header and one row.
fn row_errors(row: String) -> Vec<String> {
    errors_of(&file(&[row]))
}

#[test]
fn a_good_file_gives_canonical_records() {
    let parsed = parse_text(&file(&[
        insured(&[]),
        beneficiary(&[]),
        beneficiary(&[("rang", "03"), ("prenom", "Hugo"), ("sexe", "H")]),
    ]));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.insured.len(), 1);
    let m = &parsed.insured[0].member;
    assert_eq!(parsed.insured[0].line, 2);
    assert_eq!(m.nir.as_str(), JULIEN);
    assert_eq!(m.birth_date, date!(1985 - 05 - 14));
    assert_eq!(m.sex.code(), 1);
    assert_eq!(m.caisse_code.as_str(), "781");
    assert_eq!(m.phone.as_ref().map(|p| p.as_str()), Some("+33612345678"));
    assert_eq!(m.usage_name, None);
    assert_eq!(m.address_line2, None);
    let ranks: Vec<_> = parsed
        .beneficiaries
        .iter()
        .map(|b| (b.line, b.beneficiary.rank, b.beneficiary.sex.code()))
        .collect();
    assert_eq!(ranks, [(3, 2, 2), (4, 3, 1)]);
    assert!(
        parsed
            .beneficiaries
            .iter()
            .all(|b| b.insured_nir.as_str() == JULIEN)
    );
}

#[test]
fn the_delimiter_is_read_from_the_header_and_a_bom_is_skipped() {
    let semicolon = file(&[insured(&[]), beneficiary(&[])]);
    let comma = semicolon.replace(';', ",");
    let bom = format!("\u{feff}{semicolon}");
    for text in [&semicolon, &comma, &bom] {
        let parsed = parse_text(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!((parsed.insured.len(), parsed.beneficiaries.len()), (1, 1));
    }
    // A wrong row in a comma file still gets its own line number.
    let bad = comma + &insured(&[("nir", "")]).replace(';', ",") + "\n";
    assert_eq!(
        errors_of(&bad),
        [
            "ligne 4, colonne nir : le numéro de sécurité sociale doit comporter 15 caractères : \
          13 caractères suivis de la clé de 2 chiffres."
        ]
    );
}

#[test]
fn header_problems_are_all_reported_on_line_one() {
    let text =
        "Type;NIR;rang;nom;prenom;prenom;date_naissance;sexe;caisse;adresse;code_postal;ville\n";
    let errors = errors_of(text);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(
        errors[0],
        "ligne 1 : la colonne « prenom » apparaît deux fois"
    );
    assert!(
        errors[1]
            .starts_with("ligne 1 : colonne inconnue « adresse » (colonnes possibles : type, nir,")
    );
    assert_eq!(
        errors[2],
        "ligne 1 : colonne obligatoire absente : « adresse_ligne1 »"
    );
    assert!(
        errors_of("")
            .iter()
            .all(|e| e.starts_with("ligne 1 : le fichier est vide"))
    );
    assert_eq!(errors_of("\u{feff}\n").len(), 1);
    assert!(errors_of("type;nir;;rang\n")[0].contains("la colonne n° 3 n'a pas de nom"));
}

#[test]
fn optional_columns_may_be_absent_and_the_header_may_be_reordered() {
    let text = " Ville ;code_postal;adresse_ligne1;caisse;sexe;date_naissance;prenom;nom;rang;nir;type\n\
                VERSAILLES;78000;1 rue X;781;1;1985-05-14;Julien;MARTIN;01;185057800608491;assure\n";
    let parsed = parse_text(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let m = &parsed.insured[0].member;
    assert_eq!(
        (
            m.email.as_ref().map(|e| e.as_str()),
            m.vitale_serial.as_ref().map(|v| v.as_str())
        ),
        (None, None)
    );
    assert!(parse_text(&file(&[])).insured.is_empty());
}

#[test]
fn type_and_rank_rules() {
    assert_eq!(
        row_errors(insured(&[("type", "enfant")])),
        ["ligne 2, colonne type : le type doit être assure ou ayant_droit"]
    );
    assert_eq!(
        row_errors(insured(&[("type", "")])),
        ["ligne 2, colonne type : le type est obligatoire : assure ou ayant_droit"]
    );
    assert!(row_errors(insured(&[("type", "ASSURÉ"), ("rang", "1")])).is_empty());
    assert_eq!(
        row_errors(insured(&[("rang", "02")])),
        ["ligne 2, colonne rang : le rang d'un assuré est 01"]
    );
    let text = file(&[
        insured(&[]),
        beneficiary(&[("rang", "01")]),
        beneficiary(&[("rang", "20")]),
        beneficiary(&[("rang", "2")]),
        beneficiary(&[("rang", "x3")]),
    ]);
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("ligne 3, colonne rang : le rang d'un ayant droit va de 02 à 19")
    );
    assert!(
        errors[1].starts_with("ligne 4, colonne rang : le rang d'un ayant droit va de 02 à 19")
    );
    assert_eq!(
        errors[2],
        "ligne 6, colonne rang : le rang s'écrit sur 2 chiffres, de 01 à 19"
    );
}

#[test]
fn the_nir_is_checked_with_the_domain_rules_and_the_domain_messages() {
    let wrong_key = format!("{}99", &JULIEN[..13]);
    assert_eq!(
        row_errors(insured(&[("nir", &wrong_key)])),
        [
            "ligne 2, colonne nir : la clé (les 2 derniers chiffres) ne correspond pas au numéro \
          de sécurité sociale : vérifiez votre saisie sur votre carte Vitale ou votre \
          attestation de droits."
        ]
    );
    // Spaces as printed on the card are accepted; the stored form has none.
    let parsed = parse_text(&file(&[insured(&[("nir", "1 85 05 78 006 084 91")])]));
    assert_eq!(parsed.insured[0].member.nir.as_str(), JULIEN);
}

#[test]
fn provisional_numbers_are_allowed_in_the_member_file() {
    // 8 99 02 99 134 001 18: provisional number of a woman born in Spain in February 1999.
    let nia = "899029913400118";
    let parsed = parse_text(&file(&[
        insured(&[
            ("nir", nia),
            ("sexe", "F"),
            ("date_naissance", "1999-02-03"),
        ]),
        beneficiary(&[("nir", nia)]),
    ]));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.insured[0].member.sex.code(), 2);
}

#[test]
fn the_nir_must_agree_with_sex_and_birth_date_of_an_insured_person() {
    let errors = row_errors(insured(&[("sexe", "2"), ("date_naissance", "14/06/1984")]));
    assert_eq!(
        errors,
        [
            "ligne 2, colonne sexe : ne correspond pas au sexe inscrit dans le NIR (1er chiffre)",
            "ligne 2, colonne date_naissance : l'année de naissance ne correspond pas au NIR (2e et 3e chiffres)",
            "ligne 2, colonne date_naissance : le mois de naissance ne correspond pas au NIR (4e et 5e chiffres)",
        ]
    );
    // The century is not encoded: 1885 and 1985 both end in 85.
    assert!(row_errors(insured(&[("date_naissance", "14/05/1885")])).is_empty());
    // Fictitious month (50): any month; pseudo-fictitious 34 means April.
    let fictitious = nir("1855078006084");
    assert!(
        row_errors(insured(&[
            ("nir", &fictitious),
            ("date_naissance", "01/11/1985")
        ]))
        .is_empty()
    );
    let april = nir("2853475110002");
    assert!(
        row_errors(insured(&[
            ("nir", &april),
            ("sexe", "2"),
            ("date_naissance", "09/04/1985")
        ]))
        .is_empty()
    );
    assert_eq!(
        row_errors(insured(&[
            ("nir", &april),
            ("sexe", "2"),
            ("date_naissance", "09/05/1985")
        ]))
        .len(),
        1
    );
    // An ayant droit carries the insured person's NIR: their own sex and birth date differ.
    assert!(errors_of(&file(&[insured(&[]), beneficiary(&[])])).is_empty());
}

#[test]
fn birth_dates_in_both_formats_and_their_errors() {
    let iso = parse_text(&file(&[insured(&[("date_naissance", "1985-05-14")])]));
    let french = parse_text(&file(&[insured(&[("date_naissance", "14/05/1985")])]));
    assert_eq!(
        iso.insured[0].member.birth_date,
        french.insured[0].member.birth_date
    );
    let message = |value: &str| {
        let errors = errors_of(&file(&[
            insured(&[]),
            beneficiary(&[("date_naissance", value)]),
        ]));
        assert_eq!(errors.len(), 1, "{value}: {errors:?}");
        errors[0].clone()
    };
    for bad in [
        "14-03-2015",
        "2015/03/14",
        "1/3/2015",
        "",
        "14/03/15",
        "aa/bb/cccc",
    ] {
        assert_eq!(
            message(bad),
            "ligne 3, colonne date_naissance : la date s'écrit JJ/MM/AAAA ou AAAA-MM-JJ"
        );
    }
    for bad in ["30/02/2015", "2015-13-01", "00/01/2015"] {
        assert_eq!(
            message(bad),
            "ligne 3, colonne date_naissance : cette date n'existe pas"
        );
    }
    assert_eq!(
        message("16/01/2026"),
        "ligne 3, colonne date_naissance : la date de naissance est dans le futur"
    );
    assert!(
        errors_of(&file(&[
            insured(&[]),
            beneficiary(&[("date_naissance", "15/01/2026")])
        ]))
        .is_empty()
    );
}

#[test]
fn sex_names_and_text_rules() {
    assert_eq!(
        row_errors(insured(&[("sexe", "M")])),
        ["ligne 2, colonne sexe : le sexe s'écrit 1 ou H (homme), 2 ou F (femme)"]
    );
    assert!(row_errors(insured(&[("sexe", "h")])).is_empty());
    assert_eq!(
        row_errors(insured(&[("nom", "  "), ("prenom", "")])),
        [
            "ligne 2, colonne nom : obligatoire",
            "ligne 2, colonne prenom : obligatoire"
        ]
    );
    let long = "A".repeat(201);
    assert_eq!(
        row_errors(insured(&[("ville", &long)])),
        ["ligne 2, colonne ville : trop long (200 caractères au plus)"]
    );
    assert_eq!(
        row_errors(insured(&[("nom_usage", "DU\u{7}PONT")])),
        ["ligne 2, colonne nom_usage : contient un caractère de contrôle"]
    );
    let parsed = parse_text(&file(&[insured(&[(
        "nom_usage",
        "  DURAND   DE  LA TOUR ",
    )])]));
    assert_eq!(
        parsed.insured[0].member.usage_name.as_deref(),
        Some("DURAND DE LA TOUR")
    );
}

#[test]
fn fund_carte_vitale_and_address_rules() {
    assert_eq!(
        row_errors(insured(&[("caisse", "")])),
        ["ligne 2, colonne caisse : le code de la caisse est obligatoire pour un assuré"]
    );
    assert_eq!(
        row_errors(insured(&[("caisse", "999")])),
        [
            "ligne 2, colonne caisse : aucune caisse d'assurance maladie ne correspond à ce code : \
          vérifiez votre saisie."
        ]
    );
    assert!(row_errors(insured(&[("caisse", "2a1")])).is_empty());
    assert_eq!(
        row_errors(insured(&[("numero_carte_vitale", "12A45")])),
        [
            "ligne 2, colonne numero_carte_vitale : le numéro de série de la carte Vitale ne contient \
          que des chiffres (20 au plus)"
        ]
    );
    let parsed = parse_text(&file(&[insured(&[(
        "numero_carte_vitale",
        "1234 5678 90",
    )])]));
    assert_eq!(
        parsed.insured[0]
            .member
            .vitale_serial
            .as_ref()
            .map(|v| v.as_str()),
        Some("1234567890")
    );
    assert_eq!(
        row_errors(insured(&[
            ("adresse_ligne1", ""),
            ("code_postal", "7800"),
            ("ville", "")
        ])),
        [
            "ligne 2, colonne adresse_ligne1 : obligatoire",
            "ligne 2, colonne code_postal : le code postal s'écrit avec 5 chiffres",
            "ligne 2, colonne ville : obligatoire",
        ]
    );
}

#[test]
fn contact_details_use_the_domain_rules() {
    assert_eq!(
        row_errors(insured(&[("email", "julien.martin@localhost")])),
        [
            "ligne 2, colonne email : le nom de domaine de l'adresse e-mail est incomplet : il doit \
          contenir un point, par exemple @exemple.fr."
        ]
    );
    assert_eq!(
        row_errors(insured(&[("telephone", "01 23 45 67 89")])),
        [
            "ligne 2, colonne telephone : ce numéro n'est pas un numéro de téléphone mobile : \
          indiquez un numéro de portable pour recevoir les codes par SMS."
        ]
    );
    let parsed = parse_text(&file(&[insured(&[
        ("telephone", "0692 12 34 56"),
        ("email", ""),
    ])]));
    let m = &parsed.insured[0].member;
    assert_eq!(
        (
            m.phone.as_ref().map(|p| p.as_str()),
            m.email.as_ref().map(|e| e.as_str())
        ),
        (Some("+262692123456"), None)
    );
}

#[test]
fn an_ayant_droit_leaves_the_insured_columns_empty() {
    let errors = errors_of(&file(&[
        insured(&[]),
        beneficiary(&[("caisse", "781"), ("ville", "VERSAILLES")]),
    ]));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("ligne 3, colonne caisse : ne s'applique pas à un ayant droit"));
    assert!(errors[1].starts_with("ligne 3, colonne ville : ne s'applique pas à un ayant droit"));
}

#[test]
fn duplicates_across_rows_are_reported_on_the_later_row() {
    let errors = errors_of(&file(&[
        insured(&[]),
        beneficiary(&[]),
        beneficiary(&[("prenom", "Hugo")]),
        insured(&[("prenom", "Julien-Pierre")]),
    ]));
    assert_eq!(
        errors,
        [
            "ligne 4, colonne rang : le rang 02 de cet assuré est déjà pris ligne 3",
            "ligne 5, colonne nir : cet assuré figure déjà ligne 2",
        ]
    );
}

#[test]
fn every_bad_row_and_every_bad_column_is_reported() {
    let parsed = parse_text(&file(&[
        insured(&[("sexe", "9"), ("code_postal", "")]),
        beneficiary(&[]),
        insured(&[
            ("nir", &nir("2931220004123")),
            ("sexe", "2"),
            ("date_naissance", "02/12/1993"),
        ]),
        beneficiary(&[("prenom", "")]),
        "assure;trop;court".to_owned(),
    ]));
    let lines: Vec<_> = parsed.errors.iter().map(|e| (e.line, e.column)).collect();
    assert_eq!(
        lines,
        [
            (2, Some("sexe")),
            (2, Some("code_postal")),
            (5, Some("prenom")),
            (6, None)
        ]
    );
    assert_eq!(
        parsed.errors[3].message,
        "3 champs au lieu de 17 : vérifiez le séparateur et les guillemets"
    );
    // Julien's own row is wrong, but it declares him: his ayant droit is not unattached.
    assert!(parsed.declares_insured(&caisse_domain::Nir::parse(JULIEN).unwrap()));
    assert_eq!(parsed.insured.len(), 1);
}

#[test]
fn a_field_that_is_not_utf8_names_its_column() {
    let mut bytes = file(&[insured(&[])]).into_bytes();
    // "VERSAILLES" → "VERSAILL\xC9S": Latin-1 É, as an "ANSI" export would write it.
    let at = bytes.windows(10).position(|w| w == b"VERSAILLES").unwrap();
    bytes.splice(at + 8..at + 9, [0xC9]);
    let parsed = parse(bytes.as_slice(), date!(2026 - 01 - 15)).unwrap();
    assert_eq!(
        parsed.errors,
        [RowError {
            line: 2,
            column: Some("ville"),
            message: "le texte n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »"
                .to_owned(),
        }]
    );
}

#[test]
fn line_numbers_count_physical_lines_through_quoted_fields_and_crlf() {
    let multi_line = insured(&[("adresse_ligne1", "\"12 rue de la Paroisse\nBâtiment B\"")]);
    let text = file(&[
        multi_line,
        beneficiary(&[]),
        String::new(),
        ";".repeat(15),
        beneficiary(&[("rang", "03"), ("sexe", "?")]),
    ]);
    // Lines: 1 header, 2–3 Julien, 4 Léa, 5 blank, 6 only separators (a spreadsheet's
    // "used" empty row, skipped), 7 the bad row.
    for text in [text.clone(), text.replace('\n', "\r\n")] {
        let parsed = parse_text(&text);
        assert_eq!(
            parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            [7],
            "{:?}",
            parsed.errors
        );
        assert_eq!(parsed.beneficiaries[0].line, 4);
        // The line break typed in the cell becomes a space.
        assert!(
            parsed.insured[0]
                .member
                .address_line1
                .ends_with("Paroisse Bâtiment B")
        );
    }
}

#[test]
fn the_error_report_is_capped() {
    let errors: Vec<RowError> = (2..152)
        .map(|line| RowError {
            line,
            column: None,
            message: "x".to_owned(),
        })
        .collect();
    let report = error_report(&errors, 100);
    assert_eq!(report.len(), 101);
    assert_eq!(report[99], "ligne 101 : x");
    assert_eq!(report[100], "… et 50 autres erreurs");
    assert_eq!(
        error_report(&errors[..101], 100)[100],
        "… et 1 autre erreur"
    );
    assert_eq!(error_report(&errors[..3], 100).len(), 3);
}

#[test]
fn the_summary_reads_as_french() {
    let summary = |created, updated, beneficiaries| {
        ImportSummary {
            created,
            updated,
            beneficiaries,
        }
        .to_string()
    };
    assert_eq!(
        summary(3, 2, 4),
        "3 assurés créés, 2 mis à jour, 4 ayants droit"
    );
    assert_eq!(
        summary(1, 0, 1),
        "1 assuré créé, 0 mis à jour, 1 ayant droit"
    );
}

#[test]
fn the_sample_file_is_valid() {
    let sample = include_str!("../../../../docs/examples/membres.csv");
    let parsed = parse_text(sample);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert!(parsed.insured.len() >= 8 && parsed.beneficiaries.len() >= 5);
}

#[test]
fn bank_details_are_stored_canonical_and_a_bad_iban_is_reported() {
    let parsed = parse_text(&file(&[insured(&[(
        "iban",
        "fr76 3000 6000 0112 3456 7890 189",
    )])]));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(
        parsed.insured[0].member.iban.as_ref().map(|i| i.as_str()),
        Some("FR7630006000011234567890189")
    );
    let parsed = parse_text(&file(&[insured(&[(
        "iban",
        "FR76 3000 6000 0112 3456 7890 180",
    )])]));
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(parsed.errors[0].column, Some("iban"));
    let parsed = parse_text(&file(&[beneficiary(&[(
        "iban",
        "FR7630006000011234567890189",
    )])]));
    assert!(
        !parsed.errors.is_empty(),
        "an ayant droit has no bank details of their own"
    );
}
